import {
  decideResolve,
  decideStep,
  type IncidentRefusal,
  nextStep,
  resolvedRefusal,
  revokedAt as revokedAtOf,
  severityFor,
  validateDeclaredTimes,
} from '../domain/incident';
import { nudgesDue } from '../domain/nudge-schedule';
import {
  BOT_ACTOR,
  type Environment,
  type EventType,
  type Incident,
  incidentRef,
  type KeyMode,
  leadOf,
  type Resolution,
  type RoomChoice,
  STEP_EVENT,
  type Step,
  type TimelineEvent,
} from '../domain/types';
import type { Clock } from './clock';
import { appendRefusal } from './refusal-recorder';
import type { Store } from './store';

export interface OpenIncidentInput {
  channelId: string;
  actor: string;
  keyLabel: string;
  environment: Environment;
  keyMode: KeyMode;
  exposureStart: number | null;
  /** When the key was already revoked before the incident was declared. */
  revokedAt: number | null;
  how: string;
  /** The payload that asked for it (trigger id, view id, event id): the same payload opens one incident. */
  idempotencyKey: string;
  /** Extra facts for the opening event (e.g. the leak it came from). */
  origin?: Record<string, unknown>;
  /**
   * Whether the person opening it may change the key register (PRODUCT.md section 8). Anyone may open an
   * incident, but only a responder's declaration marks a registered key compromised; absent means no.
   */
  byResponder?: boolean;
  /** `new` or `private`: the bot creates a room for it after the commit (section 13). Default `here`. */
  room?: RoomChoice;
  /** A practice incident: the playbook runs, the key register and the status channel are left alone. */
  drill?: boolean;
}

export type Outcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'duplicate'; value: T }
  | { kind: 'refused'; refusal: IncidentRefusal; incident: Incident | null }
  | { kind: 'not_found'; incidentId: number };

/** Things other parts of the product do in the same transaction as an incident change (the key register). */
export interface IncidentHooks {
  /** What the key register knows of the key's mode, when the person declaring did not say. */
  keyModeOf?(keyLabel: string): KeyMode | null;
  onOpened?(incident: Incident, now: number, byResponder: boolean): void;
  /**
   * Any step completed, by a responder (steps are responder-only): the first one confirms the incident. Not only
   * the revoke, since a non-responder may have declared that one already when opening.
   */
  onStepCompleted?(incident: Incident, step: Step, actor: string, now: number): void;
  onRedeployed?(incident: Incident, details: Record<string, unknown>, actor: string, now: number): void;
  /** After every recorded change (the card is owed a refresh): rooms and the status channel follow it. */
  onChanged?(incident: Incident, now: number): void;
  onResolved?(incident: Incident, now: number): void;
  /** The lead was handed to `lead`: a room they are not in yet must take them. */
  onLeadChanged?(incident: Incident, lead: string, now: number): void;
}

export interface IncidentServiceOptions {
  store: Store;
  clock: Clock;
  revokeNudgeMinutes: number;
  idleReminderMinutes?: number;
  hooks?: IncidentHooks;
  /** INCIDENT_CHANNEL: where an incident lives when the person declaring does not say. */
  defaultRoom?: RoomChoice;
}

/** The compromise playbook's use-cases: load → decide (domain) → save, event and outbox in one transaction. */
export class IncidentService {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly nudgeMs: number;
  private readonly idleMs: number;
  private readonly hooks: IncidentHooks[] = [];
  readonly defaultRoom: RoomChoice;

  constructor(options: IncidentServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.nudgeMs = options.revokeNudgeMinutes * 60_000;
    this.idleMs = (options.idleReminderMinutes ?? 30) * 60_000;
    if (options.hooks) this.hooks.push(options.hooks);
    this.defaultRoom = options.defaultRoom ?? 'here';
  }

  addHooks(hooks: IncidentHooks): void {
    this.hooks.push(hooks);
  }

  get(incidentId: number): Incident | null {
    return this.store.incidents.get(incidentId);
  }

  /** The channel's open incident: the newest when there are several. */
  openInChannel(channelId: string): Incident | null {
    return this.store.incidents.openInChannelOf(channelId)[0] ?? null;
  }

  listOpen(): Incident[] {
    return this.store.incidents.listOpen();
  }

  timeline(incidentId: number): TimelineEvent[] {
    return this.store.events.stream(incidentRef(incidentId));
  }

  now(): number {
    return this.clock().getTime();
  }

  open(input: OpenIncidentInput): Outcome<Incident> {
    const now = this.now();
    const times = validateDeclaredTimes({ exposureStart: input.exposureStart, revokedAt: input.revokedAt }, now);
    if (!times.ok) return { kind: 'refused', refusal: times, incident: null };
    return this.store.transaction(() => {
      const existing = this.store.incidents.findByOpenKey(input.idempotencyKey);
      if (existing) return { kind: 'duplicate', value: existing };
      const keyMode = input.keyMode !== 'unknown' ? input.keyMode : this.registeredMode(input.keyLabel);
      const room = input.room ?? this.defaultRoom;
      const drill = input.drill === true;
      const id = this.store.incidents.insert(
        {
          channelId: input.channelId,
          keyLabel: input.keyLabel,
          environment: input.environment,
          keyMode,
          severity: severityFor(input.environment, keyMode),
          how: input.how,
          openedBy: input.actor,
          openedAt: now,
          exposureStart: input.exposureStart,
          drill,
          room,
        },
        input.idempotencyKey,
      );
      const stream = incidentRef(id);
      this.store.events.append(
        {
          stream,
          at: now,
          actor: input.actor,
          type: 'incident_opened',
          details: {
            keyLabel: input.keyLabel,
            environment: input.environment,
            keyMode,
            severity: severityFor(input.environment, keyMode),
            exposureStart: input.exposureStart,
            how: input.how,
            channelId: input.channelId,
            ...(input.origin ? { origin: input.origin } : {}),
            ...(drill ? { drill: true } : {}),
            ...(room !== 'here' ? { room } : {}),
          },
        },
        `open:${input.idempotencyKey}`,
      );
      if (room !== 'here') {
        // The room is created after the commit, in order before the card: the card is drawn where the incident
        // lives at send time. Keyed by incident, so no retry or second process makes two rooms for it.
        this.store.outbox.enqueue(
          {
            channelId: input.channelId,
            kind: 'task',
            subject: `ROOM-${id}`,
            payload: { task: 'room' },
            dedupeKey: `room:${stream}`,
          },
          now,
        );
      }
      this.store.outbox.enqueue({ channelId: input.channelId, kind: 'card', subject: stream, payload: {} }, now);
      if (input.revokedAt !== null) {
        const details = { revokedAt: input.revokedAt, declaredAtOpening: true };
        this.store.incidents.recordStep(id, { step: 'revoke', at: now, by: input.actor, details });
        this.appendAndAnnounce(id, input.channelId, 'key_revoked', input.actor, now, details, null);
      }
      const incident = this.mustGet(id);
      // A drill never touches the key register.
      if (!drill) for (const hook of this.hooks) hook.onOpened?.(incident, now, input.byResponder === true);
      for (const hook of this.hooks) hook.onChanged?.(incident, now);
      return { kind: 'done', value: incident };
    });
  }

  completeStep(input: {
    incidentId: number;
    channelId: string | null;
    step: Step;
    actor: string;
    details: Record<string, unknown>;
    idempotencyKey: string;
  }): Outcome<Incident> {
    return this.act(input, (incident, now) => {
      const decision = decideStep(incident, input.step);
      if (!decision.ok) {
        this.recordRefusal(incident, input.actor, `step:${input.step}`, decision, now, input.idempotencyKey);
        return { kind: 'refused', refusal: decision, incident };
      }
      this.store.incidents.recordStep(incident.id, {
        step: input.step,
        at: now,
        by: input.actor,
        details: input.details,
      });
      this.appendAndAnnounce(
        incident.id,
        incident.channelId,
        STEP_EVENT[input.step],
        input.actor,
        now,
        input.details,
        input.idempotencyKey,
      );
      const updated = this.mustGet(incident.id);
      if (!updated.drill) {
        for (const hook of this.hooks) hook.onStepCompleted?.(updated, input.step, input.actor, now);
      }
      if (input.step === 'redeploy' && !updated.drill) {
        for (const hook of this.hooks) hook.onRedeployed?.(updated, input.details, input.actor, now);
      }
      return { kind: 'done', value: updated };
    });
  }

  resolve(input: {
    incidentId: number;
    channelId: string | null;
    actor: string;
    resolution: Resolution;
    summary: string;
    idempotencyKey: string;
  }): Outcome<Incident> {
    return this.act(input, (incident, now) => {
      const decision = decideResolve(incident);
      if (!decision.ok) {
        this.recordRefusal(incident, input.actor, 'resolve', decision, now, input.idempotencyKey);
        return { kind: 'refused', refusal: decision, incident };
      }
      this.store.incidents.resolve(incident.id, input.resolution, now, input.actor, input.summary);
      const details = { resolution: input.resolution, summary: input.summary };
      this.appendAndAnnounce(
        incident.id,
        incident.channelId,
        'incident_resolved',
        input.actor,
        now,
        details,
        input.idempotencyKey,
      );
      // The postmortem's timeline, owed in the same commit as the resolution (drawn when it is sent).
      this.store.outbox.enqueue(
        {
          channelId: incident.channelId,
          kind: 'file',
          subject: incidentRef(incident.id),
          payload: { format: 'markdown' },
        },
        now,
      );
      const resolved = this.mustGet(incident.id);
      for (const hook of this.hooks) hook.onResolved?.(resolved, now);
      return { kind: 'done', value: resolved };
    });
  }

  /** Hands the lead to another person; the handover is an event like any step. */
  changeLead(input: {
    incidentId: number;
    channelId: string | null;
    actor: string;
    lead: string;
    idempotencyKey: string;
  }): Outcome<Incident> {
    return this.act(input, (incident, now) => {
      if (incident.status === 'resolved') {
        const refusal = resolvedRefusal(incident);
        this.recordRefusal(incident, input.actor, 'lead', refusal, now, input.idempotencyKey);
        return { kind: 'refused', refusal, incident };
      }
      const from = leadOf(incident);
      if (from === input.lead) return { kind: 'duplicate', value: incident };
      this.store.incidents.setLead(incident.id, input.lead);
      this.appendAndAnnounce(
        incident.id,
        incident.channelId,
        'lead_changed',
        input.actor,
        now,
        { from, to: input.lead },
        input.idempotencyKey,
      );
      const updated = this.mustGet(incident.id);
      for (const hook of this.hooks) hook.onLeadChanged?.(updated, input.lead, now);
      return { kind: 'done', value: updated };
    });
  }

  addNote(input: {
    incidentId: number;
    channelId: string | null;
    actor: string;
    text: string;
    idempotencyKey: string;
  }): Outcome<Incident> {
    return this.act(input, (incident, now) => {
      this.appendAndAnnounce(
        incident.id,
        incident.channelId,
        'note_added',
        input.actor,
        now,
        { text: input.text },
        input.idempotencyKey,
      );
      return { kind: 'done', value: incident };
    });
  }

  /**
   * A fact about the incident's key from elsewhere (a rate-limit spike), recorded by the bot in the incident's
   * timeline and thread. Call inside the caller's transaction; the idempotency key makes a replay a no-op.
   */
  recordBotFact(
    incidentId: number,
    type: EventType,
    details: Record<string, unknown>,
    idempotencyKey: string,
  ): boolean {
    const incident = this.store.incidents.get(incidentId);
    if (!incident || this.store.events.findByIdempotencyKey(idempotencyKey)) return false;
    this.appendAndAnnounce(incident.id, incident.channelId, type, BOT_ACTOR, this.now(), details, idempotencyKey);
    return true;
  }

  /**
   * While the key is still active, nudges on the schedule of `domain/nudge-schedule.ts` (every interval at first,
   * then further apart). Missed nudges coalesce into one. After revocation, one reminder per step idle too long.
   * Idempotency keys make each nudge happen once even with two bot processes on one database. Most ticks find
   * nothing due: that is decided from the open incidents already read, and only a due incident takes a transaction.
   */
  runNudges(): number {
    const now = this.now();
    const due = this.store.incidents.listOpen().filter((incident) => this.dueReminder(incident, now) !== null);
    if (due.length === 0) return 0;
    // All of a tick's nudges in one commit (a 1,000-incident tick was 1,000 fsyncs), each in its own savepoint: one
    // incident that fails rolls back alone, the others are sent, and the failure reaches the scheduler's log.
    let posted = 0;
    let failure: unknown = null;
    this.store.transaction(() => {
      for (const incident of due) {
        try {
          posted += this.store.transaction(() => this.nudgeOne(incident.id, now));
        } catch (error) {
          failure ??= error;
        }
      }
    });
    if (failure !== null) throw failure;
    return posted;
  }

  /** What the tick owes this incident now, if anything: the event and its idempotency key. */
  private dueReminder(
    incident: Incident,
    now: number,
  ): { type: EventType; key: string; details: Record<string, unknown> } | null {
    if (incident.status !== 'open') return null;
    if (!incident.steps.revoke) {
      const due = nudgesDue(now - incident.openedAt, this.nudgeMs);
      if (due < 1) return null;
      const key = `nudge:${incidentRef(incident.id)}:${due}`;
      if (this.store.events.findByIdempotencyKey(key)) return null;
      const details = {
        minutesActive: Math.floor((now - incident.openedAt) / 60_000),
        exposureStart: incident.exposureStart ?? incident.openedAt,
      };
      return { type: 'revoke_nudge', key, details };
    }
    const waitingFor = nextStep(incident) ?? 'resolve';
    const lastProgress = Math.max(
      incident.openedAt,
      ...Object.values(incident.steps).map((record) => record?.at ?? 0),
      revokedAtOf(incident) ?? 0,
    );
    if (now - lastProgress < this.idleMs) return null;
    const key = `idle:${incidentRef(incident.id)}:${waitingFor}`;
    if (this.store.events.findByIdempotencyKey(key)) return null;
    const details = { waitingFor, idleMinutes: Math.floor((now - lastProgress) / 60_000) };
    return { type: 'idle_reminder', key, details };
  }

  private nudgeOne(incidentId: number, now: number): number {
    const incident = this.store.incidents.get(incidentId);
    // Decided again inside the transaction: another process may have sent it, or someone acted, since the read.
    const due = incident ? this.dueReminder(incident, now) : null;
    if (!incident || !due) return 0;
    // A nudge still waiting for Slack is replaced by this one, not queued behind it (the card shows the rest).
    const replaces = due.type === 'revoke_nudge' ? 'revoke_nudge' : undefined;
    this.appendAndAnnounce(incident.id, incident.channelId, due.type, BOT_ACTOR, now, due.details, due.key, replaces);
    return 1;
  }

  private registeredMode(keyLabel: string): KeyMode {
    for (const hook of this.hooks) {
      const mode = hook.keyModeOf?.(keyLabel);
      if (mode) return mode;
    }
    return 'unknown';
  }

  /** The shared frame of an action on an incident: one transaction, a replay answered as a duplicate. */
  private act(
    input: { incidentId: number; channelId: string | null; idempotencyKey: string },
    work: (incident: Incident, now: number) => Outcome<Incident>,
  ): Outcome<Incident> {
    const now = this.now();
    return this.store.transaction(() => {
      const loaded = this.loadForAction(input.incidentId, input.channelId, input.idempotencyKey);
      return loaded.kind === 'done' ? work(loaded.value, now) : loaded;
    });
  }

  private loadForAction(incidentId: number, channelId: string | null, idempotencyKey: string): Outcome<Incident> {
    const incident = this.store.incidents.get(incidentId);
    // An incident id from another channel is treated as unknown here: a button value is untrusted input.
    if (!incident || (channelId !== null && incident.channelId !== channelId)) return { kind: 'not_found', incidentId };
    if (this.store.events.findByIdempotencyKey(idempotencyKey)) return { kind: 'duplicate', value: incident };
    return { kind: 'done', value: incident };
  }

  private recordRefusal(
    incident: Incident,
    actor: string,
    action: string,
    refusal: IncidentRefusal,
    now: number,
    idempotencyKey: string,
  ): void {
    appendRefusal(this.store, now, {
      stream: incidentRef(incident.id),
      actor,
      action,
      refusal,
      idempotencyKey,
    });
  }

  /** One event, and the card refresh and thread reply that report it, committed together. */
  private appendAndAnnounce(
    incidentId: number,
    channelId: string,
    type: EventType,
    actor: string,
    now: number,
    details: Record<string, unknown>,
    idempotencyKey: string | null,
    replaces?: string,
  ): TimelineEvent {
    const stream = incidentRef(incidentId);
    const event = this.store.events.append({ stream, at: now, actor, type, details }, idempotencyKey);
    this.store.outbox.enqueue({ channelId, kind: 'card', subject: stream, payload: {} }, now);
    this.store.outbox.enqueue(
      {
        channelId,
        kind: 'thread',
        subject: stream,
        payload: { stream, seq: event.seq },
        ...(replaces ? { replaces } : {}),
      },
      now,
    );
    const incident = this.store.incidents.get(incidentId);
    if (incident) for (const hook of this.hooks) hook.onChanged?.(incident, now);
    return event;
  }

  private mustGet(id: number): Incident {
    const incident = this.store.incidents.get(id);
    if (!incident) throw new Error(`incident ${id} vanished inside its own transaction`);
    return incident;
  }
}
