import { z } from 'zod';
import { channelIdSchema } from '../../parse';
import { type SharedFile, sharedFileSchema } from '../../shared-file-text';

// The parts of a `message` event (message.channels, message.groups) that leak detection reads. Slack caps a
// message at 40,000 characters; the limits here are looser so an odd message is still scanned, not dropped.

const tsSchema = z.string().regex(/^\d{1,12}\.\d{1,7}$/, 'not a Slack ts');

const messageSchema = z.object({
  subtype: z.string().max(64).optional(),
  user: z.string().max(40).optional(),
  bot_id: z.string().max(40).optional(),
  text: z.string().max(200_000).optional(),
  ts: tsSchema,
  thread_ts: tsSchema.optional(),
  edited: z.object({ ts: tsSchema }).optional(),
  // Unfurls, bot attachments and Block Kit: walked for text, whatever their shape.
  attachments: z.array(z.unknown()).max(100).optional(),
  blocks: z.array(z.unknown()).max(100).optional(),
  // Shared files: each parsed on its own below, so one odd file never stops the message being scanned.
  files: z.array(z.unknown()).max(100).optional(),
  topic: z.string().max(10_000).optional(),
  purpose: z.string().max(10_000).optional(),
});

export const messageEnvelopeSchema = z.object({
  event_id: z.string().min(1).max(100),
  event: messageSchema.extend({
    type: z.literal('message'),
    channel: channelIdSchema,
    event_ts: tsSchema.optional(),
    /** For `message_changed`: the message as it is now. */
    message: messageSchema.optional(),
  }),
});
export type MessageEnvelope = z.infer<typeof messageEnvelopeSchema>;

/**
 * Subtypes that carry text a person (or another bot) put in the channel. Others (message_deleted, channel_join,
 * message_replied …) are ignored: a deletion shows nothing new.
 */
const SCANNED = new Set([
  undefined,
  'message_changed',
  'thread_broadcast',
  'file_share',
  'me_message',
  'bot_message',
  'channel_topic',
  'channel_purpose',
  'group_topic',
  'group_purpose',
]);

export interface PostedMessage {
  channelId: string;
  ts: string;
  threadTs: string;
  poster: string;
  /** Epoch ms when what is in it became visible: the edit time for an edit, the message time otherwise. */
  visibleAt: number;
  text: string;
  /** Files shared with it: their text is read and scanned too. */
  files: SharedFile[];
}

/** Slack ts (`seconds.micros`) to epoch milliseconds, without floating-point rounding. */
export function slackTsToMs(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
}

/** The message a person can now read, or null for subtypes that show nothing new and for the bot's own messages. */
export function postedMessage(
  envelope: MessageEnvelope,
  self: { botId?: string; botUserId?: string },
): PostedMessage | null {
  const { event } = envelope;
  if (!SCANNED.has(event.subtype)) return null;
  const message = event.subtype === 'message_changed' ? event.message : event;
  if (!message) return null;
  // Bolt's ignoreSelf misses edits of our own messages (the bot ids sit inside `message`): check both places.
  const poster = message.user ?? message.bot_id ?? 'unknown';
  if (self.botUserId && message.user === self.botUserId) return null;
  if (self.botId && message.bot_id === self.botId) return null;
  return {
    channelId: event.channel,
    ts: message.ts,
    threadTs: message.thread_ts ?? message.ts,
    poster,
    visibleAt: slackTsToMs(message.edited?.ts ?? message.ts),
    text: [
      message.text ?? '',
      ...(message.topic ? [message.topic] : []),
      ...(message.purpose ? [message.purpose] : []),
      ...strings(message.attachments),
      ...strings(message.blocks),
    ].join('\n'),
    files: (message.files ?? []).flatMap((file) => {
      const parsed = sharedFileSchema.safeParse(file);
      return parsed.success ? [parsed.data] : [];
    }),
  };
}

const MAX_DEPTH = 12;

/** Every string inside attachments or blocks (rich text, fields, unfurl titles, code), one per line. */
function strings(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return [];
  const inner = Array.isArray(value) ? value : Object.values(value);
  return inner.flatMap((item) => strings(item, depth + 1));
}
