import { describe, expect, it } from 'vitest';
import type { RegisteredKey } from '../../src/domain/keys/registered-key';
import {
  classifySighting,
  decideLeakIncident,
  environmentForLeak,
  exposureStartFor,
  type Leak,
  leakHow,
  leakKeyLabel,
  leakRef,
  registeredNameFor,
} from '../../src/domain/leak';

const T0 = Date.UTC(2026, 10, 28, 9);

const leak: Leak = {
  id: 3,
  mode: 'live',
  last4: '7Q2x',
  firstChannelId: 'C0CHAN001',
  firstMessageTs: '1795856400.000100',
  firstPoster: 'U0A000001',
  firstSeenAt: T0,
  firstExposedAt: T0 - 1000,
  incidentId: null,
};
const open = { id: 5, status: 'open' as const, resolvedAt: null };
const resolved = { id: 5, status: 'resolved' as const, resolvedAt: T0 + 60_000 };

describe('classifySighting', () => {
  it('calls an unknown key a first sighting', () => {
    expect(classifySighting(null, null, null)).toBe('first');
  });

  it('calls a known key the same key again, with or without an open incident', () => {
    expect(classifySighting(leak, null, T0)).toBe('again');
    expect(classifySighting(leak, open, T0)).toBe('again');
  });

  it('calls a key seen after its incident was resolved a new exposure, once', () => {
    expect(classifySighting(leak, resolved, T0)).toBe('reexposed');
    expect(classifySighting(leak, resolved, T0 + 120_000)).toBe('again');
  });
});

describe('decideLeakIncident', () => {
  it('opens the first incident from the first exposure', () => {
    expect(decideLeakIncident(leak, null, null)).toEqual({ kind: 'open', exposureStart: T0 - 1000, openKey: 'leak:3' });
  });

  it('points at the open incident instead of opening another', () => {
    expect(decideLeakIncident(leak, open, null)).toEqual({ kind: 'already_open', incidentId: 5 });
  });

  it('after a resolution, opens a new incident only for a sighting since, from that sighting', () => {
    expect(decideLeakIncident(leak, resolved, null)).toEqual({ kind: 'already_handled', incidentId: 5 });
    expect(decideLeakIncident(leak, resolved, T0 + 300_000)).toEqual({
      kind: 'open',
      exposureStart: T0 + 300_000,
      openKey: 'leak:3:after:5',
    });
  });
});

describe('what an incident from a leak is called', () => {
  it('runs live keys as production and test keys as development', () => {
    expect(environmentForLeak('live')).toBe('production');
    expect(environmentForLeak('test')).toBe('development');
  });

  it('names the key by its mask and the leak by its number, never more', () => {
    expect(leakKeyLabel(leak)).toBe('leaked-sk_live_\u20267Q2x');
    expect(leakRef(3)).toBe('LEAK-3');
    expect(leakHow(leak, 'message')).toBe(
      "Secret key sk_live_\u20267Q2x posted in a Slack message; found by the bot's leak detection (LEAK-3).",
    );
    expect(leakHow(leak, 'modal')).toContain('typed into a form');
  });

  it('never starts an exposure after the moment it is reported (clock skew)', () => {
    expect(exposureStartFor(T0 + 5000, T0)).toBe(T0);
    expect(exposureStartFor(T0 - 5000, T0)).toBe(T0 - 5000);
  });
});

describe('registeredNameFor', () => {
  const key = (overrides: Partial<RegisteredKey>): RegisteredKey => ({
    id: 1,
    label: 'api-server-production-v2',
    environment: 'production',
    kind: 'secret',
    mode: 'live',
    last4: '7Q2x',
    rotatedAt: T0,
    ownerId: null,
    channelId: null,
    status: 'active',
    cycle: 1,
    snoozedUntil: null,
    ...overrides,
  });

  it('names a leak after the one registered secret key with its mode and last four', () => {
    expect(registeredNameFor([key({}), key({ id: 2, label: 'other', last4: 'abcd' })], leak)).toEqual({
      label: 'api-server-production-v2',
      environment: 'production',
    });
  });

  it('prefers keys in use, and makes no guess between two', () => {
    const old = key({ id: 2, label: 'api-server-production-v1', status: 'revoked' });
    expect(registeredNameFor([old, key({})], leak)?.label).toBe('api-server-production-v2');
    expect(registeredNameFor([key({}), key({ id: 2, label: 'twin' })], leak)).toBeNull();
    expect(registeredNameFor([key({ mode: 'test' }), key({ kind: 'publishable' })], leak)).toBeNull();
  });
});
