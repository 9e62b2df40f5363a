import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEYS_STREAM } from '../../src/app/key-register-service';
import { verifyChain } from '../../src/domain/event-chain';
import { DAY_MS } from '../../src/domain/time';
import { refusalText } from '../../src/slack/blocks/refusal-text';
import { STEP_DETAILS } from '../fixtures/step-details';
import { HOUR, MINUTE, testClock } from '../support/test-clock';
import { openRegister, type RegisterProcess, tempDatabase } from './key-register-fixture';

const T0 = Date.UTC(2026, 10, 28, 9);
const CHANNEL = 'C0KEYS0001';
const OWNER = 'U0OWNER001';
const ACTOR = 'U0RESP0001';

describe('KeyRegisterService', () => {
  const clock = testClock(T0);
  let temp: ReturnType<typeof tempDatabase>;
  let p: RegisterProcess;
  let n = 0;
  const key = () => {
    n += 1;
    return `test-${n}`;
  };

  beforeEach(() => {
    clock.set(T0);
    temp = tempDatabase();
    p = openRegister(temp.path, clock.clock);
  });
  afterEach(() => {
    p.close();
    temp.remove();
  });

  const add = (label: string, extra: Record<string, unknown> = {}) =>
    p.register.register({
      label,
      environment: 'production',
      ownerId: OWNER,
      channelId: CHANNEL,
      actor: ACTOR,
      idempotencyKey: key(),
      ...extra,
    });
  const state = () => ({
    keys: p.db.prepare('SELECT * FROM keys ORDER BY id').all(),
    events: p.db.prepare('SELECT stream, seq, type FROM events ORDER BY id').all(),
  });
  const posted = () =>
    p.db.prepare('SELECT key_id, cycle, stage, skipped FROM reminders ORDER BY id').all() as {
      key_id: number;
      cycle: number;
      stage: string;
      skipped: string;
    }[];

  it('registers a key with its first reminder 14 days before the due date, recorded in the KEYS stream', () => {
    const outcome = add('api-server-production-v2', { last4: 'Q2xF' });
    expect(outcome.kind).toBe('done');
    const stored = p.register.findByLabel('API-SERVER-PRODUCTION-V2');
    expect(stored).toMatchObject({ label: 'api-server-production-v2', mode: 'live', cycle: 1, status: 'active' });
    expect(p.register.nextReminderAt(stored!)).toBe(T0 + 76 * DAY_MS);
    const events = p.store.events.stream(KEYS_STREAM);
    expect(events.map((e) => e.type)).toEqual(['key_registered']);
    expect(events[0]?.details).toMatchObject({ label: 'api-server-production-v2', last4: 'Q2xF', source: 'command' });
    expect(verifyChain(KEYS_STREAM, events).ok).toBe(true);
  });

  it('refuses a label that differs only in case, and stores nothing', () => {
    add('api-server-production-v2');
    const before = state();
    const outcome = add('API-Server-Production-V2', { environment: 'staging' });
    expect(outcome).toMatchObject({ kind: 'refused', refusal: { code: 'label_taken' } });
    expect(state()).toEqual(before);
  });

  it('refuses a key that looks reused across environments, with the seed reason, and stores nothing', () => {
    add('api-server-production-v2', { last4: 'Q2xF' });
    const before = state();
    const outcome = add('api-server-staging', { environment: 'staging', mode: 'live', last4: 'Q2xF' });
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' && refusalText(outcome.refusal)).toMatch(
      /staging breach would become a production/,
    );
    expect(state()).toEqual(before);
  });

  it('refuses a pasted secret key as a label without repeating it', () => {
    const fake = `sk_live_${'FAKE'.repeat(7)}`;
    const outcome = add(fake);
    expect(outcome.kind === 'refused' && refusalText(outcome.refusal)).not.toContain('FAKEFAKE');
    expect(state().keys).toEqual([]);
  });

  it('gives a key added already overdue one coalesced "overdue" reminder at the next tick', () => {
    add('legacy-production', { rotated: '2026-07-01' });
    expect(p.register.runReminders()).toBe(1);
    const [reminder] = posted();
    expect(reminder?.stage).toBe('overdue:60');
    expect(JSON.parse(reminder?.skipped ?? '[]')).toHaveLength(63); // before:14, before:7, before:1, due, overdue:1…59
    expect(p.register.runReminders()).toBe(0);
    clock.advance(DAY_MS);
    expect(p.register.runReminders()).toBe(1);
    expect(posted().at(-1)?.stage).toBe('overdue:61');
  });

  it('marks a key rotated once for a double click on the same reminder', () => {
    add('api-server-production-v2', { rotated: '2026-09-01' });
    p.register.runReminders();
    const keyId = p.register.findByLabel('api-server-production-v2')!.id;
    const first = p.register.markRotated({ keyId, on: null, expectedCycle: 1, actor: ACTOR, idempotencyKey: key() });
    const second = p.register.markRotated({ keyId, on: null, expectedCycle: 1, actor: ACTOR, idempotencyKey: key() });
    expect(first.kind).toBe('done');
    expect(second).toMatchObject({ kind: 'refused', refusal: { code: 'already_rotated' } });
    expect(p.register.get(keyId)).toMatchObject({ cycle: 2, rotatedAt: T0 });
    expect(p.store.events.stream(KEYS_STREAM).filter((e) => e.type === 'key_rotated')).toHaveLength(1);
  });

  it('snoozes for one day, refuses a second snooze, and posts what fell due meanwhile when it ends', () => {
    // Due 2026-12-01 00:00: before:14 and before:7 are behind us, before:1 fires 2026-11-30 00:00.
    add('api-server-production-v2', { rotated: '2026-09-02' });
    expect(p.register.runReminders()).toBe(1);
    expect(posted().at(-1)).toMatchObject({ stage: 'before:7', skipped: '["before:14"]' });
    const keyId = p.register.findByLabel('api-server-production-v2')!.id;
    clock.advance(35 * HOUR);
    expect(p.register.snooze({ keyId, expectedCycle: 1, actor: ACTOR, idempotencyKey: key() }).kind).toBe('done');
    expect(p.register.snooze({ keyId, expectedCycle: 1, actor: ACTOR, idempotencyKey: key() })).toMatchObject({
      kind: 'refused',
      refusal: { code: 'already_snoozed' },
    });
    clock.advance(14 * HOUR);
    expect(p.register.runReminders()).toBe(0);
    clock.advance(10 * HOUR);
    expect(p.register.runReminders()).toBe(1);
    expect(posted().at(-1)).toMatchObject({ stage: 'before:1', skipped: '[]' });
  });

  it('skips a key with no reminder channel with one warning, then posts what was missed once a channel exists', () => {
    add('orphan-production', { channelId: null, rotated: '2026-08-01' });
    for (let i = 0; i < 3; i += 1) {
      expect(p.register.runReminders()).toBe(0);
      clock.advance(MINUTE);
    }
    expect(p.logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    expect(posted()).toEqual([]);
    p.close();
    p = openRegister(temp.path, clock.clock, { reminderChannel: 'C0REMIND01' });
    expect(p.register.runReminders()).toBe(1);
    expect(p.db.prepare('SELECT channel_id FROM reminders').all()).toEqual([{ channel_id: 'C0REMIND01' }]);
  });

  it('previews what a tick would post without changing anything', () => {
    add('legacy-production', { rotated: '2026-07-01' });
    const before = state();
    const preview = p.register.previewReminders(T0 + DAY_MS);
    expect(preview.map((item) => [item.key.label, item.decision.stage, item.channelId])).toEqual([
      ['legacy-production', 'overdue:61', CHANNEL],
    ]);
    expect(state()).toEqual(before);
    expect(posted()).toEqual([]);
  });

  it('recomputes stored schedules when the reminder offsets change', () => {
    add('api-server-production-v2');
    p.close();
    p = openRegister(temp.path, clock.clock, { reminderOffsetsDays: [30] });
    expect(p.register.refreshSchedule()).toBe(1);
    expect(p.register.nextReminderAt(p.register.findByLabel('api-server-production-v2')!)).toBe(T0 + 60 * DAY_MS);
  });

  it('recomputes the schedule at start only when the settings it was computed with changed', () => {
    add('api-server-production-v2');
    expect(p.register.refreshScheduleIfChanged()).toBe(0); // first start: no settings stored yet
    const key = () => p.register.findByLabel('api-server-production-v2')!;
    const stored = p.register.nextReminderAt(key());
    // A restart with the same settings reads nothing back: a hand-edited row stays as it is until the key changes.
    p.db.prepare('UPDATE keys SET next_reminder_at = 1').run();
    p.close();
    p = openRegister(temp.path, clock.clock);
    expect(p.register.refreshScheduleIfChanged()).toBeNull();
    expect(p.register.nextReminderAt(key())).toBe(1);
    p.close();
    p = openRegister(temp.path, clock.clock, { reminderOffsetsDays: [30] });
    expect(p.register.refreshScheduleIfChanged()).toBe(1);
    expect(p.register.nextReminderAt(key())).toBe(T0 + 60 * DAY_MS);
    expect(p.register.refreshScheduleIfChanged()).toBeNull();
    p.close();
    p = openRegister(temp.path, clock.clock);
    expect(p.register.refreshScheduleIfChanged()).toBe(1);
    expect(p.register.nextReminderAt(key())).toBe(stored);
  });
});

describe('incidents meet the key register', () => {
  const clock = testClock(T0);
  let temp: ReturnType<typeof tempDatabase>;
  let p: RegisterProcess;

  beforeEach(() => {
    clock.set(T0);
    temp = tempDatabase();
    p = openRegister(temp.path, clock.clock);
    p.register.register({
      label: 'api-server-production-v2',
      environment: 'production',
      ownerId: OWNER,
      channelId: CHANNEL,
      actor: ACTOR,
      idempotencyKey: 'add',
    });
  });
  afterEach(() => {
    p.close();
    temp.remove();
  });

  // A responder's declaration: only that changes the register (PRODUCT.md section 8).
  const open = (label: string) =>
    p.incidents.open({
      byResponder: true,
      channelId: 'C0INCIDENT1',
      actor: ACTOR,
      keyLabel: label,
      environment: 'production',
      keyMode: 'live',
      exposureStart: null,
      revokedAt: null,
      how: '',
      idempotencyKey: `open-${label}`,
    });

  it('marks a registered key compromised when an incident opens on it, and stops its reminders', () => {
    open('API-SERVER-PRODUCTION-V2');
    const key = p.register.findByLabel('api-server-production-v2')!;
    expect(key.status).toBe('compromised');
    expect(p.register.nextReminderAt(key)).toBeNull();
    clock.advance(200 * DAY_MS);
    expect(p.register.runReminders()).toBe(0);
    const change = p.store.events.stream(KEYS_STREAM).at(-1);
    expect(change).toMatchObject({
      type: 'key_status_changed',
      details: { from: 'active', to: 'compromised', incident: 'INC-1' },
    });
  });

  it('calls off a planned rotation of a key that turns out compromised', () => {
    p.rotations.start({ label: 'api-server-production-v2', channelId: CHANNEL, actor: ACTOR, idempotencyKey: 'rot' });
    open('api-server-production-v2');
    expect(p.rotations.get(1)?.status).toBe('cancelled');
    expect(p.register.findByLabel('api-server-production-v2')?.status).toBe('compromised');
    expect(p.rotations.timeline(1).at(-1)?.details).toMatchObject({ incident: 'INC-1', rotation: 'cancelled' });
  });

  it('registers the redeployed key as active in the same environment, inheriting owner and channel', () => {
    open('api-server-production-v2');
    const id = { incidentId: 1, channelId: 'C0INCIDENT1', actor: ACTOR };
    for (const step of ['revoke', 'review', 'support'] as const) {
      p.incidents.completeStep({ ...id, step, details: STEP_DETAILS[step], idempotencyKey: step });
    }
    clock.advance(HOUR);
    p.incidents.completeStep({
      ...id,
      step: 'redeploy',
      details: { newKeyLabel: 'api-server-production-v3', deploymentRef: '' },
      idempotencyKey: 'redeploy',
    });
    const replacement = p.register.findByLabel('api-server-production-v3');
    expect(replacement).toMatchObject({
      environment: 'production',
      mode: 'live',
      status: 'active',
      cycle: 1,
      rotatedAt: T0 + HOUR,
      ownerId: OWNER,
      channelId: CHANNEL,
    });
    expect(p.store.events.stream(KEYS_STREAM).at(-1)?.details).toMatchObject({ source: 'incident', incident: 'INC-1' });
  });

  it('keeps the incident step when the register cannot take the new key', () => {
    open('unregistered-production');
    const id = { incidentId: 1, channelId: 'C0INCIDENT1', actor: ACTOR };
    for (const step of ['revoke', 'review', 'support'] as const) {
      p.incidents.completeStep({ ...id, step, details: STEP_DETAILS[step], idempotencyKey: step });
    }
    const outcome = p.incidents.completeStep({
      ...id,
      step: 'redeploy',
      details: { newKeyLabel: 'api-server-production-v2', deploymentRef: '' }, // already registered
      idempotencyKey: 'redeploy',
    });
    expect(outcome.kind).toBe('done');
    expect(p.incidents.get(1)?.steps.redeploy).toBeDefined();
    expect(p.register.list()).toHaveLength(1);
  });
});
