import type { Environment } from '../types';

// PRODUCT.md section 3: the three environments, with the aliases people actually type.
const ALIASES = new Map<string, Environment>([
  ['production', 'production'],
  ['prod', 'production'],
  ['staging', 'staging'],
  ['stage', 'staging'],
  ['development', 'development'],
  ['dev', 'development'],
  ['local', 'development'],
]);

export const ENVIRONMENT_CHOICES = 'production, staging or development (or prod, stage, dev, local)';

/** `prod`, `Staging`, `local`… → the environment, or null when the text is not one. */
export function parseEnvironment(text: string): Environment | null {
  return ALIASES.get(text.trim().toLowerCase()) ?? null;
}

/**
 * The environment a label names, e.g. `api-server-production-v2` → production. Null when the label names none,
 * or names two different ones (`staging-to-prod-sync`): guessing there would file the key in the wrong place.
 */
export function inferEnvironment(label: string): Environment | null {
  const found = new Set<Environment>();
  for (const word of label.toLowerCase().split(/[^a-z0-9]+/)) {
    const environment = ALIASES.get(word);
    if (environment) found.add(environment);
  }
  return found.size === 1 ? ([...found][0] ?? null) : null;
}
