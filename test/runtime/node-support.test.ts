import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeSupport } from '../../src/runtime/node-support';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/paykore-bot.js');
const major = Number(process.versions.node.split('.')[0]);

describe('which Node.js runs the bot', () => {
  it('supports 22 and 24 silently, runs 20 with an end-of-life warning, and refuses anything older', () => {
    expect(nodeSupport('22.12.0')).toEqual({ verdict: 'supported' });
    expect(nodeSupport('24.11.1')).toEqual({ verdict: 'supported' });
    expect(nodeSupport('v24.0.0')).toEqual({ verdict: 'supported' });
    const old = nodeSupport('20.20.2');
    expect(old.verdict).toBe('end-of-life');
    expect(old.verdict === 'end-of-life' && old.message).toMatch(
      /Node\.js 20\.20\.2 is past its end of life.*22 and 24/,
    );
    for (const version of ['18.20.8', '16.0.0', '0.12.18']) {
      const refused = nodeSupport(version);
      expect(refused.verdict).toBe('refused');
      expect(refused.verdict === 'refused' && refused.message).toContain(`this is Node.js ${version}`);
    }
  });

  it('refuses a version string it cannot read instead of guessing', () => {
    for (const version of ['', 'banana', '24', 'v', '２４.0.0']) expect(nodeSupport(version).verdict).toBe('refused');
  });

  it('warns at start on Node 20 only, and never in the output of commands that scripts read', () => {
    const env = { PATH: process.env.PATH ?? '', DATABASE_PATH: ':memory:' };
    const start = spawnSync(process.execPath, [bin, 'start'], { cwd: root, env, encoding: 'utf8' });
    expect(start.status).toBe(78); // no Slack tokens: refused by config, after the version check
    expect(start.stderr.includes('is past its end of life')).toBe(major < 22);
    const help = spawnSync(process.execPath, [bin, 'help'], { cwd: root, env, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
  });
});

describe('the paykore-bot bin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paykore-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says to build first when dist/ is missing, rather than failing with a stack trace', () => {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(bin, join(dir, 'bin/paykore-bot.js'));
    copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
    const run = spawnSync(process.execPath, [join(dir, 'bin/paykore-bot.js'), 'help'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('paykore-bot is not built yet: run `npm run build` first (it writes dist/).\n');
  });
});
