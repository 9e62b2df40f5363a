import { type LabelRefusalCode, validateKeyLabel } from '../keys/key-label';
import { FIRST_CYCLE, type NewRegisteredKey, type RegisteredKey } from '../keys/registered-key';
import { type Refusal, refuse } from '../refusal';
import type { Actor, EventType } from '../types';
import { ROTATION_STEP_EVENT, ROTATION_STEPS, type RotationStep, stepIndex } from './rotation-steps';

export type RotationStatus = 'in_progress' | 'done' | 'cancelled';

export interface StepMark {
  at: number;
  by: Actor;
}

/** A planned zero-downtime rotation of one registered key (the `ROT-<id>` event stream). */
export interface Rotation {
  id: number;
  keyId: number;
  oldLabel: string;
  /** Recorded by the create step. */
  newLabel: string | null;
  startedBy: Actor;
  startedAt: number;
  steps: Partial<Record<RotationStep, StepMark>>;
  status: RotationStatus;
  channelId: string;
  cardTs: string | null;
}

export type NewRotation = Omit<Rotation, 'id'>;

/** The first step not yet recorded; null once the rotation is over. */
export function nextRotationStep(rotation: Pick<Rotation, 'steps' | 'status'>): RotationStep | null {
  if (rotation.status !== 'in_progress') return null;
  return ROTATION_STEPS.find((step) => !rotation.steps[step]) ?? null;
}

export type StartRefusalCode = 'key_revoked' | 'key_compromised' | 'rotation_in_progress';

/** `rotate <label>` / `rotation_start`: the key goes `rotating`, which pauses its reminder ladder. */
export function decideStartRotation(
  key: RegisteredKey,
  openRotation: Rotation | null,
  actor: Actor,
  now: number,
  channelId: string,
): { ok: true; rotation: NewRotation; key: RegisteredKey; eventType: EventType } | Refusal<StartRefusalCode> {
  if (openRotation?.status === 'in_progress' || key.status === 'rotating') {
    return refuse('rotation_in_progress', {
      label: key.label,
      startedBy: openRotation?.startedBy ?? null,
      startedAt: openRotation?.startedAt ?? null,
    });
  }
  if (key.status === 'revoked') return refuse('key_revoked', { label: key.label });
  // The seed: a compromised key has no "safe old key" to keep running in parallel, so no planned rotation.
  if (key.status === 'compromised') return refuse('key_compromised', { label: key.label });
  return {
    ok: true,
    rotation: {
      keyId: key.id,
      oldLabel: key.label,
      newLabel: null,
      startedBy: actor,
      startedAt: now,
      steps: {},
      status: 'in_progress',
      channelId,
      cardTs: null,
    },
    key: { ...key, status: 'rotating', snoozedUntil: null },
    eventType: 'rotation_started',
  };
}

export type StepRefusalCode =
  | 'rotation_finished'
  | 'rotation_step_already_done'
  | 'rotation_step_out_of_order'
  | 'new_label_required'
  | 'new_label_unchanged'
  | LabelRefusalCode;

export type StepRefusal = Refusal<StepRefusalCode>;

export interface StepAccepted {
  ok: true;
  rotation: Rotation;
  step: RotationStep;
  mark: StepMark;
  /** True when this step finished the rotation: call completeRotation next. */
  done: boolean;
  eventType: EventType;
}

/**
 * Records one step, in the seed's order only. `create` needs the new key's label (from the modal).
 * Whether that label is free in the register is the caller's check: it needs the database.
 */
export function decideRotationStep(
  rotation: Rotation,
  step: RotationStep,
  actor: Actor,
  now: number,
  input: { newLabel?: string } = {},
): StepAccepted | StepRefusal {
  if (rotation.status !== 'in_progress') return refuseFinished(rotation);
  const done = rotation.steps[step];
  if (done) {
    return refuse('rotation_step_already_done', { step, at: done.at, by: done.by, next: nextRotationStep(rotation) });
  }
  const missing = ROTATION_STEPS.slice(0, stepIndex(step)).find((earlier) => !rotation.steps[earlier]);
  if (missing) return refuse('rotation_step_out_of_order', { step, missing });

  let newLabel = rotation.newLabel;
  if (step === 'create') {
    if (input.newLabel === undefined || input.newLabel.trim() === '') return refuse('new_label_required');
    const label = validateKeyLabel(input.newLabel);
    if (!label.ok) return label;
    if (label.label.toLowerCase() === rotation.oldLabel.toLowerCase()) {
      return refuse('new_label_unchanged', { oldLabel: rotation.oldLabel });
    }
    newLabel = label.label;
  }

  const mark = { at: now, by: actor };
  const finished = step === 'revoke_old';
  return {
    ok: true,
    rotation: {
      ...rotation,
      newLabel,
      steps: { ...rotation.steps, [step]: mark },
      status: finished ? 'done' : 'in_progress',
    },
    step,
    mark,
    done: finished,
    eventType: ROTATION_STEP_EVENT[step],
  };
}

function refuseFinished(rotation: Rotation): StepRefusal {
  const revoked = rotation.steps.revoke_old;
  return refuse('rotation_finished', {
    oldLabel: rotation.oldLabel,
    status: rotation.status === 'done' ? 'done' : 'cancelled',
    revokedBy: revoked?.by ?? null,
    revokedAt: revoked?.at ?? null,
  });
}

/** Abandons a rotation (say the key turned out compromised): the old key goes back to its ladder. */
export function cancelRotation(
  rotation: Rotation,
  key: RegisteredKey,
): { ok: true; rotation: Rotation; key: RegisteredKey } | StepRefusal {
  if (rotation.status !== 'in_progress') return refuseFinished(rotation);
  return {
    ok: true,
    rotation: { ...rotation, status: 'cancelled' },
    key: key.status === 'rotating' ? { ...key, status: 'active' } : key,
  };
}

export type CompleteRefusalCode = 'rotation_not_done' | 'wrong_key';

/**
 * After `revoke_old`: the old key is revoked and its replacement joins the register as a new entry (its own id,
 * so its reminders never collide with the old key's) at FIRST_CYCLE, with its 90 days counted from `now`.
 * It inherits environment, kind, mode, owner and channel; its last four characters are not known yet.
 */
export function completeRotation(
  oldKey: RegisteredKey,
  rotation: Rotation,
  now: number,
): { ok: true; oldKey: RegisteredKey; newKey: NewRegisteredKey } | Refusal<CompleteRefusalCode> {
  if (rotation.keyId !== oldKey.id) return refuse('wrong_key', { label: oldKey.label });
  if (rotation.status !== 'done' || !rotation.steps.revoke_old || rotation.newLabel === null) {
    return refuse('rotation_not_done', { label: oldKey.label });
  }
  return {
    ok: true,
    oldKey: { ...oldKey, status: 'revoked', snoozedUntil: null },
    newKey: {
      label: rotation.newLabel,
      environment: oldKey.environment,
      kind: oldKey.kind,
      mode: oldKey.mode,
      last4: null,
      rotatedAt: now,
      ownerId: oldKey.ownerId,
      channelId: oldKey.channelId,
      status: 'active',
      cycle: FIRST_CYCLE,
      snoozedUntil: null,
    },
  };
}
