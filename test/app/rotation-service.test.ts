import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEYS_STREAM } from '../../src/app/key-register-service';
import { verifyChain } from '../../src/domain/event-chain';
import type { RotationStep } from '../../src/domain/rotation/rotation-steps';
import { DAY_MS } from '../../src/domain/time';
import { refusalText } from '../../src/slack/blocks/refusal-text';
import { MINUTE, testClock } from '../support/test-clock';
import { openRegister, type RegisterProcess, tempDatabase } from './key-register-fixture';

const T0 = Date.UTC(2026, 10, 28, 9);
const CHANNEL = 'C0KEYS0001';
const ACTOR = 'U0RESP0001';

describe('RotationService', () => {
  const clock = testClock(T0);
  let temp: ReturnType<typeof tempDatabase>;
  let p: RegisterProcess;
  let clicks = 0;

  beforeEach(() => {
    clock.set(T0);
    temp = tempDatabase();
    p = openRegister(temp.path, clock.clock);
    p.register.register({
      label: 'api-server-production-v2',
      environment: 'production',
      channelId: CHANNEL,
      rotated: '2026-09-01',
      actor: ACTOR,
      idempotencyKey: 'add',
    });
    p.register.runReminders();
  });
  afterEach(() => {
    p.close();
    temp.remove();
  });

  const start = () =>
    p.rotations.start({ label: 'api-server-production-v2', channelId: CHANNEL, actor: ACTOR, idempotencyKey: 'start' });
  const step = (name: RotationStep, newLabel?: string) => {
    clicks += 1;
    clock.advance(MINUTE);
    return p.rotations.recordStep({
      rotationId: 1,
      channelId: CHANNEL,
      step: name,
      actor: ACTOR,
      newLabel,
      idempotencyKey: `click-${clicks}`,
    });
  };
  const state = () => ({
    keys: p.db.prepare('SELECT * FROM keys ORDER BY id').all(),
    rotations: p.db.prepare('SELECT * FROM rotations').all(),
    steps: p.db.prepare('SELECT * FROM rotation_steps').all(),
    events: p.db.prepare("SELECT stream, seq, type FROM events WHERE type <> 'action_refused' ORDER BY id").all(),
    outbox: p.db.prepare('SELECT count(*) AS n FROM outbox').get(),
  });

  it('pauses the key while rotating and refuses a second rotation of it', () => {
    expect(start().kind).toBe('done');
    const key = p.register.findByLabel('api-server-production-v2')!;
    expect(key.status).toBe('rotating');
    expect(p.register.nextReminderAt(key)).toBeNull();
    const again = p.rotations.start({
      label: 'api-server-production-v2',
      channelId: CHANNEL,
      actor: ACTOR,
      idempotencyKey: 'again',
    });
    expect(again).toMatchObject({ kind: 'refused', refusal: { code: 'rotation_in_progress' } });
  });

  it('refuses revoking the old key before verification, records the attempt, and changes nothing else', () => {
    start();
    step('create', 'api-server-production-v3');
    step('deploy');
    const before = state();
    const refused = step('revoke_old');
    expect(refused).toMatchObject({
      kind: 'step_refused',
      refusal: { code: 'rotation_step_out_of_order', params: { missing: 'verify' } },
    });
    expect(refused.kind === 'step_refused' && refusalText(refused.refusal)).toMatch(/outage/);
    expect(state()).toEqual(before);
    expect(p.rotations.timeline(1).at(-1)).toMatchObject({
      type: 'action_refused',
      details: {
        action: 'step:revoke_old',
        code: 'rotation_step_out_of_order',
        params: { step: 'revoke_old', missing: 'verify' },
      },
    });
  });

  it('refuses a new label already in the register without recording an attempt', () => {
    p.register.register({ label: 'billing-production', environment: 'production', actor: ACTOR, idempotencyKey: 'b' });
    start();
    const before = p.rotations.timeline(1).length;
    expect(step('create', 'BILLING-production')).toMatchObject({
      kind: 'refused',
      refusal: { code: 'new_label_taken' },
    });
    expect(p.rotations.get(1)?.steps.create).toBeUndefined();
    expect(p.rotations.timeline(1)).toHaveLength(before);
  });

  it('finishes in order: old key revoked, new key registered active at cycle 1 with a fresh 90 days', () => {
    start();
    for (const [name, label] of [['create', 'api-server-production-v3'], ['deploy'], ['verify'], ['revoke_old']] as [
      RotationStep,
      string?,
    ][]) {
      expect(step(name, label).kind).toBe('done');
    }
    const finished = clock.now();
    expect(p.rotations.get(1)?.status).toBe('done');
    expect(p.register.findByLabel('api-server-production-v2')).toMatchObject({ status: 'revoked' });
    const replacement = p.register.findByLabel('api-server-production-v3')!;
    expect(replacement).toMatchObject({ status: 'active', cycle: 1, rotatedAt: finished, environment: 'production' });
    expect(p.register.dueAt(replacement)).toBe(finished + 90 * DAY_MS);
    expect(p.register.nextReminderAt(replacement)).toBe(finished + 76 * DAY_MS);
    expect(p.rotations.newKeyOf(p.rotations.get(1)!)?.id).toBe(replacement.id);

    const events = p.rotations.timeline(1);
    expect(events.map((e) => e.type)).toEqual([
      'rotation_started',
      'rotation_key_created',
      'rotation_deployed',
      'rotation_verified',
      'rotation_old_revoked',
    ]);
    expect(verifyChain('ROT-1', events).ok).toBe(true);
    const register = p.store.events.stream(KEYS_STREAM).slice(-3);
    expect(register.map((e) => [e.type, e.details.to ?? e.details.source])).toEqual([
      ['key_status_changed', 'rotating'],
      ['key_status_changed', 'revoked'],
      ['key_registered', 'rotation'],
    ]);
    expect(step('revoke_old')).toMatchObject({ kind: 'step_refused', refusal: { code: 'rotation_finished' } });
  });

  it('adopts the new key when someone registered it with `keys add` during the rotation', () => {
    start();
    step('create', 'api-server-production-v3');
    step('deploy');
    step('verify');
    p.register.register({
      label: 'api-server-production-v3',
      environment: 'production',
      actor: ACTOR,
      idempotencyKey: 'added-meanwhile',
    });
    expect(step('revoke_old').kind).toBe('done');
    const adopted = p.register.findByLabel('api-server-production-v3')!;
    expect(p.rotations.newKeyOf(p.rotations.get(1)!)?.id).toBe(adopted.id);
    expect(p.register.list().map((key) => [key.label, key.status])).toEqual([
      ['api-server-production-v2', 'revoked'],
      ['api-server-production-v3', 'active'],
    ]);
  });

  it('records a double click on a step once', () => {
    start();
    clock.advance(MINUTE);
    const args = {
      rotationId: 1,
      channelId: CHANNEL,
      step: 'create' as const,
      actor: ACTOR,
      newLabel: 'api-server-production-v3',
      idempotencyKey: 'same-submit',
    };
    expect(p.rotations.recordStep(args).kind).toBe('done');
    expect(p.rotations.recordStep(args).kind).toBe('duplicate');
    expect(step('create', 'api-server-production-v4')).toMatchObject({
      kind: 'step_refused',
      refusal: { code: 'rotation_step_already_done' },
    });
    expect(p.rotations.get(1)?.newLabel).toBe('api-server-production-v3');
  });

  it('treats a rotation id from another channel as unknown', () => {
    start();
    const outcome = p.rotations.recordStep({
      rotationId: 1,
      channelId: 'C0ELSEWHERE',
      step: 'create',
      actor: ACTOR,
      newLabel: 'x-v3',
      idempotencyKey: 'elsewhere',
    });
    expect(outcome).toEqual({ kind: 'not_found', rotationId: 1 });
  });
});
