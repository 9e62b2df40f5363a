import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { testDistBuilt } from '../config';
import type { ExportFormatName } from '../domain/command';
import type { RecordKey } from '../domain/event-chain';
import type { ExportService, IncidentExport, RecordVerdict } from './export-service';

/** Exports and verification for the running bot, answered without holding its event loop. */
export interface ExportRunner {
  exportIncident(incidentId: number, format: ExportFormatName): Promise<IncidentExport | null>;
  verify(stream?: string): Promise<RecordVerdict | null>;
  close(): Promise<void>;
}

export interface ExportWorkerData {
  databasePath: string;
  displayTimeZone: string;
  /** RECORD_KEY: without it the worker could not check a keyed chain, and would call every export broken. */
  recordKey: RecordKey;
}

type ExportRequest =
  | { method: 'exportIncident'; incidentId: number; format: ExportFormatName }
  | { method: 'verify'; stream?: string };

export type ExportJob = ExportRequest & { id: number };

export type ExportReply =
  | { id: number; ok: true; value: IncidentExport | RecordVerdict | null }
  | { id: number; ok: false; message: string };

/** On the calling thread: for an in-memory database, which no other connection can open. */
export function inProcessExports(service: ExportService): ExportRunner {
  return {
    exportIncident: async (incidentId, format) => service.exportIncident(incidentId, format),
    verify: async (stream) => service.verify(stream),
    close: async () => {},
  };
}

/**
 * The compiled bundle sits beside dist/export-worker.js. Run from the sources (tests, `npm run demo`), the worker is
 * TypeScript, and a worker does not inherit the tsx loader: it registers tsx itself before importing the module.
 */
function startWorker(data: ExportWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./export-worker.js', here), { workerData: data });
  // Under the test run, dist/ was just built from these sources (test/support/build-dist.ts): its worker starts in
  // milliseconds, where booting tsx in every bot's worker costs seconds on a busy machine.
  if (testDistBuilt()) {
    return new Worker(new URL('../../dist/export-worker.js', here), { workerData: data });
  }
  const tsx = tsxEsmApi(here);
  const entry = new URL('./export-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

/** tsx's ESM API, whose register() a worker can call (its CommonJS twin registers a path that does not exist). */
function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ESM API to run the export worker from the sources');
  return new URL(entry, pathToFileURL(manifest)).href;
}

/**
 * A worker thread with its own read-only connection, started on the first request (an idle bot pays nothing for
 * it) and started again if it ever dies. Requests queue in the worker and are answered in order.
 */
export function exportWorker(data: ExportWorkerData): ExportRunner {
  let worker: Worker | null = null;
  let nextId = 0;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  const failAll = (error: Error) => {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };
  const ensure = (): Worker => {
    if (worker) return worker;
    const started = startWorker(data);
    started.unref(); // an idle worker never keeps the process alive
    started.on('message', (reply: ExportReply) => {
      const waiter = waiting.get(reply.id);
      if (!waiter) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) started.unref();
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.message));
    });
    started.on('error', (error) => {
      worker = null;
      failAll(error);
    });
    started.on('exit', (code) => {
      if (worker !== started) return;
      worker = null;
      failAll(new Error(`the export worker stopped (exit code ${code})`));
    });
    worker = started;
    return started;
  };
  const call = <T>(job: ExportRequest): Promise<T> => {
    nextId += 1;
    const id = nextId;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const target = ensure();
      target.ref(); // a request in flight keeps the process alive until it is answered
      target.postMessage({ ...job, id });
    });
  };

  return {
    exportIncident: (incidentId, format) => call({ method: 'exportIncident', incidentId, format }),
    verify: (stream) => call(stream === undefined ? { method: 'verify' } : { method: 'verify', stream }),
    async close() {
      const stopping = worker;
      worker = null;
      failAll(new Error('the export worker was closed'));
      if (stopping) await stopping.terminate();
    },
  };
}
