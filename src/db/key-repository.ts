import type { Database, Statement } from 'better-sqlite3';
import type { KeyKind, KeyStatus, NewRegisteredKey, RegisteredKey } from '../domain/keys/registered-key';
import type { Environment } from '../domain/types';

interface KeyRow {
  id: number;
  label: string;
  environment: Environment;
  kind: KeyKind;
  mode: RegisteredKey['mode'];
  last4: string | null;
  rotated_at: number;
  owner_id: string | null;
  channel_id: string | null;
  status: KeyStatus;
  cycle: number;
  snoozed_until: number | null;
  next_reminder_at: number | null;
  created_at: number;
}

const toKey = (row: KeyRow): RegisteredKey => ({
  id: row.id,
  label: row.label,
  environment: row.environment,
  kind: row.kind,
  mode: row.mode,
  last4: row.last4,
  rotatedAt: row.rotated_at,
  ownerId: row.owner_id,
  channelId: row.channel_id,
  status: row.status,
  cycle: row.cycle,
  snoozedUntil: row.snoozed_until,
});

/** The key register: the one place rows become RegisteredKeys. */
export class KeyRepository {
  private readonly insertRow: Statement;
  private readonly updateRow: Statement;
  private readonly byId: Statement<{ id: number }, KeyRow>;
  private readonly byLabel: Statement<{ label: string }, KeyRow>;
  private readonly all: Statement<[], KeyRow>;
  private readonly due: Statement<{ now: number }, { id: number }>;
  private readonly nextAt: Statement<{ id: number }, { next_reminder_at: number | null }>;

  constructor(db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO keys (label, environment, kind, mode, last4, rotated_at, owner_id, channel_id, status, cycle,
                         snoozed_until, next_reminder_at, created_at)
       VALUES (@label, @environment, @kind, @mode, @last4, @rotatedAt, @ownerId, @channelId, @status, @cycle,
               @snoozedUntil, @nextReminderAt, @createdAt)`,
    );
    // Label, environment, kind and mode never change: a different key is a new entry.
    this.updateRow = db.prepare(
      `UPDATE keys SET last4 = @last4, rotated_at = @rotatedAt, owner_id = @ownerId, channel_id = @channelId,
                       status = @status, cycle = @cycle, snoozed_until = @snoozedUntil,
                       next_reminder_at = @nextReminderAt
       WHERE id = @id`,
    );
    this.byId = db.prepare('SELECT * FROM keys WHERE id = @id');
    this.byLabel = db.prepare('SELECT * FROM keys WHERE label = @label');
    this.all = db.prepare('SELECT * FROM keys ORDER BY id');
    this.due = db.prepare('SELECT id FROM keys WHERE next_reminder_at <= @now ORDER BY next_reminder_at, id');
    this.nextAt = db.prepare('SELECT next_reminder_at FROM keys WHERE id = @id');
  }

  insert(key: NewRegisteredKey, nextReminderAt: number | null, createdAt: number): number {
    return Number(this.insertRow.run({ ...key, nextReminderAt, createdAt }).lastInsertRowid);
  }

  update(key: RegisteredKey, nextReminderAt: number | null): void {
    this.updateRow.run({ ...key, nextReminderAt });
  }

  get(id: number): RegisteredKey | null {
    const row = this.byId.get({ id });
    return row ? toKey(row) : null;
  }

  /** Labels compare without regard to case (the column's collation). */
  findByLabel(label: string): RegisteredKey | null {
    const row = this.byLabel.get({ label });
    return row ? toKey(row) : null;
  }

  list(): RegisteredKey[] {
    return this.all.all().map(toKey);
  }

  /** Keys whose ladder has something to say at `now`, earliest first (the tick's indexed query). */
  dueIds(now: number): number[] {
    return this.due.all({ now }).map((row) => row.id);
  }

  nextReminderAt(id: number): number | null {
    return this.nextAt.get({ id })?.next_reminder_at ?? null;
  }
}
