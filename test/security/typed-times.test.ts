import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command';
import { parseIsoTime } from '../../src/domain/time';

/** Typos in a typed time that would otherwise become a real, wrong time in the record. */
describe('typed times', () => {
  const refused: [string, string][] = [
    ['0026-03-01T10:00Z', 'times before 2000'],
    ['1999-12-31T23:59Z', 'times before 2000'],
    ['2026-03-01T10:00+99:99', 'UTC offset runs from -14:00 to +14:00'],
    ['2026-03-01T10:00+14:30', 'UTC offset runs from -14:00 to +14:00'],
    ['2026-03-01T10:00-1500', 'UTC offset runs from -14:00 to +14:00'],
    ['2026-03-01T10:00+05:60', 'UTC offset runs from -14:00 to +14:00'],
  ];
  for (const [text, reason] of refused) {
    it(`refuses exposed=${text} with a sentence saying why`, () => {
      expect(parseIsoTime(text)).toBeNull();
      const command = parseCommand(`start api-server env=production exposed=${text}`);
      expect(command.kind).toBe('invalid');
      expect(JSON.stringify(command)).toContain(reason);
    });
  }

  it('still reads the edges: 2000-01-01, +14:00 and -12:00', () => {
    expect(parseIsoTime('2000-01-01T00:00Z')).toBe(Date.UTC(2000, 0, 1));
    expect(parseIsoTime('2026-03-01T10:00+14:00')).toBe(Date.UTC(2026, 2, 1, -4));
    expect(parseIsoTime('2026-03-01T10:00-12:00')).toBe(Date.UTC(2026, 2, 1, 22));
  });
});
