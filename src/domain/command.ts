import { COMMAND } from './command-name';
import { parseEnvironment } from './keys/environment';
import { parseIncidentRef } from './refs';
import { parseIsoTime, timeProblem } from './time';
import { type Environment, ROOM_CHOICES, type RoomChoice } from './types';

// The grammar of `/paykore-incident` (PRODUCT.md section 3), parsed without knowing Slack or the database.

export const EXPORT_FORMATS = ['markdown', 'csv', 'json'] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export type Command =
  | { kind: 'declare' }
  | {
      kind: 'start';
      keyLabel: string;
      environment: Environment | null;
      exposureStart: number | null;
      revokedAt: number | null;
      how: string;
      /** `channel=`: null leaves it to INCIDENT_CHANNEL. */
      room?: RoomChoice | null;
    }
  | { kind: 'lead'; incidentId: number | null; userId: string }
  | { kind: 'drill'; keyLabel: string | null; environment: Environment | null }
  | { kind: 'status'; incidentId: number | null }
  | { kind: 'note'; incidentId: number | null; text: string }
  | { kind: 'export'; incidentId: number | null; format: ExportFormatName }
  | { kind: 'keys-list' }
  | {
      kind: 'keys-add';
      label: string;
      environment: Environment;
      rotated: string | null;
      ownerId: string | null;
      channelId: string | null;
      /** The key's last four characters: how a key reused across environments is recognised. */
      last4?: string;
      mode?: 'live' | 'test';
    }
  | { kind: 'keys-rotated'; label: string; on: string | null }
  | { kind: 'rotate'; label: string }
  | { kind: 'help'; unknown: string | null }
  | { kind: 'invalid'; problem: string; usage: string };

export const USAGE = {
  start: `${COMMAND} start <key-label> [env=production|staging|development] [exposed=<ISO-8601 time>] [channel=here|new|private] [how=<what happened>]`,
  lead: `${COMMAND} lead [INC-<n>] <@user>`,
  drill: `${COMMAND} drill [<key-label>] [env=production|staging|development]`,
  status: `${COMMAND} status [INC-<n>]`,
  note: `${COMMAND} note [INC-<n>] <text>`,
  export: `${COMMAND} export [INC-<n>] [format=markdown|csv|json]`,
  keysAdd: `${COMMAND} keys add <label> env=<environment> [rotated=<YYYY-MM-DD>] [owner=<@user>] [channel=<#channel>] [last4=<last four characters>] [mode=live|test]`,
  keysRotated: `${COMMAND} keys rotated <label> [on=<YYYY-MM-DD>]`,
  rotate: `${COMMAND} rotate <label>`,
} as const;

interface Tokens {
  words: string[];
  options: Map<string, string>;
  /** Everything after `how=`, which runs to the end of the line. */
  rest: string | null;
}

/** Slack turns straight quotes into curly ones in some clients; accept both. */
function normaliseQuotes(text: string): string {
  return text.replace(/[\u201C\u201D\u201E]/g, '"').replace(/[\u2018\u2019]/g, "'");
}

function tokenize(text: string, restOption: string | null): Tokens {
  const words: string[] = [];
  const options = new Map<string, string>();
  let rest: string | null = null;
  const source = normaliseQuotes(text);
  const pattern = /\s*(?:([a-z][a-z0-9]*)=(?:"([^"]*)"|(\S*))|"([^"]*)"|(\S+))/gy;
  let match: RegExpExecArray | null = pattern.exec(source);
  while (match) {
    const [, name, quoted, bare, quotedWord, word] = match;
    if (name !== undefined) {
      const key = name.toLowerCase();
      if (key === restOption) {
        const valueStart = match.index + match[0].indexOf('=') + 1;
        rest = source
          .slice(valueStart)
          .trim()
          .replace(/^"(.*)"$/s, '$1');
        break;
      }
      options.set(key, quoted ?? bare ?? '');
    } else {
      words.push(quotedWord ?? word ?? '');
    }
    match = pattern.exec(source);
  }
  return { words, options, rest };
}

function takeIncidentRef(words: string[]): number | null {
  const first = words[0];
  const id = first ? parseIncidentRef(first, true) : null;
  if (id === null) return null;
  words.shift();
  return id;
}

/** `<@U123|name>`, `<@U123>` or a bare id. */
export function parseUserRef(text: string): string | null {
  const match = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text) ?? /^@?([UW][A-Z0-9]{2,})$/.exec(text);
  return match?.[1] ?? null;
}

/** `<#C123|name>`, `<#C123>` or a bare id. */
export function parseChannelRef(text: string): string | null {
  const match = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text) ?? /^#?([CG][A-Z0-9]{2,})$/.exec(text);
  return match?.[1] ?? null;
}

const invalid = (problem: string, usage: string): Command => ({ kind: 'invalid', problem, usage });

function unknownOptions(options: Map<string, string>, allowed: string[], usage: string): Command | null {
  const unknown = [...options.keys()].filter((key) => !allowed.includes(key));
  if (unknown.length === 0) return null;
  return invalid(
    `I don't know the option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `\`${k}=\``).join(', ')}.`,
    usage,
  );
}

function parseTimeOption(options: Map<string, string>, name: string, usage: string): number | null | Command {
  const text = options.get(name);
  if (text === undefined || text === '') return null;
  const ms = parseIsoTime(text);
  if (ms === null) {
    return invalid(
      `\`${name}=${text}\` is not a time I can read (${timeProblem(text) ?? 'it is not ISO-8601'}). Use ISO-8601, for example \`${name}=2026-11-28T09:14Z\` (a time without a zone is UTC).`,
      usage,
    );
  }
  return ms;
}

function parseStart(tokens: Tokens): Command {
  const usage = USAGE.start;
  const bad = unknownOptions(tokens.options, ['env', 'exposed', 'revoked', 'channel'], usage);
  if (bad) return bad;
  const [keyLabel, ...extra] = tokens.words;
  if (!keyLabel) return invalid('Tell me which key leaked: its label, for example `api-server-production-v2`.', usage);
  if (extra.length > 0) {
    return invalid(
      `A key label is one word; I don't know what to do with \`${extra.join(' ')}\`. Put free text after \`how=\`.`,
      usage,
    );
  }
  let environment: Environment | null = null;
  const envText = tokens.options.get('env');
  if (envText !== undefined) {
    environment = parseEnvironment(envText);
    if (!environment)
      return invalid(`\`env=${envText}\` is not an environment: use production, staging or development.`, usage);
  }
  const exposureStart = parseTimeOption(tokens.options, 'exposed', usage);
  if (typeof exposureStart === 'object' && exposureStart !== null) return exposureStart;
  const revokedAt = parseTimeOption(tokens.options, 'revoked', usage);
  if (typeof revokedAt === 'object' && revokedAt !== null) return revokedAt;
  const roomText = tokens.options.get('channel')?.toLowerCase();
  const room = roomText === undefined ? null : (ROOM_CHOICES.find((choice) => choice === roomText) ?? undefined);
  if (room === undefined)
    return invalid(
      '`channel=` is `here` (this channel), `new` (a room for the incident) or `private` (a private room).',
      usage,
    );
  return {
    kind: 'start',
    keyLabel,
    environment,
    exposureStart,
    revokedAt,
    how: tokens.rest ?? '',
    ...(room ? { room } : {}),
  };
}

function parseLead(tokens: Tokens): Command {
  const usage = USAGE.lead;
  if (tokens.options.size > 0) return invalid('`lead` takes an incident id and a person, nothing else.', usage);
  const incidentId = takeIncidentRef(tokens.words);
  const [person, ...extra] = tokens.words;
  const userId = person ? parseUserRef(person) : null;
  if (!userId || extra.length > 0) return invalid('Name the one person who leads from now on: mention them.', usage);
  return { kind: 'lead', incidentId, userId };
}

function parseDrill(tokens: Tokens): Command {
  const usage = USAGE.drill;
  const bad = unknownOptions(tokens.options, ['env'], usage);
  if (bad) return bad;
  const [keyLabel, ...extra] = tokens.words;
  if (extra.length > 0) return invalid(`A key label is one word; I don't know what \`${extra.join(' ')}\` is.`, usage);
  let environment: Environment | null = null;
  const envText = tokens.options.get('env');
  if (envText !== undefined) {
    environment = parseEnvironment(envText);
    if (!environment)
      return invalid(`\`env=${envText}\` is not an environment: use production, staging or development.`, usage);
  }
  return { kind: 'drill', keyLabel: keyLabel ?? null, environment };
}

function parseExport(tokens: Tokens): Command {
  const usage = USAGE.export;
  const bad = unknownOptions(tokens.options, ['format'], usage);
  if (bad) return bad;
  const incidentId = takeIncidentRef(tokens.words);
  if (tokens.words.length > 0) return invalid(`I don't know what \`${tokens.words.join(' ')}\` means here.`, usage);
  const formatText = (tokens.options.get('format') ?? 'markdown').toLowerCase();
  const format = formatText === 'md' ? 'markdown' : EXPORT_FORMATS.find((f) => f === formatText);
  if (!format) return invalid(`\`format=${formatText}\` is not a format I export: use markdown, csv or json.`, usage);
  return { kind: 'export', incidentId, format };
}

function parseKeys(tokens: Tokens): Command {
  const [sub, ...words] = tokens.words;
  if (sub === undefined || sub.toLowerCase() === 'list') {
    return tokens.options.size === 0 && words.length === 0
      ? { kind: 'keys-list' }
      : invalid('`keys` lists the register and takes nothing else.', USAGE.keysAdd);
  }
  if (sub.toLowerCase() === 'add') {
    const usage = USAGE.keysAdd;
    const bad = unknownOptions(tokens.options, ['env', 'rotated', 'owner', 'channel', 'last4', 'mode'], usage);
    if (bad) return bad;
    const [label, ...extra] = words;
    if (!label) return invalid('Give the key a label, for example `api-server-production-v2`.', usage);
    if (extra.length > 0)
      return invalid(`A key label is one word; I don't know what \`${extra.join(' ')}\` is.`, usage);
    const envText = tokens.options.get('env');
    if (!envText)
      return invalid('Say which environment the key belongs to with `env=production|staging|development`.', usage);
    const environment = parseEnvironment(envText);
    if (!environment)
      return invalid(`\`env=${envText}\` is not an environment: use production, staging or development.`, usage);
    const ownerText = tokens.options.get('owner');
    const ownerId = ownerText ? parseUserRef(ownerText) : null;
    if (ownerText && !ownerId)
      return invalid(`\`owner=${ownerText}\` is not a person: mention them, as in \`owner=@dana\`.`, usage);
    const channelText = tokens.options.get('channel');
    const channelId = channelText ? parseChannelRef(channelText) : null;
    if (channelText && !channelId)
      return invalid(`\`channel=${channelText}\` is not a channel: use \`channel=#payments-alerts\`.`, usage);
    // Neither value is repeated in a refusal: a pasted key could be sitting in either.
    const last4 = tokens.options.get('last4');
    if (last4 !== undefined && !/^[A-Za-z0-9]{4}$/.test(last4))
      return invalid('`last4=` takes only the last four characters of the key, never more of it.', usage);
    const modeText = tokens.options.get('mode')?.toLowerCase();
    if (modeText !== undefined && modeText !== 'live' && modeText !== 'test')
      return invalid('`mode=` is `live` or `test`.', usage);
    return {
      kind: 'keys-add',
      label,
      environment,
      rotated: tokens.options.get('rotated') ?? null,
      ownerId,
      channelId,
      ...(last4 === undefined ? {} : { last4 }),
      ...(modeText === undefined ? {} : { mode: modeText }),
    };
  }
  if (sub.toLowerCase() === 'rotated') {
    const usage = USAGE.keysRotated;
    const bad = unknownOptions(tokens.options, ['on'], usage);
    if (bad) return bad;
    const [label, ...extra] = words;
    if (!label || extra.length > 0) return invalid('Name one key label.', usage);
    return { kind: 'keys-rotated', label, on: tokens.options.get('on') ?? null };
  }
  return invalid(
    `\`keys ${sub}\` is not something I can do.`,
    `${COMMAND} keys | ${USAGE.keysAdd} | ${USAGE.keysRotated}`,
  );
}

export function parseCommand(text: string): Command {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'declare' };
  const firstSpace = trimmed.search(/\s/);
  const verb = (firstSpace === -1 ? trimmed : trimmed.slice(0, firstSpace)).toLowerCase();
  const remainder = firstSpace === -1 ? '' : trimmed.slice(firstSpace + 1);
  switch (verb) {
    case 'start':
      return parseStart(tokenize(remainder, 'how'));
    case 'status': {
      const tokens = tokenize(remainder, null);
      const incidentId = takeIncidentRef(tokens.words);
      if (tokens.words.length > 0 || tokens.options.size > 0) {
        return invalid('`status` takes only an incident id, like `INC-3`.', USAGE.status);
      }
      return { kind: 'status', incidentId };
    }
    case 'note': {
      const refMatch = /^\s*(INC-\d{1,9})\b\s*/i.exec(remainder);
      const incidentId = refMatch ? parseIncidentRef(refMatch[1] ?? '', true) : null;
      const noteText = (refMatch ? remainder.slice(refMatch[0].length) : remainder).trim();
      if (!noteText)
        return invalid('Write the note after `note`, for example `note rotated the staging key too`.', USAGE.note);
      return { kind: 'note', incidentId, text: noteText };
    }
    case 'export':
      return parseExport(tokenize(remainder, null));
    case 'lead':
      return parseLead(tokenize(remainder, null));
    case 'drill':
      return parseDrill(tokenize(remainder, null));
    case 'keys':
      return parseKeys(tokenize(remainder, null));
    case 'rotate': {
      const tokens = tokenize(remainder, null);
      const [label, ...extra] = tokens.words;
      if (!label || extra.length > 0 || tokens.options.size > 0)
        return invalid('Name the one key to rotate.', USAGE.rotate);
      return { kind: 'rotate', label };
    }
    case 'help':
      return { kind: 'help', unknown: null };
    default:
      return { kind: 'help', unknown: verb };
  }
}
