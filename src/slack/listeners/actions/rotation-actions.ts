import type { KeyRegisterService } from '../../../app/key-register-service';
import type { RotationOutcome, RotationService } from '../../../app/rotation-service';
import { COMMAND } from '../../../domain/command-name';
import type { Rotation } from '../../../domain/rotation/rotation';
import type { RotationStep } from '../../../domain/rotation/rotation-steps';
import { rotationCreateModal } from '../../blocks/modals/rotation-modals';
import { refusalText } from '../../blocks/refusal-text';
import { ActionId, type ActionIdValue } from '../../ids';
import {
  parseReminderButton,
  reminderButtonSubject,
  rotationButtonSubject,
  rotationRefSchema,
} from '../../key-register-values';
import type { ActionContext, ActionSpec } from '../registry';

const UNKNOWN = `That button doesn't point at a rotation in this channel. Start one with \`${COMMAND} rotate <label>\`.`;

/** The rotation a card button names, if it exists in the channel the click came from. */
function clickedRotation(ctx: ActionContext, rotations: RotationService): Rotation | null {
  const parsed = rotationRefSchema.safeParse(ctx.action.value ?? '');
  if (!parsed.success) return null;
  const rotation = rotations.get(parsed.data);
  if (!rotation) return null;
  const channelId = ctx.payload.channel?.id;
  return channelId && channelId !== rotation.channelId ? null : rotation;
}

/** What the person who clicked reads; null when the card and its thread already say it. */
export function rotationOutcomeReply(outcome: RotationOutcome): string | null {
  switch (outcome.kind) {
    case 'done':
    case 'duplicate':
      return null;
    case 'refused':
    case 'step_refused':
      return `${refusalText(outcome.refusal)} Nothing was changed.`;
    case 'not_found':
      return UNKNOWN;
  }
}

/** A one-click step: recorded in the seed's order, or refused with the reason and nothing changed. */
function stepButton(actionId: ActionIdValue, step: RotationStep, rotations: RotationService): ActionSpec {
  return {
    actionId,
    capability: 'responder',
    subject: rotationButtonSubject,
    async run(ctx, deps) {
      const rotation = clickedRotation(ctx, rotations);
      if (!rotation) return ctx.reply(UNKNOWN);
      const outcome = await deps.write(() =>
        rotations.recordStep({
          rotationId: rotation.id,
          channelId: rotation.channelId,
          step,
          actor: ctx.actor,
          idempotencyKey: ctx.clickKey,
        }),
      );
      deps.notify();
      const text = rotationOutcomeReply(outcome);
      if (text) await ctx.reply(text);
    },
  };
}

/** The rotation card's buttons, and the reminder's "Start the rotation". */
export function rotationActions(services: { register: KeyRegisterService; rotations: RotationService }): ActionSpec[] {
  const { register, rotations } = services;
  const createButton: ActionSpec = {
    actionId: ActionId.rotationCreate,
    capability: 'responder',
    // It only opens a form: acknowledge at once and leave the 3-second trigger_id to views.open.
    acknowledge: 'first',
    subject: rotationButtonSubject,
    async run(ctx, deps) {
      const rotation = clickedRotation(ctx, rotations);
      if (!rotation) return ctx.reply(UNKNOWN);
      // Refuse before opening the form, so nobody fills in a form that cannot be saved (some refusals are recorded).
      const refusal = await deps.write(() =>
        rotations.precheckStep({
          rotation,
          step: 'create',
          actor: ctx.actor,
          idempotencyKey: ctx.clickKey,
        }),
      );
      if (refusal) return ctx.reply(`${refusalText(refusal)} Nothing was changed.`);
      await ctx.openView(rotationCreateModal(rotation, rotations.suggestedLabel(rotation)));
    },
  };
  const startButton: ActionSpec = {
    actionId: ActionId.rotationStart,
    capability: 'responder',
    subject: reminderButtonSubject,
    async run(ctx, deps) {
      const value = parseReminderButton(ctx.action.value);
      const key = value ? register.get(value.keyId) : null;
      const channelId = ctx.payload.channel?.id ?? (key ? register.reminderChannelFor(key) : null);
      if (!value || !key || !channelId) {
        return ctx.reply(
          `That reminder doesn't point at a key in the register any more. \`${COMMAND} keys\` lists it.`,
        );
      }
      const outcome = await deps.write(() =>
        rotations.start({
          keyId: key.id,
          channelId,
          actor: ctx.actor,
          idempotencyKey: ctx.clickKey,
          reminderId: value.reminderId,
        }),
      );
      deps.notify();
      if (outcome.kind === 'refused') await ctx.reply(refusalText(outcome.refusal));
    },
  };
  return [
    startButton,
    createButton,
    stepButton(ActionId.rotationDeploy, 'deploy', rotations),
    stepButton(ActionId.rotationVerify, 'verify', rotations),
    stepButton(ActionId.rotationRevokeOld, 'revoke_old', rotations),
  ];
}
