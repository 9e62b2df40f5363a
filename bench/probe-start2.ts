import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSlackStandIn, TEST_BOT_TOKEN } from '../test/support/slack-stand-in';

const standIn = await startSlackStandIn({ strict: false });
const tmp = mkdtempSync(join(tmpdir(), 'tsxcache-'));
const entries = process.argv.slice(2);
const times = new Map<string, number[]>(entries.map((e) => [e, []]));
for (let i = 0; i < 5; i++)
  for (const entry of i % 2 ? [...entries].reverse() : entries) {
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const t0 = performance.now();
    const child = spawn(process.execPath, [entry, 'start'], {
      env: {
        PATH: process.env.PATH ?? '',
        TMPDIR: tmp,
        SLACK_MODE: 'http',
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: 'bench-signing-secret-0123',
        SLACK_API_URL: standIn.url,
        DATABASE_PATH: join(dir, 'db.sqlite'),
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((res) =>
      child.stdout.on('data', (c: Buffer) => {
        if (c.toString().includes('ready')) res();
      }),
    );
    if (i > 0) times.get(entry)!.push(performance.now() - t0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
for (const [e, t] of times)
  console.log(
    e,
    t.map((x) => x.toFixed(0)).join(' '),
    'median',
    [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!.toFixed(0),
  );
await standIn.close();
