import { describe, expect, it } from 'vitest';
import {
  decideMarkRotated,
  decideRegisterKey,
  markCompromised,
  markRotated,
  type RegisteredKey,
} from '../../../src/domain/keys/registered-key';
import { DAY_MS } from '../../../src/domain/time';
import { refusalText } from '../../../src/slack/blocks/refusal-text';

const NOW = Date.UTC(2026, 4, 10, 12);

function key(overrides: Partial<RegisteredKey> = {}): RegisteredKey {
  return {
    id: 7,
    label: 'api-server-production-v2',
    environment: 'production',
    kind: 'secret',
    mode: 'live',
    last4: 'Q2xF',
    rotatedAt: Date.UTC(2026, 0, 1),
    ownerId: 'U0OWNER',
    channelId: 'C0KEYS',
    status: 'active',
    cycle: 3,
    snoozedUntil: NOW + DAY_MS,
    ...overrides,
  };
}

describe('decideRegisterKey', () => {
  it('registers a new active key at cycle 1, live in production and test elsewhere by default', () => {
    const prod = decideRegisterKey({ label: 'api-server-production-v1', environment: 'production' }, [], NOW);
    expect(prod).toEqual({
      ok: true,
      key: {
        label: 'api-server-production-v1',
        environment: 'production',
        kind: 'secret',
        mode: 'live',
        last4: null,
        rotatedAt: NOW,
        ownerId: null,
        channelId: null,
        status: 'active',
        cycle: 1,
        snoozedUntil: null,
      },
    });
    const staging = decideRegisterKey({ label: 'api-server-staging-v1', environment: 'staging' }, [], NOW);
    expect(staging.ok && staging.key.mode).toBe('test');
  });

  it('takes the rotation day, owner and channel given', () => {
    const result = decideRegisterKey(
      { label: 'worker-staging', environment: 'staging', rotated: '2026-02-01', ownerId: 'U1', channelId: 'C1' },
      [],
      NOW,
    );
    expect(result).toMatchObject({
      ok: true,
      key: { rotatedAt: Date.UTC(2026, 1, 1), ownerId: 'U1', channelId: 'C1' },
    });
  });

  it('refuses a label already registered, whatever its case', () => {
    const result = decideRegisterKey({ label: 'API-server-production-v2', environment: 'production' }, [key()], NOW);
    expect(result).toMatchObject({ ok: false, code: 'label_taken' });
    expect(!result.ok && refusalText(result)).toContain('api-server-production-v2 is already registered');
  });

  it('refuses a key that looks reused from another environment', () => {
    const result = decideRegisterKey(
      { label: 'api-server-staging-v1', environment: 'staging', mode: 'live', last4: 'Q2xF' },
      [key()],
      NOW,
    );
    expect(result).toMatchObject({ ok: false, code: 'key_reused' });
    expect(!result.ok && refusalText(result)).toContain('a staging breach would become a production incident');
  });

  it('refuses a rotation day in the future, an impossible day, and a malformed last four', () => {
    const input = { label: 'x-staging', environment: 'staging' as const };
    expect(decideRegisterKey({ ...input, rotated: '2026-05-11' }, [], NOW)).toMatchObject({ code: 'date_in_future' });
    expect(decideRegisterKey({ ...input, rotated: '2026-02-30' }, [], NOW)).toMatchObject({ code: 'invalid_date' });
    expect(decideRegisterKey({ ...input, last4: 'abc' }, [], NOW)).toMatchObject({ code: 'invalid_last4' });
  });

  it('refuses a pasted secret key as the label, without repeating it', () => {
    const pasted = ['sk', 'test', 'FAKE'.repeat(7)].join('_');
    const result = decideRegisterKey({ label: pasted, environment: 'staging' }, [], NOW);
    expect(result).toMatchObject({ ok: false, code: 'label_is_secret_key' });
    expect(JSON.stringify(result)).not.toContain('FAKE');
  });
});

describe('markRotated', () => {
  it('starts a new cycle at the given time, active and unsnoozed', () => {
    const at = Date.UTC(2026, 4, 9);
    expect(markRotated(key({ status: 'rotating' }), at)).toEqual(
      key({ rotatedAt: at, cycle: 4, status: 'active', snoozedUntil: null }),
    );
  });

  it('is refused for a revoked or compromised key', () => {
    expect(decideMarkRotated(key({ status: 'revoked' }), NOW, NOW)).toMatchObject({ code: 'key_retired' });
    expect(decideMarkRotated(key({ status: 'compromised' }), NOW, NOW)).toMatchObject({ code: 'key_retired' });
  });

  it('is refused while a rotation is in progress in the bot', () => {
    expect(decideMarkRotated(key({ status: 'rotating' }), NOW, NOW)).toMatchObject({ code: 'rotation_in_progress' });
  });

  it('is refused for a future day or a day before the last rotation', () => {
    expect(decideMarkRotated(key(), NOW + 1, NOW)).toMatchObject({ code: 'date_in_future' });
    expect(decideMarkRotated(key(), Date.UTC(2025, 11, 31), NOW)).toMatchObject({ code: 'before_last_rotation' });
  });

  it('does not start another cycle from a second click on the same reminder', () => {
    const first = decideMarkRotated(key(), NOW, NOW, 3);
    expect(first).toMatchObject({ ok: true, key: { cycle: 4, rotatedAt: NOW } });
    const rotated = first.ok ? first.key : key();
    const second = decideMarkRotated(rotated, NOW + 5000, NOW + 5000, 3);
    expect(second).toMatchObject({ ok: false, code: 'already_rotated' });
    expect(!second.ok && refusalText(second)).toContain('already marked rotated on 2026-05-10');
  });
});

describe('markCompromised', () => {
  it('takes the key out of the ladder', () => {
    expect(markCompromised(key())).toEqual(key({ status: 'compromised', snoozedUntil: null }));
  });
});
