import { z } from 'zod';
import type { DismissOutcome, SignalService } from '../../../app/signal-service';
import { SIGNALS_STREAM, signalRef } from '../../../domain/signals/spike';
import { incidentRef } from '../../../domain/types';
import { CallbackId, Field } from '../../ids';
import { channelIdSchema, parseMetadata, textValue } from '../../parse';
import type { ViewSpec } from '../registry';

const metadataSchema = z.object({ signalId: z.number().int().positive(), channelId: channelIdSchema });

const EXPIRED = 'This form no longer matches a rate-limit warning. Close it and use the buttons on the warning.';

function replyFor(outcome: DismissOutcome): string | null {
  switch (outcome.kind) {
    case 'dismissed':
      return `Dismissed ${signalRef(outcome.spike.id)} as not misuse; the reason is on record.`;
    case 'duplicate':
      return `${signalRef(outcome.spike.id)} was already dismissed.`;
    case 'has_incident':
      return `${incidentRef(outcome.spike.incidentId ?? 0)} was opened from ${signalRef(outcome.spike.id)}: resolve it there instead.`;
    case 'not_found':
      return null;
  }
}

/** `signal_dismiss_submit`: a responder records why a spike was not misuse. */
export function signalDismissView(signals: SignalService): ViewSpec {
  return {
    callbackId: CallbackId.signalDismiss,
    capability: 'responder',
    subject: () => SIGNALS_STREAM,
    async run(ctx, deps) {
      const metadata = parseMetadata(metadataSchema, ctx.payload.view.private_metadata);
      if (!metadata) return { errors: { [Field.dismissReason]: EXPIRED } };
      const reason = textValue(ctx.payload.view.state.values, Field.dismissReason);
      if (reason === '') return { errors: { [Field.dismissReason]: 'Say why it was not misuse: it goes on record.' } };
      const outcome = await deps.write(() =>
        signals.dismiss({ signalId: metadata.signalId, actor: ctx.actor, reason, idempotencyKey: ctx.submitKey }),
      );
      const text = replyFor(outcome);
      if (!text) return { errors: { [Field.dismissReason]: EXPIRED } };
      return { after: () => ctx.replyIn(metadata.channelId, text) };
    },
  };
}
