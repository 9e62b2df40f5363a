import { resolve as resolvePath } from 'node:path';
import { redactSecretKeys } from '../domain/key-detector';
import { GitError } from '../git/git-process';
import { scanHistory } from '../git/history-scan';
import type { Clock } from './clock';
import type { GitScanService, RecordedScan } from './git-scan-service';
import type { Logger } from './logger';

export interface ScheduledGitScanOptions {
  service: GitScanService;
  repos: readonly string[];
  intervalMinutes: number;
  clock: Clock;
  logger: Logger;
  fingerprint: (key: string) => string;
  /** Wakes the outbox sender once warnings are queued. */
  notify(): void;
}

export interface RepoScanOutcome {
  repository: string;
  scannedCommits: number;
  recorded: RecordedScan | null;
  error: string | null;
}

/**
 * Scans SCAN_REPOS every SCAN_INTERVAL_MINUTES from the scheduler's tick. The tick is synchronous and a scan is a
 * child process, so the tick only starts a pass when one is due and none is running; each repository is read
 * from the tips its last scan saved, so a pass reads only new commits.
 */
export class ScheduledGitScan {
  private nextDueAt = Number.NEGATIVE_INFINITY;
  private running: Promise<RepoScanOutcome[]> | null = null;

  constructor(private readonly options: ScheduledGitScanOptions) {}

  /** The scheduler's task: starts a pass when due. Returns 0: warnings are queued later, when the pass ends. */
  tick(): number {
    const now = this.options.clock().getTime();
    if (this.running || now < this.nextDueAt) return 0;
    this.nextDueAt = now + this.options.intervalMinutes * 60_000;
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    return 0;
  }

  /** The pass in progress, if any (tests await it). */
  idle(): Promise<RepoScanOutcome[]> {
    return this.running ?? Promise.resolve([]);
  }

  private async pass(): Promise<RepoScanOutcome[]> {
    const { service, logger } = this.options;
    const outcomes: RepoScanOutcome[] = [];
    for (const repo of this.options.repos) {
      try {
        const scan = await scanHistory({
          repo,
          exclude: service.tips(repoKey(repo)),
          fingerprint: this.options.fingerprint,
        });
        const repository = redactSecretKeys(scan.repository);
        const recorded = service.record({
          repository,
          tips: scan.tips,
          findings: service.annotate(scan.findings),
        });
        if (recorded.unposted.length > 0) {
          logger.warn(
            { repository, keys: recorded.unposted.length },
            'keys found in Git with no channel to warn in: set SIGNALS_CHANNEL or REMINDER_CHANNEL',
          );
        }
        if (recorded.posted.length > 0) this.options.notify();
        outcomes.push({ repository, scannedCommits: scan.scannedCommits, recorded, error: null });
      } catch (error) {
        const message = error instanceof GitError ? error.message : String((error as Error)?.message ?? error);
        const safe = redactSecretKeys(message);
        logger.error({ repository: redactSecretKeys(repo), error: safe }, 'Git scan failed; the next pass retries');
        outcomes.push({ repository: redactSecretKeys(repo), scannedCommits: 0, recorded: null, error: safe });
      }
    }
    return outcomes;
  }
}

/** Tips are remembered under the absolute path, as the scan reports it. */
function repoKey(repo: string): string {
  return redactSecretKeys(resolvePath(repo));
}
