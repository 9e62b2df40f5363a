import type { Database, Statement } from 'better-sqlite3';
import { BotError } from '../domain/bot-error';
import { chainEvent, isKeyed, type RecordKey } from '../domain/event-chain';
import { detailsProblem } from '../domain/events/event-schemas';
import { maskKeyShapesDeep } from '../domain/key-detector';
import type { EventType, NewEvent, TimelineEvent } from '../domain/types';

interface EventRow {
  stream: string;
  seq: number;
  at: number;
  actor: string;
  type: string;
  details: string;
  prev_hash: string;
  hash: string;
}

function toEvent(row: EventRow): TimelineEvent {
  return {
    stream: row.stream,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    type: row.type as EventType,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A process without RECORD_KEY tried to add to a keyed record: refused, so the chain stays verifiable. */
export class RecordKeyMissingError extends BotError {
  constructor(stream: string) {
    super(
      'record_key_missing',
      `${stream} is keyed with RECORD_KEY, which this process does not have: nothing was recorded. Set RECORD_KEY to the bot's record key.`,
    );
  }
}

/** The append-only, hash-chained event log. Call `append` inside the transaction that makes the change it records. */
export class EventLog {
  private readonly lastOfStream: Statement<{ stream: string }, EventRow>;
  private readonly insert: Statement;
  private readonly byKey: Statement<{ key: string }, EventRow>;
  private readonly ofStream: Statement<{ stream: string }, EventRow>;
  private readonly streams: Statement<[], { stream: string }>;
  private readonly one: Statement<{ stream: string; seq: number }, EventRow>;
  private readonly anyKeyed: Statement<[], { one: number }>;

  constructor(
    db: Database,
    /** RECORD_KEY: with it, every new event is keyed (decision 004). */
    readonly recordKey: RecordKey = null,
  ) {
    this.lastOfStream = db.prepare('SELECT * FROM events WHERE stream = @stream ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      `INSERT INTO events (stream, seq, at, actor, type, details, prev_hash, hash, idempotency_key)
       VALUES (@stream, @seq, @at, @actor, @type, @details, @prevHash, @hash, @idempotencyKey)`,
    );
    this.byKey = db.prepare('SELECT * FROM events WHERE idempotency_key = @key');
    // Stored order (rowid), not seq order: verification must see rows where they physically are.
    this.ofStream = db.prepare('SELECT * FROM events WHERE stream = @stream ORDER BY id');
    this.streams = db.prepare('SELECT DISTINCT stream FROM events ORDER BY stream');
    this.one = db.prepare('SELECT * FROM events WHERE stream = @stream AND seq = @seq');
    this.anyKeyed = db.prepare("SELECT 1 AS one FROM events WHERE substr(hash, 1, 3) = 'k1:' LIMIT 1");
  }

  /**
   * Seals the event onto its stream. Details that do not fit their type's schema are a bug in the writer: they are
   * refused here, inside the caller's transaction, so nothing of the change is kept.
   */
  append(event: NewEvent, idempotencyKey: string | null = null): TimelineEvent {
    const problem = detailsProblem(event.type, event.details);
    if (problem !== null) throw new Error(`${event.type} event on ${event.stream} not recorded: ${problem}`);
    const last = this.lastOfStream.get({ stream: event.stream });
    // An unkeyed event after a keyed one reads as a stream rebuilt without the key: refused, whoever writes.
    if (!this.recordKey && last && isKeyed(last.hash)) throw new RecordKeyMissingError(event.stream);
    // Masked before it is hashed: the database guard would mask it anyway, after the hash, and break the chain.
    const sealed = chainEvent(maskKeyShapesDeep(event), last ? toEvent(last) : null, this.recordKey);
    this.insert.run({ ...sealed, details: JSON.stringify(sealed.details), idempotencyKey });
    return sealed;
  }

  /** The event a payload already produced, if it did: Slack retries and double clicks land here. */
  findByIdempotencyKey(key: string): TimelineEvent | null {
    const row = this.byKey.get({ key });
    return row ? toEvent(row) : null;
  }

  stream(stream: string): TimelineEvent[] {
    return this.ofStream.all({ stream }).map(toEvent);
  }

  get(stream: string, seq: number): TimelineEvent | null {
    const row = this.one.get({ stream, seq });
    return row ? toEvent(row) : null;
  }

  /** Whether any stream is keyed: a process without RECORD_KEY must then not write to this database. */
  hasKeyedEvents(): boolean {
    return this.anyKeyed.get() !== undefined;
  }

  head(stream: string): TimelineEvent | null {
    const row = this.lastOfStream.get({ stream });
    return row ? toEvent(row) : null;
  }

  /**
   * With the record key, appends a `record_keyed` marker to every stream whose newest event is not keyed, so the
   * legacy part of an existing database verifies as before and the keyed part starts here. Returns the streams.
   */
  sealLegacyStreams(at: number): string[] {
    if (!this.recordKey) return [];
    const sealed: string[] = [];
    for (const stream of this.allStreams()) {
      const head = this.head(stream);
      if (!head || isKeyed(head.hash)) continue;
      this.append({
        stream,
        at,
        actor: 'bot',
        type: 'record_keyed',
        details: { legacyEvents: head.seq, legacyHead: head.hash },
      });
      sealed.push(stream);
    }
    return sealed;
  }

  allStreams(): string[] {
    return this.streams.all().map((row) => row.stream);
  }
}
