import type { Database, Statement } from 'better-sqlite3';

/** Per repository, the commits its refs pointed at after the last scan. Call inside a Store transaction. */
export class GitScanRepository {
  private readonly tipsOf: Statement<{ repository: string }, { tip: string }>;
  private readonly clear: Statement;
  private readonly insertTip: Statement;

  constructor(db: Database) {
    this.tipsOf = db.prepare('SELECT tip FROM git_scan_tips WHERE repository = @repository ORDER BY tip');
    this.clear = db.prepare('DELETE FROM git_scan_tips WHERE repository = @repository');
    this.insertTip = db.prepare(
      'INSERT INTO git_scan_tips (repository, tip, scanned_at) VALUES (@repository, @tip, @at) ON CONFLICT DO NOTHING',
    );
  }

  tips(repository: string): string[] {
    return this.tipsOf.all({ repository }).map((row) => row.tip);
  }

  /** Replaces the repository's tips: a deleted branch no longer needs remembering. */
  saveTips(repository: string, tips: readonly string[], at: number): void {
    this.clear.run({ repository });
    for (const tip of tips) this.insertTip.run({ repository, tip, at });
  }
}
