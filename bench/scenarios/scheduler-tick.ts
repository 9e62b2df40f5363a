import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src/app/store';
import { KeyRepository } from '../../src/db/key-repository';
import { openDatabase } from '../../src/db/open-database';
import { buildKeyRegister } from '../../src/features/key-register';
import { reminderTask } from '../../src/scheduler/reminder-task';
import { benchDir, discardingLogger } from '../lib/bench-bot';
import { median, round } from '../lib/stats';

// The reminder tick over a large key register: 100,000 keys, all rotated within the last 70 days (their first
// reminder, 14 days before the 90-day due date, is still ahead) except `due` of them rotated 80 days ago.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 9, 0, 0);
const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

export interface SchedulerResult {
  keys: number;
  due: number;
  /** The first tick: decides what is due (indexed query), claims and queues each reminder in its own commit. */
  tickWithDueMs: number;
  reminderMessagesQueued: number;
  /** Later ticks: nothing new is due, so the tick is only the decision. Median of several. */
  idleTickMs: number;
  /** The indexed due query alone (`next_reminder_at <= now`), median of several. */
  dueQueryMs: number;
  queryPlan: string[];
  /** Computing every key's next reminder time: what start-up does when the rotation settings may have changed. */
  scheduleRefreshMs: number;
  /** Start-up with the settings the schedule was computed with: no pass over the keys. */
  scheduleCheckMs: number;
  insertMs: number;
}

export function measureSchedulerTick(opts: { keys: number; due: number }): SchedulerResult {
  const dir = benchDir('keys');
  const db = openDatabase(join(dir, 'keys.sqlite'));
  try {
    const insertStarted = performance.now();
    const insert = db.prepare(
      `INSERT INTO keys (label, environment, kind, mode, last4, rotated_at, owner_id, channel_id, status, cycle,
                         snoozed_until, next_reminder_at, created_at)
       VALUES (?, ?, 'secret', ?, NULL, ?, 'U0OWNER001', 'C0KEYS0001', 'active', 1, NULL, NULL, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < opts.keys; i += 1) {
        const environment = ENVIRONMENTS[i % ENVIRONMENTS.length]!;
        const isDue = i >= opts.keys - opts.due;
        const rotatedAt = isDue ? NOW - 80 * DAY - i * 1000 : NOW - (i % 70) * DAY - (i % 1440) * 60_000;
        insert.run(`bench-key-${i}`, environment, environment === 'production' ? 'live' : 'test', rotatedAt, rotatedAt);
      }
    })();
    const insertMs = performance.now() - insertStarted;

    const store = createStore(db);
    const { register } = buildKeyRegister({
      store,
      clock: () => new Date(NOW),
      logger: discardingLogger(),
      settings: { rotationDays: 90, reminderOffsetsDays: [14, 7, 1], reminderChannel: undefined },
    });
    // What start-up does: the first time (or with changed settings) it recomputes every key; afterwards it only
    // compares the stored settings.
    const refreshStarted = performance.now();
    register.refreshScheduleIfChanged();
    const scheduleRefreshMs = performance.now() - refreshStarted;
    const checkStarted = performance.now();
    const skipped = register.refreshScheduleIfChanged() === null;
    const scheduleCheckMs = performance.now() - checkStarted;
    if (!skipped) throw new Error('the second schedule check recomputed the schedule');

    const keys = new KeyRepository(db);
    const task = reminderTask(register);
    const pendingBefore = store.outbox.countPending();
    const tickStarted = performance.now();
    task.run();
    const tickWithDueMs = performance.now() - tickStarted;
    const reminderMessagesQueued = store.outbox.countPending() - pendingBefore;

    const idleTicks: number[] = [];
    const queries: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      let t = performance.now();
      task.run();
      idleTicks.push(performance.now() - t);
      t = performance.now();
      keys.dueIds(NOW);
      queries.push(performance.now() - t);
    }
    const queryPlan = (
      db
        .prepare('EXPLAIN QUERY PLAN SELECT id FROM keys WHERE next_reminder_at <= ? ORDER BY next_reminder_at, id')
        .all(NOW) as {
        detail: string;
      }[]
    ).map((row) => row.detail);
    return {
      keys: opts.keys,
      due: opts.due,
      tickWithDueMs: round(tickWithDueMs),
      reminderMessagesQueued,
      idleTickMs: round(median(idleTicks), 3),
      dueQueryMs: round(median(queries), 3),
      queryPlan,
      scheduleRefreshMs: round(scheduleRefreshMs, 0),
      scheduleCheckMs: round(scheduleCheckMs, 2),
      insertMs: round(insertMs, 0),
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
