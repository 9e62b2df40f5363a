import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { createStore } from '../../src/app/store';
import { runCli } from '../../src/cli/main';
import { openDatabase } from '../../src/db/open-database';
import { EXPORT_FORMATS } from '../../src/domain/command';
import { chainEvent } from '../../src/domain/event-chain';
import type { TimelineEvent } from '../../src/domain/types';
import { BEN, writeRecord } from '../fixtures/timeline/record-on-disk';
import { validateTimeline } from '../fixtures/timeline/validate-timeline';
import { testClock } from '../support/test-clock';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/paykore-bot.js');
const ZONE = 'America/New_York';

interface EventRow {
  id: number;
  stream: string;
  seq: number;
  at: number;
  actor: string;
  type: TimelineEvent['type'];
  details: string;
  prev_hash: string;
  hash: string;
}

/** The guarding triggers dropped, as someone with the file and the sqlite3 shell could. */
function tamper(path: string, work: (db: Database) => void): void {
  const db = new BetterSqlite3(path);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  db.transaction(() => work(db))();
  db.close();
}

const row = (db: Database, seq: number) =>
  db.prepare("SELECT * FROM events WHERE stream = 'INC-1' AND seq = ?").get(seq) as EventRow;

const asEvent = (r: EventRow): TimelineEvent => ({
  stream: r.stream,
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  type: r.type,
  details: JSON.parse(r.details),
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** A forged note, validly hashed, that claims to come right after event 4; events from 5 on move up one seq. */
function forgeNoteAfter4(db: Database) {
  const forged = chainEvent(
    { stream: 'INC-1', at: row(db, 4).at + 1000, actor: BEN, type: 'note_added', details: { text: 'all fine' } },
    asEvent(row(db, 4)),
  );
  // UNIQUE (stream, seq): shift out of the way, then back one higher.
  db.exec("UPDATE events SET seq = seq + 1000 WHERE stream = 'INC-1' AND seq >= 5");
  db.exec("UPDATE events SET seq = seq - 999 WHERE stream = 'INC-1' AND seq >= 1000");
  return { ...forged, details: JSON.stringify(forged.details), prevHash: forged.prevHash };
}

const insertForged = (db: Database, forged: ReturnType<typeof forgeNoteAfter4>, id: number | null) =>
  db
    .prepare(
      `INSERT INTO events (id, stream, seq, at, actor, type, details, prev_hash, hash)
       VALUES (@id, @stream, @seq, @at, @actor, @type, @details, @prevHash, @hash)`,
    )
    .run({ ...forged, id });

describe('paykore-bot export and verify, on a real database file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-verify-'));
    path = join(dir, 'bot.sqlite');
    writeRecord(path).db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The real binary in a child process: slow (it compiles the sources), so kept to a few calls. */
  const spawnCli = (...args: string[]) => {
    const run = spawnSync('node', [bin, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, DATABASE_PATH: path, DISPLAY_TIMEZONE: ZONE },
      encoding: 'utf8',
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  /** The same commands in this process, through the CLI's own entry point. */
  const cli = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const saved = { DATABASE_PATH: process.env.DATABASE_PATH, DISPLAY_TIMEZONE: process.env.DISPLAY_TIMEZONE };
    Object.assign(process.env, { DATABASE_PATH: path, DISPLAY_TIMEZONE: ZONE });
    try {
      const status = await runCli(args, { out: (text) => (stdout += text), err: (text) => (stderr += text) });
      return { status, stdout, stderr };
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  };
  const fileHash = () => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('verify exits 0 on an untouched database, listing every stream, and changes nothing', async () => {
    const before = fileHash();
    const run = spawnCli('verify');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^INC-1: 9 events, chain verified, head [0-9a-f]{64}$/m);
    expect(run.stdout).toMatch(/^INC-2: 2 events, chain verified, head [0-9a-f]{64}$/m);
    expect(run.stdout).toContain('PRAGMA integrity_check: ok\nOK: 2 streams verify.\n');
    expect((await cli('verify', 'INC-2')).status).toBe(0);
    expect(fileHash()).toBe(before);
  });

  it('export prints exactly the bytes the bot would upload, for every format, and changes nothing', async () => {
    const before = fileHash();
    const store = createStore(openDatabase(path, { readonly: true }));
    const exports = new ExportService({ store, displayTimeZone: ZONE, clock: testClock(0).clock });
    try {
      for (const format of EXPORT_FORMATS) {
        const run = await cli('export', 'INC-1', '--format', format);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(exports.exportIncident(1, format)?.file.content);
      }
    } finally {
      store.db.close();
    }
    expect(validateTimeline(JSON.parse((await cli('export', 'inc-2', '-f', 'json')).stdout))).toEqual([]);
    expect((await cli('export', 'INC-1')).stdout).toMatch(/^# INC-1: compromised key api-server-production\n/);
    expect(fileHash()).toBe(before);
  });

  it('says what is wrong with a bad request, without a stack trace', async () => {
    expect((await cli('export')).status).toBe(2);
    expect(await cli('export', 'INC-1', '--format', 'pdf')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('"pdf" is not a format'),
    });
    expect(await cli('export', 'INC-9')).toMatchObject({
      status: 1,
      stdout: '',
      stderr: expect.stringContaining('INC-9 is not in the database'),
    });
    expect(await cli('verify', 'INC-9')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('INC-9 is not in the database'),
    });
    expect((await cli('verify', 'nine')).status).toBe(2);
    rmSync(path);
    expect(await cli('verify')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('There is no database at DATABASE_PATH'),
    });
  });

  it('refuses a database written by a newer version of the bot', async () => {
    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 999');
    raw.close();
    for (const args of [['verify'], ['export', 'INC-1']]) {
      expect(await cli(...args)).toMatchObject({
        status: 78,
        stdout: '',
        stderr: expect.stringContaining('schema version 999'),
      });
    }
  });

  const TAMPERING: { name: string; tamper: (db: Database) => void; firstBad: string; message: RegExp }[] = [
    {
      name: 'a row updated in place',
      tamper: (db) =>
        db.exec(`UPDATE events SET details = '{"text":"nothing happened"}' WHERE stream = 'INC-1' AND seq = 5`),
      firstBad: 'INC-1 event 5 (hash_mismatch)',
      message: /event 5 was altered after it was recorded/,
    },
    {
      name: 'a row deleted',
      tamper: (db) => db.exec("DELETE FROM events WHERE stream = 'INC-1' AND seq = 5"),
      firstBad: 'INC-1 event 6 (sequence_gap)',
      message: /event 6 follows event 4: expected 5/,
    },
    {
      name: 'the last row deleted',
      tamper: (db) => db.exec("DELETE FROM events WHERE stream = 'INC-1' AND seq = 9"),
      firstBad: 'INC-1 event 9 (sequence_gap)',
      message: /INC-1 is resolved but its stream has no incident_resolved event/,
    },
    {
      name: 'a row inserted in the middle, in place, later rows renumbered',
      tamper: (db) => {
        const forged = forgeNoteAfter4(db);
        const at = row(db, 6).id; // the old event 5, now numbered 6
        db.exec(`UPDATE events SET id = id + 100000 WHERE id >= ${at}`);
        db.exec(`UPDATE events SET id = id - 99999 WHERE id >= 100000`);
        insertForged(db, forged, at);
      },
      firstBad: 'INC-1 event 5 (sequence_gap)',
      message: /event 5 is not the one recorded as 5 \(that one is now numbered 6\): it was inserted after the fact/,
    },
    {
      name: 'a row inserted in the middle, stored at the end, later rows renumbered',
      tamper: (db) => insertForged(db, forgeNoteAfter4(db), null),
      firstBad: 'INC-1 event 5 (sequence_gap)',
      message: /it was inserted after the fact/,
    },
    {
      name: 'two rows reordered (their contents swapped, seq and all)',
      tamper: (db) => {
        const [five, six] = [row(db, 5).id, row(db, 6).id];
        db.exec(`UPDATE events SET id = -1 WHERE id = ${five}`);
        db.exec(`UPDATE events SET id = ${five} WHERE id = ${six}`);
        db.exec(`UPDATE events SET id = ${six} WHERE id = -1`);
      },
      firstBad: 'INC-1 event 6 (sequence_gap)',
      message: /event 6 follows event 4: expected 5/,
    },
    {
      name: 'two rows reordered (their contents swapped under the same seq)',
      tamper: (db) => {
        const [five, six] = [row(db, 5), row(db, 6)];
        const swap = db.prepare(
          'UPDATE events SET at = @at, actor = @actor, type = @type, details = @details, prev_hash = @prev_hash, hash = @hash WHERE id = @target',
        );
        swap.run({ ...six, target: five.id });
        swap.run({ ...five, target: six.id });
      },
      firstBad: 'INC-1 event 5 (sequence_gap)',
      message: /event 5 was recorded as 6/,
    },
  ];

  it('the real binary exits non-zero on a tampered file, naming the first bad event', () => {
    tamper(path, (db) => db.exec("DELETE FROM events WHERE stream = 'INC-1' AND seq = 3"));
    expect(spawnCli('verify', 'INC-1')).toMatchObject({
      status: 1,
      stderr: 'First bad event: INC-1 event 4 (sequence_gap).\n',
    });
  });

  for (const { name, tamper: change, firstBad, message } of TAMPERING) {
    it(`verify exits non-zero and names the first bad event after ${name}`, async () => {
      tamper(path, change);
      for (const args of [['verify'], ['verify', 'INC-1']]) {
        const run = await cli(...args);
        expect(run.status, run.stdout).toBe(1);
        expect(run.stderr).toBe(`First bad event: ${firstBad}.\n`);
        expect(run.stdout).toMatch(message);
        expect(run.stdout).toContain('FAILED: the record does not verify.');
      }
      // The other incident's chain is untouched and still verifies on its own.
      expect((await cli('verify', 'INC-2')).status).toBe(0);
      // The export still works and states the break, in the file and on stderr.
      const exported = await cli('export', 'INC-1', '--format', 'json');
      expect(exported.status).toBe(0);
      expect(exported.stderr).toContain('does not verify');
      const document = JSON.parse(exported.stdout);
      expect(validateTimeline(document)).toEqual([]);
      expect(`INC-1 event ${document.integrity.firstBad.seq} (${document.integrity.firstBad.problem})`).toBe(firstBad);
      expect((await cli('export', 'INC-1')).stdout).toContain(
        '**Warning: the hash chain of this timeline does not verify.**',
      );
    });
  }
});
