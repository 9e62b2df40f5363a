import { type Refusal, refuse } from '../refusal';
import { DAY_MS, isoUtc } from '../time';

interface Rotated {
  rotatedAt: number;
}

/** Last rotation (or creation) plus the rotation baseline, in exact UTC days. */
export function dueAt(key: Rotated, rotationDays: number): number {
  return key.rotatedAt + rotationDays * DAY_MS;
}

/** Whole days since the last rotation; 0 for a rotation time still in the future. */
export function keyAgeDays(key: Rotated, now: number): number {
  return Math.max(0, Math.floor((now - key.rotatedAt) / DAY_MS));
}

/** Days left before the due date, rounded up (due in 36 hours is "in 2 days"); 0 once due. */
export function daysUntilDue(key: Rotated, now: number, rotationDays: number): number {
  return Math.max(0, Math.ceil((dueAt(key, rotationDays) - now) / DAY_MS));
}

/** Whole days past the due date; 0 until a full day has passed. */
export function overdueDays(key: Rotated, now: number, rotationDays: number): number {
  return Math.max(0, Math.floor((now - dueAt(key, rotationDays)) / DAY_MS));
}

/** `YYYY-MM-DD` of an epoch ms, in UTC. */
export function isoDate(ms: number): string {
  return isoUtc(ms).slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → 00:00 UTC that day, or null for anything else, including impossible days like 2026-02-30. */
export function parseIsoDate(text: string): number | null {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  // Date.UTC maps years 0–99 to 1900–1999, and no key was rotated before the epoch anyway.
  if (!(year >= 1970) || !(month >= 1 && month <= 12) || !(day >= 1 && day <= daysInMonth(year, month))) return null;
  return Date.UTC(year, month - 1, day);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export type RotatedDateRefusal = Refusal<'invalid_date' | 'date_in_future'>;

/** A rotation cannot have happened after now: a future date would silently push the due date out. */
export function validateRotatedDate(ms: number, now: number): { ok: true; at: number } | RotatedDateRefusal {
  if (ms > now) return refuse('date_in_future', { date: isoDate(ms) });
  return { ok: true, at: ms };
}

/**
 * The `rotated=` / `on=` option: absent means now; otherwise a past or present `YYYY-MM-DD`.
 * The refusal never repeats what was typed: it could be anything, a pasted key included.
 */
export function parseRotatedDate(text: string | null, now: number): { ok: true; at: number } | RotatedDateRefusal {
  if (text === null) return { ok: true, at: now };
  const ms = parseIsoDate(text);
  if (ms === null) return refuse('invalid_date');
  return validateRotatedDate(ms, now);
}
