import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main';
import { backupDatabase } from '../../src/db/backup';
import { openDatabase } from '../../src/db/open-database';
import { ActionId } from '../../src/slack/ids';
import { BotHarness, CHANNEL, RESPONDER } from '../support/bot-harness';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/paykore-bot.js');
const run = promisify(execFile);

interface EventRow {
  stream: string;
  seq: number;
  hash: string;
}

function eventsIn(path: string): EventRow[] {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare('SELECT stream, seq, hash FROM events ORDER BY id').all() as EventRow[];
  } finally {
    db.close();
  }
}

/** `paykore-bot <args>` in its own process, as an operator runs it beside the bot. */
function cli(args: string[], databasePath: string, cwd: string) {
  return run('node', [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, DATABASE_PATH: databasePath },
    encoding: 'utf8',
  });
}

describe('paykore-bot backup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the database while the bot records actions: the copy passes verify and holds every earlier action', async () => {
    const h = await BotHarness.start();
    try {
      await h.command('start api-server-production-v2 env=production');
      await h.click(ActionId.incidentRevoke, 'INC-1');
      let written = 0;
      const note = () => {
        written += 1;
        const outcome = h.bot.incidents.addNote({
          incidentId: 1,
          channelId: CHANNEL,
          actor: RESPONDER,
          text: `progress note ${written}`,
          idempotencyKey: `backup-test-note:${written}`,
        });
        expect(outcome.kind).toBe('done');
      };
      for (let i = 0; i < 50; i += 1) note();

      // Everything committed before the backup process even starts must be in the copy.
      const committedBefore = eventsIn(h.dbPath);
      const copyPath = join(dir, 'backups', 'paykore-bot-copy.sqlite');
      const child = spawn('node', [bin, 'backup', copyPath], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, DATABASE_PATH: h.dbPath },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      const exited = new Promise<number | null>((done) => child.on('exit', done));
      let finished = false;
      void exited.then(() => {
        finished = true;
      });
      // The bot keeps recording while the other process copies.
      const beforeBackup = written;
      while (!finished) {
        note();
        await yieldToEventLoop();
      }
      expect(await exited, output).toBe(0);
      expect(written - beforeBackup).toBeGreaterThan(0);
      expect(output).toMatch(/Backed up .* to .*paykore-bot-copy\.sqlite/);
      expect(readdirSync(join(dir, 'backups'))).toEqual(['paykore-bot-copy.sqlite']);

      // The copy is the live record as of one moment: a prefix of every stream, never a torn or reordered one.
      const copied = eventsIn(copyPath);
      const live = new Map(eventsIn(h.dbPath).map((e) => [`${e.stream}#${e.seq}`, e.hash]));
      for (const event of copied) expect(live.get(`${event.stream}#${event.seq}`)).toBe(event.hash);
      const copiedKeys = new Set(copied.map((e) => `${e.stream}#${e.seq}`));
      for (const event of committedBefore) expect(copiedKeys.has(`${event.stream}#${event.seq}`)).toBe(true);
      expect(copied.length).toBeGreaterThanOrEqual(committedBefore.length);

      const verified = await cli(['verify'], copyPath, dir);
      expect(verified.stdout).toMatch(/OK: \d+ streams verify/);
      expect(verified.stdout).toMatch(/PRAGMA integrity_check: ok/);
    } finally {
      await h.close();
    }
  });

  it('restores by starting the bot on the copy, which carries on the same record', async () => {
    const h = await BotHarness.start();
    const restoredDir = join(dir, 'restored');
    try {
      await h.command('start billing-staging env=staging');
      await h.click(ActionId.incidentRevoke, 'INC-1');
      await h.command('note INC-1 rotated the webhook secret too');
      await backupDatabase(h.dbPath, join(restoredDir, 'paykore-bot.sqlite'));
    } finally {
      await h.close();
    }
    const restored = await BotHarness.start({ dir: restoredDir });
    try {
      const status = await restored.command('status INC-1');
      expect(BotHarness.replyText(status)).toContain('INC-1');
      expect(restored.bot.incidents.timeline(1).map((e) => e.type)).toEqual([
        'incident_opened',
        'key_revoked',
        'note_added',
      ]);
      await restored.command('note INC-1 restored from backup');
      expect(restored.bot.incidents.timeline(1)).toHaveLength(4);
      expect(restored.standIn.violations()).toEqual([]);
    } finally {
      await restored.close();
    }
  });

  it('never overwrites an existing file, and leaves no partial file behind', async () => {
    const source = join(dir, 'bot.sqlite');
    openDatabase(source).close();
    const taken = join(dir, 'taken.sqlite');
    writeFileSync(taken, 'precious');
    await expect(backupDatabase(source, taken)).rejects.toMatchObject({ code: 'destination_exists' });
    await expect(backupDatabase(source, source)).rejects.toMatchObject({ code: 'destination_exists' });
    expect(readFileSync(taken, 'utf8')).toBe('precious');
    expect(readdirSync(dir).filter((name) => !name.startsWith('bot.sqlite'))).toEqual(['taken.sqlite']);
  });

  it('explains a missing database and a missing file name, with exit codes', async () => {
    const io = { out: vi.fn(), err: vi.fn() };
    vi.stubEnv('DATABASE_PATH', join(dir, 'nothing-here.sqlite'));
    try {
      expect(await runCli(['backup', join(dir, 'copy.sqlite')], io)).toBe(1);
      expect(io.err).toHaveBeenCalledWith(expect.stringContaining('There is no database at'));
      expect(existsSync(join(dir, 'copy.sqlite'))).toBe(false);
      expect(await runCli(['backup'], io)).toBe(2);
      expect(io.err).toHaveBeenLastCalledWith(expect.stringContaining('Usage: paykore-bot backup <file>'));
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
