import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open-database';
import { systemClock } from './clock';
import type { ExportJob, ExportReply, ExportWorkerData } from './export-runner';
import { ExportService } from './export-service';
import { createStore } from './store';

// The worker thread behind ExportRunner: exports and chain verification read thousands of events and hash each
// one, which would hold the bot's event loop (and every ack) for the whole time. Here they run on a connection of
// their own, read-only, so they cannot change the record they report on; WAL lets it read while the bot writes.

const { databasePath, displayTimeZone, recordKey } = workerData as ExportWorkerData;
let exports: ExportService | null = null;

/** Opened on the first job, and again after a failed open: each job gets a sentence, never a dead worker. */
function service(): ExportService {
  if (exports) return exports;
  try {
    const db = openDatabase(databasePath, { readonly: true });
    exports = new ExportService({ store: createStore(db, { recordKey }), displayTimeZone, clock: systemClock });
    return exports;
  } catch (error) {
    throw new Error(
      `The export worker could not open the database: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

parentPort?.on('message', (job: ExportJob) => {
  let reply: ExportReply;
  try {
    const exports = service();
    const value =
      job.method === 'exportIncident' ? exports.exportIncident(job.incidentId, job.format) : exports.verify(job.stream);
    reply = { id: job.id, ok: true, value };
  } catch (error) {
    reply = { id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
