import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { systemClock } from '../../src/app/clock';
import { GroupCommit } from '../../src/app/group-commit';
import { IncidentService } from '../../src/app/incident-service';
import { createStore, type Store } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { benchDir } from '../lib/bench-bot';
import { round, type Summary, summarize } from '../lib/stats';

// Recording actions: a note on an incident is an event appended to its hash chain (reads the stream's head,
// hashes, inserts) plus the card refresh and thread reply it owes, committed durably (synchronous=FULL).

export interface GroupedRun {
  actions: number;
  writers: number;
  actionsPerSec: number;
  /** From asking for the write to hearing it is durable, per action: about one batch and its fsync. */
  commitWait: Summary;
  commits: number;
  actionsPerCommit: number;
}

export interface RecordingResult {
  /** Group commit as the bot runs it: `writers` callers each await their action, then ask for the next. */
  grouped: GroupedRun;
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

/**
 * Writers re-queue as soon as they hear back, so each turn of the event loop carries one batch of up to `writers`
 * actions: the wait each one sees is the batch's work plus its single sync.
 */
async function grouping(
  db: Database,
  note: () => () => void,
  opts: { actions: number; writers: number },
): Promise<GroupedRun> {
  const groupCommit = new GroupCommit(db);
  const commitWait: number[] = [];
  let asked = 0;
  const writer = async () => {
    while (asked < opts.actions) {
      asked += 1;
      const work = note();
      const t = performance.now();
      await groupCommit.run(work);
      commitWait.push(performance.now() - t);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.writers }, writer));
  const elapsed = performance.now() - started;
  const { commits } = groupCommit.stats;
  return {
    actions: opts.actions,
    writers: opts.writers,
    actionsPerSec: round((opts.actions / elapsed) * 1000, 0),
    commitWait: summarize(commitWait),
    commits,
    actionsPerCommit: round(opts.actions / commits, 1),
  };
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
        const outcome = incidents.addNote({
          incidentId,
          channelId: null,
          actor: 'U0RESP0001',
          text: key,
          idempotencyKey: key,
        });
        if (outcome.kind !== 'done') throw new Error(`note not recorded: ${outcome.kind}`);
      };
    };

    const grouped = await grouping(db, note, opts);

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
