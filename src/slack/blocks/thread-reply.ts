import { STEP_TITLES } from '../../domain/step-titles';
import { humanDuration } from '../../domain/time';
import type { TimelineEvent } from '../../domain/types';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The short line each recorded action gets in the card's thread. */
export function threadReply(event: TimelineEvent): string {
  const who = mention(event.actor);
  const when = slackDate(event.at);
  const d = event.details;
  switch (event.type) {
    case 'key_revoked': {
      const given =
        typeof d.revokedAt === 'number' ? ` (revoked at ${slackDate(d.revokedAt)}, declared when opening)` : '';
      return `:white_check_mark: Step 1 done: ${who} revoked the key${given} · ${when}. Next: review transactions in the exposure window.`;
    }
    case 'transactions_reviewed': {
      const ids = Array.isArray(d.transactionIds) ? d.transactionIds.map(String) : [];
      const found =
        d.outcome === 'suspicious_found'
          ? `:warning: suspicious transactions found${ids.length ? `: ${ids.map((id) => `\`${escapeMrkdwn(id)}\``).join(', ')}` : ''}`
          : 'nothing unrecognised';
      return `:white_check_mark: Step 2 done: ${who} reviewed the exposure window · ${found} · ${when}. Next: contact PayKore support.`;
    }
    case 'support_contacted':
      return `:white_check_mark: Step 3 done: ${who} contacted PayKore support via ${escapeMrkdwn(str(d.contactChannel))}${
        str(d.ticketRef) ? ` (ticket ${escapeMrkdwn(str(d.ticketRef))})` : ''
      } · ${when}. Next: generate a new key and redeploy.`;
    case 'key_redeployed':
      return `:white_check_mark: Step 4 done: ${who} deployed the new key \`${escapeMrkdwn(str(d.newKeyLabel))}\`${
        str(d.deploymentRef) ? ` (${escapeMrkdwn(str(d.deploymentRef))})` : ''
      } · ${when}. The incident can be resolved.`;
    case 'incident_resolved':
      return `:checkered_flag: ${who} resolved the incident as \`${str(d.resolution)}\` · ${when}.`;
    case 'note_added':
      return truncate(`:memo: ${who}: ${escapeMrkdwn(str(d.text))}`, 3000);
    case 'revoke_nudge':
      return `:rotating_light: Key still active: ${Number(d.minutesActive)} minutes of continued exposure. Revoke it now in the PayKore dashboard (Settings → API Keys), then press *I revoked the key*.`;
    case 'idle_reminder': {
      const step = str(d.waitingFor);
      const title = step in STEP_TITLES ? STEP_TITLES[step as keyof typeof STEP_TITLES] : 'Resolve the incident';
      return `:hourglass: Gentle reminder: nothing has moved for ${humanDuration(Number(d.idleMinutes) * 60_000)}. Next: ${title}.`;
    }
    default:
      return `${who}: ${event.type.replace(/_/g, ' ')} · ${when}`;
  }
}
