import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { DatabaseTooNewError, loadMigrations, migrate } from './migrate';
import { guardSecrets } from './secret-guard';

/**
 * The migrations/ folder beside package.json. Found by walking up, because this code runs both from src/db/ (tests,
 * tsx) and from the compiled bundle in dist/, at different depths.
 */
export const MIGRATIONS_DIR = findMigrations(dirname(fileURLToPath(import.meta.url)));

function findMigrations(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'migrations');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`No migrations/ folder beside a package.json above ${from}.`);
  }
}

/**
 * Opens (creating its folder) and migrates the bot's database. WAL so readers never block the writer;
 * synchronous=FULL because an action we confirmed in Slack must survive a power cut.
 */
export function openDatabase(path: string, options: { readonly?: boolean; migrate?: boolean } = {}): Database {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = guardSecrets(
    new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false }),
  );
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  if (options.migrate ?? !options.readonly) migrate(db, loadMigrations(MIGRATIONS_DIR));
  else if (options.readonly) refuseNewer(db);
  return db;
}

/** A read-only open skips migrating, but a schema this build does not know must not be read as if it did. */
function refuseNewer(db: Database): void {
  const found = db.pragma('user_version', { simple: true }) as number;
  const known = loadMigrations(MIGRATIONS_DIR).length;
  if (found > known) {
    db.close();
    throw new DatabaseTooNewError(found, known);
  }
}

export function integrityCheck(db: Database): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).join('; ');
}
