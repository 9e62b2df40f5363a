// What counts as a spike of 429 RATE_LIMIT_EXCEEDED on one key. The seed: "a sudden spike … on a key that normally
// operates well under its limit can be an early signal of misuse". So each key is judged against its own normal,
// learnt from its recent windows, and never below an absolute floor: a key that never sees 429s has a spread of
// zero, and without the floor two stray 429s would read as infinitely unusual.

export interface BaselineSettings {
  /** 429s per minute a window must reach to count at all, however unusual it is for the key. */
  floorPerMinute: number;
  /** How many scaled MADs above the median a window must be. */
  madMultiplier: number;
  /** The most recent windows kept per key: memory per key is bounded by this. */
  historyWindows: number;
  /** A key's first data is judged by the floor alone for this long: its normal is not known yet. */
  warmUpMs: number;
}

export const DEFAULT_BASELINE: BaselineSettings = {
  floorPerMinute: 20,
  madMultiplier: 6,
  historyWindows: 60,
  warmUpMs: 60 * 60_000,
};

// The MAD of a normal distribution is 0.6745 of its standard deviation; scaling by 1.4826 makes the multiplier
// read as "standard deviations", robust to the very outliers (spikes) it is there to find.
const MAD_TO_SIGMA = 1.4826;

// A spread below one 429 a minute is rounding noise: it must not turn a step from 3 to 5 into a spike.
const MIN_SPREAD_PER_MINUTE = 1;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation around the median. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/** A window's 429s per minute, so windows of different lengths compare. */
export function perMinute(count: number, windowSeconds: number): number {
  return (count * 60) / windowSeconds;
}

export interface WindowJudgement {
  spike: boolean;
  /** The key's normal (median 429s per minute), null while it is still being learnt. */
  normalPerMinute: number | null;
  /** What the window had to exceed. */
  thresholdPerMinute: number;
  ratePerMinute: number;
  basis: 'floor_only' | 'baseline';
  /**
   * Whether the window joins the key's normal. A spike judged against the normal stays out of it, so a long attack
   * never becomes the new normal; in the first hour every window is learnt, or a key that is always busy would
   * never get a normal at all.
   */
  learn: boolean;
}

/**
 * Judges one window against the key's earlier normal windows (newest last, at most `historyWindows`).
 * `keyFirstSeenAt` is when the key's first window started: until `warmUpMs` later only the floor applies.
 */
export function judgeWindow(
  window: { at: number; count: number; windowSeconds: number },
  history: readonly number[],
  keyFirstSeenAt: number,
  settings: BaselineSettings,
): WindowJudgement {
  const rate = perMinute(window.count, window.windowSeconds);
  const recent = history.slice(-settings.historyWindows);
  if (window.at - keyFirstSeenAt < settings.warmUpMs || recent.length === 0) {
    return {
      spike: rate >= settings.floorPerMinute,
      normalPerMinute: null,
      thresholdPerMinute: settings.floorPerMinute,
      ratePerMinute: rate,
      basis: 'floor_only',
      learn: true,
    };
  }
  const normal = median(recent);
  const spread = Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(recent), MIN_SPREAD_PER_MINUTE);
  const threshold = Math.max(settings.floorPerMinute, normal + settings.madMultiplier * spread);
  const spike = rate >= settings.floorPerMinute && rate > normal + settings.madMultiplier * spread;
  return {
    spike,
    normalPerMinute: normal,
    thresholdPerMinute: threshold,
    ratePerMinute: rate,
    basis: 'baseline',
    learn: !spike,
  };
}
