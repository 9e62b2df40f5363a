import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main';
import { DAY_MS } from '../../src/domain/time';
import { openRegister, tempDatabase } from '../app/key-register-fixture';
import { testClock } from '../support/test-clock';

const T0 = Date.UTC(2026, 10, 28, 9);
const ACTOR = 'U0RESP0001';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) } };
}

describe('paykore-bot keys list / reminders --dry-run', () => {
  let temp: ReturnType<typeof tempDatabase>;
  beforeEach(() => {
    temp = tempDatabase();
    vi.stubEnv('DATABASE_PATH', temp.path);
    vi.stubEnv('REMINDER_CHANNEL', '');
    vi.stubEnv('ROTATION_DAYS', '');
    vi.stubEnv('REMINDER_OFFSETS_DAYS', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    temp.remove();
  });

  function seed(): void {
    const p = openRegister(temp.path, testClock(T0).clock);
    const add = (label: string, extra: Record<string, unknown>) =>
      p.register.register({ label, actor: ACTOR, idempotencyKey: label, environment: 'production', ...extra });
    add('api-server-production-v2', {
      rotated: '2026-09-08',
      last4: 'Q2xF',
      ownerId: 'U0OWNER001',
      channelId: 'C0KEYS0001',
    });
    add('legacy-staging', { environment: 'staging', rotated: '2026-08-01', channelId: 'C0KEYS0001' });
    add('orphan-development', { environment: 'development', rotated: '2026-08-01' });
    p.register.runReminders();
    p.close(); // checkpoints the WAL into the main file
  }

  it('lists the register with due dates, the next reminder and where it goes', async () => {
    seed();
    const run = io();
    expect(await runCli(['keys', 'list'], run.io)).toBe(0);
    const lines = run.out.join('').trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^LABEL\s+ENV\s+MODE\s+LAST4\s+STATUS\s+CYCLE\s+ROTATED\s+DUE\s+NEXT REMINDER\s+OWNER\s+CHANNEL$/,
    );
    expect(lines[1]).toMatch(
      /^api-server-production-v2\s+production\s+live\s+Q2xF\s+active\s+1\s+2026-09-08\s+2026-12-07\s+2026-11-30 00:00Z\s+U0OWNER001\s+C0KEYS0001$/,
    );
    expect(lines[2]).toMatch(
      /^legacy-staging\s+staging\s+test\s+-\s+active\s+1\s+2026-08-01\s+2026-10-30\s+2026-11-29 00:00Z/,
    );
    expect(lines[3]).toMatch(/orphan-development .*\(none\)$/);
  });

  it('prints what a tick would post at a given time, and changes nothing', async () => {
    seed();
    const bytes = readFileSync(temp.path);
    const run = io();
    expect(await runCli(['reminders', '--dry-run', '--at', '2026-12-01T12:00Z'], run.io)).toBe(0);
    const printed = run.out.join('');
    expect(printed).toContain(
      'Dry run at 2026-12-01T12:00:00.000Z: 2 reminders would be posted, 1 skipped for want of a channel. Nothing was changed.',
    );
    expect(printed).toContain('before:7     → C0KEYS0001, mentioning U0OWNER001');
    expect(printed).toContain(
      'legacy-staging (staging, 122 days old) is overdue for rotation since 2026-10-30 (32 days).',
    );
    expect(printed).toContain('2 earlier reminders missed meanwhile are folded into this one.');
    expect(printed).toContain('nowhere: skipped (no channel on the key, REMINDER_CHANNEL empty)');
    expect(readFileSync(temp.path).equals(bytes)).toBe(true);
    expect(existsSync(`${temp.path}-wal`) ? readFileSync(`${temp.path}-wal`).length : 0).toBe(0);

    const p = openRegister(temp.path, testClock(T0 + 3 * DAY_MS).clock);
    expect(p.db.prepare('SELECT count(*) AS n FROM reminders').get()).toEqual({ n: 2 });
    p.close();
  });

  it('refuses to post from the command line, and refuses a time it cannot read', async () => {
    seed();
    const posting = io();
    expect(await runCli(['reminders'], posting.io)).toBe(2);
    expect(posting.err.join('')).toContain('The running bot posts reminders');
    const badTime = io();
    expect(await runCli(['reminders', '--dry-run', '--at', 'next tuesday'], badTime.io)).toBe(2);
    expect(badTime.err.join('')).toContain('--at takes an ISO-8601 time');
  });

  it('says so when there is no database yet', async () => {
    const run = io();
    expect(await runCli(['keys', 'list'], run.io)).toBe(1);
    expect(run.err.join('')).toContain('No database at');
  });
});
