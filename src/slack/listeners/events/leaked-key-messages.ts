import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { LeakService } from '../../../app/leak-service';
import { findSecretKeysAnywhere } from '../../../domain/key-detector';
import { leakRef } from '../../../domain/leak';
import type { SharedFileReader } from '../../shared-file-text';
import type { ListenerDeps } from '../registry';
import { messageEnvelopeSchema, postedMessage } from './message-event';

/**
 * Messages in channels the bot is in (message.channels, message.groups, and their edits): each secret key gets one
 * threaded warning. Slack redelivers events (X-Slack-Retry-Num); a redelivery finds its sighting already recorded
 * and warns no one, so the handler never needs to look at the retry headers.
 */
export function leakedKeyMessages(
  app: App,
  leaks: LeakService,
  deps: ListenerDeps,
  readFiles: SharedFileReader = async () => [],
): void {
  app.event('message', async (args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
    const parsed = messageEnvelopeSchema.safeParse(args.body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.length }, 'malformed message event ignored');
      return;
    }
    const message = postedMessage(parsed.data, { botId: args.context.botId, botUserId: args.context.botUserId });
    if (!message) return;
    const fileTexts =
      message.files.length > 0
        ? await readFiles(message.files).catch((error: unknown) => {
            deps.logger.warn({ channelId: message.channelId, error }, 'a shared file could not be read for keys');
            return [];
          })
        : [];
    const keys = findSecretKeysAnywhere([message.text, ...fileTexts].join('\n\n'));
    if (keys.length === 0) return;
    const seen = await deps.write(() =>
      leaks.recordMessage({
        channelId: message.channelId,
        messageTs: message.ts,
        threadTs: message.threadTs,
        poster: message.poster,
        exposedAt: message.visibleAt,
        eventId: parsed.data.event_id,
        keys,
      }),
    );
    const fields = {
      channelId: message.channelId,
      messageTs: message.ts,
      eventId: parsed.data.event_id,
      retryNum: args.context.retryNum ?? 0,
      leaks: seen.map((s) => `${leakRef(s.leak.id)}:${s.notice}`),
    };
    if (seen.length === 0) {
      deps.logger.debug(fields, 'message with a key already warned about (a redelivery or an edit)');
      return;
    }
    deps.logger.warn(fields, 'secret key seen in a channel message');
    deps.notify();
  });
}
