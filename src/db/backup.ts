import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BotError } from '../domain/bot-error';
import { integrityCheck, openDatabase } from './open-database';

export class BackupError extends BotError {
  declare readonly code: 'no_database' | 'destination_exists' | 'copy_damaged';
}

export interface BackupResult {
  destination: string;
  pages: number;
  schemaVersion: number;
  events: number;
  streams: number;
}

// sqlite3_backup_step with this many pages copies the whole file in one step, inside one read transaction: the copy
// is the database as of one commit. In smaller steps, every write the bot made in between would restart the copy,
// and a busy bot could keep it from ever finishing. In WAL mode the read does not hold the bot's writes back.
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the live database with SQLite's online backup API, from a read-only connection of its own, so the bot
 * can keep running and writing. The copy is written beside the destination, checked (PRAGMA integrity_check)
 * and only then renamed into place: a failed backup never leaves a half file under the name asked for.
 */
export async function backupDatabase(sourcePath: string, destinationPath: string): Promise<BackupResult> {
  const destination = resolve(destinationPath);
  if (!existsSync(sourcePath)) throw new BackupError('no_database', `There is no database at ${sourcePath}.`);
  if (existsSync(destination) || resolve(sourcePath) === destination) {
    throw new BackupError('destination_exists', `${destination} already exists: name a new file for the backup.`);
  }
  mkdirSync(dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const source = openDatabase(sourcePath, { readonly: true });
  try {
    await source.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  const copy = new BetterSqlite3(partial);
  try {
    // A backup is one self-contained file to ship off the host; the bot switches it back to WAL when it opens it.
    copy.pragma('journal_mode = DELETE');
    const integrity = integrityCheck(copy);
    if (integrity !== 'ok')
      throw new BackupError('copy_damaged', `The copy failed PRAGMA integrity_check: ${integrity}`);
    const counts = copy.prepare('SELECT count(*) AS events, count(DISTINCT stream) AS streams FROM events').get() as {
      events: number;
      streams: number;
    };
    const result: BackupResult = {
      destination,
      pages: copy.pragma('page_count', { simple: true }) as number,
      schemaVersion: copy.pragma('user_version', { simple: true }) as number,
      ...counts,
    };
    copy.close();
    renameSync(partial, destination);
    return result;
  } catch (error) {
    if (copy.open) copy.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
    throw error;
  }
}
