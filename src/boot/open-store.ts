import type { Logger } from '../app/logger';
import { createStore, type Store } from '../app/store';
import { openDatabase } from '../db/open-database';
import { integrityCheckIfDue } from '../db/startup-integrity';

/**
 * Opens (and migrates) the database; a damaged file still starts, loudly, so the team can take a backup. The
 * integrity check reads every page, so it runs once a day at most (see integrityCheckIfDue).
 */
export function openStore(databasePath: string, logger: Logger, now: number): Store {
  const db = openDatabase(databasePath);
  const integrity = integrityCheckIfDue(db, now);
  if (integrity !== null && integrity !== 'ok')
    logger.error({ integrity }, 'PRAGMA integrity_check reported problems: restore from a backup');
  return createStore(db);
}
