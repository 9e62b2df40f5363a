import { type LabelRefusalCode, validateKeyLabel } from '../keys/key-label';
import { FIRST_CYCLE, type NewRegisteredKey, type Refusal, type RegisteredKey } from '../keys/registered-key';
import { utcMinute } from '../time';
import { type Actor, BOT_ACTOR, type EventType } from '../types';
import {
  outOfOrderReason,
  ROTATION_STEP_EVENT,
  ROTATION_STEP_TITLES,
  ROTATION_STEPS,
  type RotationStep,
  stepIndex,
} from './rotation-steps';

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
    const since = openRotation
      ? ` (started by ${actorName(openRotation.startedBy)} at ${when(openRotation.startedAt)})`
      : '';
    return {
      ok: false,
      code: 'rotation_in_progress',
      reason: `A rotation of ${key.label} is already in progress${since}: continue it on its card.`,
    };
  }
  if (key.status === 'revoked') {
    return {
      ok: false,
      code: 'key_revoked',
      reason: `${key.label} is already revoked, so there is nothing to rotate. Register the key that replaced it.`,
    };
  }
  if (key.status === 'compromised') {
    // The seed: a compromised key has no "safe old key" to keep running in parallel, so no planned rotation.
    return {
      ok: false,
      code: 'key_compromised',
      reason:
        `${key.label} is compromised: that is an incident, not a planned rotation. Revoke it immediately; ` +
        'there is no safe old key to keep running while the new one is deployed.',
    };
  }
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
  | 'step_already_done'
  | 'step_out_of_order'
  | 'new_label_required'
  | 'new_label_unchanged'
  | LabelRefusalCode;

export type StepRefusal = Refusal<StepRefusalCode> & {
  /** For `step_out_of_order`: the earliest step still to do. */
  missing?: RotationStep;
  /** For `step_already_done`: who recorded it, and when. */
  done?: StepMark;
};

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
    const next = nextRotationStep(rotation);
    return {
      ok: false,
      code: 'step_already_done',
      done,
      reason:
        `"${ROTATION_STEP_TITLES[step]}" was already recorded by ${actorName(done.by)} at ${when(done.at)}.` +
        (next ? ` Next: ${ROTATION_STEP_TITLES[next]}.` : ''),
    };
  }
  const missing = ROTATION_STEPS.slice(0, stepIndex(step)).find((earlier) => !rotation.steps[earlier]);
  if (missing) return { ok: false, code: 'step_out_of_order', missing, reason: outOfOrderReason(step, missing) };

  let newLabel = rotation.newLabel;
  if (step === 'create') {
    if (input.newLabel === undefined || input.newLabel.trim() === '') {
      return {
        ok: false,
        code: 'new_label_required',
        reason: 'Give the new key its label, e.g. api-server-production-v2.',
      };
    }
    const label = validateKeyLabel(input.newLabel);
    if (!label.ok) return label;
    if (label.label.toLowerCase() === rotation.oldLabel.toLowerCase()) {
      return {
        ok: false,
        code: 'new_label_unchanged',
        reason: `The new key needs its own label, different from ${rotation.oldLabel}, so the two can be told apart in the dashboard.`,
      };
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
  const reason =
    rotation.status === 'done'
      ? `This rotation is finished: the old key ${rotation.oldLabel} was revoked` +
        (revoked ? ` (recorded by ${actorName(revoked.by)} at ${when(revoked.at)}).` : '.') +
        ' Nothing more to record.'
      : `This rotation of ${rotation.oldLabel} was cancelled. To rotate the key, start a new rotation.`;
  return { ok: false, code: 'rotation_finished', reason };
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
  if (rotation.keyId !== oldKey.id) {
    return { ok: false, code: 'wrong_key', reason: `This rotation belongs to another key than ${oldKey.label}.` };
  }
  if (rotation.status !== 'done' || !rotation.steps.revoke_old || rotation.newLabel === null) {
    return {
      ok: false,
      code: 'rotation_not_done',
      reason: `The rotation of ${oldKey.label} is not finished: the old key is revoked only after the new one is verified.`,
    };
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

function actorName(actor: Actor): string {
  return actor === BOT_ACTOR ? 'the bot' : `<@${actor}>`;
}

const when = utcMinute;
