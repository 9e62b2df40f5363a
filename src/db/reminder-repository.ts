import type { Database, Statement } from 'better-sqlite3';
import type { ReminderKind, ReminderStage } from '../domain/keys/reminder-ladder';

/** A reminder message: what was decided at `decidedAt`, drawn again from this row whenever it is (re)rendered. */
export interface ReminderRecord {
  id: number;
  keyId: number;
  cycle: number;
  stage: ReminderStage;
  kind: ReminderKind;
  dueAt: number;
  overdueDays: number;
  /** Earlier stages folded into this message (missed while the bot was down, or during a snooze). */
  skipped: ReminderStage[];
  channelId: string;
  decidedAt: number;
  cardTs: string | null;
}

export type NewReminder = Omit<ReminderRecord, 'id' | 'cardTs'>;

interface ReminderRow {
  id: number;
  key_id: number;
  cycle: number;
  stage: ReminderStage;
  kind: ReminderKind;
  due_at: number;
  overdue_days: number;
  skipped: string;
  channel_id: string;
  decided_at: number;
  card_ts: string | null;
}

const toRecord = (row: ReminderRow): ReminderRecord => ({
  id: row.id,
  keyId: row.key_id,
  cycle: row.cycle,
  stage: row.stage,
  kind: row.kind,
  dueAt: row.due_at,
  overdueDays: row.overdue_days,
  skipped: JSON.parse(row.skipped) as ReminderStage[],
  channelId: row.channel_id,
  decidedAt: row.decided_at,
  cardTs: row.card_ts,
});

/** Reminder messages and the ladder stages they claimed. */
export class ReminderRepository {
  private readonly insertRow: Statement;
  private readonly claimRow: Statement;
  private readonly claimsOf: Statement<{ keyId: number; cycle: number }, { stage: string }>;
  private readonly byId: Statement<{ id: number }, ReminderRow>;
  private readonly cardTs: Statement;
  private readonly ofKey: Statement<{ keyId: number }, ReminderRow>;

  constructor(db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO reminders (key_id, cycle, stage, kind, due_at, overdue_days, skipped, channel_id, decided_at)
       VALUES (@keyId, @cycle, @stage, @kind, @dueAt, @overdueDays, @skipped, @channelId, @decidedAt)`,
    );
    // A plain INSERT on purpose: a stage someone else already claimed must fail the whole transaction.
    this.claimRow = db.prepare(
      'INSERT INTO reminder_claims (key_id, cycle, stage, reminder_id) VALUES (@keyId, @cycle, @stage, @reminderId)',
    );
    this.claimsOf = db.prepare('SELECT stage FROM reminder_claims WHERE key_id = @keyId AND cycle = @cycle');
    this.byId = db.prepare('SELECT * FROM reminders WHERE id = @id');
    this.cardTs = db.prepare('UPDATE reminders SET card_ts = @ts WHERE id = @id');
    this.ofKey = db.prepare('SELECT * FROM reminders WHERE key_id = @keyId ORDER BY id');
  }

  /** Stages of a key's cycle already claimed (posted, or folded into a posted message). */
  claimedStages(keyId: number, cycle: number): Set<string> {
    return new Set(this.claimsOf.all({ keyId, cycle }).map((row) => row.stage));
  }

  /**
   * Records the message and claims every stage it covers. Throws a UNIQUE/PRIMARY KEY constraint error when any
   * stage was claimed already: call inside the transaction that enqueues the message, so the loser rolls back.
   */
  insertClaimed(reminder: NewReminder, claimStages: readonly string[]): number {
    const id = Number(this.insertRow.run({ ...reminder, skipped: JSON.stringify(reminder.skipped) }).lastInsertRowid);
    for (const stage of claimStages) {
      this.claimRow.run({ keyId: reminder.keyId, cycle: reminder.cycle, stage, reminderId: id });
    }
    return id;
  }

  get(id: number): ReminderRecord | null {
    const row = this.byId.get({ id });
    return row ? toRecord(row) : null;
  }

  ofKeyId(keyId: number): ReminderRecord[] {
    return this.ofKey.all({ keyId }).map(toRecord);
  }

  setCardTs(id: number, ts: string): void {
    this.cardTs.run({ id, ts });
  }
}

/** True for the error a lost claim race raises. */
export function isClaimConflict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
