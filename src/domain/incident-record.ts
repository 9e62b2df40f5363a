import type { ChainVerdict } from './event-chain';
import { type Incident, incidentRef, STEP_EVENT, STEPS, type TimelineEvent } from './types';

/**
 * A hash chain cannot see rows cut off its end: what is left still verifies. The incident row and its steps are
 * written in the same transaction as their events, so each fact they state must have its event in the stream.
 * A fact without its event means the stream was cut short (or the row was altered); it is reported as a gap
 * at the first missing seq, where the next event should have been.
 */
export function checkIncidentRecord(
  incident: Incident,
  events: readonly TimelineEvent[],
  chain: ChainVerdict,
): ChainVerdict {
  if (!chain.ok) return chain;
  const ref = incidentRef(incident.id);
  const has = (type: TimelineEvent['type']) => events.some((event) => event.type === type);
  const claims: { holds: boolean; fact: string; type: TimelineEvent['type'] }[] = [
    { holds: has('incident_opened'), fact: 'was opened', type: 'incident_opened' },
    ...STEPS.filter((step) => incident.steps[step]).map((step) => ({
      holds: has(STEP_EVENT[step]),
      fact: `has its ${step} step done`,
      type: STEP_EVENT[step],
    })),
    ...(incident.status === 'resolved'
      ? [{ holds: has('incident_resolved'), fact: 'is resolved', type: 'incident_resolved' as const }]
      : []),
  ];
  const missing = claims.find((claim) => !claim.holds);
  if (!missing) return chain;
  const last = events.reduce((max, event) => Math.max(max, event.seq), 0);
  return {
    ok: false,
    count: chain.count,
    head: chain.head,
    firstBad: {
      seq: last + 1,
      problem: 'sequence_gap',
      message: `${ref} ${missing.fact} but its stream has no ${missing.type} event: events after ${last} were removed, or the incident row was altered`,
    },
  };
}
