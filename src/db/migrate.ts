import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { BotError } from '../domain/bot-error';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class DatabaseTooNewError extends BotError {
  constructor(found: number, known: number) {
    super(
      'database_too_new',
      `The database is at schema version ${found}, but this build only knows up to ${known}. ` +
        'It was written by a newer version of the bot: run that version, or restore a backup made by this one.',
    );
  }
}

/** Reads `NNNN-name.sql` files in order; numbers must run 1, 2, 3 … without gaps. */
export function loadMigrations(folder: string): Migration[] {
  const migrations = readdirSync(folder)
    .filter((file) => /^\d{4}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 4)), name: file, sql: readFileSync(join(folder, file), 'utf8') }));
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration ${migration.name} is out of sequence`);
  });
  return migrations;
}

/** Forward-only, tracked by PRAGMA user_version; each migration commits with its version bump or not at all. */
export function migrate(db: Database, migrations: Migration[]): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (from > latest) throw new DatabaseTooNewError(from, latest);
  for (const migration of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: latest };
}
