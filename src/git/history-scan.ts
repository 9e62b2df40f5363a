import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FindingsCollector, type KeyFinding, type KeySighting } from '../domain/git-scan/findings';
import { COMMIT_FORMAT, GitLogParser } from '../domain/git-scan/git-log-parser';
import { GitError, gitLines, gitText } from './git-process';

// Runs the scan over a repository: `git log` of every ref streamed through the pure parser and collector, then
// `git grep` on HEAD to say which keys are still there.

// How both scans ask Git for a diff: added lines only, no colour, no user diff drivers, fixed path prefixes the
// parser reads.
const DIFF_ARGS = [
  '-U0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-renames',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

// Every added line of every commit. `--cc` shows a merge's lines that are in none of its parents (a key added
// while resolving a conflict) without repeating what its branches added. `--no-renames` lists a moved file's
// lines as added under its new name, so every path a key lived at is reported (and Git skips rename detection).
export const SCAN_LOG_ARGS = ['log', '--all', '--cc', ...DIFF_ARGS, `--format=${COMMIT_FORMAT}`];

export interface ScanProgress {
  commits: number;
  elapsedMs: number;
}

export interface HistoryScanOptions {
  repo: string;
  /** Only commits not reachable from this revision. */
  since?: string | null;
  /** Commits already scanned (an earlier scan's tips): they and their ancestors are skipped. */
  exclude?: readonly string[];
  fingerprint: (key: string) => string;
  onProgress?: (progress: ScanProgress) => void;
  /** Milliseconds for the progress rate (performance.now in production). */
  elapsed?: () => number;
}

export interface HistoryScan {
  repository: string;
  head: string | null;
  /** Every ref's commit now: what a later scan can skip. */
  tips: string[];
  scannedCommits: number;
  findings: KeyFinding[];
}

const PROGRESS_EVERY = 500;

/** The repository's absolute path after checking it is a folder Git recognises. */
export async function checkRepository(repo: string): Promise<string> {
  const path = resolve(repo);
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new GitError(`${path} is not a folder.`);
  // Git's own wording can be translated, so any failure here reads as the one thing it means.
  try {
    await gitText({ cwd: path, args: ['rev-parse', '--git-dir'] });
  } catch (error) {
    if (error instanceof GitError && /not found/.test(error.message)) throw error;
    throw new GitError(`${path} is not a Git repository.`);
  }
  return path;
}

export async function resolveCommit(cwd: string, rev: string): Promise<string> {
  if (rev.startsWith('-') || rev.trim() === '') throw new GitError(`"${rev}" is not a revision.`);
  const sha = await gitText({
    cwd,
    args: ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
    okCodes: [1],
  });
  if (!/^[0-9a-f]{40,64}$/.test(sha.trim())) throw new GitError(`Unknown revision "${rev}" in ${cwd}.`);
  return sha.trim();
}

export async function headCommit(cwd: string): Promise<string | null> {
  const sha = (await gitText({ cwd, args: ['rev-parse', '--verify', '--quiet', 'HEAD'], okCodes: [1] })).trim();
  return sha === '' ? null : sha;
}

export async function refTips(cwd: string): Promise<string[]> {
  const text = await gitText({ cwd, args: ['for-each-ref', '--format=%(objectname)'] });
  const head = await headCommit(cwd);
  return [...new Set([...text.split('\n').filter((l) => l !== ''), ...(head ? [head] : [])])].sort();
}

/** Which of `shas` still exist in the repository (a force-push can drop an old tip). */
async function existing(cwd: string, shas: readonly string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  const found: string[] = [];
  await gitLines({ cwd, args: ['cat-file', '--batch-check'], stdin: `${shas.join('\n')}\n` }, (line) => {
    const [sha, type] = line.split(' ');
    if (sha && type && type !== 'missing') found.push(sha);
  });
  return found;
}

export async function scanHistory(options: HistoryScanOptions): Promise<HistoryScan> {
  const repository = await checkRepository(options.repo);
  const since = options.since ? await resolveCommit(repository, options.since) : null;
  const head = await headCommit(repository);
  const tips = await refTips(repository);
  const collector = new FindingsCollector(options.fingerprint);
  if (tips.length > 0) {
    const exclude = [...(since ? [since] : []), ...(await existing(repository, options.exclude ?? []))];
    const parser = new GitLogParser();
    const elapsed = options.elapsed ?? (() => performance.now());
    const started = elapsed();
    await gitLines(
      {
        cwd: repository,
        args: exclude.length > 0 ? [...SCAN_LOG_ARGS, '--stdin'] : SCAN_LOG_ARGS,
        stdin: exclude.map((sha) => `^${sha}`).join('\n'),
      },
      (line) => {
        const parsed = parser.push(line);
        if (!parsed) return;
        if (parsed.kind === 'added') {
          collector.added(parsed.added);
          return;
        }
        collector.commit(parsed.commit);
        if (options.onProgress && collector.scannedCommits % PROGRESS_EVERY === 0) {
          options.onProgress({ commits: collector.scannedCommits, elapsedMs: elapsed() - started });
        }
      },
    );
    if (head) await markHead(repository, collector);
  }
  return { repository, head, tips, scannedCommits: collector.scannedCommits, findings: collector.findings() };
}

async function markHead(cwd: string, collector: FindingsCollector): Promise<void> {
  await gitLines(
    { cwd, args: ['grep', '-z', '-n', '-I', '--no-color', '-E', '-e', 'sk_(live|test)_', 'HEAD', '--'], okCodes: [1] },
    (line) => {
      const [name, lineNo, ...rest] = line.split('\0');
      if (!name || !lineNo) return;
      collector.atHead(name.replace(/^HEAD:/, ''), Number(lineNo), rest.join('\0'));
    },
  );
}

/** The staged diff (what `git commit` would record), for the pre-commit hook. */
export async function scanStaged(repo: string, fingerprint: (key: string) => string): Promise<KeySighting[]> {
  const repository = await checkRepository(repo);
  const collector = new FindingsCollector(fingerprint);
  const parser = new GitLogParser();
  const sightings: KeySighting[] = [];
  await gitLines(
    {
      cwd: repository,
      args: ['diff', '--cached', ...DIFF_ARGS],
    },
    (line) => {
      const parsed = parser.push(line);
      if (parsed?.kind === 'added') sightings.push(...collector.added(parsed.added));
    },
  );
  return sightings;
}
