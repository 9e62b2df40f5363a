import { ExportService } from '../app/export-service';
import { exportButton } from '../slack/listeners/actions/export-button';
import { exportSubcommand } from '../slack/listeners/commands/export-subcommand';
import type { FeatureFactory } from './feature';

/**
 * The post-incident timeline export (PRODUCT.md section 5): the `export` subcommand and the card's export
 * button. Both queue a `file` message for the incident; the INC renderer draws the file when it is sent, and
 * IncidentService.resolve queues one of its own.
 */
export const timelineExport: FeatureFactory = (ctx) => {
  const exports = new ExportService({
    store: ctx.store,
    displayTimeZone: ctx.config.displayTimeZone,
    clock: ctx.clock,
  });
  return {
    feature: {
      actions: [exportButton(exports)],
      subcommands: { export: exportSubcommand(exports) },
    },
  };
};
