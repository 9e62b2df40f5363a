import { z } from 'zod';
import { channelIdSchema, parseMetadata } from './parse';

// What the key register's buttons and modals carry, written here and parsed back here: every value comes back
// through the network and is untrusted.

/** A reminder's buttons name the key, the rotation cycle the reminder was posted for, and the reminder itself. */
export interface ReminderButtonValue {
  keyId: number;
  cycle: number;
  reminderId: number;
}

const reminderButtonSchema = z.object({
  keyId: z.number().int().positive(),
  cycle: z.number().int().positive(),
  reminderId: z.number().int().positive(),
});

export function reminderButtonValue(value: ReminderButtonValue): string {
  return JSON.stringify({ keyId: value.keyId, cycle: value.cycle, reminderId: value.reminderId });
}

export function parseReminderButton(value: string | undefined): ReminderButtonValue | null {
  return parseMetadata(reminderButtonSchema, value ?? '');
}

/** `ROT-7` on a rotation card's buttons. */
export const rotationRefSchema = z
  .string()
  .regex(/^ROT-\d{1,9}$/)
  .transform((ref) => Number(ref.slice(4)));

export interface RotationModalMetadata {
  rotationId: number;
  channelId: string;
}

export const rotationMetadataSchema = z.object({
  rotationId: z.number().int().positive(),
  channelId: channelIdSchema,
});
