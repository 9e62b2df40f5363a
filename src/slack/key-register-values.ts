import { z } from 'zod';
import { incidentRef, parseRef, ROTATION_REF_PATTERN, rotationRef } from '../domain/refs';
import { channelIdSchema, incidentMetadataSchema, incidentRefSchema, parseMetadata } from './parse';

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
  .regex(ROTATION_REF_PATTERN)
  .transform((ref) => parseRef(ref)?.id ?? 0);

export interface RotationModalMetadata {
  rotationId: number;
  channelId: string;
}

export const rotationMetadataSchema = z.object({
  rotationId: z.number().int().positive(),
  channelId: channelIdSchema,
});

// The stream a refused click or form belongs to (who-may-act refusals are recorded there). A value that names an
// incident instead still belongs to that incident.

const incidentStream = (value: string): string | null => {
  const parsed = incidentRefSchema.safeParse(value);
  return parsed.success ? incidentRef(parsed.data) : null;
};

export function rotationButtonSubject(value: string): string | null {
  return rotationRefSchema.safeParse(value).success ? value : incidentStream(value);
}

export function reminderButtonSubject(value: string): string | null {
  return parseReminderButton(value) ? 'KEYS' : incidentStream(value);
}

export function rotationFormSubject(privateMetadata: string): string | null {
  const rotation = parseMetadata(rotationMetadataSchema, privateMetadata);
  if (rotation) return rotationRef(rotation.rotationId);
  const incident = parseMetadata(incidentMetadataSchema, privateMetadata);
  return incident ? incidentRef(incident.incidentId) : null;
}
