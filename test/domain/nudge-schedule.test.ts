import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NUDGE_GAP_MS, nudgeGapMs, nudgeOffsetMs, nudgesDue } from '../../src/domain/nudge-schedule';

const MIN = 60_000;

describe('the nudge schedule', () => {
  it('nudges every interval three times, then at 15, 30 and 60 minute gaps, then hourly (5-minute interval)', () => {
    const offsets = Array.from({ length: 9 }, (_, i) => nudgeOffsetMs(i + 1, 5 * MIN) / MIN);
    expect(offsets).toEqual([5, 10, 15, 30, 60, 120, 180, 240, 300]);
    const gaps = Array.from({ length: 8 }, (_, i) => nudgeGapMs(i + 1, 5 * MIN) / MIN);
    expect(gaps).toEqual([5, 5, 5, 15, 30, 60, 60, 60]);
  });

  it('spreads out smoothly from a one-minute interval and never waits more than an hour', () => {
    const gaps = Array.from({ length: 12 }, (_, i) => nudgeGapMs(i + 1, MIN) / MIN);
    expect(gaps).toEqual([1, 1, 1, 3, 6, 12, 24, 48, 60, 60, 60, 60]);
  });

  it('keeps an interval wider than an hour as it is', () => {
    expect([1, 2, 3, 4, 5].map((n) => nudgeGapMs(n, 90 * MIN) / MIN)).toEqual([90, 90, 90, 90, 90]);
  });

  it('counts the nudges due at a moment: none before the first interval, missed ones counted once', () => {
    expect(nudgesDue(0, 5 * MIN)).toBe(0);
    expect(nudgesDue(5 * MIN - 1, 5 * MIN)).toBe(0);
    expect(nudgesDue(5 * MIN, 5 * MIN)).toBe(1);
    expect(nudgesDue(12 * MIN, 5 * MIN)).toBe(2);
    expect(nudgesDue(29 * MIN, 5 * MIN)).toBe(3);
    expect(nudgesDue(30 * MIN, 5 * MIN)).toBe(4);
    expect(nudgesDue(10 * 60 * MIN, 5 * MIN)).toBe(6 + 8);
  });

  it('refuses nonsense quietly: no nudges for a zero or negative interval or a clock behind the opening', () => {
    expect(nudgesDue(10 * MIN, 0)).toBe(0);
    expect(nudgesDue(10 * MIN, -5)).toBe(0);
    expect(nudgesDue(-10 * MIN, 5 * MIN)).toBe(0);
    expect(nudgesDue(Number.NaN, 5 * MIN)).toBe(0);
  });

  it('agrees with itself: nudge n is due exactly at its offset, and the gaps never shrink or pass the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 1, max: 500 }), (minutes, n) => {
        const interval = minutes * MIN;
        const offset = nudgeOffsetMs(n, interval);
        expect(nudgesDue(offset, interval)).toBe(n);
        expect(nudgesDue(offset - 1, interval)).toBe(n - 1);
        expect(nudgeGapMs(n + 1, interval)).toBeGreaterThanOrEqual(nudgeGapMs(n, interval));
        expect(nudgeGapMs(n, interval)).toBeLessThanOrEqual(Math.max(MAX_NUDGE_GAP_MS, interval));
      }),
    );
  });
});
