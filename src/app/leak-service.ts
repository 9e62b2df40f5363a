import type { LeakRepository } from '../db/leak-repository';
import { BotError } from '../domain/bot-error';
import type { IncidentRefusal as Refusal } from '../domain/incident';
import type { DetectedKey, SecretKeyMode } from '../domain/key-detector';
import { fingerprintKey, newFingerprintSecretHex } from '../domain/key-fingerprint';
import {
  classifySighting,
  decideLeakIncident,
  environmentForLeak,
  exposureStartFor,
  type Leak,
  type LeakNotice,
  type LeakSource,
  leakHow,
  leakKeyLabel,
  leakRef,
} from '../domain/leak';
import { BOT_ACTOR, type Environment, type Incident } from '../domain/types';
import type { Clock } from './clock';
import type { IncidentService } from './incident-service';
import type { Store } from './store';

export const LEAKS_STREAM = 'LEAKS';

/** A message in a channel that holds secret keys. */
export interface MessageSighting {
  channelId: string;
  messageTs: string;
  /** Where the warning goes: the message's thread, or a new thread under the message. */
  threadTs: string;
  poster: string;
  /** When the key became visible: the message time, or the edit that added it. */
  exposedAt: number;
  eventId: string;
  keys: DetectedKey[];
}

/** Keys typed into the slash command or a modal field: refused, but exposed in Slack all the same. */
export interface TypedSighting {
  source: Extract<LeakSource, 'command' | 'modal'>;
  channelId: string;
  actor: string;
  /** The payload (trigger id, view id): the same payload records its keys once. */
  sourceKey: string;
  keys: DetectedKey[];
}

/** Where and how a key was seen, as the sighting row stores it. */
interface SightingPlace {
  source: LeakSource;
  channelId: string;
  messageTs: string | null;
  threadTs: string | null;
  poster: string;
  exposedAt: number;
  eventId: string | null;
  sourceKey: string;
}

export interface SeenLeak {
  leak: Leak;
  notice: LeakNotice;
}

/** What the key register knows of a key with this mode and last four characters, when anything. */
export type KeyNamer = (mode: SecretKeyMode, last4: string) => { label: string; environment: Environment } | null;

export type LeakIncidentOutcome =
  | { kind: 'opened'; incident: Incident }
  | { kind: 'already_open'; incident: Incident }
  | { kind: 'already_handled'; incident: Incident }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'not_found'; leakId: number };

export interface LeakServiceOptions {
  store: Store;
  leaks: LeakRepository;
  incidents: IncidentService;
  clock: Clock;
  /** node:crypto randomBytes in production: makes the fingerprint secret on first start. */
  randomBytes: (n: number) => Uint8Array;
  nameKey?: KeyNamer;
}

/**
 * Leaked-key use-cases. The full key exists only in the DetectedKey handed in: it is fingerprinted in memory and
 * dropped; what is stored, logged and announced is the mode, the last four characters and the leak's number.
 */
export class LeakService {
  private readonly secret: string;

  constructor(private readonly options: LeakServiceOptions) {
    const { store, leaks, randomBytes } = options;
    this.secret = store.transaction(() => leaks.fingerprintSecret(() => newFingerprintSecretHex(randomBytes)));
  }

  now(): number {
    return this.options.clock().getTime();
  }

  get(leakId: number): Leak | null {
    return this.options.leaks.get(leakId);
  }

  /** Records each key of a channel message and owes one threaded warning per key not yet warned about there. */
  recordMessage(message: MessageSighting): SeenLeak[] {
    const { store } = this.options;
    const now = this.now();
    return store.transaction(() =>
      message.keys.flatMap((key) => {
        const seen = this.sight(key, now, {
          source: 'message',
          channelId: message.channelId,
          messageTs: message.messageTs,
          threadTs: message.threadTs,
          poster: message.poster,
          exposedAt: exposureStartFor(message.exposedAt, now),
          eventId: message.eventId,
          sourceKey: `message:${message.channelId}:${message.messageTs}`,
        });
        if (!seen) return [];
        store.outbox.enqueue(
          {
            channelId: message.channelId,
            kind: 'thread',
            subject: leakRef(seen.leak.id),
            payload: { sightingId: seen.sightingId },
            dedupeKey: `leak-warning:${seen.sightingId}`,
          },
          now,
        );
        return [{ leak: seen.leak, notice: seen.notice }];
      }),
    );
  }

  /** Records keys typed into the command or a form, so the refusal can offer an incident. Nothing is posted. */
  recordTyped(typed: TypedSighting): Leak[] {
    const { store, leaks } = this.options;
    const now = this.now();
    const found = store.transaction(() =>
      typed.keys.map((key) => {
        const seen = this.sight(key, now, {
          source: typed.source,
          channelId: typed.channelId,
          messageTs: null,
          threadTs: null,
          poster: typed.actor,
          exposedAt: now,
          eventId: null,
          sourceKey: `${typed.source}:${typed.sourceKey}`,
        });
        const leak = seen?.leak ?? leaks.findByFingerprint(fingerprintKey(key.key, this.secret));
        if (!leak) throw new Error('a typed key was neither recorded nor found');
        return leak;
      }),
    );
    // The same key in two fields of one form is one leak.
    return found.filter((leak, index) => found.findIndex((other) => other.id === leak.id) === index);
  }

  /**
   * Keys found in a body sent to the rate-limit signal intake: the alert pipeline now holds them. Each is recorded
   * as a leak seen in `channelId` (where its warning goes, so `leak_open_incident` works there), once per channel.
   * Returns the sightings that are new, with their leak; the caller owes their warnings.
   */
  recordSignal(input: { channelId: string; keys: DetectedKey[] }): { leak: Leak; sightingId: number }[] {
    const now = this.now();
    return this.options.store.transaction(() =>
      input.keys.flatMap((key) => {
        const seen = this.sight(key, now, {
          source: 'signal',
          channelId: input.channelId,
          messageTs: null,
          threadTs: null,
          poster: BOT_ACTOR,
          exposedAt: now,
          eventId: null,
          sourceKey: `signal:${input.channelId}`,
        });
        return seen ? [{ leak: seen.leak, sightingId: seen.sightingId }] : [];
      }),
    );
  }

  /**
   * `leak_open_incident`: one incident per exposure of a leak, opened in the channel where it was seen, with the
   * exposure starting at the message time. The button value is untrusted: a leak never seen in this channel is
   * treated as unknown.
   */
  openIncident(input: {
    leakId: number;
    channelId: string;
    actor: string;
    byResponder?: boolean;
  }): LeakIncidentOutcome {
    const { store, leaks, incidents } = this.options;
    return store.transaction((): LeakIncidentOutcome => {
      const leak = leaks.get(input.leakId);
      if (!leak || !leaks.seenInChannel(leak.id, input.channelId)) return { kind: 'not_found', leakId: input.leakId };
      const current = leak.incidentId === null ? null : store.incidents.get(leak.incidentId);
      const after = current?.resolvedAt ?? -1;
      const start = leaks.firstSightingAfter(leak.id, after);
      const decision = decideLeakIncident(leak, current, current ? (start?.exposedAt ?? null) : null);
      if (decision.kind !== 'open') {
        const incident = store.incidents.get(decision.incidentId);
        if (!incident) throw new Error(`leak ${leak.id} points at a missing incident`);
        return { kind: decision.kind, incident };
      }
      const named = this.options.nameKey?.(leak.mode, leak.last4) ?? null;
      const outcome = incidents.open({
        byResponder: input.byResponder,
        channelId: input.channelId,
        actor: input.actor,
        keyLabel: named?.label ?? leakKeyLabel(leak),
        environment: named?.environment ?? environmentForLeak(leak.mode),
        keyMode: leak.mode,
        exposureStart: exposureStartFor(decision.exposureStart, incidents.now()),
        revokedAt: null,
        how: leakHow(leak, start?.source ?? 'message', start?.location ?? null),
        idempotencyKey: decision.openKey,
        origin: { leakId: leak.id, leak: leakRef(leak.id) },
      });
      if (outcome.kind === 'refused') return { kind: 'refused', refusal: outcome.refusal };
      if (outcome.kind === 'not_found') return { kind: 'not_found', leakId: leak.id };
      leaks.setIncident(leak.id, outcome.value.id);
      return { kind: outcome.kind === 'done' ? 'opened' : 'already_open', incident: outcome.value };
    });
  }

  /** One key seen once: its leak (found or created), the sighting (once per payload), and its event. */
  private sight(
    key: DetectedKey,
    now: number,
    where: SightingPlace,
  ): { leak: Leak; notice: LeakNotice; sightingId: number } | null {
    const { leaks } = this.options;
    const { leakId, notice, incident } = this.leakOf(key, now, where);
    const sightingId = leaks.addSighting({
      ...where,
      leakId,
      notice,
      seenAt: now,
      sourceKey: `${where.sourceKey}:${leakRef(leakId)}`,
    });
    // Already recorded by an earlier delivery of the same payload: nothing more to say.
    if (sightingId === null) return null;
    const leak = leaks.get(leakId);
    if (!leak) throw new BotError('leak_vanished', `leak ${leakId} vanished inside its own transaction`);
    this.appendDetected(leak, notice, incident, where, sightingId, now);
    if (incident?.status === 'open') this.tellIncident(incident, leak, where, sightingId);
    return { leak, notice, sightingId };
  }

  /**
   * The key of an open incident seen again: its timeline and thread hear of it, wherever the incident lives (its
   * room, when it has one), beside the warning where the key was seen.
   */
  private tellIncident(incident: Incident, leak: Leak, where: SightingPlace, sightingId: number): void {
    this.options.incidents.recordBotFact(
      incident.id,
      'key_seen_again',
      {
        leak: leakRef(leak.id),
        source: where.source,
        channelId: where.channelId,
        messageTs: where.messageTs,
        poster: where.poster,
      },
      `leak-into-incident:${sightingId}`,
    );
  }

  /** The leak this key belongs to (a new one on first sight) and what its sighting means for the warning. */
  private leakOf(
    key: DetectedKey,
    now: number,
    where: SightingPlace,
  ): { leakId: number; notice: LeakNotice; incident: Incident | null } {
    const { store, leaks } = this.options;
    const fingerprint = fingerprintKey(key.key, this.secret);
    const known = leaks.findByFingerprint(fingerprint);
    const incident = known?.incidentId ? store.incidents.get(known.incidentId) : null;
    const notice = classifySighting(known, incident, known ? leaks.lastSeenAt(known.id) : null);
    const leakId =
      known?.id ??
      leaks.insert({
        mode: key.mode,
        last4: key.last4,
        fingerprint,
        firstChannelId: where.channelId,
        firstMessageTs: where.messageTs,
        firstPoster: where.poster,
        firstSeenAt: now,
        firstExposedAt: where.exposedAt,
      });
    return { leakId, notice, incident };
  }

  private appendDetected(
    leak: Leak,
    notice: LeakNotice,
    incident: Incident | null,
    where: SightingPlace,
    sightingId: number,
    now: number,
  ): void {
    this.options.store.events.append(
      {
        stream: LEAKS_STREAM,
        at: now,
        actor: BOT_ACTOR,
        type: 'leak_detected',
        details: {
          leak: leakRef(leak.id),
          leakId: leak.id,
          mode: leak.mode,
          last4: leak.last4,
          notice,
          source: where.source,
          channelId: where.channelId,
          messageTs: where.messageTs,
          poster: where.poster,
          exposedAt: where.exposedAt,
          ...(incident ? { incidentId: incident.id } : {}),
        },
      },
      `leak-sighting:${sightingId}`,
    );
  }
}
