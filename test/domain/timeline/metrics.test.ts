import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../src/domain/timeline';
import { incidentRef } from '../../../src/domain/types';
import {
  ANA,
  at,
  chain,
  FULL_TIMES,
  fullIncident,
  incidentFrom,
  revokedBeforeOpened,
  unresolvedIncident,
} from '../../fixtures/timeline/build-incident';

const MIN = 60_000;

describe('computeMetrics', () => {
  it('measures a full incident from its events', () => {
    const { incident, events } = fullIncident();
    const t = FULL_TIMES;
    expect(computeMetrics(incident, events)).toEqual({
      revokedAt: t.revoked,
      exposureStart: t.exposureStart,
      exposureStartKnown: true,
      timeToRevokeMs: 732_375,
      exposureWindowMs: 5_015_250,
      timeToResolveMs: 7_721_875,
      steps: {
        revoke: { at: t.revoked, by: ANA, offsetMs: 732_375 },
        review: { at: t.reviewed, by: 'U0FAKEBEN', offsetMs: 2_314_875 },
        support: { at: t.support, by: ANA, offsetMs: 3_349_875 },
        redeploy: { at: t.redeployed, by: ANA, offsetMs: 7_349_875 },
      },
      refusedAttempts: 1,
      nudges: 2,
      idleReminders: 0,
      notes: 1,
    });
  });

  it('uses the detection time as the exposure start when the start is unknown', () => {
    const opened = at('2026-03-10T09:00:00.000Z');
    const events = chain(incidentRef(7), [
      { at: opened, actor: ANA, type: 'incident_opened', details: {} },
      { at: opened + 4 * MIN, actor: ANA, type: 'key_revoked', details: {} },
    ]);
    const incident = incidentFrom({ ...fullIncident().incident, id: 7, openedAt: opened, exposureStart: null }, events);
    const metrics = computeMetrics(incident, events);
    expect(metrics.exposureStartKnown).toBe(false);
    expect(metrics.exposureStart).toBe(opened);
    expect(metrics.exposureWindowMs).toBe(4 * MIN);
    expect(metrics.timeToRevokeMs).toBe(4 * MIN);
  });

  it('gives a negative time to revoke when the key was revoked before the incident was opened', () => {
    const { incident, events } = revokedBeforeOpened();
    const metrics = computeMetrics(incident, events);
    expect(metrics.revokedAt).toBe(at('2026-03-10T08:48:00.000Z'));
    expect(metrics.timeToRevokeMs).toBe(-12 * MIN);
    // from the known exposure start (08:00) to the revocation (08:48)
    expect(metrics.exposureWindowMs).toBe(48 * MIN);
    expect(metrics.steps.revoke).toEqual({ at: at('2026-03-10T08:48:00.000Z'), by: ANA, offsetMs: -12 * MIN });
  });

  it('never reports a negative exposure window when the start is unknown and the key was revoked before detection', () => {
    const opened = at('2026-03-10T09:00:00.000Z');
    const events = chain(incidentRef(9), [
      { at: opened, actor: ANA, type: 'key_revoked', details: { revokedAt: opened - 5 * MIN } },
    ]);
    const incident = incidentFrom({ ...fullIncident().incident, id: 9, openedAt: opened, exposureStart: null }, events);
    expect(computeMetrics(incident, events).exposureWindowMs).toBe(0);
  });

  it('leaves what is not yet known as null for an unresolved incident', () => {
    const { incident, events } = unresolvedIncident();
    expect(computeMetrics(incident, events)).toEqual({
      revokedAt: null,
      exposureStart: incident.openedAt,
      exposureStartKnown: false,
      timeToRevokeMs: null,
      exposureWindowMs: null,
      timeToResolveMs: null,
      steps: { revoke: null, review: null, support: null, redeploy: null },
      refusedAttempts: 0,
      nudges: 1,
      idleReminders: 0,
      notes: 0,
    });
  });
});
