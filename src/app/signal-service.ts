import type { SignalRepository } from '../db/signal-repository';
import type { IncidentRefusal as Refusal } from '../domain/incident';
import type { DetectedKey } from '../domain/key-detector';
import type { RegisteredKey } from '../domain/keys/registered-key';
import { leakRef } from '../domain/leak';
import { type BaselineSettings, judgeWindow } from '../domain/signals/rate-baseline';
import {
  incidentEnvironmentFor,
  type NamedKey,
  nameKey,
  SIGNALS_STREAM,
  type Spike,
  type SpikeSource,
  signalRef,
  spikeHow,
  spikeStep,
} from '../domain/signals/spike';
import { BOT_ACTOR, type EventType, type Incident, incidentRef } from '../domain/types';
import type { AlertInput, CountInput } from '../http/signal-payloads';
import type { Clock } from './clock';
import type { IncidentService } from './incident-service';
import type { LeakService } from './leak-service';
import type { Store } from './store';

export interface SignalServiceOptions {
  store: Store;
  signals: SignalRepository;
  incidents: IncidentService;
  leaks: LeakService;
  clock: Clock;
  /** The key register as it is now (labels, channels, environments). */
  registeredKeys(): RegisteredKey[];
  settings: BaselineSettings;
  /** SIGNALS_CHANNEL, else REMINDER_CHANNEL: where warnings go for keys without a channel of their own. */
  defaultChannel: string | null;
}

export interface IntakeResult {
  accepted: number;
  duplicates: number;
  spikesStarted: number;
  spikesEnded: number;
}

export type SignalIncidentOutcome =
  | { kind: 'opened'; incident: Incident; spike: Spike }
  | { kind: 'already_open'; incident: Incident }
  | { kind: 'already_handled'; incident: Incident }
  | { kind: 'dismissed'; spike: Spike }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'not_found' };

export type DismissOutcome =
  | { kind: 'dismissed'; spike: Spike }
  | { kind: 'duplicate'; spike: Spike }
  | { kind: 'has_incident'; spike: Spike }
  | { kind: 'not_found' };

/**
 * Rate-limit signals (PRODUCT.md section 11): counts are judged against each key's normal, alerts are spikes as
 * the team's rule decided; each spike gets one warning, or goes into the key's open incident. Every decision is
 * recorded in the SIGNALS stream, in the transaction that makes it.
 */
export class SignalService {
  constructor(private readonly options: SignalServiceOptions) {}

  now(): number {
    return this.options.clock().getTime();
  }

  get(id: number): Spike | null {
    return this.options.signals.get(id);
  }

  recordCounts(counts: readonly CountInput[]): IntakeResult {
    const { store, signals, settings } = this.options;
    const result: IntakeResult = { accepted: 0, duplicates: 0, spikesStarted: 0, spikesEnded: 0 };
    // Oldest first per key, so a batch that spans several windows is judged in the order it happened.
    const ordered = [...counts].sort((a, b) => a.key.localeCompare(b.key) || a.at - b.at);
    const now = this.now();
    store.transaction(() => {
      const register = this.options.registeredKeys();
      for (const count of ordered) {
        const state = signals.keyFor(count.key, count.at);
        const history = signals.normalHistory(count.key, settings.historyWindows);
        const judged = judgeWindow(count, history, state.firstWindowAt, settings);
        const late = count.at < state.lastWindowAt;
        const inserted = signals.addWindow(
          {
            keyLabel: count.key,
            windowStart: count.at,
            windowSeconds: count.windowSeconds,
            count: count.count,
            total: count.total,
            ratePerMinute: judged.ratePerMinute,
            inNormal: judged.learn,
            receivedAt: now,
          },
          settings.historyWindows,
        );
        if (!inserted) {
          result.duplicates += 1;
          continue;
        }
        result.accepted += 1;
        // A window older than the newest one fills in the key's history but cannot start or end what came after it.
        if (late) continue;
        const step = spikeStep(state.openSpikeId !== null, judged.spike);
        let openSpikeId = state.openSpikeId;
        if (step === 'start') {
          const spike = this.startSpike(nameKey({ label: count.key }, register), now, {
            source: 'counts',
            sourceKey: `counts:${count.key}:${count.at}`,
            startedAt: Math.min(count.at, now),
            windowSeconds: count.windowSeconds,
            count: count.count,
            ratePerMinute: judged.ratePerMinute,
            normalPerMinute: judged.normalPerMinute,
            alertName: null,
            summary: '',
          });
          openSpikeId = spike?.id ?? openSpikeId;
          if (spike) result.spikesStarted += 1;
        } else if (step === 'end' && openSpikeId !== null) {
          if (this.endSpike(openSpikeId, Math.min(count.at, now), 'back_to_normal', now)) result.spikesEnded += 1;
          openSpikeId = null;
        }
        signals.saveKey(count.key, count.at, openSpikeId);
      }
    });
    return result;
  }

  recordAlerts(alerts: readonly AlertInput[]): IntakeResult {
    const { store, signals } = this.options;
    const result: IntakeResult = { accepted: 0, duplicates: 0, spikesStarted: 0, spikesEnded: 0 };
    const now = this.now();
    store.transaction(() => {
      const register = this.options.registeredKeys();
      for (const alert of alerts) {
        const sourceKey = `alert:${alert.fingerprint}:${alert.startsAt}`;
        const known = signals.findBySourceKey(sourceKey);
        if (alert.status === 'firing') {
          if (known) {
            result.duplicates += 1;
            continue;
          }
          const spike = this.startSpike(nameKey(alert.key, register), now, {
            source: alert.source,
            sourceKey,
            startedAt: Math.min(alert.startsAt, now),
            windowSeconds: null,
            count: alert.value === null ? null : Math.round(alert.value),
            ratePerMinute: null,
            normalPerMinute: null,
            alertName: alert.alertName,
            summary: alert.summary,
          });
          result.accepted += 1;
          if (spike) result.spikesStarted += 1;
          continue;
        }
        // A resolution for an alert never seen firing (the bot was added later) has nothing to update.
        if (!known || known.endedAt !== null) {
          result.duplicates += 1;
          continue;
        }
        const endedAt = Math.max(known.startedAt, Math.min(alert.endsAt ?? now, now));
        if (this.endSpike(known.id, endedAt, 'alert_resolved', now)) result.spikesEnded += 1;
        result.accepted += 1;
      }
    });
    return result;
  }

  /**
   * A body sent to the intake held secret keys: refused, and each key handled like one pasted in chat (a leak
   * seen in the warning channel, warned about there with `leak_open_incident`). Nothing of the body is kept.
   */
  refuseSecretKeys(keys: DetectedKey[], endpoint: string): { warned: boolean } {
    const channel = this.options.defaultChannel;
    if (!channel) return { warned: false };
    const { store } = this.options;
    const now = this.now();
    return store.transaction(() => {
      const seen = this.options.leaks.recordSignal({ channelId: channel, keys });
      for (const { leak, sightingId } of seen) {
        store.events.append(
          {
            stream: SIGNALS_STREAM,
            at: now,
            actor: BOT_ACTOR,
            type: 'signal_key_refused',
            details: { leak: leakRef(leak.id), mode: leak.mode, last4: leak.last4, endpoint, channelId: channel },
          },
          `signal-key-refused:${sightingId}`,
        );
        store.outbox.enqueue({ channelId: channel, kind: 'card', subject: `SIGLEAK-${sightingId}`, payload: {} }, now);
      }
      return { warned: seen.length > 0 };
    });
  }

  /**
   * `signal_open_incident`: one incident per spike, in the warning's channel, its exposure starting at the
   * spike's start. The button value is untrusted: a spike not warned about in this channel is unknown.
   */
  openIncident(input: {
    signalId: number;
    channelId: string;
    actor: string;
    byResponder?: boolean;
  }): SignalIncidentOutcome {
    const { store, signals, incidents } = this.options;
    return store.transaction((): SignalIncidentOutcome => {
      const spike = signals.get(input.signalId);
      if (!spike || spike.channelId !== input.channelId || spike.routedIncidentId !== null)
        return { kind: 'not_found' };
      if (spike.incidentId !== null) {
        const incident = store.incidents.get(spike.incidentId);
        if (!incident) throw new Error(`${signalRef(spike.id)} points at a missing incident`);
        return incident.status === 'open' ? { kind: 'already_open', incident } : { kind: 'already_handled', incident };
      }
      if (spike.dismissedAt !== null) return { kind: 'dismissed', spike };
      // Opened meanwhile from elsewhere (a command, a leak warning): one incident per key at a time.
      const open = this.openIncidentOf(spike.keyLabel);
      if (open) return { kind: 'already_open', incident: open };
      const now = this.now();
      const outcome = incidents.open({
        byResponder: input.byResponder,
        channelId: spike.channelId,
        actor: input.actor,
        keyLabel: spike.keyLabel,
        environment: incidentEnvironmentFor(spike),
        keyMode: spike.keyMode,
        exposureStart: Math.min(spike.startedAt, now),
        revokedAt: null,
        how: spikeHow(spike),
        idempotencyKey: `signal:${spike.id}`,
        origin: this.origin(spike),
      });
      if (outcome.kind === 'refused') return { kind: 'refused', refusal: outcome.refusal };
      if (outcome.kind === 'not_found') return { kind: 'not_found' };
      signals.setIncident(spike.id, outcome.value.id);
      this.append(
        'signal_incident_opened',
        input.actor,
        now,
        { signal: signalRef(spike.id), incident: incidentRef(outcome.value.id), exposureStart: spike.startedAt },
        `signal-incident:${spike.id}`,
      );
      this.refreshWarning(spike, now);
      const updated = signals.get(spike.id) ?? spike;
      return outcome.kind === 'done'
        ? { kind: 'opened', incident: outcome.value, spike: updated }
        : { kind: 'already_open', incident: outcome.value };
    });
  }

  /** `signal_dismiss_submit`: a responder records that the spike was not misuse, and why. */
  dismiss(input: { signalId: number; actor: string; reason: string; idempotencyKey: string }): DismissOutcome {
    const { store, signals } = this.options;
    return store.transaction((): DismissOutcome => {
      const spike = signals.get(input.signalId);
      if (!spike || spike.routedIncidentId !== null) return { kind: 'not_found' };
      if (spike.dismissedAt !== null) return { kind: 'duplicate', spike };
      if (spike.incidentId !== null) return { kind: 'has_incident', spike };
      const now = this.now();
      signals.markDismissed(spike.id, now, input.actor, input.reason);
      this.append(
        'signal_dismissed',
        input.actor,
        now,
        { signal: signalRef(spike.id), keyLabel: spike.keyLabel, reason: input.reason },
        input.idempotencyKey,
      );
      this.refreshWarning(spike, now);
      return { kind: 'dismissed', spike: signals.get(spike.id) ?? spike };
    });
  }

  /** The key's open incident, if any. A drill on the same label is practice: real signals never go into it. */
  private openIncidentOf(keyLabel: string): Incident | null {
    return (
      this.options.store.incidents.listOpen().find((incident) => !incident.drill && incident.keyLabel === keyLabel) ??
      null
    );
  }

  private origin(spike: Spike): Record<string, unknown> {
    return {
      signal: signalRef(spike.id),
      signalId: spike.id,
      source: spike.source,
      spikeStartedAt: spike.startedAt,
      count: spike.count,
      windowSeconds: spike.windowSeconds,
      normalPerMinute: spike.normalPerMinute,
      alertName: spike.alertName,
    };
  }

  private startSpike(
    key: NamedKey,
    now: number,
    facts: {
      source: SpikeSource;
      sourceKey: string;
      startedAt: number;
      windowSeconds: number | null;
      count: number | null;
      ratePerMinute: number | null;
      normalPerMinute: number | null;
      alertName: string | null;
      summary: string;
    },
  ): Spike | null {
    const { store, signals, incidents } = this.options;
    const openIncident = this.openIncidentOf(key.label);
    const channelId = openIncident?.channelId ?? key.channelId ?? this.options.defaultChannel;
    // Config refuses SIGNALS_TOKEN without a channel, so this is a key whose own channel is unset and no default.
    if (!channelId) return null;
    const spike = signals.addSpike({
      ...facts,
      keyLabel: key.label,
      keyKnown: key.known,
      environment: key.environment,
      keyMode: key.mode,
      channelId,
      detectedAt: now,
      routedIncidentId: openIncident?.id ?? null,
    });
    if (!spike) return null;
    const details = {
      signal: signalRef(spike.id),
      keyLabel: spike.keyLabel,
      keyKnown: spike.keyKnown,
      environment: spike.environment,
      source: spike.source,
      startedAt: spike.startedAt,
      count: spike.count,
      windowSeconds: spike.windowSeconds,
      ratePerMinute: spike.ratePerMinute,
      normalPerMinute: spike.normalPerMinute,
      alertName: spike.alertName,
      channelId,
      ...(openIncident ? { incident: incidentRef(openIncident.id) } : {}),
    };
    this.append('signal_spike_detected', BOT_ACTOR, now, details, `signal-spike:${spike.id}`);
    if (openIncident) {
      incidents.recordBotFact(openIncident.id, 'rate_limit_spike', details, `signal-into-incident:${spike.id}`);
    } else {
      store.outbox.enqueue({ channelId, kind: 'card', subject: signalRef(spike.id), payload: {} }, now);
    }
    return spike;
  }

  private endSpike(spikeId: number, endedAt: number, how: 'back_to_normal' | 'alert_resolved', now: number): boolean {
    const { signals, incidents } = this.options;
    const spike = signals.get(spikeId);
    if (!spike || !signals.markEnded(spike.id, Math.max(endedAt, spike.startedAt))) return false;
    const details = {
      signal: signalRef(spike.id),
      keyLabel: spike.keyLabel,
      endedAt: Math.max(endedAt, spike.startedAt),
      how,
    };
    this.append('signal_spike_ended', BOT_ACTOR, now, details, `signal-end:${spike.id}`);
    if (spike.routedIncidentId !== null) {
      incidents.recordBotFact(
        spike.routedIncidentId,
        'rate_limit_spike_ended',
        details,
        `signal-end-in-incident:${spike.id}`,
      );
    } else {
      this.refreshWarning(spike, now);
    }
    return true;
  }

  private refreshWarning(spike: Spike, now: number): void {
    this.options.store.outbox.enqueue(
      { channelId: spike.channelId, kind: 'card', subject: signalRef(spike.id), payload: {} },
      now,
    );
  }

  private append(type: EventType, actor: string, at: number, details: Record<string, unknown>, key: string): void {
    this.options.store.events.append({ stream: SIGNALS_STREAM, at, actor, type, details }, key);
  }

  /** A card's ts once posted (the SIG renderer saves it). */
  saveCardTs(spikeId: number, ts: string): void {
    this.options.signals.setCardTs(spikeId, ts);
  }
}
