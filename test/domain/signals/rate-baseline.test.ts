import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BASELINE,
  judgeWindow,
  median,
  medianAbsoluteDeviation,
  perMinute,
} from '../../../src/domain/signals/rate-baseline';
import { spikeStep } from '../../../src/domain/signals/spike';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 0, 0, 0);

/** Runs a stream of per-minute counts through the judgement as the service does; returns the minutes spikes start. */
function spikeStarts(counts: readonly number[], settings = DEFAULT_BASELINE): number[] {
  const history: number[] = [];
  let open = false;
  const starts: number[] = [];
  counts.forEach((count, minute) => {
    const judged = judgeWindow({ at: T0 + minute * MIN, count, windowSeconds: 60 }, history, T0, settings);
    const step = spikeStep(open, judged.spike);
    if (step === 'start') starts.push(minute);
    open = judged.spike;
    if (judged.learn) history.push(judged.ratePerMinute);
    if (history.length > settings.historyWindows) history.shift();
  });
  return starts;
}

// A deterministic pseudo-random stream, so "noise" is the same on every run.
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('median and MAD', () => {
  it('are the middle value and the middle distance from it', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(medianAbsoluteDeviation([0, 0, 0, 0])).toBe(0);
  });

  it('normalises windows of any length to 429s per minute', () => {
    expect(perMinute(10, 30)).toBe(20);
    expect(perMinute(300, 300)).toBe(60);
  });
});

describe('judging a window against the key', () => {
  const quiet = Array.from({ length: 60 }, () => 0);
  const afterWarmUp = T0 + 2 * 60 * MIN;

  it('counts twenty 429s a minute on a key that never sees any (MAD 0), but not two', () => {
    expect(judgeWindow({ at: afterWarmUp, count: 20, windowSeconds: 60 }, quiet, T0, DEFAULT_BASELINE).spike).toBe(
      true,
    );
    expect(judgeWindow({ at: afterWarmUp, count: 2, windowSeconds: 60 }, quiet, T0, DEFAULT_BASELINE).spike).toBe(
      false,
    );
    expect(judgeWindow({ at: afterWarmUp, count: 19, windowSeconds: 60 }, quiet, T0, DEFAULT_BASELINE).spike).toBe(
      false,
    );
  });

  it('judges the first hour by the floor alone, and says so', () => {
    const busy = Array.from({ length: 30 }, () => 100);
    const early = judgeWindow({ at: T0 + 30 * MIN, count: 25, windowSeconds: 60 }, busy, T0, DEFAULT_BASELINE);
    expect(early).toMatchObject({ spike: true, basis: 'floor_only', normalPerMinute: null });
    const later = judgeWindow({ at: T0 + 61 * MIN, count: 25, windowSeconds: 60 }, busy, T0, DEFAULT_BASELINE);
    expect(later).toMatchObject({ spike: false, basis: 'baseline', normalPerMinute: 100 });
  });

  it('holds a busy key to its own normal: far above it is a spike, within its spread is not', () => {
    const busy = Array.from({ length: 60 }, (_, i) => 100 + (i % 5) * 5); // 100..120, MAD 5
    const at = afterWarmUp;
    expect(judgeWindow({ at, count: 130, windowSeconds: 60 }, busy, T0, DEFAULT_BASELINE).spike).toBe(false);
    expect(judgeWindow({ at, count: 170, windowSeconds: 60 }, busy, T0, DEFAULT_BASELINE).spike).toBe(true);
  });

  it('takes its settings from the caller (a higher floor, a tighter multiplier)', () => {
    const strict = { ...DEFAULT_BASELINE, floorPerMinute: 50 };
    expect(judgeWindow({ at: afterWarmUp, count: 40, windowSeconds: 60 }, quiet, T0, strict).spike).toBe(false);
  });
});

describe('streams of counts', () => {
  it('steady traffic gives no spike', () => {
    expect(spikeStarts(Array.from({ length: 240 }, () => 3))).toEqual([]);
  });

  it('a slow rise gives no spike, even when it ends far above where it began', () => {
    // From 0 to 60 429s a minute over four hours: each window is only a little above the ones before it.
    expect(spikeStarts(Array.from({ length: 240 }, (_, i) => Math.floor(i / 4)))).toEqual([]);
  });

  it('noise around a low normal gives no spike', () => {
    const random = lcg(7);
    expect(spikeStarts(Array.from({ length: 300 }, () => Math.floor(random() * 8)))).toEqual([]);
  });

  it('noise around a busy normal: the floor flags it in the first hour, then the learnt normal holds', () => {
    const random = lcg(11);
    expect(spikeStarts(Array.from({ length: 300 }, () => 80 + Math.floor(random() * 30)))).toEqual([0]);
  });

  it('a sudden spike gives one spike for its whole length, and a second one after a return to normal', () => {
    const random = lcg(3);
    const stream = Array.from({ length: 200 }, () => Math.floor(random() * 4));
    for (let m = 100; m < 110; m += 1) stream[m] = 150;
    for (let m = 150; m < 153; m += 1) stream[m] = 90;
    expect(spikeStarts(stream)).toEqual([100, 150]);
  });

  it('a spike does not become the new normal while it lasts', () => {
    const stream = [...Array.from({ length: 90 }, () => 1), ...Array.from({ length: 120 }, () => 200)];
    expect(spikeStarts(stream)).toEqual([90]);
  });
});
