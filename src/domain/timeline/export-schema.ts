import { z } from 'zod';
import { EVENT_SCHEMAS } from '../events/event-schemas';
import { EVENT_TYPES, type EventType } from '../types';

// The JSON export's contract, in zod: docs/timeline.schema.json is generated from it (`npm run schema`), and a test
// fails when the committed file is stale. Field names and their order are public (PRODUCT.md section 5,
// docs/timeline-export.md): render-json.ts writes them in this order.

const utcTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .meta({ format: 'date-time' })
  .describe('ISO-8601 UTC time with milliseconds, for example `2026-11-01T05:52:30.125Z`.');

const actor = z.string().min(1).describe('A Slack user id (`U…`, `W…`) or `bot`.');

const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('A SHA-256 digest in lower-case hex.');

const stepTiming = z
  .strictObject({
    completedAt: utcTime.describe('When the step was done.'),
    by: actor.describe('Who did it.'),
    offsetMs: z
      .number()
      .int()
      .describe(
        '`completedAt` minus `incident.openedAt`, in ms; negative only for a revocation declared before the incident was opened.',
      ),
  })
  .nullable();

// formatVersion
const formatVersionSchema = z
  .literal(1)
  .describe(
    'Version of this file format. Raised only for a change that could break a reader; new optional fields do not raise it.',
  );

// displayTimeZone
const displayTimeZoneSchema = z
  .string()
  .min(1)
  .describe(
    "The IANA time zone (the bot's DISPLAY_TIMEZONE) used for `events[].atLocal`. When it is `UTC` (or `Etc/UTC`), events carry no `atLocal`.",
  );

// incident
const incidentSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^INC-[1-9][0-9]*$/)
      .describe(
        'The incident id, `INC-` and a sequential number. It is also the name of the event stream whose hash chain `events` form.',
      ),
    channelId: z.string().describe('Slack id of the channel the incident was run in.'),
    keyLabel: z.string().describe('Label of the compromised key, as declared. Never the key itself.'),
    environment: z.enum(['production', 'staging', 'development']).describe('Environment the key belongs to.'),
    keyMode: z.enum(['live', 'test', 'unknown']).describe('Live or test key, when known.'),
    severity: z
      .enum(['SEV1', 'SEV2', 'SEV3'])
      .describe('SEV1 is a production live key, the worst case; SEV3 a development key.'),
    how: z.string().describe('Free text: how the key was exposed, as the person who opened the incident wrote it.'),
    openedBy: actor.describe('Slack user id of who opened the incident.'),
    openedAt: utcTime.describe('Detection: when the incident was opened.'),
    exposureStart: utcTime
      .nullable()
      .describe(
        'When the exposure began, as declared; null when unknown (the exposure window then starts at `openedAt`).',
      ),
    status: z.enum(['open', 'resolved']).describe('`open` until resolved.'),
    resolution: z
      .enum(['revoked', 'false_positive', 'used_in_tests', 'wont_fix'])
      .nullable()
      .describe('How the incident was closed; null while open.'),
    resolvedAt: utcTime.nullable().describe('When the incident was resolved; null while open.'),
    resolvedBy: actor.nullable().describe('Slack user id of who resolved it; null while open.'),
    summary: z.string().describe('Free-text resolution summary; empty while open.'),
    lead: actor.describe(
      'Slack user id of who leads the incident: the person who opened it, or the last `lead_changed` handover.',
    ),
    drill: z.boolean().describe('True for a practice incident (`/paykore-incident drill`): no key was at risk.'),
  })
  .describe('The incident as it stood when exported.');

// metrics
const metricsSchema = z
  .strictObject({
    revokedAt: utcTime
      .nullable()
      .describe(
        "When the key stopped working: the `key_revoked` event's `details.revokedAt` when the responder declared a time, otherwise that event's `at`. Null while the key is active.",
      ),
    exposureStart: utcTime.describe(
      'Start of the exposure window: `incident.exposureStart`, or `incident.openedAt` when that is unknown.',
    ),
    exposureStartKnown: z
      .boolean()
      .describe('False when the exposure start was unknown and the detection time stands in for it.'),
    timeToRevokeMs: z
      .number()
      .int()
      .nullable()
      .describe(
        '`revokedAt` minus `incident.openedAt`. Negative when the key had already been revoked before the incident was opened.',
      ),
    exposureWindowMs: z.number().int().min(0).nullable().describe('`revokedAt` minus `exposureStart`, never below 0.'),
    timeToResolveMs: z.number().int().nullable().describe('`incident.resolvedAt` minus `incident.openedAt`.'),
    steps: z
      .strictObject({
        revoke: stepTiming.describe('1. Revoke the key. `completedAt` is the revocation time (`metrics.revokedAt`).'),
        review: stepTiming.describe('2. Review transactions in the exposure window.'),
        support: stepTiming.describe('3. Contact PayKore support.'),
        redeploy: stepTiming.describe('4. Generate a new key and redeploy.'),
      })
      .describe("The four playbook steps in PayKore's order; null for a step not yet done."),
    refusedAttempts: z.number().int().min(0).describe('Number of `action_refused` events.'),
    nudges: z.number().int().min(0).describe('Number of `revoke_nudge` events ("key still active").'),
    idleReminders: z.number().int().min(0).describe('Number of `idle_reminder` events.'),
    notes: z.number().int().min(0).describe('Number of `note_added` events.'),
  })
  .describe(
    'Figures derived from the incident and its events. Durations are integer milliseconds; null means not yet known (for example, the key is not revoked yet).',
  );

// events: one branch per event type, its details from the event's own schema (domain/events/event-schemas.ts)
const eventEntry = <T extends EventType>(type: T) =>
  z.strictObject({
    seq: z.number().int().min(1).describe("Position in the incident's stream, from 1."),
    at: utcTime.describe('Server time when the event was recorded.'),
    atLocal: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}(:\d{2})?$/)
      .describe(
        "The same instant in `displayTimeZone`, RFC 3339 with that zone's offset at that instant (for example `2026-11-01T01:30:00.000-04:00`). Present only when `displayTimeZone` is not UTC. Offsets of historical local mean time may carry seconds (`-04:56:02`).",
      )
      .optional(),
    type: z
      .literal(type)
      .describe(
        "What happened. Incident streams use the first ten; the rest belong to other streams and are listed so the enumeration matches the bot's.",
      ),
    actor: actor.describe('Slack user id of who did it, or `bot` for what the bot did itself (nudges, reminders).'),
    details: EVENT_SCHEMAS[type].describe(
      `${EVENT_SCHEMAS[type].description ?? ''} ${"The event's details exactly as recorded and hashed, keys sorted. Times inside details are epoch milliseconds (as hashed), not ISO strings. Fields by event type are listed in docs/timeline-export.md."}`,
    ),
    hash: sha256.describe("SHA-256 (hex) of this event's canonical form, including `prevHash`."),
    prevHash: sha256.describe('`hash` of the previous event; 64 zeros for the first.'),
  });

const eventsSchema = z
  .array(z.discriminatedUnion('type', EVENT_TYPES.map(eventEntry) as unknown as [ReturnType<typeof eventEntry>]))
  .describe("The incident's append-only event log, in `seq` order, including refused attempts and nudges.");

// integrity
const integritySchema = z
  .strictObject({
    verified: z.boolean().describe("True when every event's hash and link check out."),
    eventCount: z.number().int().min(0).describe('Number of events checked.'),
    chainHead: sha256.describe(
      '`hash` of the last event (64 zeros for an empty stream). Compare with `paykore-bot verify`.',
    ),
    firstBad: z
      .strictObject({
        seq: z.number().int().describe("The event's `seq`."),
        problem: z
          .enum(['hash_mismatch', 'broken_link', 'sequence_gap', 'wrong_stream'])
          .describe(
            '`hash_mismatch`: the row was altered; `broken_link`: its prevHash does not match the previous event; `sequence_gap`: a row is missing or moved; `wrong_stream`: a row from another stream.',
          ),
        message: z.string().describe('The same, in a sentence.'),
      })
      .describe('Present only when `verified` is false: the first event that does not fit.')
      .optional(),
    databaseIntegrity: z
      .string()
      .min(1)
      .describe("SQLite's `PRAGMA integrity_check` result: `ok`, or the problems it reported."),
  })
  .describe('Result of checking the record when the file was made. A broken chain is always stated, never hidden.');

const TITLE = 'PayKore Incident Bot: post-incident timeline export';
const DESCRIPTION =
  'The JSON form of `/paykore-incident export format=json` and `paykore-bot export INC-n --format json`. Field names are a public contract; see docs/timeline-export.md. Every time is ISO-8601 UTC with milliseconds unless the field says otherwise. The same incident always exports to the same bytes: keys appear in the order listed here, with 2-space indentation and a trailing newline.';

export const EXPORT_SCHEMA_ID = 'urn:paykore-incident-bot:timeline-export:1';

export const timelineExportSchema = z
  .strictObject({
    formatVersion: formatVersionSchema,
    displayTimeZone: displayTimeZoneSchema,
    incident: incidentSchema,
    metrics: metricsSchema,
    events: eventsSchema,
    integrity: integritySchema,
  })
  .meta({
    title: TITLE,
    description: DESCRIPTION,
  });

/** docs/timeline.schema.json: JSON Schema 2020-12, with the rule zod cannot say (firstBad only when not verified). */
export function timelineJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(timelineExportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  const properties = rest.properties as Record<string, Record<string, unknown>>;
  const integrity = properties.integrity as Record<string, unknown>;
  integrity.if = { properties: { verified: { const: false } } };
  // JSON Schema's own keyword, not a thenable: this object is data written to a file.
  integrity['then'] = { required: ['firstBad'] };
  integrity.else = { not: { required: ['firstBad'] } };
  return { $schema, $id: EXPORT_SCHEMA_ID, ...rest };
}

/** The file's exact text: 2-space JSON and a trailing newline. */
export function timelineSchemaText(): string {
  return `${JSON.stringify(timelineJsonSchema(), null, 2)}\n`;
}
