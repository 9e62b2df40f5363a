import { type Refusal, refuse } from '../refusal';
import type { Environment } from '../types';
import { isoDate, parseRotatedDate } from './due-date';
import { type LabelRefusalCode, validateKeyLabel } from './key-label';
import { findLikelyReuse, reuseRefusal } from './reuse';

export const KEY_KINDS = ['secret', 'publishable'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** `rotating`: a planned rotation is under way (no reminders). `revoked` and `compromised` are final. */
export const KEY_STATUSES = ['active', 'rotating', 'revoked', 'compromised'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** A registered key always knows its mode, unlike a key seen in a leak (see KeyMode in ../types). */
export type RegisteredKeyMode = 'live' | 'test';

export interface RegisteredKey {
  id: number;
  label: string;
  environment: Environment;
  kind: KeyKind;
  mode: RegisteredKeyMode;
  last4: string | null;
  /** Epoch ms of the last rotation, or of creation: the start of the current cycle. */
  rotatedAt: number;
  ownerId: string | null;
  channelId: string | null;
  status: KeyStatus;
  /** Starts at FIRST_CYCLE and grows by one on every rotation; reminders are posted once per (id, cycle, stage). */
  cycle: number;
  snoozedUntil: number | null;
}

export type NewRegisteredKey = Omit<RegisteredKey, 'id'>;

export const FIRST_CYCLE = 1;

/** Production takes live keys; staging and development should only ever hold test keys. */
export function defaultModeFor(environment: Environment): RegisteredKeyMode {
  return environment === 'production' ? 'live' : 'test';
}

export interface RegisterKeyInput {
  label: string;
  environment: Environment;
  kind?: KeyKind;
  mode?: RegisteredKeyMode;
  last4?: string | null;
  /** The `rotated=` text (`YYYY-MM-DD`); absent means the key is new now. */
  rotated?: string | null;
  ownerId?: string | null;
  channelId?: string | null;
}

export type RegisterRefusalCode =
  | LabelRefusalCode
  | 'label_taken'
  | 'invalid_last4'
  | 'invalid_date'
  | 'date_in_future'
  | 'key_reused';

const LAST4 = /^[A-Za-z0-9]{4}$/;

/** `keys add`: everything that can be checked without the database, against the whole current register. */
export function decideRegisterKey(
  input: RegisterKeyInput,
  existing: readonly RegisteredKey[],
  now: number,
): { ok: true; key: NewRegisteredKey } | Refusal<RegisterRefusalCode> {
  const label = validateKeyLabel(input.label);
  if (!label.ok) return label;
  // Labels differing only in case read as the same key in a list, so they are refused as duplicates.
  const taken = existing.find((key) => key.label.toLowerCase() === label.label.toLowerCase());
  if (taken) {
    return refuse('label_taken', { label: taken.label, environment: taken.environment, status: taken.status });
  }
  const last4 = input.last4 ?? null;
  if (last4 !== null && !LAST4.test(last4)) return refuse('invalid_last4');
  const rotated = parseRotatedDate(input.rotated ?? null, now);
  if (!rotated.ok) return rotated;
  const candidate = {
    environment: input.environment,
    kind: input.kind ?? 'secret',
    mode: input.mode ?? defaultModeFor(input.environment),
    last4,
  };
  const [reused, ...moreReused] = findLikelyReuse(candidate, existing);
  if (reused && last4 !== null) return reuseRefusal({ ...candidate, last4 }, [reused, ...moreReused]);
  return {
    ok: true,
    key: {
      ...candidate,
      label: label.label,
      rotatedAt: rotated.at,
      ownerId: input.ownerId ?? null,
      channelId: input.channelId ?? null,
      status: 'active',
      cycle: FIRST_CYCLE,
      snoozedUntil: null,
    },
  };
}

/** A rotation done outside the bot: a new cycle starts at `at`, with a fresh ladder and no snooze. */
export function markRotated(key: RegisteredKey, at: number): RegisteredKey {
  return { ...key, rotatedAt: at, cycle: key.cycle + 1, status: 'active', snoozedUntil: null };
}

export type MarkRotatedRefusalCode =
  | 'already_rotated'
  | 'key_retired'
  | 'rotation_in_progress'
  | 'before_last_rotation'
  | 'date_in_future';

/**
 * `keys rotated` / `reminder_mark_rotated`: markRotated, with the checks a person's input needs. A reminder's
 * button carries the cycle it was posted for (`expectedCycle`), so a second click, or a click on an old
 * reminder, does not start yet another cycle.
 */
export function decideMarkRotated(
  key: RegisteredKey,
  at: number,
  now: number,
  expectedCycle?: number,
): { ok: true; key: RegisteredKey } | Refusal<MarkRotatedRefusalCode> {
  if (expectedCycle !== undefined && key.cycle !== expectedCycle) {
    return refuse('already_rotated', { label: key.label, rotatedOn: isoDate(key.rotatedAt) });
  }
  if (key.status === 'revoked' || key.status === 'compromised') {
    return refuse('key_retired', { label: key.label, status: key.status });
  }
  if (key.status === 'rotating') {
    return refuse('rotation_in_progress', { label: key.label, startedBy: null, startedAt: null });
  }
  if (at > now) return refuse('date_in_future', { date: isoDate(at) });
  if (at < key.rotatedAt) return refuse('before_last_rotation', { label: key.label });
  return { ok: true, key: markRotated(key, at) };
}

/** A compromise incident on a registered key takes it out of the ladder for good. */
export function markCompromised(key: RegisteredKey): RegisteredKey {
  return { ...key, status: 'compromised', snoozedUntil: null };
}
