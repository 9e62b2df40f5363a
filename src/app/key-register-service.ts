import type { KeyRepository } from '../db/key-repository';
import { lastMaintenance, recordMaintenance } from '../db/maintenance';
import { isClaimConflict, type ReminderRepository } from '../db/reminder-repository';
import { dueAt, parseRotatedDate } from '../domain/keys/due-date';
import { validateKeyLabel } from '../domain/keys/key-label';
import {
  decideMarkRotated,
  decideRegisterKey,
  markCompromised,
  type NewRegisteredKey,
  type RegisteredKey,
  type RegisterKeyInput,
} from '../domain/keys/registered-key';
import {
  type LadderOptions,
  nextReminderAt,
  type ReminderDecision,
  reminderId,
  remindersDue,
  snooze,
} from '../domain/keys/reminder-ladder';
import { findLikelyReuse } from '../domain/keys/reuse';
import { reminderRef } from '../domain/refs';
import { type Refusal, refuse } from '../domain/refusal';
import { BOT_ACTOR, type EventType } from '../domain/types';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { Store } from './store';

/** The event stream of the key register: additions, rotations, status changes and reminders. */
export const KEYS_STREAM = 'KEYS';

/** What a register use-case did; a refusal carries its code and facts, drawn as a sentence at the edge. */
export type KeyOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'duplicate'; value: T | null }
  | { kind: 'refused'; refusal: Refusal };

export interface KeyRegisterOptions {
  store: Store;
  keys: KeyRepository;
  reminders: ReminderRepository;
  clock: Clock;
  logger: Logger;
  rotationDays: number;
  offsetsDays: readonly number[];
  /** REMINDER_CHANNEL: where a key without its own channel is reminded. */
  reminderChannel: string | null;
}

export interface ReminderPreview {
  key: RegisteredKey;
  decision: ReminderDecision;
  /** Null when the reminder would be skipped: no channel on the key and no REMINDER_CHANNEL. */
  channelId: string | null;
}

/** Where the change came from, for the KEYS record. */
export type KeySource = 'command' | 'reminder' | 'rotation' | 'incident';

const refused = (refusal: Refusal): { kind: 'refused'; refusal: Refusal } => ({ kind: 'refused', refusal });

/**
 * The key register's use-cases, and the reminder tick. Every change is one transaction: the row, its
 * recomputed `next_reminder_at`, the KEYS event and any Slack message owed.
 */
export class KeyRegisterService {
  readonly rotationDays: number;
  private readonly store: Store;
  private readonly keys: KeyRepository;
  private readonly reminders: ReminderRepository;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly offsetsDays: readonly number[];
  private readonly reminderChannel: string | null;
  /** Reminders skipped for want of a channel, warned about once per process. */
  private readonly warned = new Set<string>();

  constructor(options: KeyRegisterOptions) {
    this.store = options.store;
    this.keys = options.keys;
    this.reminders = options.reminders;
    this.clock = options.clock;
    this.logger = options.logger;
    this.rotationDays = options.rotationDays;
    this.offsetsDays = options.offsetsDays;
    this.reminderChannel = options.reminderChannel;
  }

  now(): number {
    return this.clock().getTime();
  }

  get(id: number): RegisteredKey | null {
    return this.keys.get(id);
  }

  findByLabel(label: string): RegisteredKey | null {
    return this.keys.findByLabel(label);
  }

  list(): RegisteredKey[] {
    return this.keys.list();
  }

  dueAt(key: RegisteredKey): number {
    return dueAt(key, this.rotationDays);
  }

  /** When the next reminder for this key is due to go out, as stored for the tick. */
  nextReminderAt(key: RegisteredKey): number | null {
    return this.keys.nextReminderAt(key.id);
  }

  reminderChannelFor(key: Pick<RegisteredKey, 'channelId'>): string | null {
    return key.channelId ?? this.reminderChannel;
  }

  /** Keys in other environments that look like the same key (same mode and last four). */
  likelyReuse(key: RegisteredKey): RegisteredKey[] {
    return findLikelyReuse(key, this.keys.list());
  }

  /** `keys add`: checked against the whole register; refused with a sentence, and nothing stored, when it may not. */
  register(input: RegisterKeyInput & { actor: string; idempotencyKey: string }): KeyOutcome<RegisteredKey> {
    const now = this.now();
    return this.store.transaction(() => {
      if (this.store.events.findByIdempotencyKey(input.idempotencyKey)) {
        return { kind: 'duplicate', value: this.keys.findByLabel(input.label.trim()) };
      }
      const decision = decideRegisterKey(input, this.keys.list(), now);
      if (!decision.ok) return { kind: 'refused', refusal: decision };
      const key = this.insertKey(decision.key, input.actor, now, { source: 'command' }, input.idempotencyKey);
      return { kind: 'done', value: key };
    });
  }

  /**
   * `keys rotated` and the reminder's "rotated already" button: a new cycle starts. The button carries the cycle
   * it was posted for, so a double click (or a click on an old reminder) starts no second cycle.
   */
  markRotated(input: {
    keyId?: number;
    label?: string;
    on: string | null;
    expectedCycle?: number;
    actor: string;
    idempotencyKey: string;
    /** The reminder message clicked, to redraw it. */
    reminderId?: number;
  }): KeyOutcome<RegisteredKey> {
    const now = this.now();
    return this.store.transaction(() => {
      const found = this.load(input);
      if ('ok' in found) return { kind: 'refused', refusal: found };
      if (this.store.events.findByIdempotencyKey(input.idempotencyKey)) return { kind: 'duplicate', value: found };
      const at = parseRotatedDate(input.on, now);
      if (!at.ok) return { kind: 'refused', refusal: at };
      const decision = decideMarkRotated(found, at.at, now, input.expectedCycle);
      if (!decision.ok) return { kind: 'refused', refusal: decision };
      this.saveKey(decision.key);
      this.appendKeyEvent(
        'key_rotated',
        input.actor,
        now,
        {
          keyId: found.id,
          label: found.label,
          cycle: decision.key.cycle,
          rotatedAt: decision.key.rotatedAt,
          previousRotatedAt: found.rotatedAt,
          source: input.reminderId === undefined ? 'command' : 'reminder',
        },
        input.idempotencyKey,
      );
      this.redrawReminder(input.reminderId, now);
      return { kind: 'done', value: decision.key };
    });
  }

  /** The reminder's snooze button: quiet for one day; whatever falls due meanwhile comes as one message after. */
  snooze(input: {
    keyId: number;
    expectedCycle: number;
    actor: string;
    idempotencyKey: string;
    reminderId?: number;
  }): KeyOutcome<RegisteredKey> {
    const now = this.now();
    return this.store.transaction(() => {
      const key = this.load({ keyId: input.keyId });
      if ('ok' in key) return { kind: 'refused', refusal: key };
      if (this.store.events.findByIdempotencyKey(input.idempotencyKey)) return { kind: 'duplicate', value: key };
      if (key.cycle !== input.expectedCycle) return refused(refuse('snooze_after_rotation', { label: key.label }));
      if (key.status !== 'active') {
        return refused(refuse('snooze_not_active', { label: key.label, status: key.status }));
      }
      if (key.snoozedUntil !== null && key.snoozedUntil > now) {
        // A second click on snooze must not push the reminder out again.
        return refused(refuse('already_snoozed', { label: key.label, until: key.snoozedUntil }));
      }
      const snoozed = snooze(key, now);
      this.saveKey(snoozed);
      this.appendKeyEvent(
        'reminder_snoozed',
        input.actor,
        now,
        { keyId: key.id, label: key.label, cycle: key.cycle, until: snoozed.snoozedUntil },
        input.idempotencyKey,
      );
      this.redrawReminder(input.reminderId, now);
      return { kind: 'done', value: snoozed };
    });
  }

  /**
   * The tick: keys whose `next_reminder_at` has come (an indexed query), one transaction each. Every stage the
   * message covers is claimed under UNIQUE(key, cycle, stage) with the message itself, so a second bot process
   * on the same database, or a restart, can never post it again.
   */
  runReminders(): number {
    const now = this.now();
    let queued = 0;
    for (const id of this.keys.dueIds(now)) {
      try {
        queued += this.store.transaction(() => this.remindOne(id, now));
      } catch (error) {
        if (isClaimConflict(error)) continue; // another process claimed it first, and posts it
        this.logger.error({ keyId: id, error }, 'reminder for a key failed; the next tick retries');
      }
    }
    return queued;
  }

  /** What a tick at `at` would post, without changing anything (the CLI's `reminders --dry-run`). */
  previewReminders(at: number): ReminderPreview[] {
    const previews: ReminderPreview[] = [];
    for (const key of this.keys.list()) {
      const decision = remindersDue(key, at, this.ladder(key));
      if (decision) previews.push({ key, decision, channelId: this.reminderChannelFor(key) });
    }
    return previews.sort((a, b) => a.decision.fireAt - b.decision.fireAt || a.key.id - b.key.id);
  }

  /**
   * At start: recomputes the schedule only when ROTATION_DAYS or REMINDER_OFFSETS_DAYS differ from the settings it
   * was last computed with. Every other change to a key recomputes its own row when it happens. Returns the number
   * of rows changed, or null when the stored schedule was already current.
   */
  refreshScheduleIfChanged(): number | null {
    const fingerprint = JSON.stringify({ rotationDays: this.rotationDays, offsetsDays: this.offsetsDays });
    return this.store.transaction(() => {
      if (lastMaintenance(this.store.db, 'schedule_settings')?.value === fingerprint) return null;
      const changed = this.refreshSchedule();
      recordMaintenance(this.store.db, 'schedule_settings', fingerprint, this.now());
      return changed;
    });
  }

  /** Recomputes every stored `next_reminder_at`: ROTATION_DAYS or REMINDER_OFFSETS_DAYS may have changed. */
  refreshSchedule(): number {
    return this.store.transaction(() => {
      let changed = 0;
      for (const key of this.keys.list()) {
        const next = nextReminderAt(key, this.ladder(key));
        if (next !== this.keys.nextReminderAt(key.id)) {
          this.keys.update(key, next);
          changed += 1;
        }
      }
      return changed;
    });
  }

  // ----- used inside other use-cases' transactions (rotation, incident hooks) -----

  /** Saves a changed key with its next reminder time recomputed. Call inside a transaction. */
  saveKey(key: RegisteredKey): void {
    this.keys.update(key, nextReminderAt(key, this.ladder(key)));
  }

  /** Adds a key and records it in the KEYS stream. Call inside a transaction. */
  insertKey(
    key: NewRegisteredKey,
    actor: string,
    now: number,
    origin: { source: KeySource } & Record<string, unknown>,
    idempotencyKey: string | null,
  ): RegisteredKey {
    // A new entry has no claims yet: its ladder depends on the row alone.
    const next = nextReminderAt({ ...key, id: 0 }, this.ladderOf(new Set()));
    const id = this.keys.insert(key, next, now);
    this.appendKeyEvent(
      'key_registered',
      actor,
      now,
      {
        keyId: id,
        label: key.label,
        environment: key.environment,
        kind: key.kind,
        mode: key.mode,
        last4: key.last4,
        rotatedAt: key.rotatedAt,
        ownerId: key.ownerId,
        channelId: key.channelId,
        ...origin,
      },
      idempotencyKey,
    );
    return { ...key, id };
  }

  /** Records a status change in the KEYS stream. Call inside a transaction. */
  changeStatus(
    before: RegisteredKey,
    after: RegisteredKey,
    actor: string,
    now: number,
    why: Record<string, unknown>,
  ): void {
    this.saveKey(after);
    this.appendKeyEvent('key_status_changed', actor, now, {
      keyId: before.id,
      label: before.label,
      from: before.status,
      to: after.status,
      ...why,
    });
  }

  /** A compromise incident on a registered key: it leaves the ladder for good. Call inside a transaction. */
  compromise(key: RegisteredKey, actor: string, now: number, why: Record<string, unknown>): RegisteredKey {
    const compromised = markCompromised(key);
    this.changeStatus(key, compromised, actor, now, why);
    return compromised;
  }

  /**
   * Registers a replacement key from outside `keys add` (an incident's redeploy). Null, with nothing written,
   * when the register refuses it (label taken, looks reused): the caller's own change must still go through.
   */
  registerReplacement(
    input: RegisterKeyInput,
    actor: string,
    now: number,
    origin: { source: KeySource } & Record<string, unknown>,
  ): RegisteredKey | null {
    const decision = decideRegisterKey(input, this.keys.list(), now);
    if (!decision.ok) {
      // Only the code: a label that was refused could be anything, a pasted key included.
      this.logger.info({ code: decision.code, ...origin }, 'replacement key not added to the register');
      return null;
    }
    return this.insertKey(decision.key, actor, now, origin, null);
  }

  appendKeyEvent(
    type: EventType,
    actor: string,
    now: number,
    details: Record<string, unknown>,
    idempotencyKey: string | null = null,
  ): void {
    this.store.events.append({ stream: KEYS_STREAM, at: now, actor, type, details }, idempotencyKey);
  }

  // ----- internals -----

  /** One key's reminder, inside the tick's transaction: decide, find its channel, post, reschedule. */
  private remindOne(id: number, now: number): number {
    const key = this.keys.get(id);
    if (!key) return 0;
    const posted = this.reminders.claimedStages(key.id, key.cycle);
    const decision = remindersDue(key, now, this.ladderOf(posted));
    if (!decision) {
      // Stale schedule (changed configuration, a lost race): put the key back where it belongs.
      this.keys.update(key, nextReminderAt(key, this.ladderOf(posted)));
      return 0;
    }
    const channelId = this.channelOrWarn(key, decision);
    if (!channelId) return 0;
    this.postReminder(key, decision, channelId, now);
    const claimed = new Set([...posted, ...decision.claimStages]);
    this.keys.update(key, nextReminderAt(key, this.ladderOf(claimed)));
    return 1;
  }

  /** Where the reminder goes; without a channel it is not claimed, so what was missed arrives later as one message. */
  private channelOrWarn(key: RegisteredKey, decision: ReminderDecision): string | null {
    const channelId = this.reminderChannelFor(key);
    if (channelId) return channelId;
    const warning = reminderId(key.id, key.cycle, decision.stage);
    if (!this.warned.has(warning)) {
      this.warned.add(warning);
      this.logger.warn(
        { keyId: key.id, label: key.label, stage: decision.stage },
        'rotation reminder skipped: the key has no channel and REMINDER_CHANNEL is empty',
      );
    }
    return null;
  }

  /** Claims the stages the message covers, records it (`REM-n`) in the KEYS stream and queues its card. */
  private postReminder(key: RegisteredKey, decision: ReminderDecision, channelId: string, now: number): void {
    const reminder = this.reminders.insertClaimed(
      {
        keyId: key.id,
        cycle: key.cycle,
        stage: decision.stage,
        kind: decision.kind,
        dueAt: decision.dueAt,
        overdueDays: decision.overdueDays,
        skipped: decision.skipped,
        channelId,
        decidedAt: now,
      },
      decision.claimStages,
    );
    const identity = `reminder:${reminderId(key.id, key.cycle, decision.stage)}`;
    this.appendKeyEvent(
      'reminder_posted',
      BOT_ACTOR,
      now,
      {
        keyId: key.id,
        label: key.label,
        cycle: key.cycle,
        stage: decision.stage,
        coalesced: decision.coalesced,
        skipped: decision.skipped,
        channelId,
        reminder: reminderRef(reminder),
      },
      identity,
    );
    this.store.outbox.enqueue(
      { channelId, kind: 'card', subject: reminderRef(reminder), payload: {}, dedupeKey: identity },
      now,
    );
  }

  /** Queues a redraw of a reminder message someone acted on. Call inside a transaction. */
  redrawReminder(reminderId: number | undefined, now: number): void {
    if (reminderId === undefined) return;
    const reminder = this.reminders.get(reminderId);
    if (!reminder) return;
    this.store.outbox.enqueue(
      { channelId: reminder.channelId, kind: 'card', subject: reminderRef(reminder.id), payload: {} },
      now,
    );
  }

  /** The key a payload names; a label is validated before it is looked up or repeated (it could be a pasted key). */
  private load(input: { keyId?: number; label?: string }): RegisteredKey | Refusal {
    if (input.keyId !== undefined) {
      return this.keys.get(input.keyId) ?? refuse('key_gone', { label: null });
    }
    const label = validateKeyLabel(input.label ?? '');
    if (!label.ok) return label;
    return this.keys.findByLabel(label.label) ?? refuse('key_not_found', { label: label.label });
  }

  private ladder(key: RegisteredKey): LadderOptions {
    return this.ladderOf(this.reminders.claimedStages(key.id, key.cycle));
  }

  private ladderOf(alreadyPosted: ReadonlySet<string>): LadderOptions {
    return { rotationDays: this.rotationDays, offsetsDays: this.offsetsDays, alreadyPosted };
  }
}
