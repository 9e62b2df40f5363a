import { incidentRef } from '../../domain/refs';
import type { Refusal, RefusalCatalog, RefusalCode } from '../../domain/refusal';
import { INCIDENT_REFUSALS } from './incident-refusal-text';
import { KEY_REFUSALS } from './key-refusal-text';
import { ROTATION_REFUSALS } from './rotation-refusal-text';
import { mention } from './slack-time';

/** One sentence per refusal code, written from the refusal's params alone. */
export type RefusalSentences<C extends RefusalCode> = { [K in C]: (params: RefusalCatalog[K]) => string };

const WHO_MAY_ACT: RefusalSentences<'not_a_responder' | 'responders_unknown' | 'not_channel_member'> = {
  not_a_responder: ({ users, groups }) => {
    const who = [...users.map(mention), ...groups.map((id) => `<!subteam^${id}>`)].join(', ');
    return `Only the incident responders may do this (${who || 'anyone in the workspace'}). Ask one of them, or ask an admin to add you to RESPONDERS.`;
  },
  responders_unknown: () =>
    'Slack could not say just now who is in the responder group, so the bot cannot tell whether you may do this. Try again in a few minutes.',
  not_channel_member: ({ incident }) =>
    `${incidentRef(incident)} is handled in a channel you are not a member of, so nothing was done. Ask to be added to that channel to follow or help with it there.`,
};

// Every code has its sentence: a code added to RefusalCatalog without one does not compile.
const SENTENCES: RefusalSentences<RefusalCode> = {
  ...INCIDENT_REFUSALS,
  ...KEY_REFUSALS,
  ...ROTATION_REFUSALS,
  ...WHO_MAY_ACT,
};

/** The one place a refusal becomes the sentence a person reads. */
export function refusalText(refusal: Refusal): string {
  const sentence = SENTENCES[refusal.code] as (params: Refusal['params']) => string;
  return sentence(refusal.params);
}
