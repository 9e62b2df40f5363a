import type { Database } from 'better-sqlite3';
import { lastMaintenance, recordMaintenance } from './maintenance';
import { integrityCheck } from './open-database';

/** PRAGMA integrity_check reads every page: seconds on a large file, so start-up runs it once a day at most. */
export const INTEGRITY_CHECK_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs PRAGMA integrity_check at start when the last passing one is a day old or more (or never passed), and
 * returns its result; null when it was skipped. Only a pass is recorded, so a damaged file is reported at every
 * start until it is restored. `paykore-bot verify` and every export still run the check themselves.
 */
export function integrityCheckIfDue(db: Database, now: number): string | null {
  const last = lastMaintenance(db, 'integrity_check');
  if (last && last.value === 'ok' && now >= last.at && now - last.at < INTEGRITY_CHECK_EVERY_MS) return null;
  const result = integrityCheck(db);
  if (result === 'ok') recordMaintenance(db, 'integrity_check', 'ok', now);
  return result;
}
