import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../app/logger';

// One line per request Slack sends, after its listeners finish: what it was (by the ids Slack or we chose, never
// its text), who sent it, how long it took and how it ended. Payload text stays out: people paste keys into it.

export type RequestKind = 'command' | 'action' | 'view' | 'event' | 'options' | 'shortcut' | 'other';

export interface RequestSummary {
  request: RequestKind;
  /** `/paykore-incident start`, an action_id, a callback_id or an event type. */
  id: string;
  eventId?: string;
  user?: string;
  channel?: string;
}

const id = z.string().max(255);
const slackId = z.string().regex(/^[A-Z0-9]{2,40}$/);
// Ids that do not look like Slack's are left out of the line rather than making the request unrecognisable.
const maybeId = slackId.optional().catch(undefined);
const userOf = z.object({ id: slackId }).optional().catch(undefined);
const channelOf = z.object({ id: slackId }).nullish().catch(undefined);

const commandSchema = z.object({
  command: z.string().regex(/^\/[\w-]{1,40}$/),
  text: z.string().optional(),
  user_id: maybeId,
  channel_id: maybeId,
});
const actionSchema = z.object({
  type: z.enum(['block_actions', 'interactive_message']),
  actions: z.array(z.object({ action_id: id.optional(), name: id.optional() })).min(1),
  user: userOf,
  channel: channelOf,
});
const viewSchema = z.object({
  type: z.enum(['view_submission', 'view_closed']),
  view: z.object({ callback_id: id }),
  user: userOf,
});
const eventSchema = z.object({
  type: z.literal('event_callback'),
  event_id: id.optional(),
  event: z.object({
    type: id,
    subtype: id.optional(),
    user: z
      .union([slackId, z.object({ id: slackId })])
      .optional()
      .catch(undefined),
    channel: z
      .union([slackId, z.object({ id: slackId })])
      .optional()
      .catch(undefined),
  }),
});
const otherSchema = z.object({ type: id, callback_id: id.optional(), action_id: id.optional(), user: userOf });

// The first word of a command picks the subcommand; anything else there is a person's text and is not logged.
const SUBCOMMAND = /^[a-z]{1,20}$/;

const idOf = (value: string | { id: string } | undefined) => (typeof value === 'object' ? value.id : value);

/** What a request body is, for the log; `other` when it is none of the shapes the bot listens to. */
export function summarizeRequest(body: unknown): RequestSummary {
  const command = commandSchema.safeParse(body);
  if (command.success) {
    const word = command.data.text?.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const sub = word === '' ? '' : SUBCOMMAND.test(word) ? ` ${word}` : ' (text)';
    return {
      request: 'command',
      id: `${command.data.command}${sub}`,
      user: command.data.user_id,
      channel: command.data.channel_id,
    };
  }
  const action = actionSchema.safeParse(body);
  if (action.success) {
    const first = action.data.actions[0];
    return {
      request: 'action',
      id: first?.action_id ?? first?.name ?? 'unknown',
      user: action.data.user?.id,
      channel: action.data.channel?.id,
    };
  }
  const view = viewSchema.safeParse(body);
  if (view.success) return { request: 'view', id: view.data.view.callback_id, user: view.data.user?.id };
  const event = eventSchema.safeParse(body);
  if (event.success) {
    const { type, subtype, user, channel } = event.data.event;
    return {
      request: 'event',
      id: subtype ? `${type}.${subtype}` : type,
      eventId: event.data.event_id,
      user: idOf(user),
      channel: idOf(channel),
    };
  }
  const other = otherSchema.safeParse(body);
  if (!other.success) return { request: 'other', id: 'unknown' };
  const kind: RequestKind =
    other.data.type === 'block_suggestion'
      ? 'options'
      : /shortcut|message_action/.test(other.data.type)
        ? 'shortcut'
        : 'other';
  return {
    request: kind,
    id: other.data.callback_id ?? other.data.action_id ?? other.data.type,
    user: other.data.user?.id,
  };
}

/**
 * A global middleware that writes the request's line once every listener has finished (Bolt's `next()` waits for
 * them). `outcome` is `ok`, or `error` with the error's code when a listener threw.
 */
export function requestLog(logger: Logger, now: () => number = () => performance.now()): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const started = now();
    const summary = summarizeRequest(body);
    const retryNum = typeof context.retryNum === 'number' ? { retryNum: context.retryNum } : {};
    try {
      await next();
      logger.info(
        { ...summary, ...retryNum, durationMs: Math.round(now() - started), outcome: 'ok' },
        `handled ${summary.request} ${summary.id}`,
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      logger.warn(
        {
          ...summary,
          ...retryNum,
          durationMs: Math.round(now() - started),
          outcome: 'error',
          error: typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown',
        },
        `failed ${summary.request} ${summary.id}`,
      );
      throw error;
    }
  };
}
