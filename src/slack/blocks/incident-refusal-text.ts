import { COMMAND } from '../../domain/command-name';
import { type IncidentRefusalCode, stepNumber } from '../../domain/incident';
import { incidentRef } from '../../domain/refs';
import type { Step } from '../../domain/types';
import type { RefusalSentences } from './refusal-text';
import { mention, slackDate } from './slack-time';
import { STEP_SHORT } from './step-labels';

// The seed's reasoning behind each gate, said once.
const WHY_FIRST: Record<Step, string> = {
  revoke:
    'Revoke the key first: every minute it stays active is a minute of continued exposure, and the exposure window to review only closes when it is revoked.',
  review:
    'Review the transaction history for the exposure window first, so that support hears what you found (contact them even if you found nothing).',
  support:
    'Contact PayKore support first, with the approximate time of exposure: early notice gives them the best chance of catching anything unusual before it compounds.',
  redeploy: 'Generate a new key and redeploy first: your services still need a working key once the old one is gone.',
};

const step = (s: Step) => `step ${stepNumber(s)} (${STEP_SHORT[s]})`;

export const INCIDENT_REFUSALS: RefusalSentences<IncidentRefusalCode | 'lead_not_responder'> = {
  incident_resolved: ({ resolvedBy, resolvedAt }) =>
    `This incident was already resolved by ${mention(resolvedBy)} ${slackDate(resolvedAt)}. Open a new one with \`${COMMAND}\` if the key is exposed again.`,
  step_already_done: (p) =>
    `Step ${stepNumber(p.step)} (${STEP_SHORT[p.step]}) was already recorded by ${mention(p.by)} ${slackDate(p.at)}. Nothing was changed.`,
  step_out_of_order: (p) => `Not yet: ${step(p.missing)} comes before ${step(p.step)}. ${WHY_FIRST[p.missing]}`,
  resolve_too_early: (p) => `Not yet: ${step(p.missing)} is still open. ${WHY_FIRST[p.missing]}`,
  exposure_after_now: () =>
    'The exposure start is in the future. Give the time the key was first exposed (UTC unless you add a zone), or leave it out if you do not know.',
  revocation_after_now: () =>
    'The revocation time is in the future. If the key is not revoked yet, leave the time out and revoke it now.',
  exposure_after_revocation: () =>
    'The exposure start is later than the revocation: the key cannot have been exposed after it stopped working. Check both times.',
  lead_not_responder: ({ user, incident }) =>
    `${mention(user)} is not a responder, so cannot lead ${incidentRef(incident)}. Hand the lead to someone listed in RESPONDERS.`,
};
