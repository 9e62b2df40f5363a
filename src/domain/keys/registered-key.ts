import type { Environment } from '../types';
import { isoDate, parseRotatedDate } from './due-date';
import { type LabelRefusalCode, validateKeyLabel } from './key-label';
import { describeReuse, findLikelyReuse } from './reuse';

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

/** Why something was refused: `code` for the program, `reason` for the person (never echoing a secret). */
export interface Refusal<C extends string = string> {
  ok: false;
  code: C;
  reason: string;
}

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
    return {
      ok: false,
      code: 'label_taken',
      reason: `${taken.label} is already registered (${taken.environment}, ${taken.status}). Pick another label.`,
    };
  }
  const last4 = input.last4 ?? null;
  if (last4 !== null && !LAST4.test(last4)) {
    return {
      ok: false,
      code: 'invalid_last4',
      reason: 'The last four characters of the key are four letters or digits.',
    };
  }
  const rotated = parseRotatedDate(input.rotated ?? null, now);
  if (!rotated.ok) return rotated;
  const candidate = {
    environment: input.environment,
    kind: input.kind ?? 'secret',
    mode: input.mode ?? defaultModeFor(input.environment),
    last4,
  };
  const reused = findLikelyReuse(candidate, existing);
  if (reused.length > 0) return { ok: false, code: 'key_reused', reason: describeReuse(candidate, reused) };
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
    return {
      ok: false,
      code: 'already_rotated',
      reason: `${key.label} was already marked rotated on ${isoDate(key.rotatedAt)}, after this reminder: nothing to do.`,
    };
  }
  if (key.status === 'revoked' || key.status === 'compromised') {
    return {
      ok: false,
      code: 'key_retired',
      reason: `${key.label} is ${key.status}, so it is no longer rotated: register its replacement as a new key.`,
    };
  }
  if (key.status === 'rotating') {
    return {
      ok: false,
      code: 'rotation_in_progress',
      reason: `A rotation of ${key.label} is in progress: finish it on its card, where each step is recorded.`,
    };
  }
  if (at > now) {
    return {
      ok: false,
      code: 'date_in_future',
      reason: 'A rotation date cannot be in the future: give today or an earlier day.',
    };
  }
  if (at < key.rotatedAt) {
    return {
      ok: false,
      code: 'before_last_rotation',
      reason: `${key.label} was already rotated after that day; give the date of the rotation you just did.`,
    };
  }
  return { ok: true, key: markRotated(key, at) };
}

/** A compromise incident on a registered key takes it out of the ladder for good. */
export function markCompromised(key: RegisteredKey): RegisteredKey {
  return { ...key, status: 'compromised', snoozedUntil: null };
}
