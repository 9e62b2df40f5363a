import type { Database, Statement } from 'better-sqlite3';

/** `task`: a Slack call that is not a message (create a room, invite, set a topic), in order with the messages. */
export type OutboxKind = 'card' | 'thread' | 'post' | 'file' | 'task';

export interface OutboxItem {
  id: number;
  channelId: string;
  kind: OutboxKind;
  subject: string;
  payload: Record<string, unknown>;
  createdAt: number;
  attempts: number;
  notBefore: number;
  /** The last send's outcome: `error:<code>` after a failure. */
  lastResult: string | null;
  /** Set while a process is sending it; still set after that process died mid-send. */
  leaseOwner: string | null;
}

export interface NewOutboxItem {
  channelId: string;
  kind: OutboxKind;
  subject: string;
  payload: Record<string, unknown>;
  /** Set where the same message could be owed twice (a nudge, a reminder): the second enqueue is ignored. */
  dedupeKey?: string;
}

interface OutboxRow {
  id: number;
  channel_id: string;
  kind: OutboxKind;
  subject: string;
  payload: string;
  created_at: number;
  attempts: number;
  not_before: number;
  result: string | null;
  lease_owner: string | null;
}

const toItem = (row: OutboxRow): OutboxItem => ({
  id: row.id,
  channelId: row.channel_id,
  kind: row.kind,
  subject: row.subject,
  payload: JSON.parse(row.payload) as Record<string, unknown>,
  createdAt: row.created_at,
  attempts: row.attempts,
  notBefore: row.not_before,
  lastResult: row.result,
  leaseOwner: row.lease_owner,
});

/** Slack messages owed. Enqueued inside the transaction of the change they report; sent after it commits. */
export class OutboxRepository {
  private readonly insert: Statement;
  private readonly pending: Statement<[], OutboxRow>;
  private readonly sent: Statement;
  private readonly retryLater: Statement;
  private readonly claimRow: Statement;
  private readonly coalesceCards: Statement;
  private readonly lastCard: Statement<{ subject: string }, { id: number | null }>;
  private readonly pendingCount: Statement<[], { n: number }>;
  private readonly earliest: Statement<[], { at: number | null }>;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO outbox (channel_id, kind, subject, payload, created_at, not_before, dedupe_key)
       VALUES (@channelId, @kind, @subject, @payload, @now, @now, @dedupeKey)
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    this.pending = db.prepare('SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id');
    this.sent = db.prepare(
      'UPDATE outbox SET sent_at = @now, result = @result, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = @id',
    );
    this.retryLater = db.prepare(
      'UPDATE outbox SET attempts = attempts + 1, not_before = @notBefore, result = @result, lease_owner = NULL, lease_until = NULL WHERE id = @id',
    );
    this.claimRow = db.prepare(
      `UPDATE outbox SET lease_owner = @owner, lease_until = @until
       WHERE id = @id AND sent_at IS NULL AND (lease_until IS NULL OR lease_until < @now OR lease_owner = @owner)`,
    );
    this.coalesceCards = db.prepare(
      `UPDATE outbox SET sent_at = @now, result = 'coalesced', lease_owner = NULL, lease_until = NULL
       WHERE kind = 'card' AND subject = @subject AND sent_at IS NULL AND id <= @upTo AND id <> @except`,
    );
    this.lastCard = db.prepare(
      "SELECT max(id) AS id FROM outbox WHERE kind = 'card' AND subject = @subject AND sent_at IS NULL",
    );
    this.pendingCount = db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
    this.earliest = db.prepare('SELECT min(not_before) AS at FROM outbox WHERE sent_at IS NULL');
  }

  enqueue(item: NewOutboxItem, now: number): void {
    this.insert.run({
      channelId: item.channelId,
      kind: item.kind,
      subject: item.subject,
      payload: JSON.stringify(item.payload),
      now,
      dedupeKey: item.dedupeKey ?? null,
    });
  }

  /** Everything not yet sent, oldest first: the sender keeps each channel in this order. */
  listPending(): OutboxItem[] {
    return this.pending.all().map(toItem);
  }

  /**
   * Takes a lease on an item before sending it, so a second bot process on the same database leaves it alone.
   * A crash mid-send lets the lease lapse and the item is sent again: the one documented duplicate window.
   */
  claim(id: number, owner: string, now: number, leaseMs: number): boolean {
    return this.claimRow.run({ id, owner, now, until: now + leaseMs }).changes === 1;
  }

  /** The newest pending card refresh of a subject: one render covers every refresh owed up to it. */
  lastPendingCard(subject: string): number | null {
    return this.lastCard.get({ subject })?.id ?? null;
  }

  /** Marks the card refreshes a render already covered. */
  coalesceCardsUpTo(subject: string, upTo: number, except: number, now: number): void {
    this.coalesceCards.run({ subject, upTo, except, now });
  }

  markSent(id: number, now: number, result: string): void {
    this.sent.run({ id, now, result });
  }

  markRetry(id: number, notBefore: number, error: string): void {
    this.retryLater.run({ id, notBefore, result: `error:${error}` });
  }

  countPending(): number {
    return this.pendingCount.get()?.n ?? 0;
  }

  earliestPendingAt(): number | null {
    return this.earliest.get()?.at ?? null;
  }
}
