import type { Button, KnownBlock } from '@slack/types';
import { fieldOf } from '../../domain/events/event-schemas';
import { nextStep, stepNumber } from '../../domain/incident';
import { STEP_TITLES } from '../../domain/step-titles';
import { type Incident, incidentRef, leadOf, STEPS, type Step } from '../../domain/types';
import { ActionId } from '../ids';
import { button } from './block-kit';
import { exposureSpan } from './exposure-text';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';
import { STEP_BUTTONS } from './step-labels';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const STEP_ACTION: Record<Step, string> = {
  revoke: ActionId.incidentRevoke,
  review: ActionId.incidentReview,
  support: ActionId.incidentSupport,
  redeploy: ActionId.incidentRedeploy,
};

const SEVERITY_TEXT = { SEV1: 'SEV1 (production)', SEV2: 'SEV2', SEV3: 'SEV3 (contained)' } as const;

function stepLine(incident: Incident, step: Step, current: Step | null): string {
  const record = incident.steps[step];
  const title = `*${stepNumber(step)}. ${STEP_TITLES[step]}*`;
  if (record) {
    const given =
      step === 'revoke'
        ? (fieldOf({ type: 'key_revoked', details: record.details }, 'key_revoked', 'revokedAt') ?? null)
        : null;
    const when =
      given !== null ? `revoked at ${slackDate(given)} (recorded ${slackDate(record.at)})` : slackDate(record.at);
    return `:white_check_mark: ${title}\n${mention(record.by)} · ${when}`;
  }
  if (step === current) return `:arrow_right: ${title}\n_Next: this is what to do now._`;
  return `:white_circle: ${title}`;
}

/** The incident card: posted once, then replaced by chat.update on every change, so it always shows the truth. */
/** The stream's event count and head, shown on the card so a witness of the record lives outside the database. */
export interface RecordWitness {
  stream: string;
  count: number;
  head: string;
}

export function incidentCard(incident: Incident, now: number, witness?: RecordWitness): SlackMessage {
  const ref = incidentRef(incident.id);
  const current = incident.status === 'open' ? nextStep(incident) : null;
  const resolved = incident.status === 'resolved';
  // A drill says so first, everywhere: nobody should mistake a rehearsal for a live key, or the reverse.
  const drill = incident.drill ? 'DRILL · ' : '';
  const headline = resolved
    ? `:white_check_mark: ${drill}${ref} resolved · ${incident.keyLabel}`
    : `${incident.drill ? ':performing_arts:' : ':rotating_light:'} ${drill}${ref} · compromised key ${incident.keyLabel}`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(headline, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Key*\n\`${escapeMrkdwn(incident.keyLabel)}\`` },
        {
          type: 'mrkdwn',
          text: `*Environment*\n${incident.environment}${incident.keyMode === 'unknown' ? '' : ` (${incident.keyMode} key)`}`,
        },
        { type: 'mrkdwn', text: `*Severity*\n${SEVERITY_TEXT[incident.severity]}` },
        { type: 'mrkdwn', text: `*Opened by*\n${mention(incident.openedBy)} · ${slackDate(incident.openedAt)}` },
        { type: 'mrkdwn', text: `*Lead*\n${mention(leadOf(incident))}` },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Exposure window*\n${exposureSpan(incident, now)}` } },
  ];
  if (incident.how) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*What happened*\n${escapeMrkdwn(incident.how)}`, 3000) },
    });
  }
  blocks.push({ type: 'divider' });
  for (const step of STEPS) {
    blocks.push({
      type: 'section',
      block_id: `step_${step}`,
      text: { type: 'mrkdwn', text: stepLine(incident, step, current) },
    });
  }
  if (resolved) {
    const summary = incident.summary ? `\n${escapeMrkdwn(incident.summary)}` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*Resolved* as \`${incident.resolution}\` by ${mention(incident.resolvedBy ?? '')} · ${slackDate(incident.resolvedAt ?? now)}${summary}`,
          3000,
        ),
      },
    });
  }
  const buttons: Button[] = [];
  if (current) {
    buttons.push(button(STEP_BUTTONS[current], STEP_ACTION[current], ref, current === 'revoke' ? 'danger' : 'primary'));
  } else if (!resolved) {
    buttons.push(button('Resolve incident', ActionId.incidentResolve, ref, 'primary'));
  }
  if (!resolved) buttons.push(button('Add a note', ActionId.incidentNote, ref));
  buttons.push(button('Export timeline', ActionId.incidentExport, ref));
  blocks.push({ type: 'actions', block_id: 'incident_actions', elements: buttons });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: witness
          ? `${ref} · every action is timestamped and hash-chained in the bot's record · record: ${witness.count} events, head \`${witness.head}\``
          : `${ref} · every action is timestamped and hash-chained in the bot's record`,
      },
    ],
  });
  const status = resolved
    ? `resolved (${incident.resolution})`
    : current
      ? `next: ${STEP_TITLES[current]}`
      : 'ready to resolve';
  if (incident.drill) {
    blocks.unshift({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: ':performing_arts: *DRILL*: a practice incident. No key was exposed.' }],
    });
  }
  return { text: `${drill}${ref}: compromised key ${incident.keyLabel} (${incident.environment}) · ${status}`, blocks };
}
