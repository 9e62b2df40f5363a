import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, loadMigrations } from '../../src/db/migrate';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/open-database';

describe('database', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates its folder, runs WAL with synchronous=FULL, and applies every migration from zero', () => {
    const db = openDatabase(join(dir, 'nested', 'deeper', 'bot.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS_DIR).length);
    db.close();
  });

  it('refuses a database written by a newer version of the bot', () => {
    const path = join(dir, 'bot.sqlite');
    openDatabase(path).close();
    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError);
  });

  it('forbids updating or deleting events', () => {
    const db = openDatabase(join(dir, 'bot.sqlite'));
    db.prepare(
      "INSERT INTO events (stream, seq, at, actor, type, details, prev_hash, hash) VALUES ('INC-1', 1, 0, 'U1', 'note_added', '{}', 'x', 'y')",
    ).run();
    expect(() => db.prepare("UPDATE events SET actor = 'U2'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT actor FROM events').all()).toEqual([{ actor: 'U1' }]);
    db.close();
  });

  it('applies migrations again without change when the database is current', () => {
    const path = join(dir, 'bot.sqlite');
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS_DIR).length);
    db.close();
  });
});
