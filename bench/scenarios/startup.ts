import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openDatabase } from '../../src/db/open-database';
import { TEST_BOT_TOKEN } from '../../test/support/slack-stand-in';
import { benchDir, SIGNING_SECRET } from '../lib/bench-bot';
import { median, round } from '../lib/stats';

// `paykore-bot start` as a user runs it, in HTTP mode against the stand-in: from spawning the process to its
// "ready" log line, then its resident memory once idle. The bin runs the compiled bundle in dist/ (built by the
// bench first) with plain node. The first run is "cold" only in that the OS may not have the files cached yet;
// the others are warm, as every later restart. Then the same with 100,000 registered keys: once with reminder
// settings the stored schedule was not computed with (the schedule is recomputed), then warm restarts.

const ROOT = resolve(import.meta.dirname, '../..');

export interface StartRun {
  cache: 'cold' | 'warm';
  readyMs: number;
  idleRssMb: number;
}

export interface StartPhases {
  /** ms since the process began, at the end of each phase. */
  nodeReady: number;
  packagesLoaded: number;
  ready: number;
}

export interface StartupResult {
  runs: StartRun[];
  coldReadyMs: number;
  warmReadyMs: number;
  /** Median of the runs, `idleMs` after ready. */
  idleRssMb: number;
  /** One run left idle longer, RSS sampled each second: V8 shrinks an idle heap after some seconds. */
  settling: { afterMs: number; rssMb: number }[];
  settledRssMb: number;
  /** Median of the phase runs (warm cache). */
  phases: StartPhases;
  /** What Node alone takes to start and exit, on this machine at this moment. */
  bareNodeMs: number;
  /** With 100,000 keys in the register. */
  manyKeys: { keys: number; settingsChangedReadyMs: number; warmReadyMs: number; runs: number[] };
}

function readyLine(child: ChildProcess, output: string[]): Promise<void> {
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${output.join('')}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      if (chunk.toString('utf8').includes('PayKore incident bot ready')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

async function startOnce(
  entry: string,
  slackApiUrl: string,
  cacheDir: string,
  idleMs: number,
  sampleEveryMs = 0,
  databasePath?: string,
): Promise<{ readyMs: number; idleRssMb: number; samples: { afterMs: number; rssMb: number }[]; stderr: string }> {
  const dir = benchDir('start');
  const output: string[] = [];
  const started = performance.now();
  const child = spawn(process.execPath, [entry, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TMPDIR: cacheDir,
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      DATABASE_PATH: databasePath ?? join(dir, 'paykore-bot.sqlite'),
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await readyLine(child, output);
    const readyMs = performance.now() - started;
    const samples: { afterMs: number; rssMb: number }[] = [];
    if (sampleEveryMs > 0) {
      for (let afterMs = sampleEveryMs; afterMs <= idleMs; afterMs += sampleEveryMs) {
        await delay(sampleEveryMs);
        samples.push({ afterMs, rssMb: round(rssMb(child.pid ?? 0), 1) });
      }
    } else {
      await delay(idleMs);
    }
    const idleRssMb = rssMb(child.pid ?? 0);
    return { readyMs, idleRssMb, samples, stderr: output.join('') };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100,000 active keys written with raw SQL, as scheduler-tick does; their schedule is left for the bot to compute. */
function seedKeys(path: string, keys: number): void {
  const db = openDatabase(path);
  const now = Date.now();
  const insert = db.prepare(
    `INSERT INTO keys (label, environment, kind, mode, last4, rotated_at, owner_id, channel_id, status, cycle,
                       snoozed_until, next_reminder_at, created_at)
     VALUES (?, 'staging', 'secret', 'test', NULL, ?, 'U0OWNER001', 'C0KEYS0001', 'active', 1, NULL, NULL, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < keys; i += 1) {
      const rotatedAt = now - (i % 70) * 86_400_000 - (i % 1440) * 60_000;
      insert.run(`bench-start-key-${i}`, rotatedAt, rotatedAt);
    }
  })();
  db.close();
}

function parsePhases(output: string, readyMs: number): StartPhases {
  const line = output.split('\n').find((l) => l.startsWith('phases '));
  if (!line) throw new Error(`no phases line in:\n${output}`);
  return { ...(JSON.parse(line.slice('phases '.length)) as Omit<StartPhases, 'ready'>), ready: readyMs };
}

async function bareNode(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((done) => child.once('exit', done));
  return performance.now() - started;
}

export async function measureStartup(opts: {
  slackApiUrl: string;
  warmRuns: number;
  phaseRuns: number;
  idleMs: number;
  settleMs: number;
  manyKeys: number;
}): Promise<StartupResult> {
  // Its own TMPDIR, as before: nothing of the machine's temp folder leaks into a run.
  const cacheDir = mkdtempSync(join(tmpdir(), 'paykore-bench-tmp-'));
  const bin = join(ROOT, 'bin/paykore-bot.js');
  try {
    const runs: StartRun[] = [];
    const cold = await startOnce(bin, opts.slackApiUrl, cacheDir, opts.idleMs);
    runs.push({ cache: 'cold', readyMs: round(cold.readyMs, 0), idleRssMb: round(cold.idleRssMb, 1) });
    for (let i = 0; i < opts.warmRuns; i += 1) {
      const warm = await startOnce(bin, opts.slackApiUrl, cacheDir, opts.idleMs);
      runs.push({ cache: 'warm', readyMs: round(warm.readyMs, 0), idleRssMb: round(warm.idleRssMb, 1) });
    }
    const settling = (await startOnce(bin, opts.slackApiUrl, cacheDir, opts.settleMs, 1000)).samples;
    const phaseRuns: StartPhases[] = [];
    for (let i = 0; i < opts.phaseRuns; i += 1) {
      const run = await startOnce(join(ROOT, 'bench/lib/start-phases.mjs'), opts.slackApiUrl, cacheDir, 0);
      phaseRuns.push(parsePhases(run.stderr, run.readyMs));
    }
    const phase = (name: keyof StartPhases) => round(median(phaseRuns.map((p) => p[name])), 0);
    const keysDir = benchDir('start-keys');
    const keysDb = join(keysDir, 'paykore-bot.sqlite');
    const manyKeys: StartupResult['manyKeys'] = {
      keys: opts.manyKeys,
      settingsChangedReadyMs: Number.NaN,
      warmReadyMs: Number.NaN,
      runs: [],
    };
    try {
      seedKeys(keysDb, opts.manyKeys);
      const changed = await startOnce(bin, opts.slackApiUrl, cacheDir, 0, 0, keysDb);
      manyKeys.settingsChangedReadyMs = round(changed.readyMs, 0);
      for (let i = 0; i < opts.warmRuns; i += 1) {
        manyKeys.runs.push(round((await startOnce(bin, opts.slackApiUrl, cacheDir, 0, 0, keysDb)).readyMs, 0));
      }
      manyKeys.warmReadyMs = round(median(manyKeys.runs), 0);
    } finally {
      rmSync(keysDir, { recursive: true, force: true });
    }
    const bare: number[] = [];
    for (let i = 0; i < 3; i += 1) bare.push(await bareNode());
    const warmRuns = runs.filter((r) => r.cache === 'warm');
    return {
      runs,
      coldReadyMs: runs[0]!.readyMs,
      warmReadyMs: round(median(warmRuns.map((r) => r.readyMs)), 0),
      idleRssMb: round(median(warmRuns.map((r) => r.idleRssMb)), 1),
      settling,
      settledRssMb: settling.at(-1)?.rssMb ?? Number.NaN,
      phases: {
        nodeReady: phase('nodeReady'),
        packagesLoaded: phase('packagesLoaded'),
        ready: phase('ready'),
      },
      bareNodeMs: round(median(bare), 0),
      manyKeys,
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
