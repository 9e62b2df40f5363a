import type { ModalView } from '@slack/types';
import { rotationRef } from '../../../domain/refs';
import type { Rotation } from '../../../domain/rotation/rotation';
import { ROTATION_STEP_HOWTO } from '../../../domain/rotation/rotation-steps';
import { CallbackId, Field } from '../../ids';
import type { RotationModalMetadata } from '../../key-register-values';
import { escapeMrkdwn } from '../slack-time';
import { modal, textInput } from './modal-parts';

/** Step 1 of a rotation: the new key's label, suggested as the old label with its version bumped. */
export function rotationCreateModal(rotation: Rotation, suggestedLabel: string): ModalView {
  return modal(
    CallbackId.rotationCreate,
    `New key · ${rotationRef(rotation.id)}`,
    'Record new key',
    { rotationId: rotation.id, channelId: rotation.channelId } satisfies RotationModalMetadata,
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Replacing \`${escapeMrkdwn(rotation.oldLabel)}\`. ${ROTATION_STEP_HOWTO.create} Keep the old key active: it is revoked last, once the new one carries live traffic. *Never paste the key itself*: its label is enough.`,
        },
      },
      textInput(Field.newKeyLabel, 'New key label', {
        initial: suggestedLabel,
        maxLength: 80,
        hint: 'The label you gave the new key in the PayKore dashboard.',
      }),
    ],
  );
}
