import type { EventType } from '../types';

// The seed's zero-downtime rotation order: create → deploy while the old key still works → verify live traffic
// on the new key → only then revoke the old one.

export const ROTATION_STEPS = ['create', 'deploy', 'verify', 'revoke_old'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export const ROTATION_STEP_TITLES: Record<RotationStep, string> = {
  create: 'Create the new key',
  deploy: 'Deploy it while the old key is still active',
  verify: 'Verify the new key carries live traffic',
  revoke_old: 'Revoke the old key',
};

/** What to do for each step, in the seed's words: shown on reminders and on the rotation card. */
export const ROTATION_STEP_HOWTO: Record<RotationStep, string> = {
  create:
    'In the PayKore dashboard, Settings → API Keys → Create Key, labelled clearly (e.g. api-server-production-v2).',
  deploy: 'Deploy your server with the new key set in its environment variables, while the old key is still active.',
  verify: 'Check the Last Used column for the new key in the dashboard to confirm live traffic is flowing through it.',
  revoke_old: 'Revoke the old key, only once the new key is confirmed live.',
};

export const ROTATION_STEP_EVENT: Record<RotationStep, EventType> = {
  create: 'rotation_key_created',
  deploy: 'rotation_deployed',
  verify: 'rotation_verified',
  revoke_old: 'rotation_old_revoked',
};

const OUTAGE_RISK =
  "Revoking the old key before the new one is confirmed live risks an outage if the new key wasn't picked up by " +
  'your deployment for any reason (a stale environment cache, a missed service restart).';

/** Why a missing step must come first: the sentence a person sees when they try to skip it. */
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

export function stepIndex(step: RotationStep): number {
  return ROTATION_STEPS.indexOf(step);
}

/** The refusal for attempting `attempted` while `missing` (an earlier step) is not recorded. */
export function outOfOrderReason(attempted: RotationStep, missing: RotationStep): string {
  const reason = MUST_COME_FIRST[missing];
  // Any shortcut to revoking the old key carries the seed's outage warning, not only the one that skips verify.
  return attempted === 'revoke_old' && missing !== 'verify' ? `${reason} ${OUTAGE_RISK}` : reason;
}
