import type { KnownBlock } from '@slack/types';
import { nextStep, revokedAt } from '../../domain/incident';
import { STEP_TITLES } from '../../domain/step-titles';
import { humanDuration } from '../../domain/time';
import { type Incident, incidentRef, leadOf } from '../../domain/types';
import { mention, slackDate } from './slack-time';

/**
 * The stakeholders' line about an incident in STATUS_CHANNEL: where it stands, never the key's label or mode, the
 * notes, or what the review found (people outside the response need the state, not the details).
 */
export function statusMessage(incident: Incident, now: number): { text: string; blocks: KnownBlock[] } {
  const ref = incidentRef(incident.id);
  const step = nextStep(incident);
  const revoked = revokedAt(incident);
  const state =
    incident.status === 'resolved'
      ? `:white_check_mark: resolved ${slackDate(incident.resolvedAt ?? now)}, ${humanDuration((incident.resolvedAt ?? now) - incident.openedAt)} after it was opened`
      : step
        ? `:arrow_right: now: ${STEP_TITLES[step]}`
        : ':arrow_right: now: ready to resolve';
  const revoke =
    revoked === null
      ? 'key not yet revoked'
      : revoked <= incident.openedAt
        ? 'key revoked before the incident was opened'
        : `time to revoke: ${humanDuration(revoked - incident.openedAt)}`;
  const lines = [
    `*${ref}* · ${incident.environment} · ${incident.severity} · opened ${slackDate(incident.openedAt)}`,
    `${state} · ${revoke} · lead ${mention(leadOf(incident))}`,
  ];
  const text = `${ref} (${incident.environment}, ${incident.severity}): ${incident.status === 'resolved' ? 'resolved' : step ? `now: ${STEP_TITLES[step]}` : 'ready to resolve'}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }] };
}
