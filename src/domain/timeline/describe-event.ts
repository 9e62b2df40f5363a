import { canonicalJson } from '../event-chain';
import { isoUtc } from '../time';
import type { TimelineEvent } from '../types';

// One plain-text sentence per event for the Markdown table. Plain text on purpose: the renderer escapes it whole,
// so user-supplied text can never become Markdown or HTML.

/** Reads detail fields by name and remembers which it used, so no field is ever left out of the description. */
class DetailReader {
  private readonly used = new Set<string>();
  constructor(private readonly details: Record<string, unknown>) {}

  text(key: string): string | null {
    const value = this.details[key];
    if (typeof value !== 'string' || value.trim() === '') return null;
    this.used.add(key);
    return value;
  }

  number(key: string): number | null {
    const value = this.details[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    this.used.add(key);
    return value;
  }

  list(key: string): string[] | null {
    const value = this.details[key];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null;
    this.used.add(key);
    return value as string[];
  }

  /** Fields the description did not mention, as `name: value`. */
  rest(): string[] {
    return Object.keys(this.details)
      .filter((key) => !this.used.has(key) && this.details[key] !== undefined)
      .sort()
      .map((key) => {
        const value = this.details[key];
        return `${key}: ${typeof value === 'string' ? value : canonicalJson(value)}`;
      });
  }
}

const words = (code: string) => code.replaceAll('_', ' ');

function sentence(parts: readonly (string | null | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
}

const describers: Partial<Record<TimelineEvent['type'], (d: DetailReader, event: TimelineEvent) => string>> = {
  incident_opened: (d) => {
    const key = d.text('keyLabel');
    const where = [d.text('environment'), d.text('keyMode'), d.text('severity')].filter(Boolean).join(', ');
    const exposure = d.number('exposureStart');
    const revoked = d.number('revokedAt');
    const how = d.text('how');
    return sentence([
      key ? `Incident opened for key ${key}${where ? ` (${where})` : ''}.` : 'Incident opened.',
      exposure !== null ? `Exposure start: ${isoUtc(exposure)}.` : null,
      revoked !== null ? `Declared already revoked at ${isoUtc(revoked)}.` : null,
      how ? `How: ${how}` : null,
    ]);
  },
  key_revoked: (d, event) => {
    const given = d.number('revokedAt');
    return given !== null && given !== event.at
      ? `Key revoked in the PayKore dashboard at ${isoUtc(given)} (as declared).`
      : 'Key revoked in the PayKore dashboard.';
  },
  transactions_reviewed: (d) => {
    const outcome = d.text('outcome');
    const ids = d.list('transactionIds');
    const notes = d.text('notes');
    const found =
      outcome === 'suspicious_found'
        ? 'suspicious transactions found'
        : outcome === 'nothing_unrecognised'
          ? 'nothing unrecognised'
          : outcome && words(outcome);
    return sentence([
      `Transactions in the exposure window reviewed${found ? `: ${found}` : ''}.`,
      ids && ids.length > 0 ? `Transaction ids: ${ids.join(', ')}.` : null,
      notes ? `Notes: ${notes}` : null,
    ]);
  },
  support_contacted: (d) => {
    const channel = d.text('contactChannel');
    const ticket = d.text('ticketRef');
    return sentence([
      `PayKore support contacted${channel ? ` via ${channel}` : ''}.`,
      ticket ? `Ticket: ${ticket}.` : null,
    ]);
  },
  key_redeployed: (d) => {
    const label = d.text('newKeyLabel');
    const deployment = d.text('deploymentRef');
    return sentence([
      `New key ${label ? `${label} ` : ''}generated and deployed.`,
      deployment ? `Deployment: ${deployment}.` : null,
    ]);
  },
  incident_resolved: (d) => {
    const resolution = d.text('resolution');
    const summary = d.text('summary');
    return sentence([
      `Incident resolved${resolution ? `: ${words(resolution)}` : ''}.`,
      summary ? `Summary: ${summary}` : null,
    ]);
  },
  note_added: (d) => `Note: ${d.text('text') ?? ''}`.trimEnd(),
  action_refused: (d) => {
    const action = d.text('action');
    const code = d.text('code');
    const missing = d.text('missing');
    const why =
      code === 'step_out_of_order' && missing
        ? `${missing} comes first`
        : code === 'resolve_too_early' && missing
          ? `${missing} is not recorded yet`
          : code && words(code);
    return `Refused${action ? `: ${words(action)}` : ''}${why ? ` (${why})` : ''}.`;
  },
  revoke_nudge: (d) => {
    const minutes = d.number('minutes');
    return minutes !== null
      ? `Nudge: key still active, ${minutes} minutes of continued exposure.`
      : 'Nudge: key still active.';
  },
  idle_reminder: (d) => {
    const step = d.text('step');
    const minutes = d.number('minutes');
    return `Reminder: ${step ? `step ${step} ` : 'the next step '}idle${minutes !== null ? ` for ${minutes} minutes` : ''}.`;
  },
};

export function describeEvent(event: TimelineEvent): string {
  const reader = new DetailReader(event.details);
  const describe = describers[event.type];
  const main = describe ? describe(reader, event) : `${words(event.type).replace(/^./, (c) => c.toUpperCase())}.`;
  const rest = reader.rest();
  return rest.length > 0 ? `${main} ${rest.join('; ')}` : main;
}
