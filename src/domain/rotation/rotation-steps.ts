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

export function stepIndex(step: RotationStep): number {
  return ROTATION_STEPS.indexOf(step);
}
