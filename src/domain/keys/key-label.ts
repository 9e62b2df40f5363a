import { type Refusal, refuse } from '../refusal';

export const MAX_LABEL_LENGTH = 80;

const LABEL_CHARS = /^[A-Za-z0-9._-]+$/;
// A rough stand-in for the real detector (src/domain/key-detector.ts): enough to keep a pasted key out of the
// register without this module depending on it.
const SECRET_KEY_ANYWHERE = /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,}/i;
const SECRET_PREFIX = /^(?:sk|rk)_(?:live|test)_/i;
const VERSION_SUFFIX = /([-_.])([vV])(\d+)$/;

export type LabelRefusalCode =
  | 'label_is_secret_key'
  | 'label_secret_prefix'
  | 'label_empty'
  | 'label_too_long'
  | 'label_invalid_chars';

/**
 * A label names a key (`api-server-production-v2`); it is never the key. A refusal never carries the text: when it
 * is a key, echoing it would post it to Slack a second time.
 */
export function validateKeyLabel(text: string): { ok: true; label: string } | Refusal<LabelRefusalCode> {
  const label = text.trim();
  if (SECRET_KEY_ANYWHERE.test(label)) return refuse('label_is_secret_key');
  if (label === '') return refuse('label_empty');
  if (label.length > MAX_LABEL_LENGTH) return refuse('label_too_long', { max: MAX_LABEL_LENGTH });
  if (!LABEL_CHARS.test(label)) return refuse('label_invalid_chars');
  if (SECRET_PREFIX.test(label)) return refuse('label_secret_prefix');
  return { ok: true, label };
}

/** The label for the replacement key: `api-server-production-v2` → `-v3`; an unversioned label gains `-v2`. */
export function bumpLabelVersion(label: string): string {
  const match = VERSION_SUFFIX.exec(label);
  if (!match) return `${label}-v2`;
  const [suffix, separator, v, digits = ''] = match;
  // Keep zero-padding (`-v09` → `-v10`) so versions still sort as text.
  const next = String(Number(digits) + 1).padStart(digits.length, '0');
  return `${label.slice(0, label.length - suffix.length)}${separator}${v}${next}`;
}
