import type { ModalView } from '@slack/types';
import { exposureWindow } from '../../../domain/incident';
import { supportMessage } from '../../../domain/support-message';
import { isoUtc } from '../../../domain/time';
import { type Environment, type Incident, incidentRef, RESOLUTIONS, type RoomChoice } from '../../../domain/types';
import { CallbackId, Field } from '../../ids';
import { exposureSpan } from '../exposure-text';
import { escapeMrkdwn } from '../slack-time';
import { dateTimeInput, modal, option, selectInput, textInput } from './modal-parts';

export interface IncidentModalMetadata {
  incidentId: number;
  channelId: string;
}

export interface DeclareModalMetadata {
  channelId: string;
}

const ROOM_OPTIONS = [
  option('Here, in this channel', 'here'),
  option('A new channel for the incident', 'new'),
  option('A new private channel', 'private'),
];

const ENVIRONMENT_OPTIONS = [
  option('production', 'production'),
  option('staging', 'staging'),
  option('development (local)', 'development'),
];

export function declareModal(
  metadata: DeclareModalMetadata,
  prefill: { keyLabel?: string; environment?: Environment | null; how?: string; room?: RoomChoice } = {},
): ModalView {
  return modal(CallbackId.incidentDeclare, 'Compromised key', 'Open incident', metadata, [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Declare a compromised PayKore secret key. *Do not paste the key itself*: its label is enough. When in doubt, declare: revoking a safe key costs minutes, a live stolen one costs far more.',
      },
    },
    textInput(Field.keyLabel, 'Key label', {
      initial: prefill.keyLabel,
      placeholder: 'api-server-production-v2',
      hint: 'The label in the PayKore dashboard (Settings → API Keys).',
      maxLength: 80,
    }),
    selectInput(Field.environment, 'Environment', ENVIRONMENT_OPTIONS, { initial: prefill.environment ?? undefined }),
    dateTimeInput(Field.exposureStart, 'Exposed since', {
      hint: 'When the key was first exposed (committed, pasted, lost). Leave empty if unknown: the detection time is used.',
    }),
    dateTimeInput(Field.revokedAt, 'Already revoked at', {
      hint: 'Only if the key was revoked before you declared this incident.',
    }),
    textInput(Field.how, 'What happened', {
      optional: true,
      multiline: true,
      initial: prefill.how,
      placeholder: 'Committed to a public repo in a config file…',
    }),
    selectInput(Field.room, 'Where', ROOM_OPTIONS, {
      initial: prefill.room ?? 'here',
      hint: 'A private channel keeps the details among the people the bot invites (responders, security group).',
    }),
  ]);
}

function windowText(incident: Incident, now: number): string {
  const window = exposureWindow(incident, now);
  return `*Exposure window*\n${exposureSpan(incident, now)}\nUTC: \`${isoUtc(window.start)}\` → \`${
    window.end === null ? 'now' : isoUtc(window.end)
  }\``;
}

export function reviewModal(incident: Incident, now: number): ModalView {
  return modal(
    CallbackId.incidentReview,
    `Review ${incidentRef(incident.id)}`,
    'Record review',
    { incidentId: incident.id, channelId: incident.channelId } satisfies IncidentModalMetadata,
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Check the transaction history of \`${escapeMrkdwn(incident.keyLabel)}\` (${incident.environment}) for anything you don't recognise or didn't initiate.\n\n${windowText(incident, now)}`,
        },
      },
      selectInput(Field.reviewOutcome, 'What did you find?', [
        option('Nothing unrecognised', 'nothing_unrecognised'),
        option('Suspicious transactions found', 'suspicious_found'),
      ]),
      textInput(Field.transactionIds, 'Suspicious transaction ids', {
        optional: true,
        multiline: true,
        hint: 'One per line or comma-separated.',
        maxLength: 2000,
      }),
      textInput(Field.notes, 'Notes', { optional: true, multiline: true }),
    ],
  );
}

export function supportModal(incident: Incident, now: number): ModalView {
  const draft = supportMessage(incident, now);
  return modal(
    CallbackId.incidentSupport,
    'Contact PayKore support',
    'Record contact',
    { incidentId: incident.id, channelId: incident.channelId } satisfies IncidentModalMetadata,
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Send PayKore support this message now, even if the review found nothing: early notice gives them the best chance of catching anything unusual.',
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${escapeMrkdwn(draft)}\`\`\`` } },
      selectInput(Field.contactChannel, 'How did you contact them?', [
        option('Email', 'email'),
        option('Dashboard support form', 'dashboard'),
        option('Live chat', 'chat'),
        option('Phone', 'phone'),
      ]),
      textInput(Field.ticketRef, 'Ticket or case reference', { optional: true, placeholder: 'PK-12345' }),
    ],
  );
}

export function redeployModal(incident: Incident, suggestedLabel: string): ModalView {
  return modal(
    CallbackId.incidentRedeploy,
    'New key and redeploy',
    'Record redeploy',
    { incidentId: incident.id, channelId: incident.channelId } satisfies IncidentModalMetadata,
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Create a new key in the dashboard (Settings → API Keys → Create Key) with a clear label, and deploy it through your environment variables or secrets manager. The old key is compromised, so there is no parallel run: it stays revoked.',
        },
      },
      textInput(Field.newKeyLabel, 'New key label', { initial: suggestedLabel, maxLength: 80 }),
      textInput(Field.deploymentRef, 'Deployment reference', {
        optional: true,
        placeholder: 'deploy #4812, PR link, release tag…',
      }),
    ],
  );
}

export function resolveModal(incident: Incident): ModalView {
  const labels: Record<(typeof RESOLUTIONS)[number], string> = {
    revoked: 'Revoked and replaced',
    false_positive: 'False positive',
    used_in_tests: 'Key only used in tests',
    wont_fix: "Won't fix",
  };
  return modal(
    CallbackId.incidentResolve,
    `Resolve ${incidentRef(incident.id)}`,
    'Resolve',
    { incidentId: incident.id, channelId: incident.channelId } satisfies IncidentModalMetadata,
    [
      selectInput(
        Field.resolution,
        'Resolution',
        RESOLUTIONS.map((value) => option(labels[value], value)),
        { initial: 'revoked' },
      ),
      textInput(Field.summary, 'Summary for the postmortem', { multiline: true, maxLength: 2000 }),
    ],
  );
}

export function noteModal(incident: Incident): ModalView {
  return modal(
    CallbackId.incidentNote,
    `Note on ${incidentRef(incident.id)}`,
    'Add note',
    { incidentId: incident.id, channelId: incident.channelId } satisfies IncidentModalMetadata,
    [textInput(Field.noteText, 'Note', { multiline: true, maxLength: 2000 })],
  );
}
