import type { Clock } from './clock';
import type { Store } from './store';

export interface RefusalInput {
  /** The stream the attempt was about (INC-n, ROT-n, KEYS); only an existing stream, or KEYS/LEAKS, is written. */
  stream: string;
  actor: string;
  action: string;
  code: string;
  reason: string;
  idempotencyKey: string;
}

const ALWAYS_OPEN_STREAMS = new Set(['KEYS', 'LEAKS', 'SIGNALS']);

/**
 * Records attempts that were refused before any use-case ran (who may act). A refused attempt is part of the
 * timeline, but a forged id must not create a stream, so only streams that already exist are written.
 */
export class RefusalRecorder {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  record(input: RefusalInput): boolean {
    return this.store.transaction(() => {
      if (!ALWAYS_OPEN_STREAMS.has(input.stream) && !this.store.events.head(input.stream)) return false;
      if (this.store.events.findByIdempotencyKey(input.idempotencyKey)) return false;
      this.store.events.append(
        {
          stream: input.stream,
          at: this.clock().getTime(),
          actor: input.actor,
          type: 'action_refused',
          details: { action: input.action, code: input.code, reason: input.reason },
        },
        input.idempotencyKey,
      );
      return true;
    });
  }
}
