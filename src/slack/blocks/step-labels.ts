import type { Step } from '../../domain/types';

export const STEP_BUTTONS: Record<Step, string> = {
  revoke: 'I revoked the key',
  review: 'Record the review',
  support: 'Contact support',
  redeploy: 'Record the new key',
};

export const STEP_SHORT: Record<Step, string> = {
  revoke: 'revoke',
  review: 'transaction review',
  support: 'support contact',
  redeploy: 'new key and redeploy',
};
