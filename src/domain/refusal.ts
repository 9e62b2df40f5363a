import type { KeyStatus } from './keys/registered-key';
import type { RotationStep } from './rotation/rotation-steps';
import type { Actor, Environment, Step } from './types';

/**
 * Every reason the bot refuses an attempt, with the facts its sentence needs. A refusal is data: `code` for the
 * program and `params` for the sentence, which is drawn only at the edge (`slack/blocks/refusal-text.ts`) and is
 * never stored. The timeline records exactly `{ action, code, params }` (`app/refusal-recorder.ts`).
 * Params never hold what a person typed unchecked: a label is only named once it passed `validateKeyLabel`.
 */
export interface RefusalCatalog {
  // The incident playbook (domain/incident.ts).
  incident_resolved: { resolvedAt: number; resolvedBy: Actor };
  step_already_done: { step: Step; at: number; by: Actor };
  step_out_of_order: { step: Step; missing: Step };
  resolve_too_early: { missing: Step };
  exposure_after_now: Record<string, never>;
  revocation_after_now: Record<string, never>;
  exposure_after_revocation: Record<string, never>;
  // Who may act (app/authorizer.ts, slack/listeners/registry.ts and the lead command).
  not_a_responder: { users: Actor[]; groups: string[] };
  responders_unknown: Record<string, never>;
  not_channel_member: { incident: number };
  lead_not_responder: { user: Actor; incident: number };
  // A key's label (domain/keys/key-label.ts).
  label_is_secret_key: Record<string, never>;
  label_secret_prefix: Record<string, never>;
  label_empty: Record<string, never>;
  label_too_long: { max: number };
  label_invalid_chars: Record<string, never>;
  // The register (domain/keys/registered-key.ts, due-date.ts, reminder-ladder.ts; app/key-register-service.ts).
  label_taken: { label: string; environment: Environment; status: KeyStatus };
  invalid_last4: Record<string, never>;
  invalid_date: Record<string, never>;
  date_in_future: { date: string };
  key_reused: {
    mode: string;
    last4: string;
    environment: Environment;
    matches: { environment: Environment; label: string }[];
    lower: Environment;
    higher: Environment;
  };
  invalid_offsets: { max: number };
  key_not_found: { label: string };
  key_gone: { label: string | null };
  already_rotated: { label: string; rotatedOn: string };
  key_retired: { label: string; status: KeyStatus };
  before_last_rotation: { label: string };
  snooze_after_rotation: { label: string };
  snooze_not_active: { label: string; status: KeyStatus };
  already_snoozed: { label: string; until: number };
  // Planned rotations (domain/rotation/rotation.ts; app/rotation-service.ts).
  rotation_in_progress: { label: string; startedBy: Actor | null; startedAt: number | null };
  key_revoked: { label: string };
  key_compromised: { label: string };
  rotation_finished: {
    oldLabel: string;
    status: 'done' | 'cancelled';
    revokedBy: Actor | null;
    revokedAt: number | null;
  };
  rotation_step_already_done: { step: RotationStep; at: number; by: Actor; next: RotationStep | null };
  rotation_step_out_of_order: { step: RotationStep; missing: RotationStep };
  new_label_required: Record<string, never>;
  new_label_unchanged: { oldLabel: string };
  new_label_taken: { label: string; environment: Environment; status: KeyStatus };
  wrong_key: { label: string };
  rotation_not_done: { label: string };
}

export type RefusalCode = keyof RefusalCatalog;

/** One refusal: `Refusal<'label_taken' | 'invalid_last4'>` is either of those, each with its own params. */
export type Refusal<C extends RefusalCode = RefusalCode> = {
  [K in C]: { ok: false; code: K; params: RefusalCatalog[K] };
}[C];

export function refuse<K extends RefusalCode>(code: K, ...params: ParamsArg<K>): Refusal<K> {
  return { ok: false, code, params: (params[0] ?? {}) as RefusalCatalog[K] } as Refusal<K>;
}

// A code without facts takes no second argument.
type ParamsArg<K extends RefusalCode> = RefusalCatalog[K] extends Record<string, never> ? [] : [RefusalCatalog[K]];
