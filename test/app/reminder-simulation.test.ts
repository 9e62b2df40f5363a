import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../src/domain/keys/due-date';
import { stageFireAt } from '../../src/domain/keys/reminder-ladder';
import { DAY_MS } from '../../src/domain/time';
import { ENVIRONMENTS } from '../../src/domain/types';
import { type StandIn, startSlackStandIn } from '../support/slack-stand-in';
import { HOUR, testClock } from '../support/test-clock';
import { tempDatabase } from './key-register-fixture';
import { type BotProcess, bootProcess, postedReminderIds, seeded } from './reminder-sim-support';

// 50 keys over 400 simulated days: owners rotate them at random moments, mostly before their due dates (two
// always 12 days late, registered so that they are overdue through the outage), the bot restarts at random
// moments (sometimes with reminders claimed but not yet sent), and is down for ten days in the middle. The
// oracle is the ladder written out by hand: before:14, before:7, before:1, due, then
// overdue:n daily, for each cycle between its start and the last tick before it ended.

const SEED = Number(process.env.SIM_SEED ?? 20_261_128);
const T0 = Date.UTC(2026, 10, 28, 9);
const TICK = HOUR;
const END = T0 + 400 * DAY_MS;
const OUTAGE = { from: T0 + 200 * DAY_MS, to: T0 + 210 * DAY_MS };
const ROTATION_DAYS = 90;
const ACTOR = 'U0OWNER000';

interface Cycle {
  cycle: number;
  rotatedAt: number;
  /** Days after the due date its owner rotates the key (negative: before). */
  delayDays: number;
  /** The last tick the bot ran while this cycle was current. */
  lastTick: number;
}

interface SimKey {
  id: number;
  late: boolean;
  cycles: Cycle[];
}

interface ReminderRow {
  id: number;
  key_id: number;
  cycle: number;
  stage: string;
  due_at: number;
  skipped: string;
  decided_at: number;
}

/** The stages of one cycle that must have been claimed: every one fired by the cycle's last tick. */
function expectedStages(cycle: Cycle): string[] {
  const due = cycle.rotatedAt + ROTATION_DAYS * DAY_MS;
  const stages: [string, number][] = [
    ['before:14', due - 14 * DAY_MS],
    ['before:7', due - 7 * DAY_MS],
    ['before:1', due - DAY_MS],
    ['due', due],
  ];
  for (let n = 1; due + n * DAY_MS <= cycle.lastTick; n += 1) stages.push([`overdue:${n}`, due + n * DAY_MS]);
  return stages.filter(([, at]) => at >= cycle.rotatedAt && at <= cycle.lastTick).map(([stage]) => stage);
}

describe('rotation reminders over 400 simulated days', () => {
  let standIn: StandIn;
  let temp: ReturnType<typeof tempDatabase>;
  beforeAll(async () => {
    standIn = await startSlackStandIn();
    temp = tempDatabase();
  });
  afterAll(async () => {
    await standIn.close();
    temp.remove();
  });

  it('claims every (key, cycle, stage) exactly once, posts each reminder once and in order, across restarts and a 10-day outage', async () => {
    const random = seeded(SEED);
    const clock = testClock(T0);
    let generation = 0;
    let bot: BotProcess = bootProcess(temp.path, clock.clock, standIn, `sim-${generation}`);

    const keys: SimKey[] = [];
    // Most owners rotate within days of the due date; the two late ones keep the ladder going into overdue.
    const delayFor = (key: { late: boolean }) => (key.late ? 12 : -13 + random() * 14);
    for (let i = 0; i < 50; i += 1) {
      const late = i < 2;
      const rotatedAt = T0 - (late ? 0 : Math.floor(random() * 120)) * DAY_MS;
      const outcome = bot.p.register.register({
        label: `service-${i}-${ENVIRONMENTS[i % 3]}`,
        environment: ENVIRONMENTS[i % 3] ?? 'production',
        ownerId: `U0OWNER${String(i).padStart(3, '0')}`,
        channelId: `C0SIMCH00${i % 5}`,
        rotated: isoDate(rotatedAt),
        actor: ACTOR,
        idempotencyKey: `add-${i}`,
      });
      if (outcome.kind !== 'done' || !outcome.value) throw new Error(`could not register key ${i}`);
      keys.push({
        id: outcome.value.id,
        late,
        cycles: [{ cycle: 1, rotatedAt: outcome.value.rotatedAt, delayDays: delayFor({ late }), lastTick: T0 }],
      });
    }

    let restarts = 0;
    let crashesWithUnsent = 0;
    let lastTickBeforeOutage = T0;
    let firstTickAfterOutage: number | null = null;
    for (let t = T0; t <= END; t += TICK) {
      if (t >= OUTAGE.from && t < OUTAGE.to) continue;
      clock.set(t);
      if (t < OUTAGE.from) lastTickBeforeOutage = t;
      if (t >= OUTAGE.to && firstTickAfterOutage === null) firstTickAfterOutage = t;
      const queued = bot.tick();
      if (random() < 1 / 100) {
        // A restart at a random moment: half the time right after claiming, before anything was sent.
        const drain = random() < 0.5;
        if (!drain && queued > 0) crashesWithUnsent += 1;
        await bot.stop({ drain });
        generation += 1;
        restarts += 1;
        bot = bootProcess(temp.path, clock.clock, standIn, `sim-${generation}`);
      }
      await bot.drain();
      for (const key of keys) {
        const current = key.cycles.at(-1)!;
        current.lastTick = t;
        if (t < current.rotatedAt + (ROTATION_DAYS + current.delayDays) * DAY_MS) continue;
        const outcome = bot.p.register.markRotated({
          keyId: key.id,
          on: null,
          expectedCycle: current.cycle,
          actor: ACTOR,
          idempotencyKey: `rotated-${key.id}-${current.cycle}`,
        });
        expect(outcome.kind).toBe('done');
        key.cycles.push({ cycle: current.cycle + 1, rotatedAt: t, delayDays: delayFor(key), lastTick: t });
      }
    }
    await bot.stop({ drain: true });

    expect(restarts).toBeGreaterThan(50);
    expect(crashesWithUnsent).toBeGreaterThan(0);
    expect(keys.reduce((sum, key) => sum + key.cycles.length, 0)).toBeGreaterThan(150);

    const reader = bootProcess(temp.path, clock.clock, standIn, 'reader');
    const reminders = reader.p.db.prepare('SELECT * FROM reminders ORDER BY id').all() as ReminderRow[];
    const claims = reader.p.db.prepare('SELECT key_id, cycle, stage FROM reminder_claims').all() as {
      key_id: number;
      cycle: number;
      stage: string;
    }[];
    await reader.stop({ drain: false });

    // Every stage of every cycle is claimed, and nothing else is.
    const expected = keys.flatMap((key) =>
      key.cycles.flatMap((cycle) => expectedStages(cycle).map((stage) => `${key.id}:${cycle.cycle}:${stage}`)),
    );
    const claimed = claims.map((claim) => `${claim.key_id}:${claim.cycle}:${claim.stage}`);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(expected.sort());

    // Each reminder message reached Slack exactly once.
    const posted = postedReminderIds(standIn);
    expect(posted).toHaveLength(reminders.length);
    expect(new Set(posted).size).toBe(posted.length);

    // Per key, in the order Slack received them: strictly later cycle or stage every time.
    const byId = new Map(reminders.map((reminder) => [reminder.id, reminder]));
    const lastSeen = new Map<number, [number, number]>();
    for (const id of posted) {
      const reminder = byId.get(id)!;
      const fireAt = stageFireAt(reminder.stage, reminder.due_at)!;
      const previous = lastSeen.get(reminder.key_id);
      if (previous) {
        const later = reminder.cycle > previous[0] || (reminder.cycle === previous[0] && fireAt > previous[1]);
        expect(later, `REM-${id} of key ${reminder.key_id} arrived out of order`).toBe(true);
      }
      lastSeen.set(reminder.key_id, [reminder.cycle, fireAt]);
    }

    // The outage: every stage that fell due while the bot was down arrives folded into one message per key.
    expect(firstTickAfterOutage).not.toBeNull();
    const afterOutage = reminders.filter((reminder) => reminder.decided_at === firstTickAfterOutage);
    const missedByKey = new Map<number, string[]>();
    for (const key of keys) {
      const cycle = key.cycles.find(
        (c) => c.rotatedAt <= lastTickBeforeOutage && c.lastTick >= (firstTickAfterOutage ?? 0),
      );
      if (!cycle) continue;
      const due = cycle.rotatedAt + ROTATION_DAYS * DAY_MS;
      const missed = expectedStages(cycle).filter((stage) => {
        const at = stageFireAt(stage, due)!;
        return at > lastTickBeforeOutage && at <= (firstTickAfterOutage ?? 0);
      });
      if (missed.length > 0) missedByKey.set(key.id, missed);
    }
    expect(afterOutage.map((reminder) => reminder.key_id).sort((a, b) => a - b)).toEqual(
      [...missedByKey.keys()].sort((a, b) => a - b),
    );
    for (const reminder of afterOutage) {
      const missed = missedByKey.get(reminder.key_id) ?? [];
      expect([...(JSON.parse(reminder.skipped) as string[]), reminder.stage]).toEqual(missed);
    }
    // The late keys were overdue all ten days: ten daily stages, one message.
    for (const late of keys.filter((key) => key.late)) {
      const message = afterOutage.find((reminder) => reminder.key_id === late.id);
      expect(message?.stage).toMatch(/^overdue:/);
      expect(JSON.parse(message?.skipped ?? '[]')).toHaveLength(9);
    }
  }, 60_000);
});
