import { z } from 'zod';
import { INCIDENT_REF_PATTERN, parseRef } from '../domain/refs';

// Every Slack payload is untrusted input: these schemas are the only way its fields reach the app.

export const userIdSchema = z.string().regex(/^[UWB][A-Z0-9]{2,20}$/, 'not a Slack user id');
export const channelIdSchema = z.string().regex(/^[CGD][A-Z0-9]{2,20}$/, 'not a Slack channel id');

export const commandPayloadSchema = z.object({
  user_id: userIdSchema,
  channel_id: channelIdSchema,
  text: z.string().max(4000).default(''),
  trigger_id: z.string().min(1).max(200),
  response_url: z.string().max(2000).optional(),
  team_id: z.string().max(40).optional(),
});
export type CommandPayload = z.infer<typeof commandPayloadSchema>;

export const blockActionPayloadSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: userIdSchema }),
  channel: z.object({ id: channelIdSchema }).optional(),
  trigger_id: z.string().min(1).max(200),
  response_url: z.string().max(2000).optional(),
  message: z.object({ ts: z.string().max(40), thread_ts: z.string().max(40).optional() }).optional(),
  actions: z
    .array(
      z.object({
        action_id: z.string().max(255),
        action_ts: z.string().max(40),
        value: z.string().max(2000).optional(),
      }),
    )
    .min(1),
});
export type BlockActionPayload = z.infer<typeof blockActionPayloadSchema>;

const stateValueSchema = z.object({
  type: z.string().max(64),
  value: z.string().max(4000).nullish(),
  selected_option: z.object({ value: z.string().max(200) }).nullish(),
  selected_date_time: z.number().int().nullish(),
  selected_user: z.string().max(40).nullish(),
  selected_channel: z.string().max(40).nullish(),
  selected_conversation: z.string().max(40).nullish(),
});

export const viewSubmissionPayloadSchema = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id: userIdSchema }),
  view: z.object({
    id: z.string().min(1).max(64),
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).default(''),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), stateValueSchema)) }),
  }),
});
export type ViewSubmissionPayload = z.infer<typeof viewSubmissionPayloadSchema>;
export type ViewValues = ViewSubmissionPayload['view']['state']['values'];

/** `INC-7` in a button value: parsed, never trusted. */
export const incidentRefSchema = z
  .string()
  .regex(INCIDENT_REF_PATTERN)
  .transform((ref) => parseRef(ref)?.id ?? 0);

export const incidentMetadataSchema = z.object({
  incidentId: z.number().int().positive(),
  channelId: channelIdSchema,
});

export const declareMetadataSchema = z.object({ channelId: channelIdSchema });

/** Reads private_metadata (JSON we wrote, but it comes back through the network). */
export function parseMetadata<T>(schema: z.ZodType<T>, text: string): T | null {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** The text of an input block (blocks share their id with their element's action id). */
export function textValue(values: ViewValues, field: string): string {
  return values[field]?.[field]?.value?.trim() ?? '';
}

export function selectedValue(values: ViewValues, field: string): string | null {
  return values[field]?.[field]?.selected_option?.value ?? null;
}

/** datetimepicker answers in epoch seconds. */
export function dateTimeValue(values: ViewValues, field: string): number | null {
  const seconds = values[field]?.[field]?.selected_date_time;
  return typeof seconds === 'number' ? seconds * 1000 : null;
}
