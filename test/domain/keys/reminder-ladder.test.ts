import { describe, expect, it } from 'vitest';
import { dueAt } from '../../../src/domain/keys/due-date';
import type { RegisteredKey } from '../../../src/domain/keys/registered-key';
import {
  DEFAULT_REMINDER_OFFSETS_DAYS,
  describeReminder,
  type LadderOptions,
  nextReminderAt,
  parseOffsets,
  parseStage,
  type ReminderDecision,
  reminderId,
  remindersDue,
  snooze,
  stageFireAt,
} from '../../../src/domain/keys/reminder-ladder';
import { DAY_MS } from '../../../src/domain/time';
import { refusalText } from '../../../src/slack/blocks/refusal-text';

const HOUR = 3_600_000;
const ROTATED = Date.UTC(2026, 0, 1, 9, 30);
const DUE = dueAt({ rotatedAt: ROTATED }, 90); // 2026-04-01 09:30 UTC

function key(overrides: Partial<RegisteredKey> = {}): RegisteredKey {
  return {
    id: 42,
    label: 'api-server-production-v2',
    environment: 'production',
    kind: 'secret',
    mode: 'live',
    last4: null,
    rotatedAt: ROTATED,
    ownerId: 'U0OWNER',
    channelId: 'C0KEYS',
    status: 'active',
    cycle: 1,
    snoozedUntil: null,
    ...overrides,
  };
}

function opts(
  alreadyPosted: Set<string>,
  offsetsDays: readonly number[] = DEFAULT_REMINDER_OFFSETS_DAYS,
): LadderOptions {
  return { rotationDays: 90, offsetsDays, alreadyPosted };
}

/** Ticks a clock from `from` to `to` like the scheduler does, posting whatever is decided. */
function run(
  subject: RegisteredKey,
  from: number,
  to: number,
  step: number,
  posted = new Set<string>(),
): { at: number; decision: ReminderDecision }[] {
  const log: { at: number; decision: ReminderDecision }[] = [];
  for (let now = from; now <= to; now += step) {
    const decision = remindersDue(subject, now, opts(posted));
    if (!decision) continue;
    for (const stage of decision.claimStages) posted.add(stage);
    log.push({ at: now, decision });
  }
  return log;
}

describe('parseOffsets', () => {
  it.each([
    ['14,7,1', [14, 7, 1]],
    ['1,7,14', [14, 7, 1]],
    [' 14 , 7,7, 1 ', [14, 7, 1]],
    ['30', [30]],
    ['3650', [3650]],
  ])('reads %j as %j', (text, offsets) => {
    expect(parseOffsets(text)).toEqual({ ok: true, offsets });
  });

  it.each(['', ' ', '14,,7', '14,7,', '0', '-1', '1.5', '1e2', 'abc', '14;7', '3651', '0x10'])('refuses %j', (text) => {
    const result = parseOffsets(text);
    expect(result).toMatchObject({ ok: false, code: 'invalid_offsets' });
    expect(!result.ok && refusalText(result)).toContain('e.g. 14,7,1');
  });
});

describe('stages', () => {
  it('names and times every stage from the due date', () => {
    expect(parseStage('before:14')).toEqual({ kind: 'upcoming', days: 14 });
    expect(parseStage('due')).toEqual({ kind: 'due', days: 0 });
    expect(parseStage('overdue:3')).toEqual({ kind: 'overdue', days: 3 });
    expect(stageFireAt('before:7', DUE)).toBe(DUE - 7 * DAY_MS);
    expect(stageFireAt('overdue:2', DUE)).toBe(DUE + 2 * DAY_MS);
    for (const junk of ['before:0', 'overdue:-1', 'before:07', 'later', 'due:1', '']) {
      expect(parseStage(junk)).toBeNull();
    }
  });

  it('identifies a reminder by key, cycle and stage', () => {
    expect(reminderId(42, 3, 'before:7')).toBe('42:3:before:7');
  });
});

describe('the ladder over one cycle', () => {
  it('posts each stage once, in order, at its fire time, then daily while overdue', () => {
    const log = run(key(), ROTATED, DUE + 4 * DAY_MS, HOUR / 2);
    expect(log.map((entry) => entry.decision.stage)).toEqual([
      'before:14',
      'before:7',
      'before:1',
      'due',
      'overdue:1',
      'overdue:2',
      'overdue:3',
      'overdue:4',
    ]);
    expect(log.map((entry) => entry.at)).toEqual(log.map((entry) => entry.decision.fireAt));
    expect(log.map((entry) => entry.decision.kind)).toEqual([
      'upcoming',
      'upcoming',
      'upcoming',
      'due',
      'overdue',
      'overdue',
      'overdue',
      'overdue',
    ]);
    expect(log.every((entry) => !entry.decision.coalesced && entry.decision.skipped.length === 0)).toBe(true);
    expect(log.at(-1)?.decision).toMatchObject({ keyId: 42, cycle: 1, dueAt: DUE, overdueDays: 4 });
  });

  it('says when the key is due in a plain sentence', () => {
    const [first, , , dueDay] = run(key(), ROTATED, DUE, HOUR);
    expect(first && describeReminder(key(), first.decision, first.at)).toBe(
      'api-server-production-v2 (production, 76 days old) is due for rotation on 2026-04-01, in 14 days.',
    );
    expect(dueDay && describeReminder(key(), dueDay.decision, dueDay.at)).toBe(
      'api-server-production-v2 (production, 90 days old) is due for rotation today, 2026-04-01.',
    );
  });

  it('starts again from the top after a rotation starts a new cycle', () => {
    const posted = new Set<string>();
    run(key(), ROTATED, DUE + 2 * DAY_MS, HOUR, posted);
    const rotatedAgain = key({ rotatedAt: DUE + 2 * DAY_MS, cycle: 2 });
    const next = run(rotatedAgain, DUE + 2 * DAY_MS, DUE + 2 * DAY_MS + 90 * DAY_MS, HOUR);
    expect(next.map((entry) => entry.decision.stage)).toEqual(['before:14', 'before:7', 'before:1', 'due']);
    expect(next.every((entry) => entry.decision.cycle === 2)).toBe(true);
  });

  it('ignores stages that would fire before the cycle began', () => {
    const short = { rotationDays: 10, offsetsDays: [14, 10, 7], alreadyPosted: new Set<string>() };
    expect(nextReminderAt(key(), short)).toBe(ROTATED);
    expect(remindersDue(key(), ROTATED, short)).toMatchObject({ stage: 'before:10', coalesced: false });
    short.alreadyPosted.add('before:10');
    expect(remindersDue(key(), ROTATED + 3 * DAY_MS, short)).toMatchObject({ stage: 'before:7', skipped: [] });
  });

  it('ignores posted names that are not stages', () => {
    expect(nextReminderAt(key(), opts(new Set(['later', 'overdue:x'])))).toBe(DUE - 14 * DAY_MS);
  });
});

describe('keys that get no reminders', () => {
  it.each(['rotating', 'revoked', 'compromised'] as const)('a %s key gets nothing, ever', (status) => {
    const subject = key({ status });
    expect(run(subject, ROTATED, DUE + 30 * DAY_MS, DAY_MS / 4)).toEqual([]);
    expect(nextReminderAt(subject, opts(new Set()))).toBeNull();
  });
});

describe('snooze', () => {
  it('snoozes for exactly one day from now', () => {
    expect(snooze(key(), DUE).snoozedUntil).toBe(DUE + DAY_MS);
  });

  it('holds the due reminder until the snooze ends, then carries on daily', () => {
    const posted = new Set<string>();
    run(key(), ROTATED, DUE - DAY_MS, HOUR, posted);
    expect(posted).toEqual(new Set(['before:14', 'before:7', 'before:1']));

    const snoozed = snooze(key(), DUE - DAY_MS + 2 * HOUR);
    expect(remindersDue(snoozed, DUE, opts(posted))).toBeNull();
    expect(nextReminderAt(snoozed, opts(posted))).toBe(DUE + 2 * HOUR);

    const log = run(snoozed, DUE, DUE + 3 * DAY_MS, HOUR / 4, posted);
    expect(log.map((entry) => [entry.decision.stage, entry.at - DUE])).toEqual([
      ['due', 2 * HOUR],
      ['overdue:1', DAY_MS],
      ['overdue:2', 2 * DAY_MS],
      ['overdue:3', 3 * DAY_MS],
    ]);
  });
});

describe('coalescing missed reminders', () => {
  it('after a 10-day outage posts one "overdue since" message, claims the skipped stages, then resumes daily', () => {
    const posted = new Set<string>();
    run(key(), ROTATED, DUE, HOUR, posted);
    expect([...posted].at(-1)).toBe('due');

    const back = DUE + 10 * DAY_MS + 6 * HOUR; // down from the due day until ten days later
    const decision = remindersDue(key(), back, opts(posted));
    expect(decision).toMatchObject({
      stage: 'overdue:10',
      kind: 'overdue',
      coalesced: true,
      overdueDays: 10,
      skipped: [
        'overdue:1',
        'overdue:2',
        'overdue:3',
        'overdue:4',
        'overdue:5',
        'overdue:6',
        'overdue:7',
        'overdue:8',
        'overdue:9',
      ],
    });
    expect(decision?.claimStages).toEqual([...(decision?.skipped ?? []), 'overdue:10']);
    expect(decision && describeReminder(key(), decision, back)).toBe(
      'api-server-production-v2 (production, 100 days old) is overdue for rotation since 2026-04-01 (10 days). ' +
        '9 earlier reminders missed meanwhile are folded into this one.',
    );

    const after = run(key(), back, DUE + 13 * DAY_MS, HOUR, posted);
    expect(after.map((entry) => [entry.decision.stage, entry.decision.coalesced])).toEqual([
      ['overdue:10', true],
      ['overdue:11', false],
      ['overdue:12', false],
      ['overdue:13', false],
    ]);
  });

  it('folds upcoming reminders missed while the bot was down into one', () => {
    const posted = new Set(['before:14']);
    const decision = remindersDue(key(), DUE - 12 * HOUR, opts(posted));
    expect(decision).toMatchObject({ stage: 'before:1', kind: 'upcoming', coalesced: true, skipped: ['before:7'] });
    expect(decision && describeReminder(key(), decision, DUE - 12 * HOUR)).toContain(
      'in 1 day. 1 earlier reminder missed meanwhile is folded into this one.',
    );
  });

  it('gives a key registered 30 days overdue one "overdue since" message, then one a day', () => {
    const now = Date.UTC(2026, 5, 1, 14);
    const late = key({ rotatedAt: now - 120 * DAY_MS - 3 * HOUR });
    const due = dueAt(late, 90);
    const posted = new Set<string>();
    const decision = remindersDue(late, now, opts(posted));
    expect(decision).toMatchObject({ stage: 'overdue:30', coalesced: true, overdueDays: 30, dueAt: due });
    expect(decision?.skipped.slice(0, 5)).toEqual(['before:14', 'before:7', 'before:1', 'due', 'overdue:1']);
    expect(decision?.skipped).toHaveLength(33);
    expect(decision && describeReminder(late, decision, now)).toContain(
      'is overdue for rotation since 2026-05-02 (30 days)',
    );

    for (const stage of decision?.claimStages ?? []) posted.add(stage);
    expect(remindersDue(late, now + HOUR, opts(posted))).toBeNull();
    expect(nextReminderAt(late, opts(posted))).toBe(due + 31 * DAY_MS);
    const daily = run(late, now, due + 33 * DAY_MS, HOUR, posted);
    expect(daily.map((entry) => entry.decision.stage)).toEqual(['overdue:31', 'overdue:32', 'overdue:33']);
  });

  it('never replays what is already posted: a late posted stage hides earlier unposted ones', () => {
    // An offset added to the configuration mid-cycle is behind us: it is not posted late.
    const posted = new Set(['before:7']);
    expect(remindersDue(key(), DUE - 7 * DAY_MS + HOUR, opts(posted, [14, 10, 7, 1]))).toBeNull();
    expect(nextReminderAt(key(), opts(posted, [14, 10, 7, 1]))).toBe(DUE - DAY_MS);
  });
});

describe('nextReminderAt', () => {
  it('is the next unposted fire time, pushed back by a snooze', () => {
    expect(nextReminderAt(key(), opts(new Set()))).toBe(DUE - 14 * DAY_MS);
    expect(nextReminderAt(key(), opts(new Set(['before:14'])))).toBe(DUE - 7 * DAY_MS);
    expect(nextReminderAt(key(), opts(new Set(['before:14', 'before:7', 'before:1', 'due'])))).toBe(DUE + DAY_MS);
    expect(nextReminderAt(key({ snoozedUntil: DUE }), opts(new Set()))).toBe(DUE);
    expect(nextReminderAt(key({ snoozedUntil: ROTATED }), opts(new Set()))).toBe(DUE - 14 * DAY_MS);
  });

  it('may be in the past when a reminder is waiting to go out', () => {
    expect(nextReminderAt(key(), opts(new Set()))).toBeLessThan(DUE + 50 * DAY_MS);
    expect(remindersDue(key(), DUE + 50 * DAY_MS, opts(new Set()))).not.toBeNull();
  });
});
