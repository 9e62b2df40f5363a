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
  /**
   * A thread reply that makes an earlier one of the same kind pointless (the newest nudge): an earlier one about the
   * same subject that Slack has not taken yet is dropped as `superseded` instead of being sent late.
   */
  replaces?: string;
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
  private readonly sent: Statement;
  private readonly retryLater: Statement;
  private readonly claimRow: Statement;
  private readonly coalesceCards: Statement;
  private readonly lastCard: Statement<{ subject: string }, { id: number | null }>;
  private readonly pendingCount: Statement<[], { n: number }>;
  private readonly earliest: Statement<{ owner: string }, { at: number | null }>;
  private readonly heads: Statement<{ now: number }, OutboxRow>;
  private readonly insertCard: Statement;
  private readonly supersede: Statement;

  constructor(db: Database) {
    this.insert = db.prepare(
      `INSERT INTO outbox (channel_id, kind, subject, payload, created_at, not_before, dedupe_key)
       VALUES (@channelId, @kind, @subject, @payload, @now, @now, @dedupeKey)
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    // A card refresh is drawn from the state at send time, so one still waiting (not in flight) covers any later
    // change: a second one is not queued. A card being sent now may have been drawn already, so it does not count.
    this.insertCard = db.prepare(
      `INSERT INTO outbox (channel_id, kind, subject, payload, created_at, not_before, dedupe_key)
       SELECT @channelId, 'card', @subject, @payload, @now, @now, @dedupeKey
       WHERE NOT EXISTS (
         SELECT 1 FROM outbox WHERE sent_at IS NULL AND channel_id = @channelId AND kind = 'card'
           AND subject = @subject AND (lease_until IS NULL OR lease_until < @now))
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    this.supersede = db.prepare(
      `UPDATE outbox SET sent_at = @now, result = 'superseded', lease_owner = NULL, lease_until = NULL
       WHERE sent_at IS NULL AND channel_id = @channelId AND kind = 'thread' AND subject = @subject
         AND (lease_until IS NULL OR lease_until < @now) AND json_extract(payload, '$.replaces') = @replaces`,
    );
    // Each channel's oldest unsent message: the only one of the channel that may be sent now (order per channel).
    this.heads = db.prepare(
      `SELECT o.* FROM outbox o
       JOIN (SELECT min(id) AS id FROM outbox WHERE sent_at IS NULL GROUP BY channel_id) head ON head.id = o.id
       WHERE o.not_before <= @now ORDER BY o.id`,
    );
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
    // Only a channel's head can be sent, so the messages queued behind it do not make the sender wake up; nor does
    // a head another process holds a lease on, before that lease ends.
    this.earliest = db.prepare(
      `SELECT min(CASE WHEN o.lease_owner IS NOT NULL AND o.lease_owner <> @owner
                       THEN max(o.not_before, coalesce(o.lease_until, 0)) ELSE o.not_before END) AS at
       FROM outbox o
       JOIN (SELECT min(id) AS id FROM outbox WHERE sent_at IS NULL GROUP BY channel_id) head ON head.id = o.id`,
    );
  }

  enqueue(item: NewOutboxItem, now: number): void {
    const payload = JSON.stringify(item.replaces ? { ...item.payload, replaces: item.replaces } : item.payload);
    const row = { channelId: item.channelId, subject: item.subject, payload, now, dedupeKey: item.dedupeKey ?? null };
    if (item.kind === 'card') {
      this.insertCard.run(row);
      return;
    }
    if (item.replaces) {
      this.supersede.run({ channelId: item.channelId, subject: item.subject, replaces: item.replaces, now });
    }
    this.insert.run({ ...row, kind: item.kind });
  }

  /** The messages that may be sent now: each channel's oldest unsent one, when its time has come. Oldest first. */
  dueHeads(now: number): OutboxItem[] {
    return this.heads.all({ now }).map(toItem);
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

  /** When the next message could be sent (a channel's head comes due, or another process's lease on it ends). */
  earliestPendingAt(owner = ''): number | null {
    return this.earliest.get({ owner })?.at ?? null;
  }
}
