import { DetailsReader, type EventType } from '../../domain/events/event-schemas';
import type { TimelineEvent } from '../../domain/types';
import { slackDay } from './reminder-message';
import { escapeMrkdwn, mention, slackDate } from './slack-time';

const code = (value: string | undefined): string => `\`${escapeMrkdwn(value ?? '')}\``;

/** The short line each recorded rotation step gets in the card's thread. */
export function rotationThreadReply(event: TimelineEvent): string {
  const who = mention(event.actor);
  const when = slackDate(event.at);
  const read = <T extends EventType>(type: T) => new DetailsReader(type, event.details);
  switch (event.type) {
    case 'rotation_key_created':
      return `:white_check_mark: Step 1 done: ${who} created the new key ${code(read('rotation_key_created').get('newLabel'))} · ${when}. Next: deploy it while the old key is still active.`;
    case 'rotation_deployed':
      return `:white_check_mark: Step 2 done: ${who} deployed the new key · ${when}. Next: check its Last Used column in the dashboard.`;
    case 'rotation_verified':
      return `:white_check_mark: Step 3 done: ${who} confirmed live traffic on the new key · ${when}. The old key can now be revoked.`;
    case 'rotation_old_revoked': {
      const d = read('rotation_old_revoked');
      const nextDueAt = d.get('nextDueAt');
      const due = nextDueAt !== undefined ? ` Its next rotation is due ${slackDay(nextDueAt)}.` : '';
      return `:checkered_flag: Step 4 done: ${who} revoked the old key · ${when}. ${code(d.get('newLabel'))} is now the active key in the register.${due}`;
    }
    case 'key_status_changed': {
      const d = read('key_status_changed');
      return `:no_entry: Rotation called off · ${when}: ${code(d.get('label'))} was declared compromised in ${d.get('incident') ?? ''}. Revoke it now: a compromised key has no safe old key to keep running.`;
    }
    default:
      return `${who}: ${event.type.replace(/_/g, ' ')} · ${when}`;
  }
}
