import { isoUtc } from '../time';

// Local times for exports, computed with Intl only, so the same input gives the same text on every machine
// that carries the same time-zone data.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      // h23: some ICU versions print midnight as "24" with hour12:false
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** `UTC` (and its alias `Etc/UTC`) means the export shows UTC only. */
export function isUtcZone(zone: string): boolean {
  return /^(etc\/)?utc$/i.test(zone);
}

// Offsets change a few times a year, so the last quarter hour seen per zone is remembered: an export formats
// thousands of events close together, and asking Intl for each one was most of a large export's time.
const QUARTER_HOUR = 15 * 60_000;
const lastQuarter = new Map<string, { from: number; to: number; offset: number }>();

/** Milliseconds to add to UTC to get the wall clock in `zone` at that instant (negative west of Greenwich). */
export function zoneOffsetMs(ms: number, zone: string): number {
  const known = lastQuarter.get(zone);
  if (known && ms >= known.from && ms < known.to) return known.offset;
  const offset = intlOffsetMs(ms, zone);
  const from = Math.floor(ms / QUARTER_HOUR) * QUARTER_HOUR;
  const to = from + QUARTER_HOUR;
  // Same offset at both ends of the quarter hour: no transition inside it (they are months apart).
  if (intlOffsetMs(from, zone) === offset && intlOffsetMs(to - 1000, zone) === offset) {
    lastQuarter.set(zone, { from, to, offset });
  }
  return offset;
}

function intlOffsetMs(ms: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wallClock - Math.floor(ms / 1000) * 1000;
}

/** `-04:00`, `+05:30`; seconds only for historical offsets that have them. */
function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.abs(offsetMs) / 1000;
  const pad = (n: number) => String(n).padStart(2, '0');
  const hhmm = `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}`;
  return total % 60 === 0 ? `${sign}${hhmm}` : `${sign}${hhmm}:${pad(total % 60)}`;
}

/** RFC 3339 local time with its offset: `2026-11-01T01:30:00.000-04:00`. */
export function isoLocal(ms: number, zone: string): string {
  const offset = zoneOffsetMs(ms, zone);
  return `${isoUtc(ms + offset).slice(0, -1)}${offsetText(offset)}`;
}

/** For people: `2026-11-01 01:30:00.000 -04:00`. */
export function localTime(ms: number, zone: string): string {
  const offset = zoneOffsetMs(ms, zone);
  return `${isoUtc(ms + offset)
    .slice(0, -1)
    .replace('T', ' ')} ${offsetText(offset)}`;
}

/** `2026-11-01 01:30:00.000 -04:00 (America/New_York)`. */
export function localTimeWithZone(ms: number, zone: string): string {
  return `${localTime(ms, zone)} (${zone})`;
}
