import { describe, expect, it } from 'vitest';
import { explainChainBreak, verifyStoredChain } from '../../src/domain/chain-forensics';
import { chainEvent, verifyChain } from '../../src/domain/event-chain';
import type { TimelineEvent } from '../../src/domain/types';
import { ANA, chain } from '../fixtures/timeline/build-incident';

const STREAM = 'INC-1';
const T = Date.UTC(2026, 10, 28, 9, 0, 0);

function record(): TimelineEvent[] {
  return chain(
    STREAM,
    [1, 2, 3, 4, 5].map((n) => ({
      at: T + n * 60_000,
      actor: ANA,
      type: 'note_added' as const,
      details: { text: `note ${n}` },
    })),
  );
}

/** What a forger does to put a note between events 2 and 3: a valid event 3, later rows shifted up one seq. */
function forgeInsertAfter2(events: TimelineEvent[]): { forged: TimelineEvent; shifted: TimelineEvent[] } {
  const forged = chainEvent(
    { stream: STREAM, at: T + 150_000, actor: ANA, type: 'note_added', details: { text: 'forged' } },
    events[1] ?? null,
  );
  const shifted = events.slice(2).map((event) => ({ ...event, seq: event.seq + 1 }));
  return { forged, shifted };
}

describe('naming the first bad event of a broken chain', () => {
  it('leaves an intact chain alone', () => {
    const events = record();
    expect(verifyStoredChain(STREAM, events)).toEqual(verifyChain(STREAM, events));
  });

  it('names the inserted event when it is stored in place and later rows were renumbered', () => {
    const events = record();
    const { forged, shifted } = forgeInsertAfter2(events);
    const stored = [events[0]!, events[1]!, forged, ...shifted];
    expect(verifyChain(STREAM, stored)).toMatchObject({ ok: false, firstBad: { seq: 4, problem: 'broken_link' } });
    expect(verifyStoredChain(STREAM, stored)).toMatchObject({
      ok: false,
      firstBad: {
        seq: 3,
        problem: 'sequence_gap',
        message: 'event 3 is not the one recorded as 3 (that one is now numbered 4): it was inserted after the fact',
      },
    });
  });

  it('names the inserted event when it was appended at the end of the table', () => {
    const events = record();
    const { forged, shifted } = forgeInsertAfter2(events);
    const verdict = verifyStoredChain(STREAM, [events[0]!, events[1]!, ...shifted, forged]);
    expect(verdict).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'sequence_gap' } });
  });

  it('keeps verifyChain’s answer for an altered, a deleted or a swapped row', () => {
    const events = record();
    const altered = events.map((e) => (e.seq === 3 ? { ...e, details: { text: 'edited' } } : e));
    const deleted = events.filter((e) => e.seq !== 3);
    const swapped = [events[0]!, events[1]!, events[3]!, events[2]!, events[4]!];
    for (const stored of [altered, deleted, swapped]) {
      expect(verifyStoredChain(STREAM, stored)).toEqual(verifyChain(STREAM, stored));
    }
    expect(verifyStoredChain(STREAM, altered)).toMatchObject({ firstBad: { seq: 3, problem: 'hash_mismatch' } });
    expect(verifyStoredChain(STREAM, deleted)).toMatchObject({ firstBad: { seq: 4, problem: 'sequence_gap' } });
    expect(verifyStoredChain(STREAM, swapped)).toMatchObject({ firstBad: { seq: 4, problem: 'sequence_gap' } });
  });

  it('says a row was renumbered when the contents of two rows were swapped under their seq', () => {
    const events = record();
    const swapped = [events[0]!, events[1]!, { ...events[3]!, seq: 3 }, { ...events[2]!, seq: 4 }, events[4]!];
    expect(verifyStoredChain(STREAM, swapped)).toMatchObject({
      ok: false,
      firstBad: { seq: 3, message: 'event 3 was recorded as 4: events were removed, reordered or renumbered' },
    });
  });

  it('never explains a hash mismatch away', () => {
    const events = record();
    const verdict = verifyChain(
      STREAM,
      events.map((e) => (e.seq === 2 ? { ...e, actor: 'U0FORGED' } : e)),
    );
    expect(explainChainBreak(STREAM, events, verdict)).toBe(verdict);
  });
});
