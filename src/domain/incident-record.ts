import { type ChainVerdict, canonicalJson } from './event-chain';
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
  if (!missing) return compareRowWithEvents(incident, events, chain);
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

interface FieldCheck {
  column: string;
  row: unknown;
  event: TimelineEvent;
  chained: unknown;
}

/**
 * Every figure an export shows is read from the incident row; the row is not chained, so each of its fields is
 * compared with the chained event that recorded it. The first that differs is named, with the event it should
 * match, so an edited row (an exposure window made shorter, a different opener) cannot pass as verified.
 */
export function compareRowWithEvents(
  incident: Incident,
  events: readonly TimelineEvent[],
  chain: ChainVerdict,
): ChainVerdict {
  const first = (type: TimelineEvent['type']) =>
    [...events].sort((a, b) => a.seq - b.seq).find((event) => event.type === type);
  const checks: FieldCheck[] = [];
  const opened = first('incident_opened');
  if (opened) {
    const d = opened.details;
    checks.push(
      { column: 'opened_at', row: incident.openedAt, event: opened, chained: opened.at },
      { column: 'opened_by', row: incident.openedBy, event: opened, chained: opened.actor },
      { column: 'key_label', row: incident.keyLabel, event: opened, chained: d.keyLabel },
      { column: 'environment', row: incident.environment, event: opened, chained: d.environment },
      { column: 'key_mode', row: incident.keyMode, event: opened, chained: d.keyMode },
      { column: 'severity', row: incident.severity, event: opened, chained: d.severity },
      { column: 'exposure_start', row: incident.exposureStart, event: opened, chained: d.exposureStart ?? null },
      { column: 'how', row: incident.how, event: opened, chained: d.how ?? '' },
    );
    // The incident lives where it was declared until the bot moves it to a room of its own (`room_created`).
    const moved = [...events].sort((a, b) => b.seq - a.seq).find((event) => event.type === 'room_created');
    const room = moved && typeof moved.details.channelId === 'string' ? moved : null;
    if (room) {
      checks.push({ column: 'channel_id', row: incident.channelId, event: room, chained: room.details.channelId });
    } else if (typeof d.channelId === 'string') {
      checks.push({ column: 'channel_id', row: incident.channelId, event: opened, chained: d.channelId });
    }
  }
  for (const step of STEPS) {
    const event = first(STEP_EVENT[step]);
    const record = incident.steps[step];
    if (!event || !record) {
      if (event) checks.push({ column: `incident_steps(${step})`, row: null, event, chained: 'done' });
      continue;
    }
    checks.push(
      { column: `incident_steps(${step}).done_at`, row: record.at, event, chained: event.at },
      { column: `incident_steps(${step}).done_by`, row: record.by, event, chained: event.actor },
      {
        column: `incident_steps(${step}).details`,
        row: canonicalJson(record.details),
        event,
        chained: canonicalJson(event.details),
      },
    );
  }
  const resolved = first('incident_resolved');
  if (resolved) {
    checks.push(
      { column: 'status', row: incident.status, event: resolved, chained: 'resolved' },
      { column: 'resolved_at', row: incident.resolvedAt, event: resolved, chained: resolved.at },
      { column: 'resolved_by', row: incident.resolvedBy, event: resolved, chained: resolved.actor },
      { column: 'resolution', row: incident.resolution, event: resolved, chained: resolved.details.resolution },
      { column: 'summary', row: incident.summary, event: resolved, chained: resolved.details.summary ?? '' },
    );
  }
  const wrong = checks.find((check) => check.row !== check.chained);
  if (!wrong) return chain;
  return {
    ok: false,
    count: chain.count,
    head: chain.head,
    firstBad: {
      seq: wrong.event.seq,
      problem: 'row_mismatch',
      message: `incidents.${wrong.column} of ${incidentRef(incident.id)} is ${JSON.stringify(wrong.row)} but event ${wrong.event.seq} (${wrong.event.type}) recorded ${JSON.stringify(wrong.chained)}: the incident row was altered`,
    },
  };
}
