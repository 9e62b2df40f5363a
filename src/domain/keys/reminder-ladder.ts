import { type Refusal, refuse } from '../refusal';
import { plural } from '../text';
import { DAY_MS } from '../time';
import { dueAt, isoDate, keyAgeDays } from './due-date';
import type { RegisteredKey } from './registered-key';

// The ladder of one rotation cycle (PRODUCT.md section 6): `before:<d>` for each offset, `due`, then `overdue:<n>`
// once a day for ever. Every stage has a fixed fire time derived from the key alone, so the ladder can be
// recomputed after a restart from the key plus the stages already posted in its cycle.

export type ReminderStage = `before:${number}` | 'due' | `overdue:${number}`;
export type ReminderKind = 'upcoming' | 'due' | 'overdue';

export const DEFAULT_REMINDER_OFFSETS_DAYS: readonly number[] = [14, 7, 1];
/** Ten years: anything longer is a typo, and would overflow exact millisecond arithmetic sooner or later. */
export const MAX_OFFSET_DAYS = 3650;

/** `REMINDER_OFFSETS_DAYS`: "14,7,1" → [14, 7, 1]; positive whole days, duplicates dropped, largest first. */
export function parseOffsets(text: string): { ok: true; offsets: number[] } | Refusal<'invalid_offsets'> {
  const parts = text.split(',').map((part) => part.trim());
  const valid = parts.every((part) => /^\d+$/.test(part) && Number(part) >= 1 && Number(part) <= MAX_OFFSET_DAYS);
  if (!valid) return refuse('invalid_offsets', { max: MAX_OFFSET_DAYS });
  return { ok: true, offsets: normaliseOffsets(parts.map(Number)) };
}

function normaliseOffsets(offsets: readonly number[]): number[] {
  const days = offsets.filter((day) => Number.isInteger(day) && day >= 1 && day <= MAX_OFFSET_DAYS);
  return [...new Set(days)].sort((a, b) => b - a);
}

const STAGE = /^(?:(before|overdue):([1-9]\d*)|due)$/;

/** A stage name → its kind and day count (0 for `due`); null for anything that is not a stage. */
export function parseStage(stage: string): { kind: ReminderKind; days: number } | null {
  const match = STAGE.exec(stage);
  if (!match) return null;
  if (!match[1]) return { kind: 'due', days: 0 };
  return { kind: match[1] === 'before' ? 'upcoming' : 'overdue', days: Number(match[2]) };
}

/** When a stage fires, given the cycle's due date; null for a name that is not a stage. */
export function stageFireAt(stage: string, due: number): number | null {
  const parsed = parseStage(stage);
  if (!parsed) return null;
  const sign = parsed.kind === 'upcoming' ? -1 : 1;
  return due + sign * parsed.days * DAY_MS;
}

/** The identity of one reminder, for a UNIQUE column: posted exactly once per key, cycle and stage. */
export function reminderId(keyId: number, cycle: number, stage: string): string {
  return `${keyId}:${cycle}:${stage}`;
}

export interface LadderOptions {
  rotationDays: number;
  offsetsDays: readonly number[];
  /** Stage names already posted (or claimed) in the key's current cycle. */
  alreadyPosted: ReadonlySet<string>;
}

export interface ReminderDecision {
  keyId: number;
  cycle: number;
  /** The one stage to post now: the latest one due. */
  stage: ReminderStage;
  fireAt: number;
  /** Every stage to record as posted with this message: `stage` plus `skipped`. */
  claimStages: ReminderStage[];
  /** True when earlier unposted stages are folded into this message instead of being replayed. */
  coalesced: boolean;
  /** The folded stages, oldest first. */
  skipped: ReminderStage[];
  kind: ReminderKind;
  dueAt: number;
  overdueDays: number;
}

interface Scheduled {
  stage: ReminderStage;
  fireAt: number;
}

/**
 * The stages still to come, in firing order, for ever (overdue never ends). Posting is monotone: a stage that
 * fires before the latest posted one is behind us and is never posted, even if it was not claimed (for example
 * an offset added to the configuration mid-cycle). Stages before the cycle began are impossible and ignored.
 */
function* pendingStages(key: RegisteredKey, opts: LadderOptions): Generator<Scheduled> {
  const due = dueAt(key, opts.rotationDays);
  let watermark = Number.NEGATIVE_INFINITY;
  for (const posted of opts.alreadyPosted) {
    const fireAt = stageFireAt(posted, due);
    if (fireAt !== null && fireAt > watermark) watermark = fireAt;
  }
  const pending = (fireAt: number) => fireAt >= key.rotatedAt && fireAt > watermark;
  for (const days of normaliseOffsets(opts.offsetsDays)) {
    const fireAt = due - days * DAY_MS;
    if (pending(fireAt)) yield { stage: `before:${days}`, fireAt };
  }
  if (pending(due)) yield { stage: 'due', fireAt: due };
  let days = watermark >= due ? Math.floor((watermark - due) / DAY_MS) + 1 : 1;
  while (true) {
    const fireAt = due + days * DAY_MS;
    if (pending(fireAt)) yield { stage: `overdue:${days}`, fireAt };
    days += 1;
  }
}

/**
 * What to post for this key now, or null. One message per key at most: if several stages are due and unposted
 * (the bot was down, or the key was registered late) they are coalesced into one for the latest stage, and the
 * earlier ones are claimed with it so they are never replayed.
 */
export function remindersDue(key: RegisteredKey, now: number, opts: LadderOptions): ReminderDecision | null {
  if (key.status !== 'active') return null;
  if (key.snoozedUntil !== null && key.snoozedUntil > now) return null;
  const due: Scheduled[] = [];
  for (const scheduled of pendingStages(key, opts)) {
    if (scheduled.fireAt > now) break;
    due.push(scheduled);
  }
  const latest = due.at(-1);
  if (!latest) return null;
  const parsed = parseStage(latest.stage);
  const skipped = due.slice(0, -1).map((scheduled) => scheduled.stage);
  return {
    keyId: key.id,
    cycle: key.cycle,
    stage: latest.stage,
    fireAt: latest.fireAt,
    claimStages: [...skipped, latest.stage],
    coalesced: skipped.length > 0,
    skipped,
    kind: parsed?.kind ?? 'due',
    dueAt: dueAt(key, opts.rotationDays),
    overdueDays: parsed?.kind === 'overdue' ? parsed.days : 0,
  };
}

/**
 * When remindersDue will next return something for this key (it returns null before, and a decision from then
 * on), or null for a key that gets no reminders. Depends only on the key and the posted set, so it can be
 * stored as `next_reminder_at` and recomputed after every change. It may be in the past: then post now.
 */
export function nextReminderAt(key: RegisteredKey, opts: LadderOptions): number | null {
  if (key.status !== 'active') return null;
  const next = pendingStages(key, opts).next();
  if (next.done) return null;
  return Math.max(next.value.fireAt, key.snoozedUntil ?? Number.NEGATIVE_INFINITY);
}

/** The `reminder_snooze` button: quiet for one day from now; whatever falls due meanwhile is coalesced after. */
export function snooze(key: RegisteredKey, now: number): RegisteredKey {
  return { ...key, snoozedUntil: now + DAY_MS };
}

/** A plain sentence for the message's fallback text and logs; Block Kit may render the dates as Slack date tokens. */
export function describeReminder(key: RegisteredKey, decision: ReminderDecision, now: number): string {
  const subject = `${key.label} (${key.environment}, ${keyAgeDays(key, now)} days old)`;
  const dueDate = isoDate(decision.dueAt);
  let sentence: string;
  if (decision.kind === 'overdue') {
    sentence = `${subject} is overdue for rotation since ${dueDate} (${plural(decision.overdueDays, 'day')}).`;
  } else if (decision.kind === 'due') {
    sentence = `${subject} is due for rotation today, ${dueDate}.`;
  } else {
    const left = Math.max(1, Math.ceil((decision.dueAt - now) / DAY_MS));
    sentence = `${subject} is due for rotation on ${dueDate}, in ${plural(left, 'day')}.`;
  }
  if (!decision.coalesced) return sentence;
  return `${sentence} ${plural(decision.skipped.length, 'earlier reminder')} missed meanwhile ${
    decision.skipped.length === 1 ? 'is' : 'are'
  } folded into this one.`;
}
