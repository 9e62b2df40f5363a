import { z } from 'zod';
import type { SignalIncidentOutcome, SignalService } from '../../../app/signal-service';
import { SIGNALS_STREAM, signalRef } from '../../../domain/signals/spike';
import { incidentRef } from '../../../domain/types';
import { refusalText } from '../../blocks/refusal-text';
import { dismissModal } from '../../blocks/signal-messages';
import { slackDate } from '../../blocks/slack-time';
import { ActionId } from '../../ids';
import type { ActionSpec } from '../registry';

/** `SIG-7` in a button value: parsed, never trusted. */
export const signalRefSchema = z
  .string()
  .regex(/^SIG-\d{1,9}$/)
  .transform((ref) => Number(ref.slice('SIG-'.length)));

const UNKNOWN =
  "That button doesn't point at a rate-limit warning in this channel. Use `/paykore-incident` to declare an incident.";

// Refusals on a warning are recorded in SIGNALS, whatever the button value claims.
const signalsSubject = () => SIGNALS_STREAM;

function replyFor(outcome: SignalIncidentOutcome): string {
  switch (outcome.kind) {
    case 'opened':
      return `Opened ${incidentRef(outcome.incident.id)}, exposed since ${slackDate(outcome.spike.startedAt)} (the spike's start). Revoke the key now in the PayKore dashboard (Settings → API Keys), then press *I revoked the key* on the card.`;
    case 'already_open':
      return `${incidentRef(outcome.incident.id)} is already open for this key. Follow it on its card.`;
    case 'already_handled':
      return `${incidentRef(outcome.incident.id)} was opened from this warning and is resolved (\`${outcome.incident.resolution}\`).`;
    case 'dismissed':
      return `${signalRef(outcome.spike.id)} was dismissed as not misuse. If you now think otherwise, declare an incident with \`/paykore-incident start ${outcome.spike.keyLabel}\`.`;
    case 'refused':
      return refusalText(outcome.refusal);
    case 'not_found':
      return UNKNOWN;
  }
}

/** `signal_open_incident`: anyone may open an incident (PRODUCT.md section 8); one per spike. */
export function signalOpenIncidentButton(signals: SignalService): ActionSpec {
  return {
    actionId: ActionId.signalOpenIncident,
    capability: 'anyone',
    subject: signalsSubject,
    async run(ctx, deps) {
      const signalId = signalRefSchema.safeParse(ctx.action.value ?? '');
      const channelId = ctx.payload.channel?.id;
      if (!signalId.success || !channelId) return ctx.reply(UNKNOWN);
      const byResponder = await deps.authorizer.allows(ctx.actor, 'responder');
      const outcome = await deps.write(() =>
        signals.openIncident({
          signalId: signalId.data,
          channelId,
          actor: ctx.actor,
          byResponder,
        }),
      );
      deps.notify();
      await ctx.reply(replyFor(outcome));
    },
  };
}

/** `signal_dismiss`: responders only; opens the form that asks why it was not misuse. */
export function signalDismissButton(signals: SignalService): ActionSpec {
  return {
    actionId: ActionId.signalDismiss,
    capability: 'responder',
    acknowledge: 'first',
    subject: signalsSubject,
    async run(ctx) {
      const signalId = signalRefSchema.safeParse(ctx.action.value ?? '');
      const spike = signalId.success ? signals.get(signalId.data) : null;
      if (!spike || spike.channelId !== ctx.payload.channel?.id || spike.routedIncidentId !== null)
        return ctx.reply(UNKNOWN);
      if (spike.dismissedAt !== null) return ctx.reply(`${signalRef(spike.id)} was already dismissed.`);
      if (spike.incidentId !== null)
        return ctx.reply(
          `${incidentRef(spike.incidentId)} was opened from ${signalRef(spike.id)}: resolve it there (\`false_positive\` if it was not misuse).`,
        );
      await ctx.openView(dismissModal(spike));
    },
  };
}
