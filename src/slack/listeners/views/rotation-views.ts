import type { RotationService } from '../../../app/rotation-service';
import { validateKeyLabel } from '../../../domain/keys/key-label';
import { refusalText } from '../../blocks/refusal-text';
import { CallbackId, Field } from '../../ids';
import { rotationFormSubject, rotationMetadataSchema } from '../../key-register-values';
import { parseMetadata, textValue } from '../../parse';
import { rotationOutcomeReply } from '../actions/rotation-actions';
import type { ViewSpec } from '../registry';

const EXPIRED = 'This form no longer matches a rotation. Close it and use the buttons on the rotation card.';

// Refusals about the label itself belong on the field, where it can be corrected; the rest close the form.
const LABEL_CODES = new Set(['new_label_required', 'new_label_unchanged', 'new_label_taken']);

/** Step 1 of a rotation: the new key's label, recorded in the seed's order or refused with the reason. */
export function rotationCreateView(rotations: RotationService): ViewSpec {
  return {
    callbackId: CallbackId.rotationCreate,
    capability: 'responder',
    subject: rotationFormSubject,
    async run(ctx, deps) {
      const values = ctx.payload.view.state.values;
      const metadata = parseMetadata(rotationMetadataSchema, ctx.payload.view.private_metadata);
      if (!metadata) return { errors: { [Field.newKeyLabel]: EXPIRED } };
      const label = validateKeyLabel(textValue(values, Field.newKeyLabel));
      if (!label.ok) return { errors: { [Field.newKeyLabel]: refusalText(label) } };
      const outcome = await deps.write(() =>
        rotations.recordStep({
          rotationId: metadata.rotationId,
          channelId: metadata.channelId,
          step: 'create',
          actor: ctx.actor,
          newLabel: label.label,
          idempotencyKey: ctx.submitKey,
        }),
      );
      if ((outcome.kind === 'refused' || outcome.kind === 'step_refused') && LABEL_CODES.has(outcome.refusal.code)) {
        return { errors: { [Field.newKeyLabel]: refusalText(outcome.refusal) } };
      }
      if (outcome.kind === 'not_found') return { errors: { [Field.newKeyLabel]: EXPIRED } };
      deps.notify();
      const text = rotationOutcomeReply(outcome);
      return text ? { after: () => ctx.replyIn(metadata.channelId, text) } : undefined;
    },
  };
}
