import { KEYS_STREAM, type KeyRegisterService } from '../../../app/key-register-service';
import type { RotationService } from '../../../app/rotation-service';
import { isoDate } from '../../../domain/keys/due-date';
import type { RegisteredKey } from '../../../domain/keys/registered-key';
import { rotationRef } from '../../../domain/refs';
import { dueText, type KeyListing, keyRegisterText } from '../../blocks/key-register-text';
import { refusalText } from '../../blocks/refusal-text';
import { escapeMrkdwn } from '../../blocks/slack-time';
import type { SubcommandTable } from './command-context';

export interface KeyCommandServices {
  register: KeyRegisterService;
  rotations: RotationService;
}

/** The register as `keys` lists it, with due dates, reminder channels and likely reuse. */
export function keyListings(register: KeyRegisterService): KeyListing[] {
  const keys = register.list();
  return keys.map((key) => ({
    key,
    dueAt: register.dueAt(key),
    reminderChannel: register.reminderChannelFor(key),
    reuse: register.likelyReuse(key),
  }));
}

function whereReminded(register: KeyRegisterService, key: RegisteredKey): string {
  const channel = register.reminderChannelFor(key);
  return channel
    ? `Reminders go to <#${channel}>.`
    : ':warning: No reminder channel: reminders for this key are skipped until it has one (`channel=#…` when registering) or REMINDER_CHANNEL is set.';
}

/** `keys`, `keys add`, `keys rotated` and `rotate`: listing is for anyone, changes are for responders. */
export function keySubcommands({ register, rotations }: KeyCommandServices): SubcommandTable {
  return {
    'keys-list': {
      capability: 'anyone',
      async run() {
        return { text: keyRegisterText(keyListings(register), register.now(), register.rotationDays) };
      },
    },
    'keys-add': {
      capability: 'responder',
      subject: () => KEYS_STREAM,
      async run(command, ctx, deps) {
        const outcome = await deps.write(() =>
          register.register({
            label: command.label,
            environment: command.environment,
            mode: command.mode,
            last4: command.last4 ?? null,
            rotated: command.rotated,
            ownerId: command.ownerId,
            channelId: command.channelId,
            actor: ctx.actor,
            idempotencyKey: ctx.commandKey,
          }),
        );
        if (outcome.kind === 'refused') return { text: `${refusalText(outcome.refusal)} Nothing was registered.` };
        if (outcome.kind === 'duplicate' || !outcome.value) return null;
        const key = outcome.value;
        const now = register.now();
        return {
          text: [
            `Registered \`${escapeMrkdwn(key.label)}\` (${key.environment}, ${key.mode} key${key.last4 ? ` ending …${key.last4}` : ''}), last rotated ${isoDate(key.rotatedAt)}: ${dueText(key, register.dueAt(key), now, register.rotationDays)}.`,
            whereReminded(register, key),
          ].join(' '),
        };
      },
    },
    'keys-rotated': {
      capability: 'responder',
      subject: () => KEYS_STREAM,
      async run(command, ctx, deps) {
        const outcome = await deps.write(() =>
          register.markRotated({
            label: command.label,
            on: command.on,
            actor: ctx.actor,
            idempotencyKey: ctx.commandKey,
          }),
        );
        if (outcome.kind === 'refused') return { text: `${refusalText(outcome.refusal)} Nothing was changed.` };
        if (outcome.kind === 'duplicate' || !outcome.value) return null;
        const key = outcome.value;
        return {
          text: `Recorded: \`${escapeMrkdwn(key.label)}\` rotated on ${isoDate(key.rotatedAt)}. Its next rotation is ${dueText(key, register.dueAt(key), register.now(), register.rotationDays)}.`,
        };
      },
    },
    rotate: {
      capability: 'responder',
      // The rotation under way for that key, when there is one; otherwise the register it would change.
      subject: (command) => rotations.openRefOf(command.label) ?? KEYS_STREAM,
      async run(command, ctx, deps) {
        const outcome = await deps.write(() =>
          rotations.start({
            label: command.label,
            channelId: ctx.channelId,
            actor: ctx.actor,
            idempotencyKey: ctx.commandKey,
          }),
        );
        if (outcome.kind === 'refused') return { text: refusalText(outcome.refusal) };
        deps.notify();
        if (outcome.kind === 'duplicate' || !outcome.value) return null;
        return {
          text: `Started ${rotationRef(outcome.value.id)} for \`${escapeMrkdwn(outcome.value.oldLabel)}\`: its card in this channel takes you through the four steps, in order.`,
        };
      },
    },
  };
}
