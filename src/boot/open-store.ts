import type { Logger } from '../app/logger';
import { createStore, type Store } from '../app/store';
import { ConfigError } from '../config';
import { openDatabase } from '../db/open-database';
import { integrityCheckIfDue } from '../db/startup-integrity';

export const MISSING_RECORD_KEY =
  "RECORD_KEY is not set, but this database's record is keyed with it: set it to the same value as before. " +
  'Events added without it could never be verified, and would read as a record rebuilt by someone without the key.';

/**
 * Opens (and migrates) the database; a damaged file still starts, loudly, so the team can take a backup. The
 * integrity check reads every page, so it runs once a day at most (see integrityCheckIfDue).
 */
export function openStore(
  databasePath: string,
  logger: Logger,
  record: { recordKey: Uint8Array | null; now: number },
): Store {
  const db = openDatabase(databasePath);
  const integrity = integrityCheckIfDue(db, record.now);
  if (integrity !== null && integrity !== 'ok')
    logger.error({ integrity }, 'PRAGMA integrity_check reported problems: restore from a backup');
  const store = createStore(db, { recordKey: record.recordKey });
  if (record.recordKey) {
    const sealed = store.transaction(() => store.events.sealLegacyStreams(record.now));
    if (sealed.length > 0)
      logger.info({ streams: sealed }, 'record key in use: unkeyed streams sealed with a keyed marker');
  } else if (store.events.hasKeyedEvents()) {
    db.close();
    throw new ConfigError([MISSING_RECORD_KEY]);
  } else {
    logger.warn(
      {},
      'RECORD_KEY is not set: the record is hash-chained but not keyed (docs/decisions/004-keyed-record.md)',
    );
  }
  return store;
}
