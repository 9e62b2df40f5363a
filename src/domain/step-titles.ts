import type { Step } from './types';

/**
 * The playbook's step titles, worded once for the card, App Home, status, reminders and the exported timeline.
 * Each names where the step is done, as the seed does, so the title alone is enough in an incident.
 */
export const STEP_TITLES: Record<Step, string> = {
  revoke: 'Revoke the key in the PayKore dashboard (Settings → API Keys)',
  review: 'Review transactions in the exposure window',
  support: 'Contact PayKore support with the exposure time',
  redeploy: 'Generate a new key and redeploy',
};
