import { describe, expect, it } from 'vitest';
import type { RegisteredKey } from '../../../src/domain/keys/registered-key';
import { findLikelyReuse, reuseRefusal } from '../../../src/domain/keys/reuse';
import { refusalText } from '../../../src/slack/blocks/refusal-text';

function key(overrides: Partial<RegisteredKey>): RegisteredKey {
  return {
    id: 1,
    label: 'api-server-staging-v1',
    environment: 'staging',
    kind: 'secret',
    mode: 'live',
    last4: 'Q2xF',
    rotatedAt: Date.UTC(2026, 0, 1),
    ownerId: null,
    channelId: null,
    status: 'active',
    cycle: 1,
    snoozedUntil: null,
    ...overrides,
  };
}

const register = [
  key({ id: 1 }),
  key({ id: 2, label: 'api-server-development-v1', environment: 'development', last4: 'Q2xF', mode: 'test' }),
  key({ id: 3, label: 'api-server-production-v1', environment: 'production', last4: 'AAAA' }),
];

describe('findLikelyReuse', () => {
  it('finds a key in another environment with the same mode and last four', () => {
    const found = findLikelyReuse({ environment: 'production', mode: 'live', last4: 'Q2xF' }, register);
    expect(found.map((k) => k.id)).toEqual([1]);
  });

  it('ignores the same environment, another mode, another ending, or another kind', () => {
    expect(findLikelyReuse({ environment: 'staging', mode: 'live', last4: 'Q2xF' }, register)).toEqual([]);
    expect(findLikelyReuse({ environment: 'production', mode: 'live', last4: 'q2xf' }, register)).toEqual([]);
    expect(findLikelyReuse({ environment: 'production', mode: 'live', last4: 'BBBB' }, register)).toEqual([]);
    expect(
      findLikelyReuse({ environment: 'production', mode: 'live', last4: 'Q2xF', kind: 'publishable' }, register),
    ).toEqual([]);
  });

  it('reports nothing without the last four characters to compare', () => {
    const withoutLast4 = [...register, key({ id: 9, environment: 'production', last4: null })];
    expect(findLikelyReuse({ environment: 'staging', mode: 'live', last4: null }, withoutLast4)).toEqual([]);
  });

  it('does not compare a registered key with itself', () => {
    expect(findLikelyReuse({ id: 1, environment: 'production', mode: 'live', last4: 'Q2xF' }, register)).toEqual([]);
  });
});

describe('reuseRefusal', () => {
  const describeReuse = (
    candidate: { environment: 'production' | 'development'; mode: 'live'; last4: string },
    found: RegisteredKey[],
  ) => {
    const [first, ...rest] = found;
    if (!first) throw new Error('expected a match');
    return refusalText(reuseRefusal(candidate, [first, ...rest]));
  };

  it('names where the key already is and gives the seed reason, without more than the last four', () => {
    const candidate = { environment: 'production' as const, mode: 'live' as const, last4: 'Q2xF' };
    const text = describeReuse(candidate, findLikelyReuse(candidate, register));
    expect(text).toContain('ending in …Q2xF is already registered for staging (api-server-staging-v1)');
    expect(text).toContain('a staging breach would become a production incident');
    expect(text).toContain('Create a separate key for production');
  });

  it('puts the lower-trust environment first whichever side is new', () => {
    const candidate = { environment: 'development' as const, mode: 'live' as const, last4: 'AAAA' };
    expect(describeReuse(candidate, findLikelyReuse(candidate, register))).toContain(
      'a development breach would become a production incident',
    );
  });
});
