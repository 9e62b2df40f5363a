import { describe, expect, it } from 'vitest';
import { zoneOffsetMs } from '../../../src/domain/timeline/format-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('zone offsets, remembered per quarter hour', () => {
  it('switches at the exact second of a daylight-saving change, minute by minute across it, both ways', () => {
    // America/New_York: EST → EDT at 2026-03-08 07:00:00Z, EDT → EST at 2026-11-01 06:00:00Z.
    const spring = Date.UTC(2026, 2, 8, 7, 0, 0);
    const autumn = Date.UTC(2026, 10, 1, 6, 0, 0);
    for (let t = spring - HOUR; t < spring + HOUR; t += MINUTE) {
      expect(zoneOffsetMs(t, 'America/New_York')).toBe(t < spring ? -5 * HOUR : -4 * HOUR);
    }
    for (let t = autumn - HOUR; t < autumn + HOUR; t += MINUTE) {
      expect(zoneOffsetMs(t, 'America/New_York')).toBe(t < autumn ? -4 * HOUR : -5 * HOUR);
    }
    expect(zoneOffsetMs(spring - 1, 'America/New_York')).toBe(-5 * HOUR);
    expect(zoneOffsetMs(spring, 'America/New_York')).toBe(-4 * HOUR);
  });

  it('keeps zones apart and answers a time far from the one remembered', () => {
    const t = Date.UTC(2026, 6, 1, 12, 0, 0);
    expect(zoneOffsetMs(t, 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(zoneOffsetMs(t + 1000, 'America/New_York')).toBe(-4 * HOUR);
    expect(zoneOffsetMs(t + 2000, 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(zoneOffsetMs(Date.UTC(2026, 0, 1, 12, 0, 0), 'America/New_York')).toBe(-5 * HOUR);
  });
});
