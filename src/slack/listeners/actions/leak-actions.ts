import { z } from 'zod';
import type { LeakIncidentOutcome, LeakService } from '../../../app/leak-service';
import { COMMAND } from '../../../domain/command-name';
import { LEAK_REF_PATTERN, parseRef } from '../../../domain/refs';
import { incidentRef } from '../../../domain/types';
import { refusalText } from '../../blocks/refusal-text';
import { slackDate } from '../../blocks/slack-time';
import { ActionId } from '../../ids';
import type { ActionSpec } from '../registry';

/** `LEAK-7` in a button value: parsed, never trusted. The button never carries the key or its fingerprint. */
const leakRefSchema = z
  .string()
  .regex(LEAK_REF_PATTERN)
  .transform((ref) => parseRef(ref)?.id ?? 0);

const UNKNOWN = `That button doesn't point at a leaked key seen in this channel. Use \`${COMMAND}\` to declare one.`;

function replyFor(outcome: LeakIncidentOutcome): string {
  switch (outcome.kind) {
    case 'opened': {
      const { incident } = outcome;
      const from = incident.exposureStart === null ? '' : `, exposed since ${slackDate(incident.exposureStart)}`;
      return `Opened ${incidentRef(incident.id)}${from}. Revoke the key now in the PayKore dashboard (Settings → API Keys), then press *I revoked the key* on the card.`;
    }
    case 'already_open':
      return `${incidentRef(outcome.incident.id)} is already open for this key. Follow it on its card in this channel.`;
    case 'already_handled': {
      const { incident } = outcome;
      const when = incident.resolvedAt === null ? '' : ` ${slackDate(incident.resolvedAt)}`;
      return `${incidentRef(incident.id)} already handled this key (resolved as \`${incident.resolution}\`${when}), and it has not been seen since. If it is posted again, the bot warns again with a new button.`;
    }
    case 'refused':
      return refusalText(outcome.refusal);
    case 'not_found':
      return UNKNOWN;
  }
}

/** `leak_open_incident`: anyone may open an incident (PRODUCT.md section 8); one per exposure of a key. */
export function leakOpenIncidentButton(leaks: LeakService): ActionSpec {
  return {
    actionId: ActionId.leakOpenIncident,
    capability: 'anyone',
    async run(ctx, deps) {
      const leakId = leakRefSchema.safeParse(ctx.action.value ?? '');
      const channelId = ctx.payload.channel?.id;
      if (!leakId.success || !channelId) return ctx.reply(UNKNOWN);
      const byResponder = await deps.authorizer.allows(ctx.actor, 'responder');
      const outcome = await deps.write(() =>
        leaks.openIncident({ leakId: leakId.data, channelId, actor: ctx.actor, byResponder }),
      );
      deps.notify();
      await ctx.reply(replyFor(outcome));
    },
  };
}
