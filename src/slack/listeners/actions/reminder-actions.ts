import type { KeyRegisterService } from '../../../app/key-register-service';
import { COMMAND } from '../../../domain/command-name';
import { isoDate } from '../../../domain/keys/due-date';
import { refusalText } from '../../blocks/refusal-text';
import { escapeMrkdwn, slackDate } from '../../blocks/slack-time';
import { ActionId } from '../../ids';
import { parseReminderButton, reminderButtonSubject } from '../../key-register-values';
import type { ActionSpec } from '../registry';

const STALE = `That reminder doesn't point at a key in the register any more. \`${COMMAND} keys\` lists it.`;

/** "Rotated it already" and "Snooze 1 day" on a rotation reminder. */
export function reminderActions(register: KeyRegisterService): ActionSpec[] {
  const markRotated: ActionSpec = {
    actionId: ActionId.reminderMarkRotated,
    capability: 'responder',
    subject: reminderButtonSubject,
    async run(ctx, deps) {
      const value = parseReminderButton(ctx.action.value);
      if (!value) return ctx.reply(STALE);
      // The cycle the reminder was posted for: a second click finds the key a cycle further and changes nothing.
      const outcome = await deps.write(() =>
        register.markRotated({
          keyId: value.keyId,
          on: null,
          expectedCycle: value.cycle,
          actor: ctx.actor,
          idempotencyKey: ctx.clickKey,
          reminderId: value.reminderId,
        }),
      );
      deps.notify();
      if (outcome.kind === 'refused') return ctx.reply(refusalText(outcome.refusal));
      if (outcome.kind !== 'done') return;
      const key = outcome.value;
      await ctx.reply(
        `Recorded: \`${escapeMrkdwn(key.label)}\` rotated ${isoDate(key.rotatedAt)}, outside the bot. The next rotation is due ${isoDate(register.dueAt(key))}.`,
      );
    },
  };
  const snooze: ActionSpec = {
    actionId: ActionId.reminderSnooze,
    capability: 'responder',
    subject: reminderButtonSubject,
    async run(ctx, deps) {
      const value = parseReminderButton(ctx.action.value);
      if (!value) return ctx.reply(STALE);
      const outcome = await deps.write(() =>
        register.snooze({
          keyId: value.keyId,
          expectedCycle: value.cycle,
          actor: ctx.actor,
          idempotencyKey: ctx.clickKey,
          reminderId: value.reminderId,
        }),
      );
      deps.notify();
      if (outcome.kind === 'refused') return ctx.reply(refusalText(outcome.refusal));
      if (outcome.kind !== 'done' || outcome.value.snoozedUntil === null) return;
      await ctx.reply(
        `Snoozed \`${escapeMrkdwn(outcome.value.label)}\` until ${slackDate(outcome.value.snoozedUntil)}: the reminder comes back then, with anything due meanwhile folded into one message.`,
      );
    },
  };
  return [markRotated, snooze];
}
