import { type Refusal, refuse } from '../refusal';
import { ENVIRONMENTS, type Environment } from '../types';
import type { KeyKind, RegisteredKey, RegisteredKeyMode } from './registered-key';

export interface ReuseCandidate {
  environment: Environment;
  mode: RegisteredKeyMode;
  last4: string | null;
  kind?: KeyKind;
  /** Set when re-checking a key already in the register, so it is not compared with itself. */
  id?: number;
}

/**
 * Registered keys in OTHER environments that look like the same key: same mode and same last four characters.
 * Without the last four there is nothing to compare, so nothing is reported.
 */
export function findLikelyReuse(candidate: ReuseCandidate, existing: readonly RegisteredKey[]): RegisteredKey[] {
  if (candidate.last4 === null) return [];
  return existing.filter(
    (key) =>
      key.id !== candidate.id &&
      key.environment !== candidate.environment &&
      key.mode === candidate.mode &&
      key.last4 === candidate.last4 &&
      (candidate.kind === undefined || key.kind === candidate.kind),
  );
}

/**
 * The refusal, with the seed's reason: a breach of the lower-trust environment becomes an incident in the other.
 * `matches` is what findLikelyReuse found, never empty.
 */
export function reuseRefusal(
  candidate: ReuseCandidate & { last4: string },
  matches: readonly [RegisteredKey, ...RegisteredKey[]],
): Refusal<'key_reused'> {
  const [lower, higher] = [matches[0].environment, candidate.environment].sort(
    (a, b) => trustRank(a) - trustRank(b),
  ) as [Environment, Environment];
  return refuse('key_reused', {
    mode: candidate.mode,
    last4: candidate.last4,
    environment: candidate.environment,
    matches: matches.map((key) => ({ environment: key.environment, label: key.label })),
    lower,
    higher,
  });
}

// development < staging < production: ENVIRONMENTS lists them from most to least trusted.
function trustRank(environment: Environment): number {
  return ENVIRONMENTS.length - ENVIRONMENTS.indexOf(environment);
}
