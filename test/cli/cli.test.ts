import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/paykore-bot.js');

describe('the paykore-bot CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = () => ({ PATH: process.env.PATH ?? '', HOME: dir, DATABASE_PATH: join(dir, 'db', 'bot.sqlite') });

  it('migrates a new database and says which version it is at', () => {
    const out = execFileSync('node', [bin, 'migrate'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(out).toMatch(/schema version 0 → \d+/);
  });

  it('refuses to start without configuration, naming every missing variable, and exits non-zero', () => {
    const run = spawnSync('node', [bin, 'start'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('SLACK_BOT_TOKEN is required');
    expect(run.stderr).toContain('SLACK_APP_TOKEN is required in socket mode');
  });

  it('prints usage for an unknown command and exits 2', () => {
    const run = spawnSync('node', [bin, 'frobnicate'], { cwd: dir, env: env(), encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Usage: paykore-bot');
  });
});
