import type { Refusal } from './registered-key';

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
 * A label names a key (`api-server-production-v2`); it is never the key. The sentences never repeat the text:
 * when it is a key, echoing it would post it to Slack a second time.
 */
export function validateKeyLabel(text: string): { ok: true; label: string } | Refusal<LabelRefusalCode> {
  const label = text.trim();
  if (SECRET_KEY_ANYWHERE.test(label)) {
    return {
      ok: false,
      code: 'label_is_secret_key',
      reason:
        'That looks like a secret key, not a label. Treat the key as compromised: it is now exposed in Slack and must ' +
        'be revoked. Register keys by a name such as api-server-production-v2, never by the key itself.',
    };
  }
  if (label === '')
    return { ok: false, code: 'label_empty', reason: 'Give the key a label, e.g. api-server-production-v2.' };
  if (label.length > MAX_LABEL_LENGTH) {
    return {
      ok: false,
      code: 'label_too_long',
      reason: `A label is at most ${MAX_LABEL_LENGTH} characters; use a short name such as api-server-production-v2.`,
    };
  }
  if (!LABEL_CHARS.test(label)) {
    return {
      ok: false,
      code: 'label_invalid_chars',
      reason: 'A label uses only letters, digits, "-", "_" and ".", e.g. api-server-production-v2.',
    };
  }
  if (SECRET_PREFIX.test(label)) {
    return {
      ok: false,
      code: 'label_secret_prefix',
      reason:
        'A label cannot start like a secret key (sk_live_, sk_test_, rk_…): pick a name such as api-server-production-v2.',
    };
  }
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
