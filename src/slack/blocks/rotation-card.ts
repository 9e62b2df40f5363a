import type { KnownBlock } from '@slack/types';
import type { RegisteredKey } from '../../domain/keys/registered-key';
import { rotationRef } from '../../domain/refs';
import { nextRotationStep, type Rotation } from '../../domain/rotation/rotation';
import {
  ROTATION_STEP_HOWTO,
  ROTATION_STEP_TITLES,
  ROTATION_STEPS,
  type RotationStep,
} from '../../domain/rotation/rotation-steps';
import { ActionId } from '../ids';
import { button } from './block-kit';
import type { SlackMessage } from './incident-card';
import { slackDay } from './reminder-message';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';

export const ROTATION_STEP_ACTION: Record<RotationStep, string> = {
  create: ActionId.rotationCreate,
  deploy: ActionId.rotationDeploy,
  verify: ActionId.rotationVerify,
  revoke_old: ActionId.rotationRevokeOld,
};

const STEP_BUTTON: Record<RotationStep, string> = {
  create: 'Record the new key',
  deploy: 'I deployed it',
  verify: 'New key has live traffic',
  revoke_old: 'I revoked the old key',
};

/** What the card needs besides the rotation: the keys as the register has them now. */
export interface RotationCardContext {
  oldKey: RegisteredKey | null;
  /** When a rotation was called off: the incident that did it (`INC-n`), if any. */
  cancelledBy: string | null;
  /** The new key's first due date, once the rotation is done. */
  nextDueAt: number | null;
}

function stepLine(rotation: Rotation, step: RotationStep, current: RotationStep | null): string {
  const number = ROTATION_STEPS.indexOf(step) + 1;
  const title = `*${number}. ${ROTATION_STEP_TITLES[step]}*`;
  const mark = rotation.steps[step];
  if (mark) {
    const label = step === 'create' && rotation.newLabel ? ` · \`${escapeMrkdwn(rotation.newLabel)}\`` : '';
    return `:white_check_mark: ${title}${label}\n${mention(mark.by)} · ${slackDate(mark.at)}`;
  }
  if (step === current) return `:arrow_right: ${title}\n${ROTATION_STEP_HOWTO[step]}`;
  return `:white_circle: ${title}`;
}

/** The rotation card: posted once in the channel, then redrawn by chat.update after every step. */
export function rotationCard(rotation: Rotation, context: RotationCardContext): SlackMessage {
  const ref = rotationRef(rotation.id);
  const current = nextRotationStep(rotation);
  const environment = context.oldKey
    ? `${context.oldKey.environment} (${context.oldKey.mode} ${context.oldKey.kind} key)`
    : 'unknown';
  const headline =
    rotation.status === 'done'
      ? `:white_check_mark: ${ref} done · ${rotation.oldLabel} → ${rotation.newLabel ?? ''}`
      : rotation.status === 'cancelled'
        ? `:no_entry: ${ref} called off · ${rotation.oldLabel}`
        : `:arrows_counterclockwise: ${ref} · rotating ${rotation.oldLabel}`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(headline, 150), emoji: true } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Old key*\n\`${escapeMrkdwn(rotation.oldLabel)}\`` },
        { type: 'mrkdwn', text: `*Environment*\n${environment}` },
        {
          type: 'mrkdwn',
          text: `*New key*\n${rotation.newLabel ? `\`${escapeMrkdwn(rotation.newLabel)}\`` : '_not created yet_'}`,
        },
        { type: 'mrkdwn', text: `*Started by*\n${mention(rotation.startedBy)} · ${slackDate(rotation.startedAt)}` },
      ],
    },
    { type: 'divider' },
  ];
  for (const step of ROTATION_STEPS) {
    blocks.push({
      type: 'section',
      block_id: `rotation_step_${step}`,
      text: { type: 'mrkdwn', text: truncate(stepLine(rotation, step, current), 3000) },
    });
  }
  if (rotation.status === 'done') {
    const due = context.nextDueAt === null ? '' : ` The next rotation is due ${slackDay(context.nextDueAt)}.`;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Finished.* \`${escapeMrkdwn(rotation.oldLabel)}\` is revoked in the register and \`${escapeMrkdwn(
          rotation.newLabel ?? '',
        )}\` is active.${due}`,
      },
    });
  } else if (rotation.status === 'cancelled') {
    const why = context.cancelledBy
      ? `the key was declared compromised in ${context.cancelledBy}: revoke it now, there is no safe old key to keep running.`
      : 'the rotation was cancelled.';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Called off:* ${why}` } });
  }
  if (current) {
    blocks.push({
      type: 'actions',
      block_id: 'rotation_actions',
      elements: [
        button(
          STEP_BUTTON[current],
          ROTATION_STEP_ACTION[current],
          ref,
          current === 'revoke_old' ? 'danger' : 'primary',
        ),
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${ref} · zero-downtime order: create → deploy while the old key still works → verify "Last Used" → only then revoke the old key`,
      },
    ],
  });
  const status =
    rotation.status === 'done'
      ? `done: ${rotation.oldLabel} revoked, ${rotation.newLabel ?? ''} active`
      : rotation.status === 'cancelled'
        ? 'called off'
        : `next: ${current ? ROTATION_STEP_TITLES[current] : 'nothing'}`;
  return { text: `${ref}: rotation of ${rotation.oldLabel} · ${status}`, blocks };
}
