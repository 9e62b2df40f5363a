import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/app/group-commit';

// The batch commits at NORMAL and the WAL is synced off the event loop; the answers wait for that sync.
describe('group commit, syncing the WAL off the event loop', () => {
  let dir: string;
  let path: string;
  let db: Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-gc-sync-'));
    path = join(dir, 'x.sqlite');
    db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE) STRICT');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves every other commit at FULL: the setting is back after each batch, failed or not', async () => {
    const commit = new GroupCommit(db);
    await commit.run(() => db.prepare("INSERT INTO t (v) VALUES ('a')").run());
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    await expect(commit.run(() => db.prepare("INSERT INTO t (v) VALUES ('a')").run())).rejects.toThrow(/UNIQUE/);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual(['a']);
  });

  it('tells nobody their work is done when the WAL cannot be synced', async () => {
    const commit = new GroupCommit(db);
    // SQLite keeps writing through its open descriptor; the file the sync would open is gone.
    renameSync(`${path}-wal`, join(dir, 'moved-wal'));
    const results = await Promise.allSettled([
      commit.run(() => db.prepare("INSERT INTO t (v) VALUES ('b')").run()),
      commit.run(() => db.prepare("INSERT INTO t (v) VALUES ('c')").run()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(commit.stats).toEqual({ pieces: 2, commits: 1 });
  });

  it('syncs inside the commit when asked to, or when the database is not in WAL mode', async () => {
    const inline = new GroupCommit(db, { syncOffLoop: false });
    renameSync(`${path}-wal`, join(dir, 'moved-wal'));
    await expect(inline.run(() => db.prepare("INSERT INTO t (v) VALUES ('d')").run().changes)).resolves.toBe(1);

    const rollback = new BetterSqlite3(join(dir, 'rollback.sqlite'));
    rollback.exec('CREATE TABLE t (v TEXT) STRICT');
    const commit = new GroupCommit(rollback);
    await expect(commit.run(() => rollback.prepare("INSERT INTO t (v) VALUES ('e')").run().changes)).resolves.toBe(1);
    rollback.close();
  });
});
