import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/app/group-commit';

describe('group commit', () => {
  let dir: string;
  let db: Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-gc-'));
    db = new BetterSqlite3(join(dir, 'x.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE) STRICT');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits work queued together in one transaction, each piece answering for itself', async () => {
    const commit = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    // A use-case's own BEGIN IMMEDIATE transaction nests as a savepoint.
    const useCase = (v: string) => db.transaction(() => insert.run(v).changes).immediate();
    const results = await Promise.allSettled([
      commit.run(() => useCase('a')),
      commit.run(() => useCase('b')),
      commit.run(() => useCase('a')),
      commit.run(() => {
        insert.run('c');
        throw new Error('changed its mind');
      }),
      commit.run(() => useCase('d')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['a', 'b', 'd']);
    expect(commit.stats).toEqual({ pieces: 5, commits: 1 });
  });

  it('answers nobody before the commit', async () => {
    const commit = new GroupCommit(db);
    let seenInside = -1;
    const done = commit.run(() => db.prepare("INSERT INTO t (v) VALUES ('x')").run());
    await done;
    const other = new BetterSqlite3(join(dir, 'x.sqlite'), { readonly: true });
    seenInside = other.prepare('SELECT count(*) FROM t').pluck().get() as number;
    other.close();
    expect(seenInside).toBe(1);
  });
});
