import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: work queued in the same turn of the event loop runs in ONE outer transaction, each piece in its own
 * savepoint (a use-case's own `store.transaction` nests as one), then commits once. With synchronous=FULL every
 * commit is an fsync; sharing it lets many clicks at once be durable before their acks without each paying for it.
 * A piece that throws rolls back only its savepoint; the others commit. Nobody hears back before the commit is
 * on disk.
 *
 * On a WAL database that commits with synchronous=FULL, the batch commits at NORMAL (written to the WAL, not yet
 * synced: SQLite guarantees no corruption either way) and the WAL is then synced off the event loop (fdatasync
 * on libuv's thread pool, what FULL would have done inline). The answers wait for that sync, so an ack still means
 * durable, while the event loop keeps taking requests that form the next batch. Commits made elsewhere keep FULL.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly batch: { immediate(pieces: Pending[], outcomes: Outcome[]): void };
  private readonly offLoop: { walPath: string; relax: Statement; restore: Statement } | null;
  /** Pieces committed and commits made: their ratio is the batching achieved. */
  readonly stats = { pieces: 0, commits: 0 };

  /** `syncOffLoop: false` keeps the sync inside the commit, on the event loop (for comparison). */
  constructor(
    private readonly db: Database,
    options: { syncOffLoop?: boolean } = {},
  ) {
    this.batch = db.transaction((pieces: Pending[], outcomes: Outcome[]) => {
      for (const piece of pieces) {
        try {
          outcomes.push({ ok: true, value: db.transaction(piece.work)() });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
    this.offLoop = options.syncOffLoop === false ? null : syncOffLoop(db);
  }

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const pieces = this.queue;
    this.queue = [];
    const outcomes: Outcome[] = [];
    try {
      this.offLoop?.relax.run();
      this.batch.immediate(pieces, outcomes);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch is durable.
      for (const piece of pieces) piece.reject(error);
      return;
    } finally {
      // A closed connection (shutdown) has nothing to restore, and throwing here would escape the event loop.
      if (this.db.open) this.offLoop?.restore.run();
    }
    this.stats.pieces += pieces.length;
    this.stats.commits += 1;
    const answer = () =>
      pieces.forEach((piece, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) piece.resolve(outcome.value);
        else piece.reject(outcome?.error);
      });
    if (!this.offLoop) {
      answer();
      return;
    }
    // Committed but not known durable: nobody hears "done" unless the sync succeeds.
    syncFile(this.offLoop.walPath).then(answer, (error: unknown) => {
      for (const piece of pieces) piece.reject(error);
    });
  }
}

/** The sync can leave the event loop only for a WAL file on disk committing at FULL or EXTRA. */
function syncOffLoop(db: Database): { walPath: string; relax: Statement; restore: Statement } | null {
  if (db.memory || db.readonly) return null;
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') return null;
  const level = db.pragma('synchronous', { simple: true }) as number;
  if (level < 2) return null;
  return {
    walPath: `${resolve(db.name)}-wal`,
    relax: db.prepare('PRAGMA synchronous = NORMAL'),
    restore: db.prepare(`PRAGMA synchronous = ${level}`),
  };
}

/** fdatasync, as SQLite syncs its WAL on Linux; any descriptor of the file flushes everything written to it. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
