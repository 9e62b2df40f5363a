import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NewEvent, TimelineEvent } from './types';

/** The hash a stream's first event points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same event always hashes the same. */
// Written as plain loops: verifying a 10,000-event stream calls this for every event and every nested value, and the
// arrays and closures of entries/filter/sort/map were most of an export's chain check.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      // As Array.prototype.join would: an `undefined` (JSON.stringify gives none back) leaves an empty slot.
      out += `${i > 0 ? ',' : ''}${canonicalJson(value[i]) ?? ''}`;
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does on strings.
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const inner = object[key];
    if (inner === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(inner)}`;
  }
  return `${out}}`;
}

/**
 * A JSON value with object keys sorted at every depth, as a value: `JSON.stringify` of it writes what
 * `canonicalJson` writes, without writing and parsing the text in between. Objects have no prototype, so a key
 * named `__proto__` stays a key, as `JSON.parse` keeps it.
 */
export function withSortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withSortedKeys);
  const object = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(object).sort()) {
    const inner = object[key];
    if (inner !== undefined) sorted[key] = withSortedKeys(inner);
  }
  return sorted;
}

/**
 * The key of the keyed chain (RECORD_KEY), held outside the database. With it, each event's hash is an HMAC, so
 * someone who can write the database file but not read the bot's environment cannot rebuild a stream
 * (decision 004). Without it, hashes are plain SHA-256: the legacy form, which verifies as before.
 */
export type RecordKey = Uint8Array | null;

/** Keyed hashes carry this prefix, so the verifier knows which events the key must check. */
export const KEYED_PREFIX = 'k1:';

// The event's fields in the order canonicalJson sorts them: what canonicalJson({ stream, seq, at, … }) writes,
// without sorting the same seven names again for every event of a stream (test/domain/canonical-json.test.ts).
const EVENT_FIELDS = ['actor', 'at', 'details', 'prevHash', 'seq', 'stream', 'type'] as const;

function canonicalOf(event: Omit<TimelineEvent, 'hash'>): string {
  let out = '{';
  for (const field of EVENT_FIELDS) {
    const value = event[field];
    if (value === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}"${field}":${canonicalJson(value)}`;
  }
  return `${out}}`;
}

/** SHA-256 over the previous hash and the event's canonical form: editing, dropping or moving a row breaks the chain. */
export function eventHash(event: Omit<TimelineEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalOf(event)).digest('hex');
}

/** HMAC-SHA256 with the record key over the same canonical form. */
export function keyedEventHash(event: Omit<TimelineEvent, 'hash'>, key: Uint8Array): string {
  return KEYED_PREFIX + createHmac('sha256', key).update(canonicalOf(event)).digest('hex');
}

export function isKeyed(hash: string): boolean {
  return hash.startsWith(KEYED_PREFIX);
}

/** Whether `hash` is the one `event` should carry under the algorithm the hash names; keyed needs the key. */
export function hashMatches(event: Omit<TimelineEvent, 'hash'>, hash: string, key: RecordKey): boolean | 'no_key' {
  if (!isKeyed(hash)) return eventHash(event) === hash;
  if (!key) return 'no_key';
  const expected = Buffer.from(keyedEventHash(event, key));
  const given = Buffer.from(hash);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Seals a new event onto the end of its stream: keyed when the record key is given. */
export function chainEvent(
  event: NewEvent,
  previous: Pick<TimelineEvent, 'seq' | 'hash'> | null,
  key: RecordKey = null,
): TimelineEvent {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  const unsealed = { ...event, seq, prevHash };
  return { ...unsealed, hash: key ? keyedEventHash(unsealed, key) : eventHash(unsealed) };
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

/**
 * Walks one stream's events in stored order and names the first one that does not fit. With the record key, a
 * stream must be keyed: legacy (unkeyed) events may only come before its first keyed event (the marker a keyed
 * bot appends to a stream it found unkeyed), so a stream rebuilt with plain SHA-256 fails at its first event.
 */
export function verifyChain(stream: string, events: readonly TimelineEvent[], key: RecordKey = null): ChainVerdict {
  let previous: TimelineEvent | null = null;
  const head = events.at(-1)?.hash ?? GENESIS_HASH;
  const keyedFrom = key ? events.findIndex((event) => isKeyed(event.hash)) : -1;
  for (const [index, event] of events.entries()) {
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
    if (key && !isKeyed(event.hash) && (keyedFrom === -1 || index > keyedFrom)) {
      return bad(
        'not_keyed',
        `event ${event.seq} is not keyed with RECORD_KEY${keyedFrom === -1 ? ' and no keyed event follows it' : ' but follows a keyed event'}: the stream was rebuilt without the key`,
      );
    }
    const matches = hashMatches(event, event.hash, key);
    if (matches === 'no_key') {
      return bad('not_keyed', `event ${event.seq} is keyed: set RECORD_KEY to the bot's record key to verify it`);
    }
    if (!matches) return bad('hash_mismatch', `event ${event.seq} was altered after it was recorded`);
    previous = event;
  }
  return { ok: true, count: events.length, head };
}
