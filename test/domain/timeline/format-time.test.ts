import { describe, expect, it } from 'vitest';
import {
  isoLocal,
  isUtcZone,
  isValidTimeZone,
  localTime,
  localTimeWithZone,
  renderExport,
  UnknownTimeZoneError,
} from '../../../src/domain/timeline';
import { at, exportInput, fullIncident } from '../../fixtures/timeline/build-incident';

const NY = 'America/New_York';

describe('local times across the end of daylight saving time in New York (2026-11-01 06:00 UTC)', () => {
  it('shows the -04:00 offset before the change and -05:00 after, for the same wall clock 01:30', () => {
    expect(localTimeWithZone(at('2026-11-01T05:30:00.000Z'), NY)).toBe(
      '2026-11-01 01:30:00.000 -04:00 (America/New_York)',
    );
    expect(localTimeWithZone(at('2026-11-01T06:30:00.000Z'), NY)).toBe(
      '2026-11-01 01:30:00.000 -05:00 (America/New_York)',
    );
  });

  it('switches exactly at 06:00:00.000 UTC', () => {
    expect(localTime(at('2026-11-01T05:59:59.999Z'), NY)).toBe('2026-11-01 01:59:59.999 -04:00');
    expect(localTime(at('2026-11-01T06:00:00.000Z'), NY)).toBe('2026-11-01 01:00:00.000 -05:00');
  });

  it('writes RFC 3339 local times with the offset for JSON', () => {
    expect(isoLocal(at('2026-11-01T05:30:00.000Z'), NY)).toBe('2026-11-01T01:30:00.000-04:00');
    expect(isoLocal(at('2026-11-01T06:30:00.000Z'), NY)).toBe('2026-11-01T01:30:00.000-05:00');
  });

  it('labels every event of the exported incident with the offset in force at that instant', () => {
    const document = JSON.parse(renderExport(exportInput(fullIncident()), 'json').content);
    const offsets = document.events.map((event: { atLocal: string }) => event.atLocal.slice(-6));
    expect(offsets).toEqual([
      '-04:00',
      '-04:00',
      '-04:00',
      '-05:00',
      '-05:00',
      '-05:00',
      '-05:00',
      '-05:00',
      '-05:00',
      '-05:00',
    ]);
  });
});

describe('other zones', () => {
  it('handles offsets east of Greenwich, half hours and dates that differ from UTC', () => {
    expect(localTime(at('2026-03-10T20:15:00.000Z'), 'Asia/Kolkata')).toBe('2026-03-11 01:45:00.000 +05:30');
    expect(localTime(at('2026-01-01T00:00:00.000Z'), 'Pacific/Chatham')).toBe('2026-01-01 13:45:00.000 +13:45');
  });

  it('shows midnight as 00, not 24', () => {
    expect(localTime(at('2026-06-01T04:00:00.000Z'), NY)).toBe('2026-06-01 00:00:00.000 -04:00');
  });

  it('treats UTC and Etc/UTC as UTC-only display', () => {
    expect(isUtcZone('UTC')).toBe(true);
    expect(isUtcZone('Etc/UTC')).toBe(true);
    expect(isUtcZone('Europe/London')).toBe(false);
  });

  it('refuses an unknown zone with a coded error instead of guessing', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => renderExport(exportInput(fullIncident(), 'Mars/Olympus_Mons'), 'markdown')).toThrow(
      UnknownTimeZoneError,
    );
  });
});
