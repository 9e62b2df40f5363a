import { DetailsReader, type EventType } from '../../domain/events/event-schemas';
import { placeOutsideSlack } from '../../domain/leak';
import { STEP_TITLES } from '../../domain/step-titles';
import { humanDuration } from '../../domain/time';
import type { TimelineEvent } from '../../domain/types';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';

/** The short line each recorded action gets in the card's thread. */
export function threadReply(event: TimelineEvent): string {
  const who = mention(event.actor);
  const when = slackDate(event.at);
  const read = <T extends EventType>(type: T) => new DetailsReader(type, event.details);
  switch (event.type) {
    case 'key_revoked': {
      const revokedAt = read('key_revoked').get('revokedAt');
      const given = revokedAt !== undefined ? ` (revoked at ${slackDate(revokedAt)}, declared when opening)` : '';
      return `:white_check_mark: Step 1 done: ${who} revoked the key${given} · ${when}. Next: review transactions in the exposure window.`;
    }
    case 'transactions_reviewed': {
      const d = read('transactions_reviewed');
      const ids = d.get('transactionIds') ?? [];
      const found =
        d.get('outcome') === 'suspicious_found'
          ? `:warning: suspicious transactions found${ids.length ? `: ${ids.map((id) => `\`${escapeMrkdwn(id)}\``).join(', ')}` : ''}`
          : 'nothing unrecognised';
      return `:white_check_mark: Step 2 done: ${who} reviewed the exposure window · ${found} · ${when}. Next: contact PayKore support.`;
    }
    case 'support_contacted': {
      const d = read('support_contacted');
      const ticket = d.get('ticketRef') ?? '';
      return `:white_check_mark: Step 3 done: ${who} contacted PayKore support via ${escapeMrkdwn(d.get('contactChannel') ?? '')}${
        ticket ? ` (ticket ${escapeMrkdwn(ticket)})` : ''
      } · ${when}. Next: generate a new key and redeploy.`;
    }
    case 'key_redeployed': {
      const d = read('key_redeployed');
      const deployment = d.get('deploymentRef') ?? '';
      return `:white_check_mark: Step 4 done: ${who} deployed the new key \`${escapeMrkdwn(d.get('newKeyLabel') ?? '')}\`${
        deployment ? ` (${escapeMrkdwn(deployment)})` : ''
      } · ${when}. The incident can be resolved.`;
    }
    case 'incident_resolved':
      return `:checkered_flag: ${who} resolved the incident as \`${read('incident_resolved').get('resolution') ?? ''}\` · ${when}.`;
    case 'note_added':
      return truncate(`:memo: ${who}: ${escapeMrkdwn(read('note_added').get('text') ?? '')}`, 3000);
    case 'revoke_nudge':
      return `:rotating_light: Key still active: ${read('revoke_nudge').get('minutesActive') ?? Number.NaN} minutes of continued exposure. Revoke it now in the PayKore dashboard (Settings → API Keys), then press *I revoked the key*.`;
    case 'lead_changed':
      return `:bust_in_silhouette: ${who} handed the lead to ${mention(read('lead_changed').get('to') ?? '')} · ${when}.`;
    case 'room_created':
      return `:door: This room was created for the incident · ${when}.`;
    case 'room_invited': {
      const users = read('room_invited').get('users') ?? [];
      return `:wave: Invited ${users.length ? users.map(mention).join(', ') : 'nobody'} · ${when}.`;
    }
    case 'idle_reminder': {
      const d = read('idle_reminder');
      const step = d.get('waitingFor');
      const title = step && step !== 'resolve' ? STEP_TITLES[step] : 'Resolve the incident';
      return `:hourglass: Gentle reminder: nothing has moved for ${humanDuration((d.get('idleMinutes') ?? Number.NaN) * 60_000)}. Next: ${title}.`;
    }
    case 'key_seen_again': {
      const d = read('key_seen_again');
      const where = placeOutsideSlack(d.get('source')) ?? `in <#${d.get('channelId') ?? ''}>`;
      const seen = `:rotating_light: This incident's key (${d.get('leak') ?? ''}) was seen again ${where} · ${when}.`;
      const repository = d.get('repository');
      if (d.get('source') !== 'git' || repository === undefined) {
        return `${seen} Every new place it shows up is more exposure: if it is not revoked yet, revoke it now.`;
      }
      const committed = d.get('exposedAt');
      const before = d.get('recordedExposureStart');
      const place = `\`${escapeMrkdwn(repository)}\` @ \`${escapeMrkdwn((d.get('commit') ?? '').slice(0, 12))}\`, \`${escapeMrkdwn(d.get('path') ?? '')}\``;
      const earlier =
        committed !== undefined && before !== undefined && committed < before
          ? ` :warning: That is earlier than the exposure start on record (${slackDate(before)}): review transactions from ${slackDate(committed)} on.`
          : '';
      return `${seen} In Git history: ${place}${committed !== undefined ? `, first committed ${slackDate(committed)}` : ''}. Git history is forever: revoke the key if it is not revoked yet.${earlier}`;
    }
    case 'rate_limit_spike': {
      const d = read('rate_limit_spike');
      const countValue = d.get('count');
      const normalValue = d.get('normalPerMinute');
      const startedAt = d.get('startedAt');
      const count = typeof countValue === 'number' ? `${countValue} × 429` : 'A spike of 429s';
      const normal = typeof normalValue === 'number' ? ` (normal ${normalValue}/min)` : '';
      const start = startedAt !== undefined ? slackDate(startedAt) : when;
      return `:chart_with_upwards_trend: Rate-limit spike on this key (${d.get('signal') ?? ''}): ${count}${normal} from ${start}. More traffic on the key: if it is not revoked yet, revoke it now.`;
    }
    case 'rate_limit_spike_ended': {
      const d = read('rate_limit_spike_ended');
      const endedAt = d.get('endedAt');
      return `:chart_with_downwards_trend: The rate-limit spike ${d.get('signal') ?? ''} is over: ${d.get('how') === 'alert_resolved' ? 'alert resolved' : 'back to normal'} ${endedAt !== undefined ? slackDate(endedAt) : when}.`;
    }
    default:
      return `${who}: ${event.type.replace(/_/g, ' ')} · ${when}`;
  }
}
