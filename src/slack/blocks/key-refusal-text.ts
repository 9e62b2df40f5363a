import { COMMAND } from '../../domain/command-name';
import { utcMinute } from '../../domain/time';
import type { RefusalSentences } from './refusal-text';

const EXAMPLE_LABEL = 'api-server-production-v2';

/** The register, its labels and dates, and the reminders' buttons. */
export const KEY_REFUSALS: RefusalSentences<
  | 'label_is_secret_key'
  | 'label_secret_prefix'
  | 'label_empty'
  | 'label_too_long'
  | 'label_invalid_chars'
  | 'label_taken'
  | 'invalid_last4'
  | 'invalid_date'
  | 'date_in_future'
  | 'key_reused'
  | 'invalid_offsets'
  | 'key_not_found'
  | 'key_gone'
  | 'already_rotated'
  | 'key_retired'
  | 'before_last_rotation'
  | 'snooze_after_rotation'
  | 'snooze_not_active'
  | 'already_snoozed'
> = {
  label_is_secret_key: () =>
    'That looks like a secret key, not a label. Treat the key as compromised: it is now exposed in Slack and must ' +
    `be revoked. Register keys by a name such as ${EXAMPLE_LABEL}, never by the key itself.`,
  label_secret_prefix: () =>
    `A label cannot start like a secret key (sk_live_, sk_test_, rk_…): pick a name such as ${EXAMPLE_LABEL}.`,
  label_empty: () => `Give the key a label, e.g. ${EXAMPLE_LABEL}.`,
  label_too_long: ({ max }) => `A label is at most ${max} characters; use a short name such as ${EXAMPLE_LABEL}.`,
  label_invalid_chars: () => `A label uses only letters, digits, "-", "_" and ".", e.g. ${EXAMPLE_LABEL}.`,
  label_taken: (p) => `${p.label} is already registered (${p.environment}, ${p.status}). Pick another label.`,
  invalid_last4: () => 'The last four characters of the key are four letters or digits.',
  invalid_date: () => 'That is not a date I can read: write it as YYYY-MM-DD, e.g. 2026-01-15.',
  date_in_future: ({ date }) =>
    `${date} is in the future: give the day the key was created or last rotated (today or earlier, as YYYY-MM-DD).`,
  key_reused: (p) =>
    `A ${p.mode} key ending in …${p.last4} is already registered for ` +
    `${p.matches.map((key) => `${key.environment} (${key.label})`).join(', ')}. ` +
    `Never reuse one key across environments: a ${p.lower} breach would become a ${p.higher} incident. ` +
    `Create a separate key for ${p.environment} (Settings → API Keys → Create Key) and register that one.`,
  invalid_offsets: ({ max }) =>
    `Reminder offsets are whole days between 1 and ${max}, separated by commas, e.g. 14,7,1.`,
  key_not_found: ({ label }) =>
    `No key labelled ${label} is registered. Register it first with \`${COMMAND} keys add <label> env=<environment>\`; ` +
    `\`${COMMAND} keys\` lists the register.`,
  key_gone: ({ label }) => `${label ?? 'That key'} is no longer in the register.`,
  already_rotated: (p) =>
    `${p.label} was already marked rotated on ${p.rotatedOn}, after this reminder: nothing to do.`,
  key_retired: (p) => `${p.label} is ${p.status}, so it is no longer rotated: register its replacement as a new key.`,
  before_last_rotation: ({ label }) =>
    `${label} was already rotated after that day; give the date of the rotation you just did.`,
  snooze_after_rotation: ({ label }) => `${label} was rotated after this reminder: there is nothing to snooze.`,
  snooze_not_active: (p) =>
    `${p.label} is ${p.status === 'rotating' ? 'being rotated' : p.status}: it gets no reminders to snooze.`,
  already_snoozed: (p) => `${p.label} is already snoozed until ${utcMinute(p.until)}: the reminder comes back then.`,
};
