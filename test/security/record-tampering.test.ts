import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { IncidentService } from '../../src/app/incident-service';
import { createStore } from '../../src/app/store';
import { openStore } from '../../src/boot/open-store';
import { runCli } from '../../src/cli/main';
import { RecordKeyMissingError } from '../../src/db/event-log';
import { openDatabase } from '../../src/db/open-database';
import { chainEvent, isKeyed } from '../../src/domain/event-chain';
import type { TimelineEvent } from '../../src/domain/types';
import { recordingLogger } from '../app/key-register-fixture';
import { BEN, CHANNEL, writeRecord } from '../fixtures/timeline/record-on-disk';
import { TestRepo } from '../support/git-repo';
import { testClock } from '../support/test-clock';

/** The guarding triggers dropped, as someone with the file and the sqlite3 shell could. */
function tamper(path: string, work: (db: Database) => void): void {
  const db = new BetterSqlite3(path);
  db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
  db.transaction(() => work(db))();
  db.close();
}

function verifyIncident(path: string, id = 1) {
  const store = createStore(openDatabase(path, { readonly: true }));
  try {
    const exports = new ExportService({ store, displayTimeZone: 'UTC', clock: testClock(0).clock });
    const json = exports.exportIncident(id, 'json')?.file.content ?? '';
    const markdown = exports.exportIncident(id, 'markdown')?.file.content ?? '';
    return { verdict: exports.verify(`INC-${id}`)?.streams[0]?.verdict, json, markdown };
  } finally {
    store.db.close();
  }
}

/**
 * A database-only attacker edits the incident row, which the hash chain does not cover: every field the export
 * shows must be checked against the chained events, and the first that differs named.
 */
describe('an edited incident row', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-row-'));
    path = join(dir, 'bot.sqlite');
    writeRecord(path).db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies untouched', () => {
    expect(verifyIncident(path).verdict?.ok).toBe(true);
  });

  const edits: [string, string, string][] = [
    [
      'the exposure window shortened',
      'UPDATE incidents SET exposure_start = opened_at - 60000 WHERE id = 1',
      'exposure_start',
    ],
    ['how it leaked rewritten', "UPDATE incidents SET how = 'nothing happened' WHERE id = 1", 'how'],
    ['a different opener', "UPDATE incidents SET opened_by = 'U0SOMEONE1' WHERE id = 1", 'opened_by'],
    ['the opening time moved', 'UPDATE incidents SET opened_at = opened_at + 3600000 WHERE id = 1', 'opened_at'],
    ['the severity lowered', "UPDATE incidents SET severity = 'SEV3' WHERE id = 1", 'severity'],
    ['the key label changed', "UPDATE incidents SET key_label = 'something-else' WHERE id = 1", 'key_label'],
    ['the resolution changed', "UPDATE incidents SET resolution = 'false_positive' WHERE id = 1", 'resolution'],
    ['the summary rewritten', "UPDATE incidents SET summary = 'all good' WHERE id = 1", 'summary'],
    [
      'a step done by someone else',
      "UPDATE incident_steps SET done_by = 'U0SOMEONE1' WHERE incident_id = 1 AND step = 'revoke'",
      'incident_steps(revoke).done_by',
    ],
    [
      'a step done later',
      "UPDATE incident_steps SET done_at = done_at + 1 WHERE incident_id = 1 AND step = 'review'",
      'incident_steps(review).done_at',
    ],
  ];
  for (const [name, sql, column] of edits) {
    it(`fails verify and the export, naming ${column}, when ${name}`, () => {
      tamper(path, (db) => db.exec(sql));
      const { verdict, json, markdown } = verifyIncident(path);
      expect(verdict?.ok).toBe(false);
      if (verdict?.ok !== false) return;
      expect(verdict.firstBad.problem).toBe('row_mismatch');
      expect(verdict.firstBad.message).toContain(`incidents.${column} `);
      expect(markdown).not.toContain('chain verified');
      expect(JSON.parse(json).integrity.verified).toBe(false);
    });
  }
});

const RECORD_KEY = 'test-record-key-0123456789abcdef0123456789abcdef';

interface Row {
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

/** `paykore-bot …` in this process, with the given environment. */
async function cli(env: Record<string, string>, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const status = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { status, stdout, stderr };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Someone who can write the database file, but holds neither RECORD_KEY nor the bot's Slack messages and
 * exports, rebuilds or cuts a stream. The keyed chain catches a rebuild; a witness outside the database
 * (an export file, the card) catches events dropped from the end.
 */
describe('the keyed record', () => {
  let dir: string;
  let path: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-keyed-'));
    path = join(dir, 'bot.sqlite');
    env = { DATABASE_PATH: path, RECORD_KEY, DISPLAY_TIMEZONE: 'UTC' };
    // A legacy (unkeyed) database, then the bot started with RECORD_KEY: it seals each stream and goes on keyed.
    writeRecord(path).db.close();
    const store = createStore(openDatabase(path), { recordKey: new Uint8Array(Buffer.from(RECORD_KEY)) });
    store.transaction(() => store.events.sealLegacyStreams(Date.UTC(2026, 10, 2)));
    const clock = testClock(Date.UTC(2026, 10, 2, 1));
    const incidents = new IncidentService({ store, clock: clock.clock, revokeNudgeMinutes: 5 });
    for (const n of [1, 2, 3]) {
      incidents.addNote({ incidentId: 2, channelId: CHANNEL, actor: BEN, text: `note ${n}`, idempotencyKey: `k:${n}` });
    }
    store.db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const streamRows = (db: Database, stream: string) =>
    db.prepare('SELECT * FROM events WHERE stream = ? ORDER BY id').all(stream) as Row[];

  it('verifies: the legacy part as before, a marker, then keyed events', async () => {
    const run = await cli(env, 'verify');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const db = new BetterSqlite3(path, { readonly: true });
    const rows = streamRows(db, 'INC-2');
    db.close();
    expect(rows.map((r) => [r.type, isKeyed(r.hash)])).toEqual([
      ['incident_opened', false],
      ['note_added', false],
      ['record_keyed', true],
      ['note_added', true],
      ['note_added', true],
      ['note_added', true],
    ]);
  });

  it('names the first event when the stream is rebuilt with plain SHA-256', async () => {
    tamper(path, (db) => {
      let previous: TimelineEvent | null = null;
      for (const r of streamRows(db, 'INC-2')) {
        const text = r.type === 'note_added' ? { text: 'edited' } : JSON.parse(r.details);
        const event = chainEvent({ stream: r.stream, at: r.at, actor: r.actor, type: r.type, details: text }, previous);
        db.prepare('UPDATE events SET details = ?, prev_hash = ?, hash = ? WHERE id = ?').run(
          JSON.stringify(event.details),
          event.prevHash,
          event.hash,
          r.id,
        );
        previous = event;
      }
    });
    const run = await cli(env, 'verify', 'INC-2');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('INC-2: BROKEN at event 1 (not_keyed)');
    expect(run.stderr).toContain('First bad event: INC-2 event 1 (not_keyed)');
  });

  it('names the first rebuilt event when only the keyed part is rebuilt with plain SHA-256 after a kept marker', async () => {
    tamper(path, (db) => {
      const rows = streamRows(db, 'INC-2');
      let previous: TimelineEvent | null = { ...rows[2]!, details: {}, prevHash: rows[2]!.prev_hash };
      for (const r of rows.slice(3)) {
        const event = chainEvent(
          { stream: r.stream, at: r.at, actor: r.actor, type: r.type, details: { text: 'x' } },
          previous,
        );
        db.prepare('UPDATE events SET details = ?, prev_hash = ?, hash = ? WHERE id = ?').run(
          JSON.stringify(event.details),
          event.prevHash,
          event.hash,
          r.id,
        );
        previous = event;
      }
    });
    const run = await cli(env, 'verify', 'INC-2');
    expect(run.stdout).toContain('INC-2: BROKEN at event 4 (not_keyed)');
  });

  it('names the first missing event when the newest events are dropped, against an earlier export', async () => {
    const exported = await cli(env, 'export', 'INC-2', '--format', 'json');
    expect(exported.status).toBe(0);
    const witness = join(dir, 'INC-2.json');
    writeFileSync(witness, exported.stdout);
    expect((await cli(env, 'verify', '--against', witness)).status).toBe(0);
    tamper(path, (db) => db.exec("DELETE FROM events WHERE stream = 'INC-2' AND seq > 4"));
    const run = await cli(env, 'verify', '--against', witness);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('INC-2: BROKEN at event 5 (witness_mismatch)');
    expect(run.stdout).toContain('the witness saw 6 events in INC-2 but the database has 4');
    expect(run.stderr).toContain('First bad event: INC-2 event 5');
  });

  it('names the witnessed event when the stream is cut and regrown to the same length', async () => {
    const exported = await cli(env, 'export', 'INC-2', '--format', 'json');
    const witness = join(dir, 'INC-2.json');
    writeFileSync(witness, exported.stdout);
    tamper(path, (db) => {
      db.exec("DELETE FROM events WHERE stream = 'INC-2' AND seq > 5");
      const last = streamRows(db, 'INC-2').at(-1)!;
      const forged = chainEvent(
        { stream: 'INC-2', at: last.at + 1, actor: BEN, type: 'note_added', details: { text: 'forged' } },
        { seq: last.seq, hash: last.hash },
      );
      db.prepare(
        'INSERT INTO events (stream, seq, at, actor, type, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        'INC-2',
        forged.seq,
        forged.at,
        forged.actor,
        forged.type,
        JSON.stringify(forged.details),
        forged.prevHash,
        forged.hash,
      );
    });
    const run = await cli(env, 'verify', '--against', witness);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('INC-2: BROKEN at event 6 (not_keyed)');
  });

  it('refuses a witness that is not an export, with a sentence', async () => {
    const bogus = join(dir, 'bogus.json');
    writeFileSync(bogus, '{"hello":1}');
    expect(await cli(env, 'verify', '--against', bogus)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('is not a JSON timeline export'),
    });
  });

  it('refuses to add to a keyed record without RECORD_KEY, in the bot, its store and scan-git --post, changing nothing', async () => {
    const count = () => {
      const db = new BetterSqlite3(path, { readonly: true });
      const { n } = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
      db.close();
      return n;
    };
    const before = count();
    // The store itself: whatever writes, an unkeyed event never follows a keyed one.
    const store = createStore(openDatabase(path));
    const incidents = new IncidentService({
      store,
      clock: testClock(Date.UTC(2026, 10, 2, 2)).clock,
      revokeNudgeMinutes: 5,
    });
    expect(() =>
      incidents.addNote({ incidentId: 2, channelId: CHANNEL, actor: BEN, text: 'no key', idempotencyKey: 'k:nokey' }),
    ).toThrow(RecordKeyMissingError);
    store.db.close();
    // The bot refuses to start, with a sentence that names the variable.
    expect(() => openStore(path, recordingLogger(), { recordKey: null, now: Date.UTC(2026, 10, 2, 2) })).toThrow(
      /RECORD_KEY is not set, but this database's record is keyed/,
    );
    // scan-git --post refuses before scanning.
    const repo = new TestRepo();
    try {
      repo.write('README.md', 'nothing here\n');
      repo.commit('first');
      const run = await cli(
        { DATABASE_PATH: path, DISPLAY_TIMEZONE: 'UTC' },
        'scan-git',
        repo.dir,
        '--post',
        '--quiet',
      );
      expect(run.status).toBe(78);
      expect(run.stderr).toContain('RECORD_KEY is not set');
    } finally {
      repo.cleanup();
    }
    expect(count()).toBe(before);
  });
});
