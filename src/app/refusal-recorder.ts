import { parseIncidentRef } from '../domain/refs';
import type { Refusal } from '../domain/refusal';
import type { Clock } from './clock';
import type { Store } from './store';

export interface RefusedAttempt {
  /** The stream the attempt was about (INC-n, ROT-n, KEYS…). */
  stream: string;
  actor: string;
  /** What was attempted: `step:review`, `resolve`, `command:lead`, an action id. */
  action: string;
  refusal: Refusal;
  idempotencyKey: string;
}

/**
 * The one writer of `action_refused`, and its one shape: `{ action, code, params }`. The sentence a person read
 * is drawn from the same code and params at the edge (slack/blocks/refusal-text.ts) and is never stored: the
 * record holds facts, and a reworded sentence cannot change what the chain says happened.
 * Call inside the caller's transaction; returns false when the attempt was already recorded (a replay).
 */
export function appendRefusal(store: Store, at: number, attempt: RefusedAttempt): boolean {
  const { events } = store;
  if (events.findByIdempotencyKey(attempt.idempotencyKey)) return false;
  const { action, refusal } = attempt;
  events.append(
    {
      stream: attempt.stream,
      at,
      actor: attempt.actor,
      type: 'action_refused',
      details: { action, code: refusal.code, params: refusal.params },
    },
    attempt.idempotencyKey,
  );
  // The card witnesses the stream's count and head (decision 004): it is redrawn for a refusal like any event, so
  // dropping the newest refused attempts from the database cannot go unnoticed against it.
  const incidentId = parseIncidentRef(attempt.stream);
  const incident = incidentId === null ? null : store.incidents.get(incidentId);
  if (incident)
    store.outbox.enqueue({ channelId: incident.channelId, kind: 'card', subject: attempt.stream, payload: {} }, at);
  return true;
}

const ALWAYS_OPEN_STREAMS = new Set(['KEYS', 'LEAKS', 'SIGNALS']);

/**
 * Records attempts refused outside a use-case's own transaction (who may act, a form refused before it opens).
 * A refused attempt is part of the timeline, but a forged id must not create a stream, so only streams that
 * already exist (or the always-open ones) are written.
 */
export class RefusalRecorder {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  record(attempt: RefusedAttempt): boolean {
    return this.store.transaction(() => {
      if (!ALWAYS_OPEN_STREAMS.has(attempt.stream) && !this.store.events.head(attempt.stream)) return false;
      return appendRefusal(this.store, this.clock().getTime(), attempt);
    });
  }
}
