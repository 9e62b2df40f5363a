import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { redactSecretKeys } from '../domain/key-detector';

// The one place that runs the `git` command line. Output is read line by line as it arrives, so a history of any
// size passes through in constant memory. Git's own messages are redacted before they reach an error: a key
// given as a revision would otherwise be echoed back.

/** A Git problem said in one sentence, for exit code 2. */
export class GitError extends Error {
  readonly code = 'git_error';
}

// Settings a user's config could change under us: prefixes, external diff tools, signatures, colour.
const FIXED_CONFIG = [
  '-c',
  'core.quotePath=true',
  '-c',
  'log.showSignature=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'color.ui=never',
];

export interface GitRun {
  cwd: string;
  args: string[];
  /** Written to git's stdin, then closed. */
  stdin?: string;
  /** Exit codes that are answers, not failures (`git grep` exits 1 when nothing matches). */
  okCodes?: number[];
}

const MAX_STDERR = 4096;

/** Runs git, handing each stdout line to `onLine` as it arrives; resolves with the exit code. */
export async function gitLines(run: GitRun, onLine: (line: string) => void): Promise<number> {
  const child = spawn('git', [...FIXED_CONFIG, ...run.args], {
    cwd: run.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < MAX_STDERR) stderr += chunk.slice(0, MAX_STDERR - stderr.length);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 128));
  });
  // Observed below; this only keeps an early failure from counting as unhandled while the lines are read.
  exited.catch(() => undefined);
  child.stdin.on('error', () => undefined);
  child.stdin.end(run.stdin ?? '');
  try {
    await splitLines(child.stdout, onLine);
  } catch (error) {
    child.kill();
    throw error;
  }
  let code: number;
  try {
    code = await exited;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GitError('The `git` command was not found: install Git or put it on PATH.');
    }
    throw new GitError(`git could not be started: ${redactSecretKeys(String((error as Error).message))}`);
  }
  if (code !== 0 && !(run.okCodes ?? []).includes(code)) throw gitFailure(run, redactSecretKeys(stderr.trim()));
  return code;
}

/**
 * Hands each `\n`-ended line of the stream to `onLine` (a trailing `\r` dropped), chunk by chunk: only the current
 * chunk and one unfinished line are ever held. Faster than node:readline, which also splits on a bare `\r`.
 */
async function splitLines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  stream.setEncoding('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(text.slice(from, end));
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  if (rest !== '') onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}

/** Runs git and returns its whole stdout: for short answers only (rev-parse, for-each-ref). */
export async function gitText(run: GitRun): Promise<string> {
  const lines: string[] = [];
  await gitLines(run, (line) => lines.push(line));
  return lines.join('\n');
}

function gitFailure(run: GitRun, stderr: string): GitError {
  if (/not a git repository/i.test(stderr)) return new GitError(`${run.cwd} is not a Git repository.`);
  const unknown = /(?:unknown revision|bad revision|ambiguous argument) '([^']*)'/i.exec(stderr);
  if (unknown) return new GitError(`Unknown revision "${unknown[1]}" in ${run.cwd}.`);
  const firstLine = stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code unknown`;
  return new GitError(`git ${run.args[0] ?? ''} failed in ${run.cwd}: ${firstLine}`);
}
