import { canonicalJson } from '../event-chain';
import { isoUtc } from '../time';
import type { TimelineEvent } from '../types';

// One plain-text sentence per event for the Markdown table. Plain text on purpose: the renderer escapes it whole,
// so user-supplied text can never become Markdown or HTML.

/** Reads detail fields by name and remembers which it used, so no field is ever left out of the description. */
class DetailReader {
  private readonly used = new Set<string>();
  constructor(private readonly details: Record<string, unknown>) {}

  /** A string field; an empty one counts as read (a modal's optional field left blank) but gives null. */
  text(key: string): string | null {
    const value = this.details[key];
    if (typeof value !== 'string') return null;
    this.used.add(key);
    return value.trim() === '' ? null : value;
  }

  /** A field whose null means "not known" rather than "missing". */
  isNull(key: string): boolean {
    if (this.details[key] !== null) return false;
    this.used.add(key);
    return true;
  }

  flag(key: string): boolean {
    if (typeof this.details[key] !== 'boolean') return false;
    this.used.add(key);
    return this.details[key] as boolean;
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

const MENTION = /<@([A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Slack mention syntax (`<@U123|ana>`) has no meaning outside Slack: show the plain id. */
export function plainActor(actor: string): string {
  return actor.replace(MENTION, '$1');
}

/**
 * Refusal reasons are the sentence the user saw in Slack: turn its mentions, channel links and date tokens back
 * into plain text for a file read outside Slack.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(MENTION, '$1')
    .replace(/<#([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
    .replace(/<!date\^(\d+)\^[^|>]*(?:\|([^>]*))?>/g, (_, seconds: string, fallback?: string) =>
      fallback ? fallback : isoUtc(Number(seconds) * 1000),
    );
}

/** `step:review` (how the service names a step click) reads as "review step". */
const actionName = (action: string) => (action.startsWith('step:') ? `${action.slice(5)} step` : words(action));

const describers: Partial<Record<TimelineEvent['type'], (d: DetailReader, event: TimelineEvent) => string>> = {
  incident_opened: (d) => {
    const key = d.text('keyLabel');
    const where = [d.text('environment'), d.text('keyMode'), d.text('severity')].filter(Boolean).join(', ');
    const channel = d.text('channelId');
    const exposure = d.number('exposureStart');
    const exposureUnknown = d.isNull('exposureStart');
    const how = d.text('how');
    const opened = key ? `Incident opened for key ${key}${where ? ` (${where})` : ''}` : 'Incident opened';
    return sentence([
      `${opened}${channel ? ` in ${channel}` : ''}.`,
      exposure !== null ? `Exposure start: ${isoUtc(exposure)}.` : null,
      exposureUnknown ? 'Exposure start: unknown.' : null,
      how ? `How: ${how}` : null,
    ]);
  },
  key_revoked: (d, event) => {
    const given = d.number('revokedAt');
    const declared = d.flag('declaredAtOpening');
    const when = given !== null && given !== event.at ? ` at ${isoUtc(given)}` : '';
    return `Key revoked in the PayKore dashboard${when}${declared ? ' (declared when the incident was opened)' : ''}.`;
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
    const reason = d.text('reason');
    d.text('step'); // already named by `action`
    const missing = d.text('missing');
    const by = d.text('by') ?? d.text('resolvedBy');
    const at = d.number('at') ?? d.number('resolvedAt');
    const earlier = by && at !== null ? ` by ${plainActor(by)} at ${isoUtc(at)}` : '';
    const why =
      code === 'step_out_of_order' && missing
        ? `${missing} comes first`
        : code === 'resolve_too_early' && missing
          ? `${missing} is not recorded yet`
          : code === 'step_already_done'
            ? `already recorded${earlier}`
            : code === 'incident_resolved'
              ? `incident already resolved${earlier}`
              : code && words(code);
    return sentence([
      `Refused: ${action ? actionName(action) : 'an action'}${why ? ` (${why})` : ''}.`,
      reason ? slackToPlain(reason) : null,
    ]);
  },
  revoke_nudge: (d) => {
    const minutes = d.number('minutesActive');
    const since = d.number('exposureStart');
    return sentence([
      minutes !== null
        ? `Nudge: key still active ${minutes} min after the incident was opened.`
        : 'Nudge: key still active.',
      since !== null ? `Exposed since ${isoUtc(since)}.` : null,
    ]);
  },
  rate_limit_spike: (d) => {
    const signal = d.text('signal');
    const count = d.number('count');
    const start = d.number('startedAt');
    return sentence([
      `Rate-limit spike on the key${signal ? ` (${signal})` : ''}${count !== null ? `: ${count} 429 responses` : ''}.`,
      start !== null ? `Started ${isoUtc(start)}.` : null,
    ]);
  },
  rate_limit_spike_ended: (d) => {
    const signal = d.text('signal');
    const ended = d.number('endedAt');
    return `Rate-limit spike${signal ? ` ${signal}` : ''} over${ended !== null ? ` at ${isoUtc(ended)}` : ''}.`;
  },
  idle_reminder: (d) => {
    const step = d.text('waitingFor');
    const minutes = d.number('idleMinutes');
    return `Reminder: nothing recorded${minutes !== null ? ` for ${minutes} minutes` : ''}; next: ${step ?? 'the next step'}.`;
  },
};

export function describeEvent(event: TimelineEvent): string {
  const reader = new DetailReader(event.details);
  const describe = describers[event.type];
  const main = describe ? describe(reader, event) : `${words(event.type).replace(/^./, (c) => c.toUpperCase())}.`;
  const rest = reader.rest();
  return rest.length > 0 ? `${main} ${rest.join('; ')}` : main;
}
