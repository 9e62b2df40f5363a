import { fieldOf } from './events/event-schemas';
import { type Refusal, refuse } from './refusal';
import {
  type Environment,
  type Incident,
  type KeyMode,
  type Severity,
  STEPS,
  type Step,
  type StepRecord,
} from './types';

/** A production live key is the worst case; a development key is contained to a laptop (the seed's blast radius). */
export function severityFor(environment: Environment, mode: KeyMode): Severity {
  if (environment === 'production') return mode === 'test' ? 'SEV2' : 'SEV1';
  if (environment === 'staging') return 'SEV2';
  return 'SEV3';
}

export function stepNumber(step: Step): number {
  return STEPS.indexOf(step) + 1;
}

/** The first playbook step not yet recorded, or null when all four are done. */
export function nextStep(incident: Pick<Incident, 'steps'>): Step | null {
  return STEPS.find((step) => !incident.steps[step]) ?? null;
}

/** When the key stopped being usable: the time the responder gave, or the moment they clicked. */
export function revokedAt(incident: Pick<Incident, 'steps'>): number | null {
  const record = incident.steps.revoke;
  if (!record) return null;
  return fieldOf({ type: 'key_revoked', details: record.details }, 'key_revoked', 'revokedAt') ?? record.at;
}

export interface ExposureWindow {
  start: number;
  startKnown: boolean;
  /** Revocation time, or null while the key is still active. */
  end: number | null;
  /** Length so far: up to `now` while the key is still active. */
  durationMs: number;
}

export function exposureWindow(incident: Incident, now: number): ExposureWindow {
  const start = incident.exposureStart ?? incident.openedAt;
  const end = revokedAt(incident);
  return { start, startKnown: incident.exposureStart !== null, end, durationMs: Math.max(0, (end ?? now) - start) };
}

export type IncidentRefusalCode =
  | 'incident_resolved'
  | 'step_already_done'
  | 'step_out_of_order'
  | 'resolve_too_early'
  | 'exposure_after_now'
  | 'revocation_after_now'
  | 'exposure_after_revocation';

export type IncidentRefusal = Refusal<IncidentRefusalCode>;

export type Decision = { ok: true } | IncidentRefusal;

/** PayKore's order: revoke → review → support → redeploy. A step is allowed only when every earlier one is recorded. */
export function decideStep(incident: Incident, step: Step): Decision {
  if (incident.status === 'resolved') {
    return resolvedRefusal(incident);
  }
  const done = incident.steps[step];
  if (done) return refuse('step_already_done', { step, at: done.at, by: done.by });
  const missing = STEPS.slice(0, STEPS.indexOf(step)).find((earlier) => !incident.steps[earlier]);
  if (missing) return refuse('step_out_of_order', { step, missing });
  return { ok: true };
}

/**
 * Resolving needs all four steps, whatever the resolution: even a key that proves safe was exposed, and the seed
 * prices revoking a safe key at "a few minutes of rotation work" against an unbounded cost the other way.
 */
export function decideResolve(incident: Incident): Decision {
  if (incident.status === 'resolved') {
    return resolvedRefusal(incident);
  }
  const missing = nextStep(incident);
  if (missing) return refuse('resolve_too_early', { missing });
  return { ok: true };
}

/** A resolved incident takes no more steps, resolution or handover. */
export function resolvedRefusal(incident: Incident): Refusal<'incident_resolved'> {
  return refuse('incident_resolved', { resolvedAt: incident.resolvedAt ?? 0, resolvedBy: incident.resolvedBy ?? '' });
}

/** Checks the times given when declaring: exposure cannot start in the future or after the key was revoked. */
export function validateDeclaredTimes(
  times: { exposureStart: number | null; revokedAt: number | null },
  now: number,
): Decision {
  if (times.exposureStart !== null && times.exposureStart > now) return refuse('exposure_after_now');
  if (times.revokedAt !== null && times.revokedAt > now) return refuse('revocation_after_now');
  if (times.exposureStart !== null && times.revokedAt !== null && times.exposureStart > times.revokedAt) {
    return refuse('exposure_after_revocation');
  }
  return { ok: true };
}

export function withStep(incident: Incident, record: StepRecord): Incident {
  return { ...incident, steps: { ...incident.steps, [record.step]: record } };
}
