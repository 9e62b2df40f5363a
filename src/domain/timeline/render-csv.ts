import { canonicalJson } from '../event-chain';
import { isoUtc } from '../time';
import type { ExportModel } from './export-model';

// RFC 4180: CRLF after every record, a field quoted when it holds a comma, quote, CR or LF, quotes doubled.

/**
 * Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"); a leading
 * apostrophe makes them show it as text. See docs/timeline-export.md.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

const row = (fields: readonly string[]) => `${fields.map(csvField).join(',')}\r\n`;

export const CSV_HEADER = ['seq', 'at', 'actor', 'type', 'details'] as const;

/**
 * A CSV has no place for a footnote, so a failed check becomes one row right under the header, with an empty
 * seq, where whoever opens the file sees it first. A healthy export is exactly one row per event.
 */
function integrityWarningRow(model: ExportModel): string | null {
  const { integrity, databaseIntegrity } = model;
  if (integrity.ok && databaseIntegrity === 'ok') return null;
  const details = {
    chainVerified: integrity.ok,
    eventCount: integrity.count,
    chainHead: integrity.head,
    firstBad: integrity.ok ? undefined : integrity.firstBad,
    databaseIntegrity,
  };
  return row(['', '', '', 'integrity_warning', canonicalJson(details)]);
}

export function renderCsv(model: ExportModel): string {
  const events = model.events.map((event) =>
    row([String(event.seq), isoUtc(event.at), event.actor, event.type, canonicalJson(event.details)]),
  );
  return [row(CSV_HEADER), integrityWarningRow(model) ?? '', ...events].join('');
}
