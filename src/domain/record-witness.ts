import type { ChainVerdict } from './event-chain';
import type { TimelineEvent } from './types';

/** A stream's event count and head as seen at some moment, kept where the database cannot reach it. */
export interface Witness {
  stream: string;
  count: number;
  head: string;
}

/**
 * A chain cut short at its end, or rebuilt, still verifies on its own; a witness kept outside the database
 * (an export file, the card's metadata) does not move with it. The stream must still hold the witnessed event,
 * unchanged, at the witnessed position: events recorded since are fine, fewer or different ones are not.
 */
export function checkAgainstWitness(
  events: readonly TimelineEvent[],
  witness: Witness,
  chain: ChainVerdict,
): ChainVerdict {
  if (!chain.ok) return chain;
  const atWitness = events.find((event) => event.seq === witness.count);
  const bad = (seq: number, message: string): ChainVerdict => ({
    ok: false,
    count: chain.count,
    head: chain.head,
    firstBad: { seq, problem: 'witness_mismatch', message },
  });
  if (!atWitness) {
    return bad(
      chain.count + 1,
      `the witness saw ${witness.count} events in ${witness.stream} but the database has ${chain.count}: events from ${chain.count + 1} on were removed`,
    );
  }
  if (atWitness.hash !== witness.head) {
    return bad(
      witness.count,
      `event ${witness.count} of ${witness.stream} is not the one the witness saw (head ${witness.head}): the stream was rebuilt`,
    );
  }
  return chain;
}

/** The witness in an export file (JSON: `incident.id`, `integrity.eventCount`, `integrity.chainHead`). */
export function witnessFromExport(json: unknown): Witness | null {
  const file = json as { incident?: { id?: unknown }; integrity?: { eventCount?: unknown; chainHead?: unknown } };
  const stream = file?.incident?.id;
  const count = file?.integrity?.eventCount;
  const head = file?.integrity?.chainHead;
  if (typeof stream !== 'string' || !/^INC-\d{1,9}$/.test(stream)) return null;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || typeof head !== 'string') return null;
  return { stream, count, head };
}
