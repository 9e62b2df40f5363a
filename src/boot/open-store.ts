import type { Logger } from '../app/logger';
import { createStore, type Store } from '../app/store';
import { integrityCheck, openDatabase } from '../db/open-database';

/** Opens (and migrates) the database; a damaged file still starts, loudly, so the team can take a backup. */
export function openStore(databasePath: string, logger: Logger): Store {
  const db = openDatabase(databasePath);
  const integrity = integrityCheck(db);
  if (integrity !== 'ok')
    logger.error({ integrity }, 'PRAGMA integrity_check reported problems: restore from a backup');
  return createStore(db);
}
