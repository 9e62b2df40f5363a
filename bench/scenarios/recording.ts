import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../src/app/clock';
import { GroupCommit } from '../../src/app/group-commit';
import { IncidentService } from '../../src/app/incident-service';
import { createStore, type Store } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { benchDir } from '../lib/bench-bot';
import { round, type Summary, summarize } from '../lib/stats';

// Recording actions: a note on an incident is an event appended to its hash chain (reads the stream's head,
// hashes, inserts) plus the card refresh and thread reply it owes, committed durably (synchronous=FULL).

export interface RecordingResult {
  /** Group commit: `writers` callers each await their action, then send the next (as acks do under load). */
  grouped: {
    actions: number;
    writers: number;
    actionsPerSec: number;
    /** From asking for the write to hearing it is durable, per action. */
    commitWait: Summary;
    /** One batch: its pieces, savepoints and the fsync, per commit. */
    commitDuration: Summary;
    commits: number;
  };
  /** One transaction, so one fsync, per action: what the bot did before group commit. */
  perAction: { actions: number; actionsPerSec: number; commitDuration: Summary };
}

const INCIDENTS = 20;

function openIncidents(store: Store, incidents: IncidentService): number[] {
  const ids: number[] = [];
  store.db.transaction(() => {
    for (let i = 0; i < INCIDENTS; i += 1) {
      const outcome = incidents.open({
        channelId: `C0RECORD${String(i).padStart(3, '0')}`,
        actor: 'U0RESP0001',
        keyLabel: `recording-bench-${i}`,
        environment: 'production',
        keyMode: 'live',
        exposureStart: null,
        revokedAt: null,
        how: 'benchmark',
        idempotencyKey: `recording-bench-${i}`,
      });
      if (outcome.kind !== 'done') throw new Error(`could not open incident ${i}`);
      ids.push(outcome.value.id);
    }
  })();
  return ids;
}

export async function measureRecording(opts: {
  actions: number;
  writers: number;
  perActionActions: number;
}): Promise<RecordingResult> {
  const dir = benchDir('recording');
  const db = openDatabase(join(dir, 'recording.sqlite'));
  try {
    const store = createStore(db);
    const incidents = new IncidentService({ store, clock: systemClock, revokeNudgeMinutes: 5 });
    const ids = openIncidents(store, incidents);
    let serial = 0;
    const note = () => {
      serial += 1;
      const incidentId = ids[serial % ids.length]!;
      const key = `bench-note-${serial}`;
      return () => {
        const outcome = incidents.addNote({ incidentId, channelId: null, actor: 'U0RESP0001', text: key, idempotencyKey: key });
        if (outcome.kind !== 'done') throw new Error(`note not recorded: ${outcome.kind}`);
      };
    };

    // Per commit: time the flush itself by wrapping the database's transaction entry point would reach into
    // GroupCommit; instead, time each batch from the first piece queued to the last piece resolved.
    const groupCommit = new GroupCommit(db);
    const commitWait: number[] = [];
    const batchTimes: number[] = [];
    let done = 0;
    const started = performance.now();
    let batchStart = 0;
    let batchOpen = false;
    const writer = async () => {
      for (;;) {
        if (done + opts.writers > opts.actions + opts.writers - 1 && done >= opts.actions) return;
        if (done >= opts.actions) return;
        done += 1;
        const asked = performance.now();
        if (!batchOpen) {
          batchOpen = true;
          batchStart = asked;
          setImmediate(() => {
            // Runs right after the group commit's own flush (queued earlier in the same turn).
            batchTimes.push(performance.now() - batchStart);
            batchOpen = false;
          });
        }
        await groupCommit.run(note());
        commitWait.push(performance.now() - asked);
      }
    };
    const commitsBefore = groupCommit.stats.commits;
    await Promise.all(Array.from({ length: opts.writers }, writer));
    const elapsed = performance.now() - started;
    const grouped = {
      actions: opts.actions,
      writers: opts.writers,
      actionsPerSec: round((opts.actions / elapsed) * 1000, 0),
      commitWait: summarize(commitWait),
      commitDuration: summarize(batchTimes),
      commits: groupCommit.stats.commits - commitsBefore,
    };

    const perActionTimes: number[] = [];
    const perActionStarted = performance.now();
    for (let i = 0; i < opts.perActionActions; i += 1) {
      const work = note();
      const t = performance.now();
      store.transaction(work);
      perActionTimes.push(performance.now() - t);
    }
    const perActionElapsed = performance.now() - perActionStarted;
    return {
      grouped,
      perAction: {
        actions: opts.perActionActions,
        actionsPerSec: round((opts.perActionActions / perActionElapsed) * 1000, 0),
        commitDuration: summarize(perActionTimes),
      },
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
