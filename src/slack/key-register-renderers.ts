import type { KeyRegisterService } from '../app/key-register-service';
import type { RotationService } from '../app/rotation-service';
import type { Store } from '../app/store';
import type { ReminderRepository } from '../db/reminder-repository';
import type { RotationRepository } from '../db/rotation-repository';
import { fieldOf } from '../domain/events/event-schemas';
import { reminderMessage, reminderState } from './blocks/reminder-message';
import { rotationCard } from './blocks/rotation-card';
import { rotationThreadReply } from './blocks/rotation-thread-reply';
import type { SubjectRenderer } from './outbox-sender';

const idOf = (subject: string): number => Number(subject.slice(subject.indexOf('-') + 1));

/** Draws a rotation card (`ROT-n`) and its thread replies from what the database says now. */
export function rotationRenderer(deps: {
  store: Store;
  register: KeyRegisterService;
  rotations: RotationService;
  rotationRows: RotationRepository;
}): SubjectRenderer {
  return {
    card(subject) {
      const rotation = deps.rotations.get(idOf(subject));
      if (!rotation) return null;
      const cancelled = rotation.status === 'cancelled' ? deps.rotations.timeline(rotation.id) : [];
      const change = cancelled.find((event) => event.type === 'key_status_changed');
      const incident = change ? fieldOf(change, 'key_status_changed', 'incident') : undefined;
      const newKey = rotation.status === 'done' ? deps.rotations.newKeyOf(rotation) : null;
      const message = rotationCard(rotation, {
        oldKey: deps.register.get(rotation.keyId),
        cancelledBy: typeof incident === 'string' ? incident : null,
        nextDueAt: newKey ? deps.register.dueAt(newKey) : null,
      });
      return {
        channelId: rotation.channelId,
        ...message,
        ts: rotation.cardTs,
        saveTs: (ts) => deps.rotationRows.setCardTs(rotation.id, ts),
      };
    },
    threadReply(subject, payload) {
      const rotation = deps.rotations.get(idOf(subject));
      const event = deps.store.events.get(String(payload.stream ?? subject), Number(payload.seq));
      if (!rotation || !event) return null;
      return { channelId: rotation.channelId, threadTs: rotation.cardTs, text: rotationThreadReply(event) };
    },
  };
}

/** Draws a rotation reminder (`REM-n`): posted once, redrawn when someone acts on it. */
export function reminderRenderer(deps: {
  register: KeyRegisterService;
  reminders: ReminderRepository;
}): SubjectRenderer {
  return {
    card(subject) {
      const reminder = deps.reminders.get(idOf(subject));
      const key = reminder ? deps.register.get(reminder.keyId) : null;
      if (!reminder || !key) return null;
      const state = reminderState(reminder, key, deps.register.rotationDays);
      return {
        channelId: reminder.channelId,
        ...reminderMessage(reminder, key, state, deps.register.rotationDays),
        ts: reminder.cardTs,
        saveTs: (ts) => deps.reminders.setCardTs(reminder.id, ts),
      };
    },
  };
}
