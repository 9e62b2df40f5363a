import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeyRepository } from '../../src/db/key-repository';
import { isoDate } from '../../src/domain/keys/due-date';
import { DAY_MS } from '../../src/domain/time';
import { type StandIn, startSlackStandIn } from '../support/slack-stand-in';
import { MINUTE, testClock } from '../support/test-clock';
import { tempDatabase } from './key-register-fixture';
import { type BotProcess, bootProcess, postedReminderIds, seeded } from './reminder-sim-support';

const T0 = Date.UTC(2026, 10, 28, 9);
const ACTOR = 'U0RESP0001';

describe('two bot processes on one database', () => {
  let standIn: StandIn;
  let temp: ReturnType<typeof tempDatabase>;
  const clock = testClock(T0);
  let a: BotProcess;
  let b: BotProcess;

  beforeEach(async () => {
    clock.set(T0);
    standIn = await startSlackStandIn();
    temp = tempDatabase();
    a = bootProcess(temp.path, clock.clock, standIn, 'process-a');
    b = bootProcess(temp.path, clock.clock, standIn, 'process-b');
  });
  afterEach(async () => {
    await a.stop({ drain: false });
    await b.stop({ drain: false });
    await standIn.close();
    temp.remove();
  });

  it('never posts a reminder twice over a simulated week of interleaved ticks', async () => {
    const random = seeded(7);
    // Due dates spread around the week, so before:7, before:1, due and overdue stages all fire in it.
    for (let i = 0; i < 50; i += 1) {
      const rotatedAt = T0 - (90 - Math.floor(random() * 14) + 4) * DAY_MS;
      const outcome = a.p.register.register({
        label: `service-${i}-production`,
        environment: 'production',
        channelId: `C0TWOCH00${i % 4}`,
        ownerId: `U0OWNER${String(i).padStart(3, '0')}`,
        rotated: isoDate(rotatedAt),
        actor: ACTOR,
        idempotencyKey: `add-${i}`,
      });
      expect(outcome.kind).toBe('done');
    }
    const queued = new Map<BotProcess, number>();
    for (let t = T0; t <= T0 + 7 * DAY_MS; t += 10 * MINUTE) {
      clock.set(t);
      // Both processes tick, in either order, and then send side by side.
      const [first, second] = random() < 0.5 ? [a, b] : [b, a];
      queued.set(first, (queued.get(first) ?? 0) + first.tick());
      if (random() < 0.8) queued.set(second, (queued.get(second) ?? 0) + second.tick());
      await Promise.all([first.drain(), second.drain()]);
    }
    const reminders = a.p.db.prepare('SELECT id FROM reminders').all();
    const posted = postedReminderIds(standIn);
    expect(reminders.length).toBeGreaterThan(100);
    expect(posted).toHaveLength(reminders.length);
    expect(new Set(posted).size).toBe(posted.length);
    // Both did real work: neither process sat idle while the other claimed everything.
    expect(queued.get(a)).toBeGreaterThan(10);
    expect(queued.get(b)).toBeGreaterThan(10);
    expect((queued.get(a) ?? 0) + (queued.get(b) ?? 0)).toBe(reminders.length);
  });

  it('rolls back the loser of a claim race: its stage was claimed first, so it queues nothing', () => {
    a.p.register.register({
      label: 'api-server-production-v2',
      environment: 'production',
      channelId: 'C0TWOCH000',
      rotated: '2026-09-01',
      actor: ACTOR,
      idempotencyKey: 'add',
    });
    // B decides from what it read before A claimed (the race the UNIQUE constraint exists for): it still sees the
    // key as due and none of its stages as claimed.
    const stale = b.p.reminderRows.claimedStages(1, 1);
    b.p.reminderRows.claimedStages = () => new Set(stale);
    (b.p.register as unknown as { keys: KeyRepository }).keys.dueIds = () => [1];
    expect(a.tick()).toBe(1);
    const outboxBefore = a.p.db.prepare('SELECT count(*) AS n FROM outbox').get();
    const eventsBefore = a.p.db.prepare('SELECT count(*) AS n FROM events').get();
    expect(b.tick()).toBe(0);
    expect(a.p.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual(outboxBefore);
    expect(a.p.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual(eventsBefore);
    expect(a.p.db.prepare('SELECT count(*) AS n FROM reminders').get()).toEqual({ n: 1 });
    expect(b.p.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });
});
