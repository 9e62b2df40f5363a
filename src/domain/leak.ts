import { COMMAND } from './command-name';
// A leak is one secret key seen in Slack, however many times it was seen. The key itself is never part of it:
// only its mode, last four characters and a keyed fingerprint (kept by the repository, never shown).

import { maskKey, type SecretKeyMode } from './key-detector';
import type { RegisteredKey } from './keys/registered-key';
import type { Environment, Incident } from './types';

export type LeakSource = 'message' | 'command' | 'modal' | 'git' | 'signal';

/** Where a key was seen, in words, when it was not in Slack (a Slack place is a channel the reader names). */
export function placeOutsideSlack(source: LeakSource | undefined): string | null {
  if (source === 'git') return 'in a Git repository';
  if (source === 'signal') return 'in a body sent to the signal intake';
  return null;
}

/** How a sighting is announced: a new leak, the same key again, or the key again after its incident was resolved. */
export type LeakNotice = 'first' | 'again' | 'reexposed';

export interface Leak {
  /** The n of `LEAK-n`: what buttons and events carry instead of the key. */
  id: number;
  mode: SecretKeyMode;
  last4: string;
  firstChannelId: string;
  firstMessageTs: string | null;
  firstPoster: string;
  firstSeenAt: number;
  /** When the key first became visible (the message time): where an incident's exposure window starts. */
  firstExposedAt: number;
  /** The newest incident opened for this key. */
  incidentId: number | null;
}

export interface LeakSighting {
  id: number;
  leakId: number;
  source: LeakSource;
  notice: LeakNotice;
  channelId: string;
  messageTs: string | null;
  threadTs: string | null;
  poster: string;
  seenAt: number;
  exposedAt: number;
  /** A Git find: "repository @ commit: path" (never the key); absent or null for Slack sightings. */
  location?: string | null;
}

import { leakRef } from './refs';

export { leakRef };

type IncidentState = Pick<Incident, 'id' | 'status' | 'resolvedAt'>;

/**
 * A key seen again after its incident was resolved is a new exposure of a known key, called out as such once;
 * later sightings in that same new exposure are "the same key as before".
 */
export function classifySighting(
  leak: Leak | null,
  incident: IncidentState | null,
  lastSeenAt: number | null,
): LeakNotice {
  if (!leak) return 'first';
  if (incident?.status === 'resolved' && incident.resolvedAt !== null) {
    const seenSinceResolved = lastSeenAt !== null && lastSeenAt > incident.resolvedAt;
    return seenSinceResolved ? 'again' : 'reexposed';
  }
  return 'again';
}

export type LeakIncidentDecision =
  | { kind: 'open'; exposureStart: number; openKey: string }
  | { kind: 'already_open'; incidentId: number }
  | { kind: 'already_handled'; incidentId: number };

/**
 * Whether `leak_open_incident` opens an incident, and from when. One incident per exposure: while one is open the
 * click points at it; once it is resolved, only a sighting after the resolution opens another, and its exposure
 * starts at that sighting. `firstSeenAfterResolution` is the exposure time of the earliest such sighting.
 */
export function decideLeakIncident(
  leak: Leak,
  incident: IncidentState | null,
  firstSeenAfterResolution: number | null,
): LeakIncidentDecision {
  if (!incident) return { kind: 'open', exposureStart: leak.firstExposedAt, openKey: `leak:${leak.id}` };
  if (incident.status === 'open') return { kind: 'already_open', incidentId: incident.id };
  if (firstSeenAfterResolution === null) return { kind: 'already_handled', incidentId: incident.id };
  return {
    kind: 'open',
    exposureStart: firstSeenAfterResolution,
    openKey: `leak:${leak.id}:after:${incident.id}`,
  };
}

/**
 * A leaked key's mode is all the bot knows of its environment. Live keys run only in production. A test key cannot
 * move money, so it gets the lowest severity (development) unless the key register knows better.
 */
export function environmentForLeak(mode: SecretKeyMode): Environment {
  return mode === 'live' ? 'production' : 'development';
}

/** The incident's key label when the key register has no name for it: `leaked-sk_live_…7Q2x`. */
export function leakKeyLabel(leak: Pick<Leak, 'mode' | 'last4'>): string {
  return `leaked-${maskKey(leak)}`;
}

const WHERE: Record<LeakSource, string> = {
  message: 'posted in a Slack message',
  command: `typed into the ${COMMAND} command`,
  modal: 'typed into a form of the bot',
  git: 'committed to a Git repository',
  signal: "sent to the bot's rate-limit signal intake (the alert pipeline holds it)",
};

/** The incident's "how": where the key was exposed, by mask and leak number only. */
export function leakHow(
  leak: Pick<Leak, 'id' | 'mode' | 'last4'>,
  source: LeakSource,
  location: string | null = null,
): string {
  if (source === 'git') {
    return `Secret key ${maskKey(leak)} ${WHERE.git} (${location ?? 'location unknown'}); found by the bot's Git scan (${leakRef(leak.id)}).`;
  }
  return `Secret key ${maskKey(leak)} ${WHERE[source]}; found by the bot's leak detection (${leakRef(leak.id)}).`;
}

/**
 * The key register's name for a leaked key: the one registered secret key with the same mode and last four
 * characters, preferring keys still in use. Two candidates are a guess, so none is made.
 */
export function registeredNameFor(
  keys: readonly RegisteredKey[],
  leak: Pick<Leak, 'mode' | 'last4'>,
): { label: string; environment: Environment } | null {
  const same = keys.filter((key) => key.kind === 'secret' && key.mode === leak.mode && key.last4 === leak.last4);
  const inUse = same.filter((key) => key.status === 'active' || key.status === 'rotating');
  const candidates = inUse.length > 0 ? inUse : same;
  const [only] = candidates;
  return only && candidates.length === 1 ? { label: only.label, environment: only.environment } : null;
}

/** Slack's clock and ours differ a little: an exposure never starts after the moment it is reported. */
export function exposureStartFor(messageTime: number, now: number): number {
  return Math.min(messageTime, now);
}
