import { canonicalJson } from '../event-chain';
import { DetailsReader, type EventType } from '../events/event-schemas';
import { placeOutsideSlack } from '../leak';
import { isoUtc } from '../time';
import type { TimelineEvent } from '../types';

// One plain-text sentence per event for the Markdown table. Plain text on purpose: the renderer escapes it whole,
// so user-supplied text can never become Markdown or HTML.

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

/** A blank optional field (a modal's field left empty) reads as absent. */
const filled = (value: string | undefined): string | null =>
  value === undefined || value.trim() === '' ? null : value;

type Describer<T extends EventType> = (d: DetailsReader<T>, event: TimelineEvent) => string;

const describers: { [T in EventType]?: Describer<T> } = {
  incident_opened: (d) => {
    const key = filled(d.get('keyLabel'));
    const where = [d.get('environment'), d.get('keyMode'), d.get('severity')].filter(Boolean).join(', ');
    const channel = filled(d.get('channelId'));
    const exposure = d.get('exposureStart');
    const how = filled(d.get('how'));
    const opened = key ? `Incident opened for key ${key}${where ? ` (${where})` : ''}` : 'Incident opened';
    return sentence([
      `${opened}${channel ? ` in ${channel}` : ''}.`,
      typeof exposure === 'number' ? `Exposure start: ${isoUtc(exposure)}.` : null,
      exposure === null ? 'Exposure start: unknown.' : null,
      how ? `How: ${how}` : null,
    ]);
  },
  key_revoked: (d, event) => {
    const given = d.get('revokedAt');
    const declared = d.get('declaredAtOpening') ?? false;
    const when = given !== undefined && given !== event.at ? ` at ${isoUtc(given)}` : '';
    return `Key revoked in the PayKore dashboard${when}${declared ? ' (declared when the incident was opened)' : ''}.`;
  },
  transactions_reviewed: (d) => {
    const outcome = d.get('outcome');
    const ids = d.get('transactionIds');
    const notes = filled(d.get('notes'));
    const found =
      outcome === 'suspicious_found'
        ? 'suspicious transactions found'
        : outcome === 'nothing_unrecognised'
          ? 'nothing unrecognised'
          : null;
    return sentence([
      `Transactions in the exposure window reviewed${found ? `: ${found}` : ''}.`,
      ids && ids.length > 0 ? `Transaction ids: ${ids.join(', ')}.` : null,
      notes ? `Notes: ${notes}` : null,
    ]);
  },
  support_contacted: (d) => {
    const channel = filled(d.get('contactChannel'));
    const ticket = filled(d.get('ticketRef'));
    return sentence([
      `PayKore support contacted${channel ? ` via ${channel}` : ''}.`,
      ticket ? `Ticket: ${ticket}.` : null,
    ]);
  },
  key_redeployed: (d) => {
    const label = filled(d.get('newKeyLabel'));
    const deployment = filled(d.get('deploymentRef'));
    return sentence([
      `New key ${label ? `${label} ` : ''}generated and deployed.`,
      deployment ? `Deployment: ${deployment}.` : null,
    ]);
  },
  incident_resolved: (d) => {
    const resolution = d.get('resolution');
    const summary = filled(d.get('summary'));
    return sentence([
      `Incident resolved${resolution ? `: ${words(resolution)}` : ''}.`,
      summary ? `Summary: ${summary}` : null,
    ]);
  },
  note_added: (d) => `Note: ${filled(d.get('text')) ?? ''}`.trimEnd(),
  action_refused: (d) => {
    const action = filled(d.get('action'));
    const code = filled(d.get('code'));
    const params = d.get('params') ?? {};
    const param = (key: string): unknown => params[key];
    const reason = filled(d.get('reason'));
    d.get('step'); // already named by `action`
    const missing =
      filled(d.get('missing')) ?? (typeof param('missing') === 'string' ? String(param('missing')) : null);
    const by = d.get('by') ?? d.get('resolvedBy') ?? stringParam(param('by') ?? param('resolvedBy'));
    const at = d.get('at') ?? d.get('resolvedAt') ?? numberParam(param('at') ?? param('resolvedAt'));
    const earlier = by && at !== undefined ? ` by ${plainActor(by)} at ${isoUtc(at)}` : '';
    // Incident and rotation steps share the wording; a rotation's codes carry a `rotation_` prefix.
    const step = code?.replace(/^rotation_(?=step_)/, '');
    const why =
      step === 'step_out_of_order' && missing
        ? `${words(missing)} comes first`
        : code === 'resolve_too_early' && missing
          ? `${missing} is not recorded yet`
          : step === 'step_already_done'
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
    const minutes = d.get('minutesActive');
    const since = d.get('exposureStart');
    return sentence([
      minutes !== undefined
        ? `Nudge: key still active ${minutes} min after the incident was opened.`
        : 'Nudge: key still active.',
      since !== undefined ? `Exposed since ${isoUtc(since)}.` : null,
    ]);
  },
  key_seen_again: (d) => {
    const leak = d.get('leak');
    const where = placeOutsideSlack(d.get('source')) ?? 'in Slack';
    const repository = filled(d.get('repository'));
    const committed = d.get('exposedAt');
    const before = d.get('recordedExposureStart');
    return sentence([
      `The key${leak ? ` (${leak})` : ''} was seen again ${where} while the incident was open.`,
      repository
        ? `Found in ${repository} at commit ${filled(d.get('commit')) ?? '?'}, ${filled(d.get('path')) ?? '?'}${committed !== undefined ? `, first committed ${isoUtc(committed)}` : ''}.`
        : null,
      committed !== undefined && before !== undefined && committed < before
        ? `That is earlier than the exposure start on record then (${isoUtc(before)}).`
        : null,
    ]);
  },
  rate_limit_spike: (d) => {
    const signal = d.get('signal');
    const count = d.get('count');
    const start = d.get('startedAt');
    return sentence([
      `Rate-limit spike on the key${signal ? ` (${signal})` : ''}${typeof count === 'number' ? `: ${count} 429 responses` : ''}.`,
      start !== undefined ? `Started ${isoUtc(start)}.` : null,
    ]);
  },
  rate_limit_spike_ended: (d) => {
    const signal = d.get('signal');
    const ended = d.get('endedAt');
    return `Rate-limit spike${signal ? ` ${signal}` : ''} over${ended !== undefined ? ` at ${isoUtc(ended)}` : ''}.`;
  },
  idle_reminder: (d) => {
    const step = d.get('waitingFor');
    const minutes = d.get('idleMinutes');
    return `Reminder: nothing recorded${minutes !== undefined ? ` for ${minutes} minutes` : ''}; next: ${step ?? 'the next step'}.`;
  },
};

const stringParam = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const numberParam = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function describeEvent(event: TimelineEvent): string {
  const reader = new DetailsReader(event.type, event.details);
  const describe = describers[event.type] as Describer<EventType> | undefined;
  const main = describe ? describe(reader, event) : `${words(event.type).replace(/^./, (c) => c.toUpperCase())}.`;
  const rest = reader
    .rest()
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : canonicalJson(value)}`);
  return rest.length > 0 ? `${main} ${rest.join('; ')}` : main;
}
