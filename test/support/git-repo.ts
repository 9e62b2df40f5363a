import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** An environment for `git` that ignores the machine's and the user's config, with fixed identities and dates. */
export function gitEnv(home: string, at: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const date = `${Math.floor(at / 1000)} +0000`;
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
    GIT_AUTHOR_NAME: 'Ana Author',
    GIT_AUTHOR_EMAIL: 'ana@example.test',
    GIT_COMMITTER_NAME: 'Cy Committer',
    GIT_COMMITTER_EMAIL: 'cy@example.test',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    ...extra,
  };
}

/**
 * A real Git repository in a temp folder. Every commit gets the next hour after `start` as author date and the
 * hour after that plus five minutes as commit date, so first-commit answers are deterministic.
 */
export class TestRepo {
  readonly dir: string;
  private readonly home: string;
  private hour = 0;

  constructor(readonly start = Date.UTC(2026, 0, 5, 9)) {
    this.home = mkdtempSync(join(tmpdir(), 'paykore-git-'));
    this.dir = join(this.home, 'repo');
    mkdirSync(this.dir);
    writeFileSync(join(this.home, 'gitconfig'), '');
    this.git(['init', '-q', '-b', 'main']);
  }

  /** Author date of the next commit. */
  nextAuthorDate(): number {
    return this.start + (this.hour + 1) * 3_600_000;
  }

  git(args: string[], options: { input?: string; env?: Record<string, string> } = {}): string {
    const authored = this.start + this.hour * 3_600_000;
    return execFileSync('git', args, {
      cwd: this.dir,
      env: {
        ...gitEnv(this.home, authored, options.env),
        GIT_COMMITTER_DATE: `${Math.floor((authored + 300_000) / 1000)} +0000`,
      },
      input: options.input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  write(path: string, content: string): this {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  remove(path: string): this {
    this.git(['rm', '-q', path]);
    return this;
  }

  /** Stages everything and commits; returns the new commit's sha. */
  commit(message: string): string {
    this.hour += 1;
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--allow-empty', '-m', message]);
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  /** Author date (ms) the commit `sha` got. */
  authorDate(sha: string): number {
    return Number(this.git(['show', '-s', '--format=%at', sha]).trim()) * 1000;
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }

  env(): NodeJS.ProcessEnv {
    return gitEnv(this.home, this.start);
  }
}
