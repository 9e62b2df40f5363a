import { fieldOf } from '../events/event-schemas';
import { type Actor, type Incident, STEP_EVENT, STEPS, type Step, type TimelineEvent } from '../types';

/** When a playbook step was done, by whom, and how long after the incident was opened. */
export interface StepTiming {
  at: number;
  by: Actor;
  offsetMs: number;
}

/** The figures a postmortem asks for first. Durations are integer ms, null while not yet known. */
export interface IncidentMetrics {
  /** When the key stopped working; null while it is still active. */
  revokedAt: number | null;
  /** Start of the exposure window: the given exposure start, or the detection time when unknown. */
  exposureStart: number;
  exposureStartKnown: boolean;
  /** Negative when the key was already revoked before the incident was opened. */
  timeToRevokeMs: number | null;
  exposureWindowMs: number | null;
  timeToResolveMs: number | null;
  steps: Record<Step, StepTiming | null>;
  refusedAttempts: number;
  nudges: number;
  idleReminders: number;
  notes: number;
}

/**
 * A responder may declare that the key was revoked earlier than the click that records it; the time they gave
 * is the one that ends the exposure.
 */
export function revocationTime(event: TimelineEvent): number {
  return fieldOf(event, 'key_revoked', 'revokedAt') ?? event.at;
}

export function computeMetrics(incident: Incident, events: readonly TimelineEvent[]): IncidentMetrics {
  const count = (type: TimelineEvent['type']) => events.filter((event) => event.type === type).length;
  const steps = {} as Record<Step, StepTiming | null>;
  for (const step of STEPS) {
    // The state machine refuses a repeated step, so the first event of its type is the one that completed it.
    const event = events.find((candidate) => candidate.type === STEP_EVENT[step]);
    if (!event) {
      steps[step] = null;
      continue;
    }
    const at = step === 'revoke' ? revocationTime(event) : event.at;
    steps[step] = { at, by: event.actor, offsetMs: at - incident.openedAt };
  }
  const revokedAt = steps.revoke?.at ?? null;
  const exposureStart = incident.exposureStart ?? incident.openedAt;
  return {
    revokedAt,
    exposureStart,
    exposureStartKnown: incident.exposureStart !== null,
    timeToRevokeMs: steps.revoke?.offsetMs ?? null,
    // A key revoked before an incident with an unknown exposure start was detected has no window to speak of:
    // never report a negative exposure.
    exposureWindowMs: revokedAt === null ? null : Math.max(0, revokedAt - exposureStart),
    timeToResolveMs: incident.resolvedAt === null ? null : incident.resolvedAt - incident.openedAt,
    steps,
    refusedAttempts: count('action_refused'),
    nudges: count('revoke_nudge'),
    idleReminders: count('idle_reminder'),
    notes: count('note_added'),
  };
}
