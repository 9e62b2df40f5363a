import { existsSync } from 'node:fs';
import { systemClock } from '../app/clock';
import { ExportService } from '../app/export-service';
import { createStore } from '../app/store';
import { loadOfflineConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { parseIncidentRef } from '../domain/refs';

export interface ReadOnlyRecord {
  databasePath: string;
  exports: ExportService;
  close(): void;
}

/**
 * The bot's database opened read-only, for `export` and `verify`: these commands cannot change the record they
 * report on, and they can run beside the bot (WAL lets a reader in while it writes). Null when there is no file.
 */
export function openReadOnlyRecord(): ReadOnlyRecord | null {
  const config = loadOfflineConfig();
  if (!existsSync(config.databasePath)) return null;
  const db = openDatabase(config.databasePath, { readonly: true });
  return {
    databasePath: config.databasePath,
    exports: new ExportService({
      store: createStore(db, { recordKey: config.recordKey }),
      displayTimeZone: config.displayTimeZone,
      clock: systemClock,
    }),
    close: () => db.close(),
  };
}

export function noDatabaseText(): string {
  return `There is no database at DATABASE_PATH (${loadOfflineConfig().databasePath}): point DATABASE_PATH at the bot's SQLite file.\n`;
}

/** `INC-3` (any case) to 3; null for anything else. */
export function parseIncidentArg(text: string): number | null {
  return parseIncidentRef(text, true);
}
