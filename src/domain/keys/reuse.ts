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

/** The refusal, with the seed's reason: a breach of the lower-trust environment becomes an incident in the other. */
export function describeReuse(candidate: ReuseCandidate, matches: readonly RegisteredKey[]): string {
  const first = matches[0];
  if (!first) return '';
  const where = matches.map((key) => `${key.environment} (${key.label})`).join(', ');
  const [lower, higher] = [first.environment, candidate.environment].sort((a, b) => trustRank(a) - trustRank(b)) as [
    Environment,
    Environment,
  ];
  return (
    `A ${candidate.mode} key ending in …${candidate.last4} is already registered for ${where}. ` +
    `Never reuse one key across environments: a ${lower} breach would become a ${higher} incident. ` +
    `Create a separate key for ${candidate.environment} (Settings → API Keys → Create Key) and register that one.`
  );
}

// development < staging < production: ENVIRONMENTS lists them from most to least trusted.
function trustRank(environment: Environment): number {
  return ENVIRONMENTS.length - ENVIRONMENTS.indexOf(environment);
}
