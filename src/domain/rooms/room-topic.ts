import { nextStep } from '../incident';
import { type Incident, incidentRef } from '../types';

/** Slack cuts a channel topic at 250 characters. */
export const MAX_TOPIC = 250;

const STEP_SHORT = {
  revoke: 'step 1: revoke the key',
  review: 'step 2: review transactions',
  support: 'step 3: contact PayKore support',
  redeploy: 'step 4: new key and redeploy',
} as const;

/** The room's topic: key, environment, severity and the current step, kept current as steps complete. */
export function roomTopic(incident: Incident): string {
  const step = nextStep(incident);
  const now =
    incident.status === 'resolved'
      ? `resolved (${incident.resolution ?? 'unknown'})`
      : step
        ? `now: ${STEP_SHORT[step]}`
        : 'now: resolve';
  const drill = incident.drill ? 'DRILL · ' : '';
  const text = `${drill}${incidentRef(incident.id)} · key ${incident.keyLabel} · ${incident.environment} · ${incident.severity} · ${now}`;
  return text.length <= MAX_TOPIC ? text : `${text.slice(0, MAX_TOPIC - 1)}…`;
}
