import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, loadMigrations } from '../../src/db/migrate';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/open-database';

describe('opening the database read-only (export, verify)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-ro-'));
    path = join(dir, 'bot.sqlite');
    openDatabase(path).close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a current database and cannot write to it', () => {
    const db = openDatabase(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS_DIR).length);
      expect(() => db.prepare("INSERT INTO settings (name, value) VALUES ('x', 'y')").run()).toThrow(/readonly/);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer version of the bot, without migrating anything', () => {
    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(path, { readonly: true })).toThrow(DatabaseTooNewError);
    const after = new BetterSqlite3(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(999);
    after.close();
  });

  it('never creates a database that is not there', () => {
    expect(() => openDatabase(join(dir, 'missing.sqlite'), { readonly: true })).toThrow();
  });
});
