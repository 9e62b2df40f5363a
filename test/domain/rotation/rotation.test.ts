import { describe, expect, it } from 'vitest';
import type { RegisteredKey } from '../../../src/domain/keys/registered-key';
import { nextReminderAt, remindersDue } from '../../../src/domain/keys/reminder-ladder';
import {
  cancelRotation,
  completeRotation,
  decideRotationStep,
  decideStartRotation,
  nextRotationStep,
  type Rotation,
} from '../../../src/domain/rotation/rotation';
import { ROTATION_STEPS } from '../../../src/domain/rotation/rotation-steps';
import { DAY_MS } from '../../../src/domain/time';
import { refusalText } from '../../../src/slack/blocks/refusal-text';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 3, 1, 10);

function key(overrides: Partial<RegisteredKey> = {}): RegisteredKey {
  return {
    id: 5,
    label: 'api-server-production-v1',
    environment: 'production',
    kind: 'secret',
    mode: 'live',
    last4: 'Q2xF',
    rotatedAt: T0 - 80 * DAY_MS,
    ownerId: 'U0OWNER',
    channelId: 'C0KEYS',
    status: 'active',
    cycle: 2,
    snoozedUntil: null,
    ...overrides,
  };
}

function started(): { rotation: Rotation; key: RegisteredKey } {
  const result = decideStartRotation(key(), null, 'U0ALICE', T0, 'C0OPS');
  if (!result.ok) throw new Error(refusalText(result));
  return { rotation: { ...result.rotation, id: 1 }, key: result.key };
}

function apply(rotation: Rotation, ...steps: [step: (typeof ROTATION_STEPS)[number], at: number][]): Rotation {
  let current = rotation;
  for (const [step, at] of steps) {
    const result = decideRotationStep(current, step, 'U0ALICE', at, { newLabel: 'api-server-production-v2' });
    if (!result.ok) throw new Error(refusalText(result));
    current = result.rotation;
  }
  return current;
}

describe('starting a rotation', () => {
  it('opens an in-progress rotation and pauses the key as rotating', () => {
    const result = decideStartRotation(key({ snoozedUntil: T0 + DAY_MS }), null, 'U0ALICE', T0, 'C0OPS');
    expect(result).toEqual({
      ok: true,
      rotation: {
        keyId: 5,
        oldLabel: 'api-server-production-v1',
        newLabel: null,
        startedBy: 'U0ALICE',
        startedAt: T0,
        steps: {},
        status: 'in_progress',
        channelId: 'C0OPS',
        cardTs: null,
      },
      key: key({ status: 'rotating' }),
      eventType: 'rotation_started',
    });
  });

  it('refuses a second rotation of the same key, saying who started the first', () => {
    const { rotation, key: rotating } = started();
    const result = decideStartRotation(rotating, rotation, 'U0BOB', T0 + MINUTE, 'C0OPS');
    expect(result).toMatchObject({ ok: false, code: 'rotation_in_progress' });
    expect(!result.ok && refusalText(result)).toContain('started by <@U0ALICE> at 2026-04-01 10:00 UTC');
  });

  it('refuses a revoked key, and sends a compromised key to the incident playbook', () => {
    expect(decideStartRotation(key({ status: 'revoked' }), null, 'U0ALICE', T0, 'C0OPS')).toMatchObject({
      code: 'key_revoked',
    });
    const compromised = decideStartRotation(key({ status: 'compromised' }), null, 'U0ALICE', T0, 'C0OPS');
    expect(compromised).toMatchObject({ ok: false, code: 'key_compromised' });
    expect(!compromised.ok && refusalText(compromised)).toContain('Revoke it immediately');
  });

  it('stops the reminder ladder while the rotation runs', () => {
    const { key: rotating } = started();
    const opts = { rotationDays: 90, offsetsDays: [14, 7, 1], alreadyPosted: new Set<string>() };
    expect(remindersDue(rotating, T0 + 30 * DAY_MS, opts)).toBeNull();
    expect(nextReminderAt(rotating, opts)).toBeNull();
  });
});

describe('the zero-downtime order', () => {
  it('records create → deploy → verify → revoke old, each once, with who and when', () => {
    let { rotation } = started();
    expect(nextRotationStep(rotation)).toBe('create');

    const create = decideRotationStep(rotation, 'create', 'U0ALICE', T0 + MINUTE, {
      newLabel: ' api-server-production-v2 ',
    });
    expect(create).toMatchObject({ ok: true, step: 'create', done: false, eventType: 'rotation_key_created' });
    if (!create.ok) return;
    rotation = create.rotation;
    expect(rotation.newLabel).toBe('api-server-production-v2');
    expect(nextRotationStep(rotation)).toBe('deploy');

    const expected = [
      ['deploy', 'U0BOB', 'rotation_deployed'],
      ['verify', 'U0BOB', 'rotation_verified'],
      ['revoke_old', 'U0ALICE', 'rotation_old_revoked'],
    ] as const;
    for (const [index, [step, actor, eventType]] of expected.entries()) {
      const at = T0 + (index + 2) * MINUTE;
      const result = decideRotationStep(rotation, step, actor, at);
      expect(result).toMatchObject({ ok: true, step, mark: { at, by: actor }, eventType, done: step === 'revoke_old' });
      if (!result.ok) return;
      rotation = result.rotation;
    }
    expect(rotation.status).toBe('done');
    expect(rotation.steps).toEqual({
      create: { at: T0 + MINUTE, by: 'U0ALICE' },
      deploy: { at: T0 + 2 * MINUTE, by: 'U0BOB' },
      verify: { at: T0 + 3 * MINUTE, by: 'U0BOB' },
      revoke_old: { at: T0 + 4 * MINUTE, by: 'U0ALICE' },
    });
    expect(nextRotationStep(rotation)).toBeNull();
  });

  it('refuses to revoke the old key before the new one is verified, with the outage reason', () => {
    const rotation = apply(started().rotation, ['create', T0], ['deploy', T0]);
    const result = decideRotationStep(rotation, 'revoke_old', 'U0ALICE', T0 + MINUTE);
    expect(result).toMatchObject({ ok: false, code: 'rotation_step_out_of_order', params: { missing: 'verify' } });
    const reason = !result.ok ? refusalText(result) : '';
    expect(reason).toMatch(/^Verify first: check the Last Used column for the new key in the dashboard/);
    expect(reason).toContain('risks an outage');
    expect(reason).toContain("wasn't picked up by your deployment");
    expect(reason).toContain('a stale environment cache, a missed service restart');
  });

  it('refuses to revoke the old key before deploying, naming deploy first and still warning of the outage', () => {
    const rotation = apply(started().rotation, ['create', T0]);
    const result = decideRotationStep(rotation, 'revoke_old', 'U0ALICE', T0 + MINUTE);
    expect(result).toMatchObject({ ok: false, code: 'rotation_step_out_of_order', params: { missing: 'deploy' } });
    expect(!result.ok && refusalText(result)).toMatch(
      /^Deploy the new key first: .* while the old key is still active/,
    );
    expect(!result.ok && refusalText(result)).toContain('risks an outage');
  });

  it('refuses to verify before deploying', () => {
    const rotation = apply(started().rotation, ['create', T0]);
    const result = decideRotationStep(rotation, 'verify', 'U0ALICE', T0 + MINUTE);
    expect(result).toMatchObject({ ok: false, code: 'rotation_step_out_of_order', params: { missing: 'deploy' } });
    expect(!result.ok && refusalText(result)).not.toContain('outage');
  });

  it.each(['deploy', 'verify', 'revoke_old'] as const)('refuses %s before the new key is created', (step) => {
    const result = decideRotationStep(started().rotation, step, 'U0ALICE', T0);
    expect(result).toMatchObject({ ok: false, code: 'rotation_step_out_of_order', params: { missing: 'create' } });
    expect(!result.ok && refusalText(result)).toContain('Settings → API Keys → Create Key');
  });

  it('refuses a step already recorded, saying who recorded it, when, and what is next', () => {
    const rotation = apply(started().rotation, ['create', T0], ['deploy', T0 + 5 * MINUTE]);
    const result = decideRotationStep(rotation, 'deploy', 'U0BOB', T0 + 6 * MINUTE);
    expect(result).toMatchObject({
      ok: false,
      code: 'rotation_step_already_done',
      params: { step: 'deploy', at: T0 + 5 * MINUTE, by: 'U0ALICE', next: 'verify' },
    });
    expect(!result.ok && refusalText(result)).toBe(
      '"Deploy it while the old key is still active" was already recorded by <@U0ALICE> at 2026-04-01 10:05 UTC. ' +
        'Next: Verify the new key carries live traffic.',
    );
  });

  it('refuses any step once the rotation is finished', () => {
    const done = apply(started().rotation, ['create', T0], ['deploy', T0], ['verify', T0], ['revoke_old', T0 + MINUTE]);
    for (const step of ROTATION_STEPS) {
      const result = decideRotationStep(done, step, 'U0BOB', T0 + 2 * MINUTE);
      expect(result).toMatchObject({ ok: false, code: 'rotation_finished' });
      expect(!result.ok && refusalText(result)).toContain('recorded by <@U0ALICE> at 2026-04-01 10:01 UTC');
    }
  });

  it('refuses any step on a cancelled rotation', () => {
    const { rotation, key: rotating } = started();
    const cancelled = cancelRotation(rotation, rotating);
    expect(cancelled).toMatchObject({ ok: true, rotation: { status: 'cancelled' }, key: { status: 'active' } });
    if (!cancelled.ok) return;
    expect(decideRotationStep(cancelled.rotation, 'create', 'U0ALICE', T0)).toMatchObject({
      code: 'rotation_finished',
    });
    expect(cancelRotation(cancelled.rotation, cancelled.key)).toMatchObject({ code: 'rotation_finished' });
    expect(nextRotationStep(cancelled.rotation)).toBeNull();
  });
});

describe('the new key label', () => {
  it('is required to record the create step', () => {
    const { rotation } = started();
    expect(decideRotationStep(rotation, 'create', 'U0ALICE', T0)).toMatchObject({ code: 'new_label_required' });
    expect(decideRotationStep(rotation, 'create', 'U0ALICE', T0, { newLabel: '  ' })).toMatchObject({
      code: 'new_label_required',
    });
  });

  it('must differ from the old label', () => {
    const result = decideRotationStep(started().rotation, 'create', 'U0ALICE', T0, {
      newLabel: 'API-server-production-v1',
    });
    expect(result).toMatchObject({ ok: false, code: 'new_label_unchanged' });
  });

  it('refuses a pasted secret key without repeating it', () => {
    const pasted = ['sk', 'live', 'FAKE'.repeat(7)].join('_');
    const result = decideRotationStep(started().rotation, 'create', 'U0ALICE', T0, { newLabel: pasted });
    expect(result).toMatchObject({ ok: false, code: 'label_is_secret_key' });
    expect(JSON.stringify(result)).not.toContain('FAKE');
  });
});

describe('completing a rotation', () => {
  it('revokes the old key and registers the new one with a fresh cycle starting now', () => {
    const { rotation, key: rotating } = started();
    const done = apply(rotation, ['create', T0], ['deploy', T0], ['verify', T0], ['revoke_old', T0 + MINUTE]);
    const finishedAt = T0 + MINUTE;
    const result = completeRotation(rotating, done, finishedAt);
    expect(result).toEqual({
      ok: true,
      oldKey: key({ status: 'revoked' }),
      newKey: {
        label: 'api-server-production-v2',
        environment: 'production',
        kind: 'secret',
        mode: 'live',
        last4: null,
        rotatedAt: finishedAt,
        ownerId: 'U0OWNER',
        channelId: 'C0KEYS',
        status: 'active',
        cycle: 1,
        snoozedUntil: null,
      },
    });
    if (!result.ok) return;
    const opts = { rotationDays: 90, offsetsDays: [14, 7, 1], alreadyPosted: new Set<string>() };
    expect(nextReminderAt({ ...result.newKey, id: 6 }, opts)).toBe(finishedAt + 76 * DAY_MS);
    expect(nextReminderAt(result.oldKey, opts)).toBeNull();
  });

  it('is refused before the old key is revoked', () => {
    const { rotation, key: rotating } = started();
    const verified = apply(rotation, ['create', T0], ['deploy', T0], ['verify', T0]);
    expect(completeRotation(rotating, verified, T0)).toMatchObject({ ok: false, code: 'rotation_not_done' });
  });

  it('is refused for another key', () => {
    const done = apply(started().rotation, ['create', T0], ['deploy', T0], ['verify', T0], ['revoke_old', T0]);
    expect(completeRotation(key({ id: 99 }), done, T0)).toMatchObject({ ok: false, code: 'wrong_key' });
  });
});
