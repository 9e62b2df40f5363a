// Parsing times people type. Without a zone, a time is UTC (PRODUCT.md section 3).

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?$/;

/** The earliest year a typed time may name: `0026-03-01` is a typo, not the year 26. */
export const EARLIEST_YEAR = 2000;
/** Real UTC offsets run from -12:00 to +14:00; anything past ±14:00 is a typo. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** Why a typed time is refused, in a sentence, or null when `parseIsoTime` reads it. */
export function timeProblem(text: string): string | null {
  const match = ISO.exec(text.trim());
  if (!match) return 'it is not ISO-8601';
  if (Number(match[1]) < EARLIEST_YEAR) return `times before ${EARLIEST_YEAR} are not accepted`;
  if (offsetOutOfRange(match[8])) return 'a UTC offset runs from -14:00 to +14:00';
  return parseIsoTime(text) === null ? 'that date or time does not exist' : null;
}

function offsetOutOfRange(zone: string | undefined): boolean {
  if (!zone || /^(z|utc)$/i.test(zone)) return false;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(2, 4));
  return minutes > 59 || Number(digits.slice(0, 2)) * 60 + minutes > MAX_OFFSET_MINUTES;
}

/** Epoch ms for an ISO-8601 date or date-time, or null when it is not one (including impossible dates). */
export function parseIsoTime(text: string): number | null {
  const match = ISO.exec(text.trim());
  if (!match) return null;
  if (Number(match[1]) < EARLIEST_YEAR || offsetOutOfRange(match[8])) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(ms.padEnd(3, '0')));
  if (new Date(utc).getUTCDate() !== day) return null; // 2026-02-30 rolls over: refuse it
  return utc - typedOffsetMs(zone);
}

/** The offset a person typed (`Z`, `UTC`, `+02:00`, `-0530`), as milliseconds east of UTC. */
function typedOffsetMs(zone: string | undefined): number {
  if (!zone || /^(z|utc)$/i.test(zone)) return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

export const DAY_MS = 86_400_000;

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * `2026-11-01 06:04 UTC`: a time to the minute, for sentences read outside Slack (or where Slack cannot localise).
 * Tables whose columns are split on spaces ask for `Z` instead: `2026-11-01 06:04Z`.
 */
export function utcMinute(ms: number, suffix: ' UTC' | 'Z' = ' UTC'): string {
  return `${isoUtc(ms).slice(0, 16).replace('T', ' ')}${suffix}`;
}

/** "4 min 12 s", "2 h 3 min", "3 d 4 h": two units are enough for a person in an incident. */
export function humanDuration(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const units: [string, number][] = [
    ['d', Math.floor(totalSeconds / 86_400)],
    ['h', Math.floor(totalSeconds / 3600) % 24],
    ['min', Math.floor(totalSeconds / 60) % 60],
    ['s', totalSeconds % 60],
  ];
  const first = units.findIndex(([, value]) => value > 0);
  if (first === -1) return '0 s';
  return units
    .slice(first, first + 2)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value} ${unit}`)
    .join(' ');
}
