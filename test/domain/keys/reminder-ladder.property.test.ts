import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueAt } from '../../../src/domain/keys/due-date';
import type { RegisteredKey } from '../../../src/domain/keys/registered-key';
import { nextReminderAt, remindersDue, snooze, stageFireAt } from '../../../src/domain/keys/reminder-ladder';
import { DAY_MS } from '../../../src/domain/time';

const BASE = Date.UTC(2026, 0, 1);

/** Every stage of the cycle that has fired by `now`, computed independently of the ladder's own code. */
function firedStages(key: RegisteredKey, rotationDays: number, offsets: number[], now: number): Set<string> {
  const due = dueAt(key, rotationDays);
  const fired = new Set<string>();
  const consider = (stage: string, fireAt: number) => {
    if (fireAt >= key.rotatedAt && fireAt <= now) fired.add(stage);
  };
  for (const days of offsets) consider(`before:${days}`, due - days * DAY_MS);
  consider('due', due);
  for (let days = 1; due + days * DAY_MS <= now; days++) consider(`overdue:${days}`, due + days * DAY_MS);
  return fired;
}

const lateness = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 3 * DAY_MS }), // a slow scheduler, a restart
  fc.integer({ min: 0, max: 40 * DAY_MS }), // a long outage
);

describe('nextReminderAt and remindersDue agree', () => {
  it('posting at nextReminderAt never duplicates a stage and never skips one without claiming it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 150 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 400 * DAY_MS }),
        fc.integer({ min: 0, max: 200 * DAY_MS }),
        fc.array(fc.record({ late: lateness, snoozeAfter: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        (rotationDays, offsetsDays, rotatedAgo, firstLook, ticks) => {
          let key: RegisteredKey = {
            id: 1,
            label: 'api-server-production-v2',
            environment: 'production',
            kind: 'secret',
            mode: 'live',
            last4: null,
            rotatedAt: BASE - rotatedAgo,
            ownerId: null,
            channelId: null,
            status: 'active',
            cycle: 1,
            snoozedUntil: null,
          };
          const posted = new Set<string>();
          const opts = { rotationDays, offsetsDays, alreadyPosted: posted };
          let now = key.rotatedAt + firstLook;
          let lastFireAt = Number.NEGATIVE_INFINITY;

          for (const { late, snoozeAfter } of ticks) {
            const next = nextReminderAt(key, opts);
            expect(next).not.toBeNull();
            if (next === null) return;
            if (next > now) {
              expect(remindersDue(key, next - 1, opts)).toBeNull();
              now = next;
            }
            now += late;

            const decision = remindersDue(key, now, opts);
            expect(decision).not.toBeNull();
            if (!decision) return;
            for (const stage of decision.claimStages) expect(posted.has(stage)).toBe(false);
            expect(decision.claimStages.at(-1)).toBe(decision.stage);
            expect(decision.coalesced).toBe(decision.skipped.length > 0);
            const fireTimes = decision.claimStages.map((stage) => stageFireAt(stage, decision.dueAt) ?? Number.NaN);
            expect(fireTimes).toEqual([...fireTimes].sort((a, b) => a - b));
            expect(fireTimes[0]).toBeGreaterThan(lastFireAt);
            lastFireAt = decision.fireAt;

            for (const stage of decision.claimStages) posted.add(stage);
            expect(posted).toEqual(firedStages(key, rotationDays, offsetsDays, now));
            expect(remindersDue(key, now, opts)).toBeNull();
            if (snoozeAfter) key = snooze(key, now);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
