import type { ExportService } from '../../../app/export-service';
import { COMMAND } from '../../../domain/command-name';
import { incidentRef } from '../../../domain/types';
import { exportRequestedText } from '../../blocks/export-messages';
import { ActionId } from '../../ids';
import { incidentRefSchema } from '../../parse';
import type { ActionSpec } from '../registry';

const UNKNOWN = `That button doesn't point at an incident in this channel. Use \`${COMMAND} status\` to find it.`;

/**
 * `incident_export` on the card: queues the markdown timeline for upload to the incident's channel. The ack
 * waits for the queueing to commit, so an acknowledged click always means the file is owed.
 */
export function exportButton(exports: ExportService): ActionSpec {
  return {
    actionId: ActionId.incidentExport,
    capability: 'responder',
    async run(ctx, deps) {
      const parsed = incidentRefSchema.safeParse(ctx.action.value ?? '');
      const incident = parsed.success ? deps.incidents.get(parsed.data) : null;
      const channelId = ctx.payload.channel?.id;
      // A button value is untrusted input: an incident of another channel is not exported here.
      if (!incident || (channelId && channelId !== incident.channelId)) return ctx.reply(UNKNOWN);
      await deps.write(() =>
        exports.requestUpload({
          incidentId: incident.id,
          format: 'markdown',
          requestedBy: ctx.actor,
          requestKey: ctx.clickKey,
        }),
      );
      deps.notify();
      await ctx.reply(exportRequestedText(incidentRef(incident.id), 'markdown'));
    },
  };
}
