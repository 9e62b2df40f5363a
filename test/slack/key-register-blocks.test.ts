import { expect, it } from 'vitest';
import type { ReminderRecord } from '../../src/db/reminder-repository';
import type { RegisteredKey } from '../../src/domain/keys/registered-key';
import type { Rotation } from '../../src/domain/rotation/rotation';
import { ROTATION_STEPS } from '../../src/domain/rotation/rotation-steps';
import { DAY_MS } from '../../src/domain/time';
import { type KeyListing, keyRegisterText } from '../../src/slack/blocks/key-register-text';
import { rotationCreateModal } from '../../src/slack/blocks/modals/rotation-modals';
import { type ReminderState, reminderMessage } from '../../src/slack/blocks/reminder-message';
import { rotationCard } from '../../src/slack/blocks/rotation-card';
import { checkBlocks, checkView } from '../support/conformance';
import { describeConformance } from '../support/specs';

const T0 = Date.UTC(2026, 10, 28, 9);
// The longest label the register accepts, made of the characters mrkdwn cares most about.
const LONG = `${'a_b*c~d'.repeat(11)}-v9`.slice(0, 80);

function key(overrides: Partial<RegisteredKey> = {}): RegisteredKey {
  return {
    id: 7,
    label: LONG,
    environment: 'production',
    kind: 'secret',
    mode: 'live',
    last4: 'Q2xF',
    rotatedAt: T0 - 100 * DAY_MS,
    ownerId: 'U0OWNER001',
    channelId: 'C0KEYS0001',
    status: 'active',
    cycle: 3,
    snoozedUntil: null,
    ...overrides,
  };
}

function reminder(overrides: Partial<ReminderRecord> = {}): ReminderRecord {
  return {
    id: 31,
    keyId: 7,
    cycle: 3,
    stage: 'overdue:10',
    kind: 'overdue',
    dueAt: T0 - 10 * DAY_MS,
    overdueDays: 10,
    skipped: ['before:14', 'before:7', 'before:1', 'due', 'overdue:1'],
    channelId: 'C0KEYS0001',
    decidedAt: T0,
    cardTs: null,
    ...overrides,
  };
}

function rotation(overrides: Partial<Rotation> = {}): Rotation {
  return {
    id: 123_456_789,
    keyId: 7,
    oldLabel: LONG,
    newLabel: null,
    startedBy: 'U0RESP0001',
    startedAt: T0,
    steps: {},
    status: 'in_progress',
    channelId: 'C0KEYS0001',
    cardTs: null,
    ...overrides,
  };
}

const buttons = (blocks: { type: string }[]) =>
  blocks
    .filter((block) => block.type === 'actions')
    .flatMap((block) => (block as unknown as { elements: { action_id: string }[] }).elements.map((e) => e.action_id));

describeConformance('key register Block Kit builders against the Block Kit schema', () => {
  it('draws a valid reminder in every state, with buttons only while the key still needs rotating', () => {
    const states: [ReminderState, string[]][] = [
      [{ kind: 'open', snoozedUntil: null }, ['rotation_start', 'reminder_mark_rotated', 'reminder_snooze']],
      [{ kind: 'open', snoozedUntil: T0 + DAY_MS }, ['rotation_start', 'reminder_mark_rotated', 'reminder_snooze']],
      [{ kind: 'rotated', rotatedAt: T0, nextDueAt: T0 + 90 * DAY_MS }, []],
      [{ kind: 'rotating' }, []],
      [{ kind: 'retired', status: 'compromised' }, []],
    ];
    for (const [state, expected] of states) {
      for (const record of [
        reminder(),
        reminder({ stage: 'before:14', kind: 'upcoming', skipped: [], overdueDays: 0 }),
      ]) {
        const message = reminderMessage(record, key(), state, 90);
        expect(checkBlocks(message.blocks)).toEqual([]);
        expect(buttons(message.blocks)).toEqual(expected);
        expect(message.text).toContain('<@U0OWNER001>');
      }
    }
  });

  it('draws a valid rotation card at every step, finished and called off, showing only the next step', () => {
    let current = rotation();
    const seen: string[][] = [];
    for (const step of ROTATION_STEPS) {
      const card = rotationCard(current, { oldKey: key(), cancelledBy: null, nextDueAt: null });
      expect(checkBlocks(card.blocks)).toEqual([]);
      seen.push(buttons(card.blocks));
      current = {
        ...current,
        newLabel: `${LONG.slice(0, 77)}-v3`,
        steps: { ...current.steps, [step]: { at: T0 + DAY_MS, by: 'U0RESP0002' } },
      };
    }
    expect(seen).toEqual([['rotation_create'], ['rotation_deploy'], ['rotation_verify'], ['rotation_revoke_old']]);
    for (const ended of [
      rotationCard({ ...current, status: 'done' }, { oldKey: key(), cancelledBy: null, nextDueAt: T0 + 90 * DAY_MS }),
      rotationCard({ ...rotation(), status: 'cancelled' }, { oldKey: null, cancelledBy: 'INC-4', nextDueAt: null }),
    ]) {
      expect(checkBlocks(ended.blocks)).toEqual([]);
      expect(buttons(ended.blocks)).toEqual([]);
    }
  });

  it('draws a valid rotation modal whose title fits for the largest rotation number', () => {
    const view = rotationCreateModal(rotation(), `${LONG.slice(0, 77)}-v3`);
    expect(checkView(view)).toEqual([]);
  });
});

it('lists the register in use first, soonest due first, with reuse flagged and retired keys last', () => {
  const listing = (overrides: Partial<RegisteredKey>, reuse: RegisteredKey[] = []): KeyListing => {
    const k = key(overrides);
    return { key: k, dueAt: k.rotatedAt + 90 * DAY_MS, reminderChannel: k.channelId, reuse };
  };
  const text = keyRegisterText(
    [
      listing({ id: 1, label: 'old-production', status: 'revoked' }),
      listing({ id: 2, label: 'later-production', rotatedAt: T0 }),
      listing({ id: 3, label: 'late-staging', environment: 'staging', channelId: null }, [
        key({ label: 'later-production' }),
      ]),
    ],
    T0,
    90,
  );
  const lines = text.split('\n');
  expect(lines[0]).toBe('*Key register*: 2 keys in use, rotated every 90 days.');
  expect(lines[1]).toMatch(/^• `late-staging` · staging live …Q2xF · :warning: overdue since 2026-11-18 \(10 days\)/);
  expect(lines[1]).toContain(':warning: no reminder channel');
  expect(lines[2]).toContain('likely the same key as `later-production` (production)');
  expect(lines[3]).toMatch(/^• `later-production` · production live …Q2xF · due 2027-02-26 \(in 90 days\)/);
  expect(lines[4]).toBe('• `old-production` · production live …Q2xF · revoked');
});
