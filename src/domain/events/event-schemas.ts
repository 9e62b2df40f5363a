import { z } from 'zod';
import { ENVIRONMENTS, type EventType, KEY_MODES, RESOLUTIONS, REVIEW_OUTCOMES, SEVERITIES, STEPS } from '../types';

// The details of every event type, once. Writers are checked against these before an append (db/event-log.ts);
// readers (card, thread replies, timeline text, support draft, exports) read details through `detailsOf` instead
// of guessing; docs/timeline.schema.json is generated from them (`npm run schema`).
//
// Events already in a database were hashed as they were written, so a schema may only ever widen: a field today's
// code writes must stay valid for ever. Details are objects that may carry fields a schema does not name (an
// incident opened from a leak carries `origin`; a status change says why): readers list those as they are.
//
// Adding an event type: add its schema to EVENT_SCHEMAS below (and its name to EVENT_TYPES in ../types.ts, which a
// test keeps in step), then `npm run schema`.

const epochMs = z.number().int().describe('Epoch milliseconds (UTC).');
const slackId = z.string().describe('A Slack id.');
const text = z.string();
const ref = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-\\d{1,9}$`));

const details = <T extends z.ZodRawShape>(shape: T, description: string) => z.looseObject(shape).describe(description);

const spike = details(
  {
    signal: ref('SIG'),
    keyLabel: text,
    keyKnown: z.boolean(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    source: z.enum(['counts', 'alertmanager', 'grafana']),
    startedAt: epochMs,
    count: z.number().nullable(),
    windowSeconds: z.number().nullable(),
    ratePerMinute: z.number().nullable(),
    normalPerMinute: z.number().nullable(),
    alertName: text.nullable(),
    channelId: slackId,
    incident: ref('INC').optional(),
  },
  "A spike of 429 RATE_LIMIT_EXCEEDED on a key (SIG-n): in the SIGNALS stream, and in the timeline of the key's open incident as `rate_limit_spike`.",
);

const spikeEnded = details(
  { signal: ref('SIG'), keyLabel: text, endedAt: epochMs, how: z.enum(['back_to_normal', 'alert_resolved']) },
  'A rate-limit spike ended: counts back to normal, or the alert resolved.',
);

export const EVENT_SCHEMAS = {
  incident_opened: details(
    {
      keyLabel: text,
      environment: z.enum(ENVIRONMENTS),
      keyMode: z.enum(KEY_MODES),
      severity: z.enum(SEVERITIES),
      exposureStart: epochMs.nullable(),
      how: text,
      channelId: slackId,
      origin: z.looseObject({ leakId: z.number().int().optional(), leak: z.string().optional() }).optional(),
      drill: z.boolean().optional(),
      room: z.enum(['here', 'new', 'private']).optional(),
    },
    'An incident was declared (INC-n). `exposureStart` null: unknown. `origin`: the leak or signal it was opened from. `drill`: a practice incident. `room`: where it lives (`new`/`private`: a room the bot creates).',
  ),
  key_revoked: details(
    { revokedAt: epochMs.optional(), declaredAtOpening: z.boolean().optional() },
    'Step 1: the key was revoked. `revokedAt` when it was declared at opening with its own time.',
  ),
  transactions_reviewed: details(
    { outcome: z.enum(REVIEW_OUTCOMES), transactionIds: z.array(text), notes: text },
    'Step 2: transactions in the exposure window were reviewed.',
  ),
  support_contacted: details({ contactChannel: text, ticketRef: text }, 'Step 3: PayKore support was contacted.'),
  key_redeployed: details({ newKeyLabel: text, deploymentRef: text }, 'Step 4: a new key was generated and deployed.'),
  incident_resolved: details(
    { resolution: z.enum(RESOLUTIONS), summary: text },
    'The incident was resolved, with a summary for the postmortem.',
  ),
  note_added: details({ text }, 'A free-text note.'),
  action_refused: details(
    {
      action: text,
      code: text,
      params: z.record(z.string(), z.unknown()).optional(),
      reason: text.optional(),
      step: text.optional(),
      missing: text.optional(),
      // Written beside `code` by incident refusals before `params` existed.
      at: epochMs.optional(),
      by: slackId.optional(),
      resolvedAt: epochMs.optional(),
      resolvedBy: slackId.optional(),
    },
    'An attempt the bot refused: `action` tried, `code` why, `params` what the sentence needs. Records written before refusals were unified carry the sentence in `reason` and the parameters beside `code`.',
  ),
  revoke_nudge: details(
    { minutesActive: z.number().int(), exposureStart: epochMs },
    'The key was still active: a nudge to revoke it.',
  ),
  idle_reminder: details(
    { waitingFor: z.enum([...STEPS, 'resolve']), idleMinutes: z.number().int() },
    'Nothing recorded for a while: a reminder naming the next step.',
  ),
  rotation_started: details(
    { keyId: z.number().int(), oldLabel: text, environment: z.enum(ENVIRONMENTS), mode: text, channelId: slackId },
    'A planned rotation (ROT-n) of a registered key began.',
  ),
  rotation_key_created: details({ newLabel: text.optional() }, 'Rotation step 1: the new key was created.'),
  rotation_deployed: details({}, 'Rotation step 2: the new key was deployed.'),
  rotation_verified: details({}, 'Rotation step 3: traffic on the new key was verified.'),
  rotation_old_revoked: details(
    { newKeyId: z.number().int().optional(), newLabel: text.optional(), nextDueAt: epochMs.optional() },
    'Rotation step 4: the old key was revoked; the new one is registered.',
  ),
  key_registered: details(
    {
      keyId: z.number().int(),
      label: text,
      environment: z.enum(ENVIRONMENTS),
      kind: text,
      mode: text,
      last4: text.nullable(),
      rotatedAt: epochMs,
      ownerId: slackId.nullable(),
      channelId: slackId.nullable(),
      source: z.enum(['command', 'reminder', 'rotation', 'incident']),
    },
    'A key entered the register (KEYS stream): its label, never the key.',
  ),
  key_rotated: details(
    {
      keyId: z.number().int(),
      label: text,
      cycle: z.number().int(),
      rotatedAt: epochMs,
      previousRotatedAt: epochMs,
      source: z.enum(['command', 'reminder']),
    },
    'A registered key was rotated outside the bot; its next cycle began.',
  ),
  key_status_changed: details(
    {
      keyId: z.number().int(),
      label: text,
      from: text,
      to: text,
      incident: ref('INC').optional(),
      rotation: ref('ROT').or(z.literal('cancelled')).optional(),
      // Set when the incident that marked the key compromised resolved as a false positive and restored it.
      resolution: z.literal('false_positive').optional(),
    },
    'A registered key changed status; `incident` or `rotation` says why (`resolution`: restored after a false positive).',
  ),
  reminder_posted: details(
    {
      keyId: z.number().int(),
      label: text,
      cycle: z.number().int(),
      stage: text,
      coalesced: z.boolean(),
      skipped: z.array(text),
      channelId: slackId,
      reminder: ref('REM'),
    },
    'A rotation reminder (REM-n) was posted.',
  ),
  reminder_snoozed: details(
    { keyId: z.number().int(), label: text, cycle: z.number().int(), until: epochMs },
    'A rotation reminder was snoozed.',
  ),
  leak_detected: details(
    {
      leak: ref('LEAK'),
      leakId: z.number().int(),
      mode: text,
      last4: text,
      notice: z.enum(['first', 'again', 'reexposed']),
      source: z.enum(['message', 'command', 'modal', 'git', 'signal']),
      channelId: slackId,
      messageTs: text.nullable(),
      poster: slackId,
      exposedAt: epochMs,
      incidentId: z.number().int().optional(),
      repository: text.optional(),
      commit: text.optional(),
      path: text.optional(),
    },
    'A secret key was seen (LEAKS stream): mode, last four and where (a Slack message, a command or form, a Git commit with `repository`, `commit` and `path`, or a body sent to the signal intake), never the key.',
  ),
  lead_changed: details({ from: slackId, to: slackId }, 'The incident lead was handed over.'),
  room_created: details(
    { channelId: slackId, name: text, private: z.boolean(), declaredIn: slackId },
    'The bot created a room for the incident and moved it there from the channel where it was declared.',
  ),
  room_failed: details(
    { error: text, needed: text.optional() },
    'Slack refused to create the room: the incident stays where it was declared. `needed`: a missing scope.',
  ),
  room_invited: details({ users: z.array(slackId) }, 'People invited to the incident room.'),
  room_archived: details({ channelId: slackId }, 'The incident room was archived after the resolve export.'),
  key_seen_again: details(
    {
      leak: ref('LEAK'),
      source: z.enum(['message', 'command', 'modal', 'git', 'signal']),
      channelId: slackId,
      messageTs: text.nullable(),
      poster: slackId,
      // Found in Git history: where, and the author date of the first commit that carries it.
      repository: text.optional(),
      commit: text.optional(),
      path: text.optional(),
      exposedAt: epochMs.optional(),
      /** The incident's exposure start (or opening) when the Git find came: the find may move it earlier. */
      recordedExposureStart: epochMs.optional(),
    },
    "The incident's key was seen again while the incident was open: where (never the key); for Git, the repository, commit, path, the first commit's author date and the exposure start on record then.",
  ),
  record_keyed: details(
    { legacyEvents: z.number().int(), legacyHead: text },
    'The record key was first used on this stream: the events before it form the unkeyed (legacy) chain, whose count and head it seals.',
  ),
  signal_spike_detected: spike,
  rate_limit_spike: spike,
  signal_spike_ended: spikeEnded,
  rate_limit_spike_ended: spikeEnded,
  signal_dismissed: details(
    { signal: ref('SIG'), keyLabel: text, reason: text },
    'A responder dismissed a rate-limit spike as not misuse, and said why (SIGNALS stream).',
  ),
  signal_incident_opened: details(
    { signal: ref('SIG'), incident: ref('INC'), exposureStart: epochMs },
    'An incident was opened from a rate-limit spike, its exposure starting at the spike (SIGNALS stream).',
  ),
  signal_key_refused: details(
    { leak: ref('LEAK'), mode: text, last4: text, endpoint: text, channelId: slackId },
    'A body sent to the signal intake held a secret key: refused, and recorded as a leak (SIGNALS stream).',
  ),
} as const satisfies Record<EventType, z.ZodType>;

export type { EventType };
export type EventDetails<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;

/** One event as the log holds it, typed by `type`: a discriminated union over every event type. */
export const eventSchema = z.discriminatedUnion(
  'type',
  (Object.keys(EVENT_SCHEMAS) as EventType[]).map((type) =>
    z.object({ type: z.literal(type), details: EVENT_SCHEMAS[type] }),
  ) as unknown as [z.ZodObject<{ type: z.ZodLiteral<EventType>; details: z.ZodType }>],
);

export type TypedDetails = { [T in EventType]: { type: T; details: EventDetails<T> } }[EventType];

/** Why details do not fit their type, as one line naming the fields; null when they fit. */
export function detailsProblem(type: string, value: unknown): string | null {
  const schema = EVENT_SCHEMAS[type as EventType];
  if (!schema) return `unknown event type ${JSON.stringify(type)}`;
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(details)'}: ${issue.message}`).join('; ');
}

/**
 * An event's details, typed, when the event is of that type and its details fit; null otherwise. A record edited
 * by hand may not fit: readers then show what they can (the chain check says it was edited).
 */
export function detailsOf<T extends EventType>(
  event: { type: string; details: unknown },
  type: T,
): EventDetails<T> | null {
  if (event.type !== type) return null;
  const parsed = EVENT_SCHEMAS[type].safeParse(event.details);
  return parsed.success ? (parsed.data as EventDetails<T>) : null;
}

type Shape<T extends EventType> = (typeof EVENT_SCHEMAS)[T]['shape'];
export type FieldOf<T extends EventType> = keyof Shape<T> & string;
export type FieldValue<T extends EventType, K extends FieldOf<T>> = z.output<Shape<T>[K]>;

/**
 * Reads an event's details one field at a time, each through its schema, and remembers which fields it read: a
 * description can then list every other field as it is, so nothing recorded is ever left out. A field that is
 * missing, or not of its type (a record edited by hand, a partial fixture), reads as undefined and is listed.
 */
export class DetailsReader<T extends EventType> {
  private readonly used = new Set<string>();

  constructor(
    readonly type: T,
    private readonly details: Record<string, unknown>,
  ) {}

  get<K extends FieldOf<T>>(key: K): FieldValue<T, K> | undefined {
    const shape = EVENT_SCHEMAS[this.type].shape as Record<string, z.ZodType>;
    const schema = shape[key];
    if (!schema || this.details[key] === undefined) return undefined;
    const parsed = schema.safeParse(this.details[key]);
    if (!parsed.success) return undefined;
    this.used.add(key);
    return parsed.data as FieldValue<T, K>;
  }

  /** Fields not read, sorted by name, with their values. */
  rest(): [string, unknown][] {
    return Object.keys(this.details)
      .filter((key) => !this.used.has(key) && this.details[key] !== undefined)
      .sort()
      .map((key) => [key, this.details[key]]);
  }
}

/**
 * One field of an event's details when the event is of that type, through its schema; undefined otherwise. For a
 * reader that needs one field (a revocation time) and must not fail on the others.
 */
export function fieldOf<T extends EventType, K extends FieldOf<T>>(
  event: { type: string; details: Record<string, unknown> },
  type: T,
  key: K,
): FieldValue<T, K> | undefined {
  return event.type === type ? new DetailsReader(type, event.details).get(key) : undefined;
}
