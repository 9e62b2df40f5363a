import { type ChainVerdict, hashMatches, type RecordKey, verifyChain } from './event-chain';
import type { TimelineEvent } from './types';

/** The stored position of the first event verifyChain refuses: a prefix of a broken chain verifies until it. */
function firstBadIndex(stream: string, events: readonly TimelineEvent[], key: RecordKey): number {
  let ok = 0;
  let broken = events.length;
  while (broken - ok > 1) {
    const middle = Math.floor((ok + broken) / 2);
    if (verifyChain(stream, events.slice(0, middle), key).ok) ok = middle;
    else broken = middle;
  }
  return broken - 1;
}

/** The seq an intact event was recorded under, when its hash proves it has been renumbered since. */
function recordedSeq(event: TimelineEvent, limit: number, key: RecordKey): number | null {
  for (let seq = 1; seq <= limit; seq += 1) {
    if (seq !== event.seq && hashMatches({ ...event, seq }, event.hash, key) === true) return seq;
  }
  return null;
}

/**
 * verifyChain names the first stored row that does not fit. A forger who slips an event into the middle gives
 * it a valid hash and shifts the later rows' seq to make room, so the first row that does not fit is the
 * original event after the forgery. Its hash still verifies under the seq it was recorded with, which proves
 * the renumbering: the first bad event is then the one that took its number. Any other renumbered row is
 * named as such in the message.
 */
export function verifyStoredChain(
  stream: string,
  events: readonly TimelineEvent[],
  key: RecordKey = null,
): ChainVerdict {
  return explainChainBreak(stream, events, verifyChain(stream, events, key), key);
}

export function explainChainBreak(
  stream: string,
  events: readonly TimelineEvent[],
  verdict: ChainVerdict,
  key: RecordKey = null,
): ChainVerdict {
  if (verdict.ok || (verdict.firstBad.problem !== 'broken_link' && verdict.firstBad.problem !== 'sequence_gap')) {
    return verdict;
  }
  const event = events[firstBadIndex(stream, events, key)];
  if (!event) return verdict;
  const original = recordedSeq(event, events.length + event.seq, key);
  if (original === null) return verdict;
  const explain = (seq: number, message: string): ChainVerdict => ({
    ...verdict,
    firstBad: { seq, problem: 'sequence_gap', message },
  });
  if (original < event.seq && events.some((other) => other.stream === stream && other.seq === original)) {
    return explain(
      original,
      `event ${original} is not the one recorded as ${original} (that one is now numbered ${event.seq}): it was inserted after the fact`,
    );
  }
  return explain(
    event.seq,
    `event ${event.seq} was recorded as ${original}: events were ${original < event.seq ? 'renumbered' : 'removed, reordered or renumbered'}`,
  );
}
