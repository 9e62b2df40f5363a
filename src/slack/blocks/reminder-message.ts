import type { KnownBlock } from '@slack/types';
import type { ReminderRecord } from '../../db/reminder-repository';
import { dueAt, isoDate, keyAgeDays } from '../../domain/keys/due-date';
import type { RegisteredKey } from '../../domain/keys/registered-key';
import { parseStage, stageFireAt } from '../../domain/keys/reminder-ladder';
import { reminderRef } from '../../domain/refs';
import { ROTATION_STEP_HOWTO, ROTATION_STEP_TITLES, ROTATION_STEPS } from '../../domain/rotation/rotation-steps';
import { plural } from '../../domain/text';
import { DAY_MS } from '../../domain/time';
import { ActionId } from '../ids';
import { reminderButtonValue } from '../key-register-values';
import { button } from './block-kit';
import type { SlackMessage } from './incident-card';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';

/** What became of the key since the reminder was posted: the message is redrawn to say so. */
export type ReminderState =
  | { kind: 'open'; snoozedUntil: number | null }
  | { kind: 'rotated'; rotatedAt: number; nextDueAt: number }
  | { kind: 'rotating' }
  | { kind: 'retired'; status: 'revoked' | 'compromised' };

export function reminderState(reminder: ReminderRecord, key: RegisteredKey, rotationDays: number): ReminderState {
  if (key.cycle !== reminder.cycle) {
    return { kind: 'rotated', rotatedAt: key.rotatedAt, nextDueAt: dueAt(key, rotationDays) };
  }
  if (key.status === 'revoked' || key.status === 'compromised') return { kind: 'retired', status: key.status };
  if (key.status === 'rotating') return { kind: 'rotating' };
  return { kind: 'open', snoozedUntil: key.snoozedUntil };
}

/** A day in each reader's own zone, with the UTC date as the fallback. */
export function slackDay(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty}|${isoDate(ms)}>`;
}

function headline(reminder: ReminderRecord, key: RegisteredKey): string {
  if (reminder.kind === 'overdue') return `:warning: Key rotation overdue: ${key.label}`;
  if (reminder.kind === 'due') return `:alarm_clock: Key rotation due today: ${key.label}`;
  const days = Math.max(1, Math.ceil((reminder.dueAt - reminder.decidedAt) / DAY_MS));
  return `:calendar: Key rotation due in ${plural(days, 'day')}: ${key.label}`;
}

function summary(reminder: ReminderRecord, key: RegisteredKey): string {
  const who = key.ownerId ? `${mention(key.ownerId)}: ` : '';
  const label = `\`${escapeMrkdwn(key.label)}\``;
  let sentence: string;
  if (reminder.kind === 'overdue') {
    sentence = `${who}${label} is *overdue* for rotation since ${slackDay(reminder.dueAt)} (${plural(reminder.overdueDays, 'day')}).`;
  } else if (reminder.kind === 'due') {
    sentence = `${who}${label} is due for rotation *today*, ${slackDay(reminder.dueAt)}.`;
  } else {
    sentence = `${who}${label} is due for rotation on ${slackDay(reminder.dueAt)}.`;
  }
  if (reminder.skipped.length > 0) {
    const earliest = stageFireAt(reminder.skipped[0] ?? '', reminder.dueAt);
    const since = reminder.kind === 'overdue' ? ` Overdue since ${isoDate(reminder.dueAt)}.` : '';
    sentence += `${since} ${plural(reminder.skipped.length, 'earlier reminder')}${
      earliest === null ? '' : ` (from ${slackDay(earliest)})`
    } went unposted while the bot was unavailable or snoozed, and ${reminder.skipped.length === 1 ? 'is' : 'are'} folded into this one.`;
  }
  return sentence;
}

function stateLine(state: ReminderState): string | null {
  switch (state.kind) {
    case 'open':
      return state.snoozedUntil === null ? null : `:zzz: Snoozed until ${slackDate(state.snoozedUntil)}.`;
    case 'rotated':
      return `:white_check_mark: Rotated ${slackDay(state.rotatedAt)}; the next rotation is due ${slackDay(state.nextDueAt)}.`;
    case 'rotating':
      return ':arrows_counterclockwise: A rotation of this key is under way: follow its card.';
    case 'retired':
      return `:no_entry: This key is ${state.status}: it gets no more reminders.`;
  }
}

/** The reminder: key, environment, age, due date, the four rotation steps, and what can be done about it. */
export function reminderMessage(
  reminder: ReminderRecord,
  key: RegisteredKey,
  state: ReminderState,
  rotationDays: number,
): SlackMessage {
  // Age when the reminder was decided, from the start of the cycle it was posted for.
  const age = keyAgeDays({ rotatedAt: reminder.dueAt - rotationDays * DAY_MS }, reminder.decidedAt);
  const steps = ROTATION_STEPS.map(
    (step, index) => `${index + 1}. *${ROTATION_STEP_TITLES[step]}*: ${ROTATION_STEP_HOWTO[step]}`,
  ).join('\n');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(headline(reminder, key), 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(summary(reminder, key), 3000) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Key*\n\`${escapeMrkdwn(key.label)}\`` },
        { type: 'mrkdwn', text: `*Environment*\n${key.environment} (${key.mode} ${key.kind} key)` },
        { type: 'mrkdwn', text: `*Age*\n${plural(age, 'day')}` },
        { type: 'mrkdwn', text: `*Due date*\n${slackDay(reminder.dueAt)}` },
      ],
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*Rotate without downtime, in this order*\n${steps}`, 3000) },
    },
  ];
  const line = stateLine(state);
  if (line) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line } });
  if (state.kind === 'open') {
    const value = reminderButtonValue({ keyId: key.id, cycle: reminder.cycle, reminderId: reminder.id });
    blocks.push({
      type: 'actions',
      block_id: 'reminder_actions',
      elements: [
        button('Start the rotation', ActionId.rotationStart, value, 'primary'),
        button('Rotated it already', ActionId.reminderMarkRotated, value),
        button('Snooze 1 day', ActionId.reminderSnooze, value),
      ],
    });
  }
  const stage = parseStage(reminder.stage);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${reminderRef(reminder.id)} · rotation reminder for cycle ${reminder.cycle}, ${
          stage?.kind === 'upcoming' ? `${plural(stage.days, 'day')} before the due date` : reminder.stage
        }`,
      },
    ],
  });
  const owner = key.ownerId ? ` ${mention(key.ownerId)}` : '';
  const when =
    reminder.kind === 'overdue'
      ? `overdue since ${isoDate(reminder.dueAt)}`
      : reminder.kind === 'due'
        ? `due today (${isoDate(reminder.dueAt)})`
        : `due on ${isoDate(reminder.dueAt)}`;
  return { text: `Key rotation ${when}: ${key.label} (${key.environment}).${owner}`, blocks };
}
