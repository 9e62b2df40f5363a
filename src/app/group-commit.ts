import type { Database } from 'better-sqlite3';

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
 * A piece that throws rolls back only its savepoint; the others commit. Nobody hears back before the commit.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly batch: { immediate(pieces: Pending[], outcomes: Outcome[]): void };
  /** Pieces committed and commits made: their ratio is the batching achieved. */
  readonly stats = { pieces: 0, commits: 0 };

  constructor(db: Database) {
    this.batch = db.transaction((pieces: Pending[], outcomes: Outcome[]) => {
      for (const piece of pieces) {
        try {
          outcomes.push({ ok: true, value: db.transaction(piece.work)() });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
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
      this.batch.immediate(pieces, outcomes);
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing in the batch is durable.
      for (const piece of pieces) piece.reject(error);
      return;
    }
    this.stats.pieces += pieces.length;
    this.stats.commits += 1;
    pieces.forEach((piece, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok) piece.resolve(outcome.value);
      else piece.reject(outcome?.error);
    });
  }
}
