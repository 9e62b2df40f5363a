import type { RotationRepository } from '../db/rotation-repository';
import { bumpLabelVersion, validateKeyLabel } from '../domain/keys/key-label';
import type { RegisteredKey } from '../domain/keys/registered-key';
import { rotationRef } from '../domain/refs';
import { type Refusal, type RefusalCode, refuse } from '../domain/refusal';
import {
  cancelRotation,
  completeRotation,
  decideRotationStep,
  decideStartRotation,
  type Rotation,
  type StepRefusal,
} from '../domain/rotation/rotation';
import type { RotationStep } from '../domain/rotation/rotation-steps';
import type { EventType, TimelineEvent } from '../domain/types';
import type { Clock } from './clock';
import type { KeyOutcome, KeyRegisterService } from './key-register-service';
import { appendRefusal } from './refusal-recorder';
import type { Store } from './store';

export type RotationOutcome =
  | KeyOutcome<Rotation>
  | { kind: 'step_refused'; refusal: StepRefusal; rotation: Rotation }
  | { kind: 'not_found'; rotationId: number };

export interface RotationServiceOptions {
  store: Store;
  rotations: RotationRepository;
  register: KeyRegisterService;
  clock: Clock;
}

// Refusals that say "not now" (order, repetition) are attempts worth keeping in the record; a mistyped label is not.
const RECORDED_REFUSALS = new Set<RefusalCode>([
  'rotation_step_out_of_order',
  'rotation_step_already_done',
  'rotation_finished',
]);

/**
 * Planned zero-downtime rotations (`ROT-n`): start → create → deploy → verify → revoke the old key, in the seed's
 * order. Each step is one transaction: the step, its event, the card refresh and thread reply; the last step also
 * revokes the old key and registers the new one in the key register.
 */
export class RotationService {
  private readonly store: Store;
  private readonly rotations: RotationRepository;
  private readonly register: KeyRegisterService;
  private readonly clock: Clock;

  constructor(options: RotationServiceOptions) {
    this.store = options.store;
    this.rotations = options.rotations;
    this.register = options.register;
    this.clock = options.clock;
  }

  now(): number {
    return this.clock().getTime();
  }

  get(id: number): Rotation | null {
    return this.rotations.get(id);
  }

  /** ROT-n of the rotation under way for the key with that label, if any. */
  openRefOf(label: string): string | null {
    const key = this.register.findByLabel(label.trim());
    const open = key ? this.rotations.openForKey(key.id) : null;
    return open ? rotationRef(open.id) : null;
  }

  timeline(id: number): TimelineEvent[] {
    return this.store.events.stream(rotationRef(id));
  }

  /** The key a finished rotation registered. */
  newKeyOf(rotation: Rotation): RegisteredKey | null {
    const id = this.rotations.newKeyId(rotation.id);
    return id === null ? null : this.register.get(id);
  }

  /** The label suggested for the replacement: the old one with its version bumped. */
  suggestedLabel(rotation: Rotation): string {
    return bumpLabelVersion(rotation.oldLabel);
  }

  /**
   * Before a form opens for `step`: null when the step could be recorded now; otherwise the refusal, recorded
   * as a refused attempt like any other out-of-order click.
   */
  precheckStep(input: {
    rotation: Rotation;
    step: RotationStep;
    actor: string;
    idempotencyKey: string;
  }): StepRefusal | null {
    const { rotation, step } = input;
    const probe = decideRotationStep(rotation, step, input.actor, this.now(), {
      newLabel: this.suggestedLabel(rotation),
    });
    if (probe.ok) return null;
    if (RECORDED_REFUSALS.has(probe.code)) {
      const now = this.now();
      this.store.transaction(() => this.recordRefused(rotation, input.actor, step, probe, now, input.idempotencyKey));
    }
    return probe;
  }

  /** `rotate <label>` or a reminder's `rotation_start`: the card goes to `channelId`, the key stops being reminded. */
  start(input: {
    keyId?: number;
    label?: string;
    channelId: string;
    actor: string;
    idempotencyKey: string;
    /** The reminder whose button started it, redrawn to point at the card. */
    reminderId?: number;
  }): KeyOutcome<Rotation> {
    const now = this.now();
    return this.store.transaction(() => {
      const existing = this.rotations.findByStartKey(input.idempotencyKey);
      if (existing) return { kind: 'duplicate', value: existing };
      let key: RegisteredKey | null;
      if (input.keyId !== undefined) {
        key = this.register.get(input.keyId);
        if (!key) return refused(refuse('key_gone', { label: null }));
      } else {
        // Validated before it is looked up or repeated: the "label" could be a pasted key.
        const label = validateKeyLabel(input.label ?? '');
        if (!label.ok) return { kind: 'refused', refusal: label };
        key = this.register.findByLabel(label.label);
        if (!key) return refused(refuse('key_not_found', { label: label.label }));
      }
      const decision = decideStartRotation(key, this.rotations.openForKey(key.id), input.actor, now, input.channelId);
      if (!decision.ok) return { kind: 'refused', refusal: decision };
      const id = this.rotations.insert(decision.rotation, input.idempotencyKey);
      const ref = rotationRef(id);
      this.register.changeStatus(key, decision.key, input.actor, now, { rotation: ref });
      this.store.events.append(
        {
          stream: ref,
          at: now,
          actor: input.actor,
          type: decision.eventType,
          details: {
            keyId: key.id,
            oldLabel: key.label,
            environment: key.environment,
            mode: key.mode,
            channelId: input.channelId,
          },
        },
        input.idempotencyKey,
      );
      this.store.outbox.enqueue({ channelId: input.channelId, kind: 'card', subject: ref, payload: {} }, now);
      this.register.redrawReminder(input.reminderId, now);
      return { kind: 'done', value: this.mustGet(id) };
    });
  }

  /**
   * One step of the card. Out of order or repeated: refused with the seed's reason, recorded as a refused
   * attempt, and nothing else changes. The last step finishes the rotation in the key register.
   */
  recordStep(input: {
    rotationId: number;
    /** The channel the click came from; null when it does not matter (tests, CLI). */
    channelId: string | null;
    step: RotationStep;
    actor: string;
    newLabel?: string;
    idempotencyKey: string;
  }): RotationOutcome {
    const now = this.now();
    return this.store.transaction((): RotationOutcome => {
      const rotation = this.rotations.get(input.rotationId);
      // A rotation id from another channel is treated as unknown: a button value is untrusted input.
      if (!rotation || (input.channelId !== null && rotation.channelId !== input.channelId)) {
        return { kind: 'not_found', rotationId: input.rotationId };
      }
      if (this.store.events.findByIdempotencyKey(input.idempotencyKey)) return { kind: 'duplicate', value: rotation };
      const decision = decideRotationStep(rotation, input.step, input.actor, now, { newLabel: input.newLabel });
      if (!decision.ok) {
        if (RECORDED_REFUSALS.has(decision.code)) {
          this.recordRefused(rotation, input.actor, input.step, decision, now, input.idempotencyKey);
        }
        return { kind: 'step_refused', refusal: decision, rotation };
      }
      const newLabel = decision.rotation.newLabel;
      const oldKey = this.register.get(rotation.keyId);
      if (!oldKey) return refused(refuse('key_gone', { label: rotation.oldLabel }));
      const holder =
        newLabel !== null && (input.step === 'create' || decision.done) ? this.register.findByLabel(newLabel) : null;
      // Someone registered the new key with `keys add` while it was being deployed: that entry is the new key.
      const adopt =
        decision.done && holder?.status === 'active' && holder.environment === oldKey.environment ? holder : null;
      if (holder && !adopt) {
        return refused(
          refuse('new_label_taken', { label: holder.label, environment: holder.environment, status: holder.status }),
        );
      }
      const ref = rotationRef(rotation.id);
      let newKey: RegisteredKey | null = null;
      if (decision.done) {
        const completed = completeRotation(oldKey, decision.rotation, now);
        if (!completed.ok) return { kind: 'refused', refusal: completed };
        this.register.changeStatus(oldKey, completed.oldKey, input.actor, now, { rotation: ref });
        const origin = { source: 'rotation' as const, rotation: ref };
        newKey = adopt ?? this.register.insertKey(completed.newKey, input.actor, now, origin, null);
      }
      this.rotations.recordStep(rotation.id, input.step, decision.mark);
      this.rotations.update(decision.rotation, newKey?.id ?? null);
      const details: Record<string, unknown> = input.step === 'create' ? { newLabel } : {};
      if (newKey) {
        Object.assign(details, { newKeyId: newKey.id, newLabel, nextDueAt: this.register.dueAt(newKey) });
      }
      this.appendAndAnnounce(rotation, decision.eventType, input.actor, now, details, input.idempotencyKey);
      return { kind: 'done', value: this.mustGet(rotation.id) };
    });
  }

  /**
   * The key turned out compromised mid-rotation: that is an incident now, with no safe old key to keep running,
   * so the planned rotation is called off. Call inside the incident's transaction; returns the key as it now is.
   */
  cancelForCompromise(key: RegisteredKey, actor: string, now: number, incident: string): RegisteredKey {
    const open = this.rotations.openForKey(key.id);
    if (!open) return key;
    const cancelled = cancelRotation(open, key);
    if (!cancelled.ok) return key;
    this.rotations.update(cancelled.rotation);
    this.appendAndAnnounce(
      open,
      'key_status_changed',
      actor,
      now,
      { keyId: key.id, label: key.label, from: key.status, to: 'compromised', incident, rotation: 'cancelled' },
      null,
    );
    return cancelled.key;
  }

  private recordRefused(
    rotation: Rotation,
    actor: string,
    step: RotationStep,
    refusal: Refusal,
    now: number,
    idempotencyKey: string,
  ): void {
    appendRefusal(this.store, now, {
      stream: rotationRef(rotation.id),
      actor,
      action: `step:${step}`,
      refusal,
      idempotencyKey,
    });
  }

  /** One event, and the card refresh and thread reply that report it, committed together. */
  private appendAndAnnounce(
    rotation: Rotation,
    type: EventType,
    actor: string,
    now: number,
    details: Record<string, unknown>,
    idempotencyKey: string | null,
  ): void {
    const stream = rotationRef(rotation.id);
    const event = this.store.events.append({ stream, at: now, actor, type, details }, idempotencyKey);
    const channelId = rotation.channelId;
    this.store.outbox.enqueue({ channelId, kind: 'card', subject: stream, payload: {} }, now);
    this.store.outbox.enqueue({ channelId, kind: 'thread', subject: stream, payload: { stream, seq: event.seq } }, now);
  }

  private mustGet(id: number): Rotation {
    const rotation = this.rotations.get(id);
    if (!rotation) throw new Error(`rotation ${id} vanished inside its own transaction`);
    return rotation;
  }
}

function refused(refusal: Refusal): { kind: 'refused'; refusal: Refusal } {
  return { kind: 'refused', refusal };
}
