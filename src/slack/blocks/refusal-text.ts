import { COMMAND } from '../../domain/command-name';
import type { Refusal } from '../../domain/incident';
import { stepNumber } from '../../domain/incident';
import { mention, slackDate } from './slack-time';
import { STEP_SHORT } from './step-labels';

// The seed's reasoning behind each gate, said once.
const WHY_FIRST: Record<string, string> = {
  revoke:
    'Revoke the key first: every minute it stays active is a minute of continued exposure, and the exposure window to review only closes when it is revoked.',
  review:
    'Review the transaction history for the exposure window first, so that support hears what you found (contact them even if you found nothing).',
  support:
    'Contact PayKore support first, with the approximate time of exposure: early notice gives them the best chance of catching anything unusual before it compounds.',
  redeploy: 'Generate a new key and redeploy first: your services still need a working key once the old one is gone.',
};

/** The one place a refusal becomes the sentence a person reads. */
export function refusalText(refusal: Refusal): string {
  switch (refusal.code) {
    case 'incident_resolved':
      return `This incident was already resolved by ${mention(refusal.resolvedBy)} ${slackDate(refusal.resolvedAt)}. Open a new one with \`${COMMAND}\` if the key is exposed again.`;
    case 'step_already_done':
      return `Step ${stepNumber(refusal.step)} (${STEP_SHORT[refusal.step]}) was already recorded by ${mention(refusal.by)} ${slackDate(refusal.at)}. Nothing was changed.`;
    case 'step_out_of_order':
      return `Not yet: step ${stepNumber(refusal.missing)} (${STEP_SHORT[refusal.missing]}) comes before step ${stepNumber(refusal.step)}. ${WHY_FIRST[refusal.missing]}`;
    case 'resolve_too_early':
      return `Not yet: step ${stepNumber(refusal.missing)} (${STEP_SHORT[refusal.missing]}) is still open. ${WHY_FIRST[refusal.missing]}`;
    case 'exposure_after_now':
      return 'The exposure start is in the future. Give the time the key was first exposed (UTC unless you add a zone), or leave it out if you do not know.';
    case 'revocation_after_now':
      return 'The revocation time is in the future. If the key is not revoked yet, leave the time out and revoke it now.';
    case 'exposure_after_revocation':
      return 'The exposure start is later than the revocation: the key cannot have been exposed after it stopped working. Check both times.';
  }
}
