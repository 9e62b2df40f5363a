import type { Outcome } from '../../app/incident-service';
import { COMMAND } from '../../domain/command-name';
import type { Incident } from '../../domain/types';
import { incidentRef } from '../../domain/types';
import { refusalText } from '../blocks/refusal-text';

/**
 * What the person who acted reads, or null when the card and thread already say it.
 * A duplicate (a retried payload) answers nothing: the first delivery already did.
 */
export function outcomeReply(outcome: Outcome<Incident>): string | null {
  switch (outcome.kind) {
    case 'done':
    case 'duplicate':
      return null;
    case 'refused':
      return refusalText(outcome.refusal);
    case 'not_found':
      return `I can't find ${incidentRef(outcome.incidentId)} in this channel. Use \`${COMMAND} status\` to see the channel's open incident.`;
  }
}
