import { describe, expect, it } from 'vitest';
import {
  decideResolve,
  decideStep,
  exposureWindow,
  nextStep,
  severityFor,
  validateDeclaredTimes,
  withStep,
} from '../../src/domain/incident';
import { humanDuration, parseIsoTime } from '../../src/domain/time';
import type { Incident } from '../../src/domain/types';
import { incidentFixture } from '../fixtures/incident';

const T0 = Date.UTC(2026, 10, 28, 9);
const incident = (overrides: Partial<Incident> = {}): Incident => incidentFixture({ openedAt: T0, ...overrides });

describe('the playbook order', () => {
  it('allows revoke first and nothing else', () => {
    const fresh = incident();
    expect(decideStep(fresh, 'revoke')).toEqual({ ok: true });
    expect(decideStep(fresh, 'support')).toEqual({
      ok: false,
      code: 'step_out_of_order',
      params: { step: 'support', missing: 'revoke' },
    });
    expect(nextStep(fresh)).toBe('revoke');
  });

  it('refuses a step already done, naming who and when', () => {
    const revoked = withStep(incident(), { step: 'revoke', at: T0 + 1, by: 'U0B', details: {} });
    expect(decideStep(revoked, 'revoke')).toEqual({
      ok: false,
      code: 'step_already_done',
      params: { step: 'revoke', at: T0 + 1, by: 'U0B' },
    });
    expect(decideStep(revoked, 'review')).toEqual({ ok: true });
  });

  it('resolves only after all four steps, and never twice', () => {
    let current = incident();
    for (const step of ['revoke', 'review', 'support'] as const)
      current = withStep(current, { step, at: T0, by: 'U0A', details: {} });
    expect(decideResolve(current)).toEqual({ ok: false, code: 'resolve_too_early', params: { missing: 'redeploy' } });
    current = withStep(current, { step: 'redeploy', at: T0, by: 'U0A', details: {} });
    expect(decideResolve(current)).toEqual({ ok: true });
    expect(decideResolve({ ...current, status: 'resolved', resolvedAt: T0, resolvedBy: 'U0A' }).ok).toBe(false);
  });
});

describe('exposure window and severity', () => {
  it('starts at detection when the exposure start is unknown, and runs until revocation', () => {
    const open = incident();
    expect(exposureWindow(open, T0 + 60_000)).toEqual({ start: T0, startKnown: false, end: null, durationMs: 60_000 });
    const revoked = withStep(incident({ exposureStart: T0 - 3_600_000 }), {
      step: 'revoke',
      at: T0 + 120_000,
      by: 'U0A',
      details: {},
    });
    expect(exposureWindow(revoked, T0 + 999_999_999)).toMatchObject({
      startKnown: true,
      end: T0 + 120_000,
      durationMs: 3_720_000,
    });
  });

  it('uses the declared revocation time when the key was revoked before the incident opened', () => {
    const declared = withStep(incident({ exposureStart: T0 - 600_000 }), {
      step: 'revoke',
      at: T0,
      by: 'U0A',
      details: { revokedAt: T0 - 300_000 },
    });
    expect(exposureWindow(declared, T0)).toMatchObject({ end: T0 - 300_000, durationMs: 300_000 });
  });

  it('refuses exposure after now or after the revocation', () => {
    expect(validateDeclaredTimes({ exposureStart: T0 + 1, revokedAt: null }, T0)).toMatchObject({
      ok: false,
      code: 'exposure_after_now',
    });
    expect(validateDeclaredTimes({ exposureStart: T0 - 10, revokedAt: T0 - 20 }, T0)).toMatchObject({
      ok: false,
      code: 'exposure_after_revocation',
    });
    expect(validateDeclaredTimes({ exposureStart: T0 - 20, revokedAt: T0 - 10 }, T0)).toEqual({ ok: true });
  });

  it('rates a production live key highest', () => {
    expect(severityFor('production', 'live')).toBe('SEV1');
    expect(severityFor('production', 'unknown')).toBe('SEV1');
    expect(severityFor('staging', 'live')).toBe('SEV2');
    expect(severityFor('development', 'test')).toBe('SEV3');
  });
});

describe('times people type', () => {
  it('reads ISO-8601, defaulting to UTC', () => {
    expect(parseIsoTime('2026-11-28T08:15')).toBe(Date.UTC(2026, 10, 28, 8, 15));
    expect(parseIsoTime('2026-11-28 08:15:30.5Z')).toBe(Date.UTC(2026, 10, 28, 8, 15, 30, 500));
    expect(parseIsoTime('2026-11-28T08:15-05:00')).toBe(Date.UTC(2026, 10, 28, 13, 15));
    expect(parseIsoTime('2026-11-28')).toBe(Date.UTC(2026, 10, 28));
  });

  it('refuses impossible dates and other text', () => {
    for (const text of ['2026-02-30', '2026-13-01', '2026-11-28T24:00', 'yesterday', ''])
      expect(parseIsoTime(text)).toBeNull();
  });

  it('says durations in two units', () => {
    expect(humanDuration(252_000)).toBe('4 min 12 s');
    expect(humanDuration(7_380_000)).toBe('2 h 3 min');
    expect(humanDuration(0)).toBe('0 s');
    expect(humanDuration(3 * 86_400_000 + 4 * 3_600_000 + 5000)).toBe('3 d 4 h');
  });
});
