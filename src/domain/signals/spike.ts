// A spike is one episode of unusual 429s on one key: from the first unusual window (or a firing alert) until the
// counts are back to normal (or the alert resolves). One warning per spike, however many windows it spans.

import type { RegisteredKey } from '../keys/registered-key';
import type { Environment, KeyMode } from '../types';

export const SIGNALS_STREAM = 'SIGNALS';

export type SpikeSource = 'counts' | 'alertmanager' | 'grafana';

export interface Spike {
  /** The n of `SIG-n`: what buttons and events carry. */
  id: number;
  source: SpikeSource;
  /** The register label, or `sk_live_…abcd` for a key named by mode and last four that the register lacks. */
  keyLabel: string;
  /** Whether the key register knew the key when the spike was detected. */
  keyKnown: boolean;
  environment: Environment | null;
  keyMode: KeyMode;
  channelId: string;
  /** Where the exposure window of an incident opened from this spike starts. */
  startedAt: number;
  detectedAt: number;
  windowSeconds: number | null;
  /** 429s in the window that started it (null for an alert that carried no value). */
  count: number | null;
  ratePerMinute: number | null;
  /** The key's normal 429s per minute; null while it was still being learnt, or for alerts. */
  normalPerMinute: number | null;
  alertName: string | null;
  /** The alert's summary annotation, if any (never a key: bodies holding one are refused). */
  summary: string;
  endedAt: number | null;
  dismissedAt: number | null;
  dismissedBy: string | null;
  dismissReason: string | null;
  /** The incident opened from this warning. */
  incidentId: number | null;
  /** The open incident the spike was reported into instead of a warning. */
  routedIncidentId: number | null;
  cardTs: string | null;
}

export function signalRef(id: number): string {
  return `SIG-${id}`;
}

export type SpikeStep = 'start' | 'continue' | 'end' | 'none';

/** What one judged window does to a key's spike: starts one, keeps it going, ends it, or nothing. */
export function spikeStep(spikeOpen: boolean, windowIsSpike: boolean): SpikeStep {
  if (windowIsSpike) return spikeOpen ? 'continue' : 'start';
  return spikeOpen ? 'end' : 'none';
}

export interface NamedKey {
  label: string;
  known: boolean;
  environment: Environment | null;
  mode: KeyMode;
  channelId: string | null;
}

const LAST4 = /^[A-Za-z0-9]{4}$/;

export type KeyReference = { label: string } | { mode: 'live' | 'test'; last4: string };

/**
 * The key a signal names, as the register knows it. A key named by mode and last four is the one registered
 * secret key with those (two candidates are a guess, so none is made); unknown keys keep a masked name.
 */
export function nameKey(reference: KeyReference, register: readonly RegisteredKey[]): NamedKey {
  if ('label' in reference) {
    const key = register.find((k) => k.label === reference.label);
    return key
      ? { label: key.label, known: true, environment: key.environment, mode: key.mode, channelId: key.channelId }
      : { label: reference.label, known: false, environment: null, mode: 'unknown', channelId: null };
  }
  const same = register.filter((k) => k.kind === 'secret' && k.mode === reference.mode && k.last4 === reference.last4);
  const inUse = same.filter((k) => k.status === 'active' || k.status === 'rotating');
  const candidates = inUse.length > 0 ? inUse : same;
  const [only] = candidates;
  if (only && candidates.length === 1) {
    return {
      label: only.label,
      known: true,
      environment: only.environment,
      mode: only.mode,
      channelId: only.channelId,
    };
  }
  return {
    label: `sk_${reference.mode}_\u2026${reference.last4}`,
    known: false,
    environment: null,
    mode: reference.mode,
    channelId: null,
  };
}

export function isLast4(text: string): boolean {
  return LAST4.test(text);
}

/**
 * The environment an incident opened from a spike gets. The register's, when it knows the key; otherwise a live
 * key runs only in production and a test key cannot move money; a key of unknown mode is treated as production,
 * the seed's "when in doubt" side.
 */
export function incidentEnvironmentFor(spike: Pick<Spike, 'environment' | 'keyMode'>): Environment {
  if (spike.environment) return spike.environment;
  return spike.keyMode === 'test' ? 'development' : 'production';
}

/** The incident's "how": where the signal came from, by its number only. */
export function spikeHow(spike: Pick<Spike, 'id' | 'source' | 'alertName'>): string {
  const from =
    spike.source === 'counts'
      ? 'the rate-limit counts sent to the bot'
      : `a ${spike.source === 'grafana' ? 'Grafana' : 'Prometheus Alertmanager'} alert${spike.alertName ? ` (${spike.alertName})` : ''}`;
  return `Spike of 429 RATE_LIMIT_EXCEEDED on the key, from ${from} (${signalRef(spike.id)}): an early signal of misuse.`;
}
