import { COMMAND } from '../../domain/command-name';
import { daysUntilDue, isoDate, overdueDays } from '../../domain/keys/due-date';
import type { RegisteredKey } from '../../domain/keys/registered-key';
import { plural } from '../../domain/text';
import { escapeMrkdwn, mention, slackDate } from './slack-time';

/** One key as the `keys` listing shows it: the entry plus what the register derives from it. */
export interface KeyListing {
  key: RegisteredKey;
  dueAt: number;
  /** Where its reminders go; null when nowhere (no channel on the key, REMINDER_CHANNEL empty). */
  reminderChannel: string | null;
  /** Keys in other environments that look like this one. */
  reuse: RegisteredKey[];
}

const MAX_LISTED = 40;
const RETIRED = new Set(['revoked', 'compromised']);

/** "due 2027-02-26 (in 89 days)", "overdue since …", as a sentence fragment. */
export function dueText(key: RegisteredKey, dueAt: number, now: number, rotationDays: number): string {
  if (dueAt > now) return `due ${isoDate(dueAt)} (in ${plural(daysUntilDue(key, now, rotationDays), 'day')})`;
  const late = overdueDays(key, now, rotationDays);
  return late === 0 ? `due today (${isoDate(dueAt)})` : `overdue since ${isoDate(dueAt)} (${plural(late, 'day')})`;
}

function line(entry: KeyListing, now: number, rotationDays: number): string {
  const { key } = entry;
  const parts = [
    `\`${escapeMrkdwn(key.label)}\``,
    `${key.environment} ${key.mode}${key.kind === 'publishable' ? ' publishable' : ''}${key.last4 ? ` …${key.last4}` : ''}`,
  ];
  if (key.status === 'revoked') parts.push('revoked');
  else if (key.status === 'compromised') parts.push(':rotating_light: compromised');
  else {
    const due = dueText(key, entry.dueAt, now, rotationDays);
    parts.push(entry.dueAt <= now ? `:warning: ${due}` : due);
    if (key.status === 'rotating') parts.push(':arrows_counterclockwise: rotation under way');
    if (key.snoozedUntil !== null && key.snoozedUntil > now) parts.push(`snoozed until ${slackDate(key.snoozedUntil)}`);
    if (key.ownerId) parts.push(`owner ${mention(key.ownerId)}`);
    parts.push(
      entry.reminderChannel
        ? `reminders in <#${entry.reminderChannel}>`
        : ':warning: no reminder channel (register it with `channel=#…`, or set REMINDER_CHANNEL)',
    );
  }
  let text = `• ${parts.join(' · ')}`;
  if (entry.reuse.length > 0 && !RETIRED.has(key.status)) {
    const others = entry.reuse.map((other) => `\`${escapeMrkdwn(other.label)}\` (${other.environment})`).join(', ');
    text += `\n    :warning: likely the same key as ${others}: never reuse one key across environments.`;
  }
  return text;
}

/** Keys still in use first, soonest due first; retired keys last. */
function order(a: KeyListing, b: KeyListing): number {
  const retired = Number(RETIRED.has(a.key.status)) - Number(RETIRED.has(b.key.status));
  return retired || a.dueAt - b.dueAt || a.key.id - b.key.id;
}

/** The `keys` answer: the register with due dates, owners and where reminders go. */
export function keyRegisterText(entries: KeyListing[], now: number, rotationDays: number): string {
  if (entries.length === 0) {
    return `The key register is empty. Add a key with \`${COMMAND} keys add <label> env=production|staging|development\` (its label, never the key itself).`;
  }
  const sorted = [...entries].sort(order);
  const inUse = sorted.filter((entry) => !RETIRED.has(entry.key.status)).length;
  const lines = sorted.slice(0, MAX_LISTED).map((entry) => line(entry, now, rotationDays));
  if (sorted.length > MAX_LISTED) {
    lines.push(`…and ${sorted.length - MAX_LISTED} more: \`paykore-bot keys list\` prints them all.`);
  }
  return [`*Key register*: ${plural(inUse, 'key')} in use, rotated every ${rotationDays} days.`, ...lines].join('\n');
}
