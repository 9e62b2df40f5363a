import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { LeakService } from '../../../app/leak-service';
import { leakRef } from '../../../domain/leak';
import { typedKeyInFormNotice } from '../../blocks/leak-messages';
import { channelIdSchema, parseMetadata, viewSubmissionPayloadSchema } from '../../parse';
import type { ListenerDeps } from '../registry';
import { keysInSubmission } from '../secret-fields';

// Every modal of the bot carries its channel in private_metadata.
const channelMetadataSchema = z.object({ channelId: channelIdSchema });

/**
 * The registry refuses any form holding a secret key before its handler runs. This runs after that answer:
 * it records the exposure (mode, last four, fingerprint) and tells the person, in the form's channel, with the
 * offer to open an incident.
 */
export function leakedKeyForms(app: App, leaks: LeakService, deps: ListenerDeps): void {
  app.use(async ({ body, next, client }) => {
    await next();
    if ((body as { type?: unknown }).type !== 'view_submission') return;
    const parsed = viewSubmissionPayloadSchema.safeParse(body);
    if (!parsed.success) return;
    const { user, view } = parsed.data;
    const keys = keysInSubmission(view.state.values);
    if (keys.length === 0) return;
    const metadata = parseMetadata(channelMetadataSchema, view.private_metadata);
    if (!metadata) {
      deps.logger.warn(
        { callbackId: view.callback_id },
        'secret key typed into a form without a channel: not recorded',
      );
      return;
    }
    const found = await deps.write(() =>
      leaks.recordTyped({
        source: 'modal',
        channelId: metadata.channelId,
        actor: user.id,
        sourceKey: `view:${view.id}`,
        keys,
      }),
    );
    deps.logger.warn(
      { callbackId: view.callback_id, channelId: metadata.channelId, leaks: found.map((leak) => leakRef(leak.id)) },
      'secret key typed into a form: refused',
    );
    const notice = typedKeyInFormNotice(found);
    try {
      await client.chat.postEphemeral({ channel: metadata.channelId, user: user.id, ...notice });
    } catch (error) {
      deps.logger.warn(
        { error, channelId: metadata.channelId },
        'could not tell the person about the key in their form',
      );
    }
  });
}
