import type { Clock } from '../../src/app/clock';

export interface TestClock {
  clock: Clock;
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

/** A clock that moves only when the test says so: every timeline assertion is exact. */
export function testClock(startMs: number): TestClock {
  let current = startMs;
  return {
    clock: () => new Date(current),
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
