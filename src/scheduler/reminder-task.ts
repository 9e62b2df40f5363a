import type { KeyRegisterService } from '../app/key-register-service';
import type { ScheduledTask } from './scheduler';

/** Each tick, the rotation reminders that have come due: claimed and queued for Slack, exactly once. */
export function reminderTask(register: KeyRegisterService): ScheduledTask {
  return { name: 'rotation-reminders', run: () => register.runReminders() };
}
