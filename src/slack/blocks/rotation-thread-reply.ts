import type { TimelineEvent } from '../../domain/types';
import { slackDay } from './reminder-message';
import { escapeMrkdwn, mention, slackDate } from './slack-time';

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const code = (value: unknown): string => `\`${escapeMrkdwn(str(value))}\``;

/** The short line each recorded rotation step gets in the card's thread. */
export function rotationThreadReply(event: TimelineEvent): string {
  const who = mention(event.actor);
  const when = slackDate(event.at);
  const d = event.details;
  switch (event.type) {
    case 'rotation_key_created':
      return `:white_check_mark: Step 1 done: ${who} created the new key ${code(d.newLabel)} · ${when}. Next: deploy it while the old key is still active.`;
    case 'rotation_deployed':
      return `:white_check_mark: Step 2 done: ${who} deployed the new key · ${when}. Next: check its Last Used column in the dashboard.`;
    case 'rotation_verified':
      return `:white_check_mark: Step 3 done: ${who} confirmed live traffic on the new key · ${when}. The old key can now be revoked.`;
    case 'rotation_old_revoked': {
      const due = typeof d.nextDueAt === 'number' ? ` Its next rotation is due ${slackDay(d.nextDueAt)}.` : '';
      return `:checkered_flag: Step 4 done: ${who} revoked the old key · ${when}. ${code(d.newLabel)} is now the active key in the register.${due}`;
    }
    case 'key_status_changed':
      return `:no_entry: Rotation called off · ${when}: ${code(d.label)} was declared compromised in ${str(d.incident)}. Revoke it now: a compromised key has no safe old key to keep running.`;
    default:
      return `${who}: ${event.type.replace(/_/g, ' ')} · ${when}`;
  }
}
