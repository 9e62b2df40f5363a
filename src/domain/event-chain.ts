import { createHash } from 'node:crypto';
import type { NewEvent, TimelineEvent } from './types';

/** The hash a stream's first event points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 over the previous hash and the event's canonical form: editing, dropping or moving a row breaks the chain. */
export function eventHash(event: Omit<TimelineEvent, 'hash'>): string {
  const canonical = canonicalJson({
    stream: event.stream,
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    type: event.type,
    details: event.details,
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Seals a new event onto the end of its stream. */
export function chainEvent(event: NewEvent, previous: Pick<TimelineEvent, 'seq' | 'hash'> | null): TimelineEvent {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  const unsealed = { ...event, seq, prevHash };
  return { ...unsealed, hash: eventHash(unsealed) };
}

export type ChainProblem =
  | 'hash_mismatch'
  | 'broken_link'
  | 'sequence_gap'
  | 'wrong_stream'
  /** A row outside the chain (the incident) states something its chained events do not. */
  | 'row_mismatch'
  /** The stream ends before a witness kept outside the database says it did, or holds a different event there. */
  | 'witness_mismatch'
  /** An event that is not keyed where the record key requires it (rebuilt without the key). */
  | 'not_keyed';

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; head: string; firstBad: { seq: number; problem: ChainProblem; message: string } };

/** Walks one stream's events in stored order and names the first one that does not fit. */
export function verifyChain(stream: string, events: readonly TimelineEvent[]): ChainVerdict {
  let previous: TimelineEvent | null = null;
  const head = events.at(-1)?.hash ?? GENESIS_HASH;
  for (const event of events) {
    const expectedSeq = previous ? previous.seq + 1 : 1;
    const bad = (problem: ChainProblem, message: string): ChainVerdict => ({
      ok: false,
      count: events.length,
      head,
      firstBad: { seq: event.seq, problem, message },
    });
    if (event.stream !== stream) return bad('wrong_stream', `event ${event.seq} belongs to ${event.stream}`);
    if (event.seq !== expectedSeq) {
      return bad('sequence_gap', `event ${event.seq} follows event ${previous?.seq ?? 0}: expected ${expectedSeq}`);
    }
    if (event.prevHash !== (previous ? previous.hash : GENESIS_HASH)) {
      return bad('broken_link', `event ${event.seq} does not point at the hash of event ${previous?.seq ?? 0}`);
    }
    if (eventHash(event) !== event.hash) {
      return bad('hash_mismatch', `event ${event.seq} was altered after it was recorded`);
    }
    previous = event;
  }
  return { ok: true, count: events.length, head };
}
