import { maskKeyShapes } from '../domain/key-detector';

// Logs are read by more people than the incident channel: anything token- or key-like is masked before it is written.
// Deliberately broader than the leak detector: a placeholder masked in a log costs nothing.
const SECRET_PATTERNS: RegExp[] = [
  /(?<![A-Za-z0-9])(sk|rk)_(live|test)_[A-Za-z0-9]{4,}([A-Za-z0-9]{4})(?![A-Za-z0-9])/g,
  /\bxox[abposr]-[A-Za-z0-9-]{6,}/g,
  /\bxapp-[A-Za-z0-9-]{6,}/g,
  /\bv0=[a-f0-9]{64}\b/g,
];

export function redactText(text: string): string {
  // The storage rule first (the same rule as every database write): it needs no boundary and joins a key broken by
  // a line break, which the broader but shorter pattern below would otherwise cut in half before it could.
  return maskKeyShapes(text)
    .replace(SECRET_PATTERNS[0]!, (_match, kind: string, mode: string, last4: string) => `${kind}_${mode}_…${last4}`)
    .replace(SECRET_PATTERNS[1]!, 'xox?-[redacted]')
    .replace(SECRET_PATTERNS[2]!, 'xapp-[redacted]')
    .replace(SECRET_PATTERNS[3]!, 'v0=[redacted]');
}

const SECRET_FIELD = /token|secret|authorization|password|signature/i;

/** A deep copy with secret-named fields dropped and every string masked. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) ? '[redacted]' : redactValue(inner, depth + 1);
  }
  return out;
}
