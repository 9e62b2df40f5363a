import { describe, expect, it } from 'vitest';
import {
  daysUntilDue,
  dueAt,
  isoDate,
  keyAgeDays,
  overdueDays,
  parseIsoDate,
  parseRotatedDate,
  validateRotatedDate,
} from '../../../src/domain/keys/due-date';
import { DAY_MS } from '../../../src/domain/time';
import { refusalText } from '../../../src/slack/blocks/refusal-text';

const JAN_1 = Date.UTC(2026, 0, 1);

describe('due dates', () => {
  it('falls due exactly rotationDays after the last rotation, to the millisecond', () => {
    expect(dueAt({ rotatedAt: JAN_1 }, 90)).toBe(Date.UTC(2026, 3, 1));
    expect(dueAt({ rotatedAt: JAN_1 + 1234 }, 90)).toBe(Date.UTC(2026, 3, 1) + 1234);
  });

  it('counts age in whole days and never below zero', () => {
    expect(keyAgeDays({ rotatedAt: JAN_1 }, JAN_1)).toBe(0);
    expect(keyAgeDays({ rotatedAt: JAN_1 }, JAN_1 + DAY_MS - 1)).toBe(0);
    expect(keyAgeDays({ rotatedAt: JAN_1 }, JAN_1 + 45 * DAY_MS)).toBe(45);
    expect(keyAgeDays({ rotatedAt: JAN_1 }, JAN_1 - DAY_MS)).toBe(0);
  });

  it('counts days left rounded up, and days overdue in full days', () => {
    const key = { rotatedAt: JAN_1 };
    const due = dueAt(key, 90);
    expect(daysUntilDue(key, due - 36 * 3_600_000, 90)).toBe(2);
    expect(daysUntilDue(key, due, 90)).toBe(0);
    expect(overdueDays(key, due + DAY_MS - 1, 90)).toBe(0);
    expect(overdueDays(key, due + 3 * DAY_MS, 90)).toBe(3);
    expect(overdueDays(key, due - DAY_MS, 90)).toBe(0);
  });

  it('formats a UTC day', () => {
    expect(isoDate(Date.UTC(2026, 3, 1, 23, 59))).toBe('2026-04-01');
  });
});

describe('parseIsoDate', () => {
  it('reads YYYY-MM-DD as midnight UTC', () => {
    expect(parseIsoDate('2026-03-15')).toBe(Date.UTC(2026, 2, 15));
    expect(parseIsoDate(' 2026-12-31 ')).toBe(Date.UTC(2026, 11, 31));
    expect(parseIsoDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-1-5',
    '0050-01-01',
    '2026-01-01T00:00',
    'tomorrow',
    '',
  ])('refuses %j', (text) => {
    expect(parseIsoDate(text)).toBeNull();
  });
});

describe('rotation dates given by people', () => {
  const now = Date.UTC(2026, 4, 10, 15, 30);

  it('accepts today, and any earlier day', () => {
    expect(validateRotatedDate(Date.UTC(2026, 4, 10), now)).toEqual({ ok: true, at: Date.UTC(2026, 4, 10) });
    expect(validateRotatedDate(now, now)).toEqual({ ok: true, at: now });
  });

  it('refuses a day in the future, naming it', () => {
    const result = validateRotatedDate(Date.UTC(2026, 4, 11), now);
    expect(result).toMatchObject({ ok: false, code: 'date_in_future' });
    expect(!result.ok && refusalText(result)).toContain('2026-05-11 is in the future');
  });

  it('takes an absent date as now', () => {
    expect(parseRotatedDate(null, now)).toEqual({ ok: true, at: now });
  });

  it('refuses an unreadable date without repeating it', () => {
    const typed = ['sk', 'live', 'FAKE'.repeat(7)].join('_');
    const result = parseRotatedDate(typed, now);
    expect(result).toMatchObject({ ok: false, code: 'invalid_date' });
    expect(!result.ok && refusalText(result)).not.toContain(typed);
    expect(parseRotatedDate('2026-02-30', now)).toMatchObject({ ok: false, code: 'invalid_date' });
  });
});
