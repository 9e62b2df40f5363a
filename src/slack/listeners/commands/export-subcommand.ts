import type { ExportService } from '../../../app/export-service';
import { incidentRef } from '../../../domain/types';
import { exportNoIncidentText, exportRequestedText } from '../../blocks/export-messages';
import type { Subcommand } from './command-context';

/**
 * `/paykore-incident export [INC-n] [format=…]`: queues the timeline for upload to the incident's channel.
 * Without an id it exports the channel's open incident; a resolved one is named.
 */
export function exportSubcommand(exports: ExportService): Subcommand<'export'> {
  return {
    capability: 'responder',
    async run(command, ctx, deps) {
      const incident =
        command.incidentId === null
          ? deps.incidents.openInChannel(ctx.channelId)
          : deps.incidents.get(command.incidentId);
      if (!incident) {
        return {
          text:
            command.incidentId === null
              ? exportNoIncidentText()
              : `I can't find ${incidentRef(command.incidentId)} in this channel.`,
        };
      }
      // An incident of another channel is not uploaded here: its timeline is for the people who handled it.
      if (incident.channelId !== ctx.channelId)
        return { text: `I can't find ${incidentRef(incident.id)} in this channel.` };
      await deps.write(() =>
        exports.requestUpload({
          incidentId: incident.id,
          format: command.format,
          requestedBy: ctx.actor,
          requestKey: ctx.commandKey,
        }),
      );
      deps.notify();
      return { text: exportRequestedText(incidentRef(incident.id), command.format) };
    },
  };
}
