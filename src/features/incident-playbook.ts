import { exportWorker, inProcessExports } from '../app/export-runner';
import { ExportService } from '../app/export-service';
import { incidentRenderer } from '../slack/incident-renderer';
import { incidentActions } from '../slack/listeners/actions/incident-actions';
import { incidentSubcommands } from '../slack/listeners/commands/incident-subcommands';
import { incidentViews } from '../slack/listeners/views/incident-views';
import type { FeatureFactory } from './feature';

/**
 * The compromise playbook (PRODUCT.md sections 2-4): declare, the four steps in the seed's order, notes and
 * resolve; the incident card and thread replies (`INC`); and the nudge when a key stays unrevoked.
 */
export const incidentPlaybook: FeatureFactory = (ctx) => {
  // Timeline files are drawn in a worker thread, so a 10,000-event export never holds the acks. An in-memory
  // database has no file another connection could open: there, the export runs on this thread.
  const { databasePath, displayTimeZone } = ctx.config;
  const exports =
    databasePath === ':memory:'
      ? inProcessExports(new ExportService({ store: ctx.store, clock: ctx.clock, displayTimeZone }))
      : exportWorker({ databasePath, displayTimeZone, recordKey: ctx.store.events.recordKey });
  return {
    feature: {
      actions: incidentActions,
      views: incidentViews,
      subcommands: incidentSubcommands,
    },
    renderers: { INC: incidentRenderer(ctx.store, ctx.incidents, exports) },
    tasks: [{ name: 'incident-nudges', run: () => ctx.incidents.runNudges() }],
    close: () => exports.close(),
  };
};
