import type { Button, KnownBlock } from '@slack/types';
import { maskKey } from '../../domain/key-detector';
import { type Leak, type LeakSighting, leakRef } from '../../domain/leak';
import { type Incident, incidentRef } from '../../domain/types';
import { ActionId } from '../ids';
import type { SlackMessage } from './incident-card';
import { slackDate, truncate } from './slack-time';

// Every text here names a key by its mask (`sk_live_…7Q2x`) and a leak by its number: never more of the key.

export const REVOKE_WHERE = 'in the PayKore dashboard (Settings → API Keys)';
// Deleting the message does not undo the exposure: Slack search, notifications, exports and backups keep it.
const DELETE_NOTE = 'then delete this message (history keeps it: deleting does not make the key safe again)';

export function openIncidentButton(leak: Pick<Leak, 'id' | 'mode' | 'last4'>, text = 'Open an incident'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, 75), emoji: true },
    action_id: ActionId.leakOpenIncident,
    value: leakRef(leak.id),
    style: 'danger',
  };
}

// One button per message: an action_id appears once in a message. With several keys, the first one's incident is
// offered and the text names them all; the channel warnings offer one per key.
function offerButtons(leaks: Leak[]): Button[] {
  const [first] = leaks;
  if (!first) return [];
  return [
    openIncidentButton(first, leaks.length === 1 ? 'Open an incident' : `Open an incident for ${maskKey(first)}`),
  ];
}

function message(text: string, buttons: Button[]): SlackMessage {
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }];
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text, blocks };
}

function incidentState(incident: Incident): string {
  return incident.status === 'open'
    ? `${incidentRef(incident.id)} is open for it`
    : `${incidentRef(incident.id)} was resolved as \`${incident.resolution}\` ${slackDate(incident.resolvedAt ?? incident.openedAt)}`;
}

/**
 * The threaded warning under a message that holds a secret key, drawn at send time: a first sighting, the same key
 * again (shorter), or the key again after its incident was resolved (a new exposure of a known key).
 */
export function leakWarning(leak: Leak, sighting: LeakSighting, incident: Incident | null): SlackMessage {
  const mask = `\`${maskKey(leak)}\``;
  const openNow = incident?.status === 'open';
  switch (sighting.notice) {
    case 'first':
      return message(
        `:rotating_light: *This message contains a PayKore secret key (${mask}).* Treat it as compromised: revoke it now ${REVOKE_WHERE}, ${DELETE_NOTE}.` +
          (openNow ? ` ${incidentState(incident)}.` : ' Then open an incident so the response is on record.'),
        openNow ? [] : [openIncidentButton(leak)],
      );
    case 'again':
      return message(
        `:warning: Same key as before (${mask}, first seen ${slackDate(leak.firstExposedAt)} in <#${leak.firstChannelId}>). ` +
          `${incident ? `${incidentState(incident)}. ` : ''}Treat it as compromised; delete this message too.`,
        openNow ? [] : [openIncidentButton(leak)],
      );
    case 'reexposed':
      return message(
        `:rotating_light: *New exposure of a known key (${mask}).* ${incident ? `${incidentState(incident)}; ` : ''}it has been posted again. ` +
          `If it is still active, treat it as compromised: revoke it now ${REVOKE_WHERE}, ${DELETE_NOTE}.`,
        openNow ? [] : [openIncidentButton(leak, 'Open a new incident')],
      );
  }
}

/** The answer to a key typed into the command: refused, never repeated, and the exposure it already is. */
export function typedKeyRefusal(leaks: Leak[]): SlackMessage {
  const masks = leaks.map((leak) => `\`${maskKey(leak)}\``).join(', ');
  const one = leaks.length === 1;
  const text =
    `:no_entry: That looks like ${one ? 'a PayKore secret key' : 'PayKore secret keys'} (${masks}). ` +
    `I did not store or repeat ${one ? 'it' : 'them'}, and did nothing else with your command. ` +
    `But ${one ? 'it is' : 'they are'} now exposed in Slack: treat ${one ? 'it' : 'them'} as compromised and revoke ${one ? 'it' : 'them'} now ${REVOKE_WHERE}. ` +
    'Name keys by their label (e.g. `api-server-production-v2`), never by the key itself.';
  return message(text, offerButtons(leaks));
}

/** A modal field holding a key: the error Slack shows on that field (kept short: it sits under the input). */
export function secretFieldError(masks: string[]): string {
  return truncate(
    `That looks like a secret key (${masks.join(', ')}): it is now exposed in Slack, so revoke it now. Remove it from this field.`,
    150,
  );
}

/** The ephemeral note in the channel after a form was refused for a key, with the offer of an incident. */
export function typedKeyInFormNotice(leaks: Leak[]): SlackMessage {
  const masks = leaks.map((leak) => `\`${maskKey(leak)}\``).join(', ');
  return message(
    `:no_entry: The form you submitted held a PayKore secret key (${masks}). I did not save the form or repeat the key, ` +
      `but it is now exposed in Slack: treat it as compromised and revoke it now ${REVOKE_WHERE}.`,
    offerButtons(leaks),
  );
}
