import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fakeSecretKey } from '../../test/support/fake-keys';
import { benchDir } from '../lib/bench-bot';
import { median, round } from '../lib/stats';

const run = promisify(execFile);

export interface GitScanResult {
  commits: number;
  keysPlanted: number;
  keysFound: number;
  generateMs: number;
  /** `git log -p --all` alone (output discarded), median of the repeats. */
  gitLogMs: number;
  /** The same `git log` the scanner runs (--cc -U0 --no-renames …), alone. */
  gitLogScanArgsMs: number;
  /** The whole scan (git log streamed through the parser and detector, then git grep on HEAD), median. */
  scanMs: number;
  /** scanMs / gitLogMs: what the scanner costs beyond Git itself. */
  ratio: number;
  /** scanMs / gitLogScanArgsMs. */
  ratioSameArgs: number;
  /** The scanning process's high-water mark, start-up included. */
  peakRssMb: number;
  /** The same process before scanning: what the scan itself adds. */
  rssBeforeMb: number;
}

const FILES = 40;
const LINES = 24;

/**
 * A history of `commits` commits made with `git fast-import` in a second or two: a main line where each commit
 * changes two lines of one of 40 files, a side branch of 200 commits never merged, and a fake key planted every
 * `commits / 20` commits (half of them removed again later).
 */
async function generate(dir: string, commits: number): Promise<number> {
  const repo = join(dir, 'repo');
  await run('git', ['init', '-q', '-b', 'main', repo]);
  const files = Array.from({ length: FILES }, (_, f) => Array.from({ length: LINES }, (_, j) => `v0 f${f} l${j}`));
  const chunks: string[] = [];
  let planted = 0;
  const every = Math.floor(commits / 20);
  const commit = (i: number, ref: string, from: string | null, f: number) => {
    const t = 1_767_600_000 + i * 60;
    const content = `${(files[f] ?? []).join('\n')}\n`;
    const message = `change ${i}`;
    chunks.push(
      `commit ${ref}\nmark :${i}\nauthor Bench <bench@example.test> ${t} +0000\ncommitter Bench <bench@example.test> ${t} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      from ? `from ${from}\n` : '',
      `M 100644 inline src/file${f}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  };
  const sideStart = Math.floor(commits / 2);
  for (let i = 1; i <= commits; i += 1) {
    const f = i % FILES;
    const lines = files[f] as string[];
    lines[i % LINES] = `v${i} f${f} l${i % LINES} some value ${i * 7919}`;
    lines[(i * 7) % LINES] = `v${i} f${f} l${(i * 7) % LINES} another ${i * 104729}`;
    if (i % every === 0) {
      lines[3] = `PAYKORE_KEY=${fakeSecretKey('live')}`;
      planted += 1;
    }
    commit(i, 'refs/heads/main', i > 1 ? `:${i - 1}` : null, f);
    if (i === sideStart) {
      for (let s = 1; s <= 200; s += 1) {
        const mark = commits + s;
        const sf = s % FILES;
        (files[sf] as string[])[5] = `side ${s}`;
        commit(mark, 'refs/heads/side', s === 1 ? `:${i}` : `:${mark - 1}`, sf);
      }
    }
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: repo, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))));
    child.stdin.end(chunks.join(''));
  });
  await run('git', ['checkout', '-q', 'main'], { cwd: repo });
  return planted;
}

/** Runs a command with its stdout discarded, for its wall time. */
function timed(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} exited ${code}`)),
    );
  });
}

export async function measureGitScan(opts: { commits: number; repeats: number }): Promise<GitScanResult> {
  const dir = benchDir('git-scan');
  try {
    const generateStarted = performance.now();
    const keysPlanted = await generate(dir, opts.commits);
    const generateMs = performance.now() - generateStarted;
    const repo = join(dir, 'repo');
    const { SCAN_LOG_ARGS } = await import('../../src/git/history-scan');
    const child = new URL('./git-scan-child.ts', import.meta.url).pathname;
    const gitLog: number[] = [];
    const gitLogSame: number[] = [];
    const scans: { ms: number; found: number; peakRssMb: number; rssBeforeMb: number }[] = [];
    // Interleaved, so a busy moment on a shared machine hits both sides alike.
    for (let i = 0; i < opts.repeats; i += 1) {
      gitLog.push(await timed('git', ['log', '-p', '--all'], repo));
      gitLogSame.push(await timed('git', SCAN_LOG_ARGS, repo));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', child, repo], { maxBuffer: 1024 * 1024 });
      scans.push(JSON.parse(stdout.trim()));
    }
    const scanMs = median(scans.map((s) => s.ms));
    const gitLogMs = median(gitLog);
    const gitLogScanArgsMs = median(gitLogSame);
    return {
      commits: opts.commits + 200,
      keysPlanted,
      keysFound: scans[0]?.found ?? 0,
      generateMs: round(generateMs, 0),
      gitLogMs: round(gitLogMs, 0),
      gitLogScanArgsMs: round(gitLogScanArgsMs, 0),
      scanMs: round(scanMs, 0),
      ratio: round(scanMs / gitLogMs, 2),
      ratioSameArgs: round(scanMs / gitLogScanArgsMs, 2),
      peakRssMb: round(Math.max(...scans.map((s) => s.peakRssMb)), 1),
      rssBeforeMb: round(median(scans.map((s) => s.rssBeforeMb)), 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
