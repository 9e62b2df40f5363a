import { withSortedKeys } from '../event-chain';
import { isoUtc } from '../time';
import { STEPS, type Step } from '../types';
import type { ExportModel } from './export-model';
import { isoLocal } from './format-time';
import type { StepTiming } from './metrics';

// The field names and their order are a public contract, documented in docs/timeline.schema.json and
// docs/timeline-export.md. Objects are built in the order they are written, so the output is stable.

export const FORMAT_VERSION = 1;

const iso = (ms: number | null) => (ms === null ? null : isoUtc(ms));

function stepTimings(steps: Record<Step, StepTiming | null>) {
  return Object.fromEntries(
    STEPS.map((step) => {
      const timing = steps[step];
      return [step, timing ? { completedAt: isoUtc(timing.at), by: timing.by, offsetMs: timing.offsetMs } : null];
    }),
  );
}

export function timelineDocument(model: ExportModel) {
  const { incident, metrics, integrity } = model;
  return {
    formatVersion: FORMAT_VERSION,
    displayTimeZone: model.displayTimeZone,
    incident: {
      id: model.ref,
      channelId: incident.channelId,
      keyLabel: incident.keyLabel,
      environment: incident.environment,
      keyMode: incident.keyMode,
      severity: incident.severity,
      how: incident.how,
      openedBy: incident.openedBy,
      openedAt: isoUtc(incident.openedAt),
      exposureStart: iso(incident.exposureStart),
      status: incident.status,
      resolution: incident.resolution,
      resolvedAt: iso(incident.resolvedAt),
      resolvedBy: incident.resolvedBy,
      summary: incident.summary,
      lead: model.lead,
      drill: model.drill,
    },
    metrics: {
      revokedAt: iso(metrics.revokedAt),
      exposureStart: isoUtc(metrics.exposureStart),
      exposureStartKnown: metrics.exposureStartKnown,
      timeToRevokeMs: metrics.timeToRevokeMs,
      exposureWindowMs: metrics.exposureWindowMs,
      timeToResolveMs: metrics.timeToResolveMs,
      steps: stepTimings(metrics.steps),
      refusedAttempts: metrics.refusedAttempts,
      nudges: metrics.nudges,
      idleReminders: metrics.idleReminders,
      notes: metrics.notes,
    },
    events: model.events.map((event) => ({
      seq: event.seq,
      at: isoUtc(event.at),
      ...(model.localZone ? { atLocal: isoLocal(event.at, model.localZone) } : {}),
      type: event.type,
      actor: event.actor,
      // Details exactly as hashed (keys sorted), so anyone can re-verify the chain from this file alone.
      details: withSortedKeys(event.details) as Record<string, unknown>,
      hash: event.hash,
      prevHash: event.prevHash,
    })),
    integrity: {
      verified: integrity.ok,
      eventCount: integrity.count,
      chainHead: integrity.head,
      ...(integrity.ok
        ? {}
        : {
            firstBad: {
              seq: integrity.firstBad.seq,
              problem: integrity.firstBad.problem,
              message: integrity.firstBad.message,
            },
          }),
      databaseIntegrity: model.databaseIntegrity,
    },
  };
}

export type TimelineDocument = ReturnType<typeof timelineDocument>;

export function renderJson(model: ExportModel): string {
  return `${JSON.stringify(timelineDocument(model), null, 2)}\n`;
}
