import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main';
import { fakeSecretKey, maskOf } from '../support/fake-keys';
import { TestRepo } from '../support/git-repo';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    text: () => out.join(''),
    errors: () => err.join(''),
    io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) },
  };
}

describe('scan-git --staged and --install-hook', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = new TestRepo();
    repo.write('README.md', 'hello\n').commit('first');
    // The hook needs no database: a laptop has none.
    vi.stubEnv('DATABASE_PATH', join(repo.dir, '..', 'absent', 'bot.sqlite'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    repo.cleanup();
  });

  it('exits 1 with the masked key, file and line when a key is staged, and 0 when none is', async () => {
    const key = fakeSecretKey('live');
    repo.write('app/.env', `A=1\nB=2\nPAYKORE=${key}\n`);
    repo.git(['add', '-A']);
    const run = io();
    expect(await runCli(['scan-git', repo.dir, '--staged'], run.io)).toBe(1);
    expect(run.errors()).toContain(`${maskOf(key)} in app/.env, line 3`);
    expect(run.errors()).toContain('revoke it: if it was ever pushed, it is exposed');
    expect(run.errors() + run.text()).not.toContain(key);
    expect(existsSync(join(repo.dir, '..', 'absent'))).toBe(false);

    // An unstaged key is not the commit's business; a placeholder is never a finding.
    repo.git(['reset', '-q']);
    repo.write('app/.env', 'PAYKORE=sk_live_XXXXXXXXXXXXXXXXXXXXXXXXXXXX\n');
    repo.git(['add', '-A']);
    const clean = io();
    expect(await runCli(['scan-git', repo.dir, '--staged'], clean.io)).toBe(0);
    expect(clean.errors()).toBe('');
  });

  it('--staged cannot be combined with scan options', async () => {
    const run = io();
    expect(await runCli(['scan-git', repo.dir, '--staged', '--post'], run.io)).toBe(2);
    expect(run.errors()).toContain('--staged cannot be combined with --post.');
  });

  it('installs a hook that makes a real `git commit` refuse a key, once, and never overwrites another hook', async () => {
    const run = io();
    expect(await runCli(['scan-git', repo.dir, '--install-hook'], run.io)).toBe(0);
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    expect(run.text()).toContain(`Installed the pre-commit hook at ${hook}`);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    const script = readFileSync(hook, 'utf8');

    const again = io();
    expect(await runCli(['scan-git', repo.dir, '--install-hook'], again.io)).toBe(0);
    expect(again.text()).toContain('already installed');
    expect(readFileSync(hook, 'utf8')).toBe(script);

    const key = fakeSecretKey('live');
    repo.write('deploy/config.yml', `paykore:\n  secret: ${key}\n`);
    repo.git(['add', '-A']);
    const commit = spawnSync('git', ['commit', '-m', 'add config'], {
      cwd: repo.dir,
      env: repo.env(),
      encoding: 'utf8',
    });
    expect(commit.status).not.toBe(0);
    expect(commit.stderr).toContain(`${maskOf(key)} in deploy/config.yml, line 2`);
    expect(commit.stderr).toContain('revoke it: if it was ever pushed, it is exposed');
    expect(commit.stdout + commit.stderr).not.toContain(key);
    expect(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' }).trim()).toBe('1');

    // Without the key the same commit goes through.
    repo.write('deploy/config.yml', 'paykore:\n  secret: $PAYKORE_SECRET\n');
    repo.git(['add', '-A']);
    const ok = spawnSync('git', ['commit', '-q', '-m', 'add config'], {
      cwd: repo.dir,
      env: repo.env(),
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
  }, 60_000);

  it('refuses to overwrite a different pre-commit hook, and leaves it as it was', async () => {
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nnpm run lint\n', { mode: 0o755 });
    const run = io();
    expect(await runCli(['scan-git', repo.dir, '--install-hook'], run.io)).toBe(2);
    expect(run.errors()).toContain(`A different pre-commit hook exists at ${hook}; it was left as it is.`);
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nnpm run lint\n');
  });
});

describe('scan-git progress', () => {
  it('reports commits and rate on stderr for a long history, and nothing with --quiet', async () => {
    const { tempDatabase, openRegister } = await import('../app/key-register-fixture');
    const { testClock } = await import('../support/test-clock');
    const repo = new TestRepo();
    const db = tempDatabase();
    try {
      openRegister(db.path, testClock(Date.UTC(2026, 0, 1)).clock).close();
      vi.stubEnv('DATABASE_PATH', db.path);
      // 1,200 commits in one fast-import stream: quicker than 1,200 `git commit`s.
      const stream = Array.from({ length: 1200 }, (_, i) => {
        const t = 1_767_600_000 + i * 60;
        const content = `line ${i}\n`;
        return (
          `commit refs/heads/main\nmark :${i + 1}\nauthor A <a@x> ${t} +0000\ncommitter A <a@x> ${t} +0000\ndata 1\nc\n` +
          (i > 0 ? `from :${i}\n` : '') +
          `M 100644 inline f.txt\ndata ${content.length}\n${content}\n`
        );
      }).join('');
      repo.git(['fast-import', '--quiet'], { input: stream });
      const loud = io();
      expect(await runCli(['scan-git', repo.dir], loud.io)).toBe(0);
      expect(loud.errors()).toMatch(
        /^scan-git: 500 commits scanned \(\d+\/s\)\nscan-git: 1000 commits scanned \(\d+\/s\)\n/,
      );
      expect(loud.errors()).toMatch(/scan-git: done, 1200 commits in [\d.]+ s\n$/);
      const quiet = io();
      expect(await runCli(['scan-git', repo.dir, '--quiet'], quiet.io)).toBe(0);
      expect(quiet.errors()).toBe('');
      expect(quiet.text()).toContain('1200 commits scanned');
    } finally {
      vi.unstubAllEnvs();
      db.remove();
      repo.cleanup();
    }
  }, 60_000);
});
