import { ROTATION_STEP_TITLES, type RotationStep } from '../../domain/rotation/rotation-steps';
import { utcMinute } from '../../domain/time';
import type { RefusalSentences } from './refusal-text';
import { mention } from './slack-time';

const OUTAGE_RISK =
  "Revoking the old key before the new one is confirmed live risks an outage if the new key wasn't picked up by " +
  'your deployment for any reason (a stale environment cache, a missed service restart).';

/** Why a missing step must come first: the seed's reasoning, said once. */
const MUST_COME_FIRST: Record<RotationStep, string> = {
  create:
    'Create the new key first: in the PayKore dashboard, Settings → API Keys → Create Key, labelled clearly ' +
    '(e.g. api-server-production-v2), and record its label here. There is nothing to deploy until it exists.',
  deploy:
    'Deploy the new key first: set it in your environment variables and deploy while the old key is still active, ' +
    'so traffic keeps flowing through the switch and the rotation needs no downtime.',
  verify:
    'Verify first: check the Last Used column for the new key in the dashboard to confirm live traffic is flowing ' +
    `through it. ${OUTAGE_RISK}`,
  revoke_old: 'Revoke the old key first.',
};

const by = (actor: string | null, at: number | null): string =>
  actor !== null && at !== null ? ` (started by ${mention(actor)} at ${utcMinute(at)})` : '';

/** The planned rotation's card, its forms and its completion. */
export const ROTATION_REFUSALS: RefusalSentences<
  | 'rotation_in_progress'
  | 'key_revoked'
  | 'key_compromised'
  | 'rotation_finished'
  | 'rotation_step_already_done'
  | 'rotation_step_out_of_order'
  | 'new_label_required'
  | 'new_label_unchanged'
  | 'new_label_taken'
  | 'wrong_key'
  | 'rotation_not_done'
> = {
  rotation_in_progress: (p) =>
    `A rotation of ${p.label} is already in progress${by(p.startedBy, p.startedAt)}: continue it on its card, where each step is recorded.`,
  key_revoked: ({ label }) =>
    `${label} is already revoked, so there is nothing to rotate. Register the key that replaced it.`,
  key_compromised: ({ label }) =>
    `${label} is compromised: that is an incident, not a planned rotation. Revoke it immediately; ` +
    'there is no safe old key to keep running while the new one is deployed.',
  rotation_finished: (p) =>
    p.status === 'done'
      ? `This rotation is finished: the old key ${p.oldLabel} was revoked` +
        (p.revokedBy !== null && p.revokedAt !== null
          ? ` (recorded by ${mention(p.revokedBy)} at ${utcMinute(p.revokedAt)}).`
          : '.') +
        ' Nothing more to record.'
      : `This rotation of ${p.oldLabel} was cancelled. To rotate the key, start a new rotation.`,
  rotation_step_already_done: (p) =>
    `"${ROTATION_STEP_TITLES[p.step]}" was already recorded by ${mention(p.by)} at ${utcMinute(p.at)}.` +
    (p.next ? ` Next: ${ROTATION_STEP_TITLES[p.next]}.` : ''),
  // Any shortcut to revoking the old key carries the seed's outage warning, not only the one that skips verify.
  rotation_step_out_of_order: ({ step, missing }) =>
    step === 'revoke_old' && missing !== 'verify'
      ? `${MUST_COME_FIRST[missing]} ${OUTAGE_RISK}`
      : MUST_COME_FIRST[missing],
  new_label_required: () => 'Give the new key its label, e.g. api-server-production-v2.',
  new_label_unchanged: ({ oldLabel }) =>
    `The new key needs its own label, different from ${oldLabel}, so the two can be told apart in the dashboard.`,
  new_label_taken: (p) =>
    `${p.label} is already in the register (${p.environment}, ${p.status}): give the new key a label of its own.`,
  wrong_key: ({ label }) => `This rotation belongs to another key than ${label}.`,
  rotation_not_done: ({ label }) =>
    `The rotation of ${label} is not finished: the old key is revoked only after the new one is verified.`,
};
