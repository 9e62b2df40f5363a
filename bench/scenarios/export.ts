import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IncidentService } from '../../src/app/incident-service';
import { createStore } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { EXPORT_FORMATS, type ExportFormatName } from '../../src/domain/command';
import { benchDir } from '../lib/bench-bot';
import { median, round } from '../lib/stats';

const run = promisify(execFile);

export interface ExportFormatResult {
  format: ExportFormatName;
  /** The first export in a fresh process: what a person asking for the file once waits. */
  firstMs: number;
  /** Median of the repeats after it (warm). */
  warmMs: number;
  bytes: number;
  verified: boolean;
  /** The process's high-water mark (node, modules, database and the export). */
  peakRssMb: number;
  /** Resident memory just before exporting, for the export's own share. */
  rssBeforeMb: number;
}

export interface ExportResult {
  events: number;
  seedMs: number;
  formats: ExportFormatResult[];
}

/**
 * One incident with `events` events: opened, key revoked, then notes, all through the use-cases, a few seconds
 * apart (10,000 events span about a day), so every event's time is formatted afresh.
 */
export function seed(path: string, events: number): number {
  const db = openDatabase(path);
  let now = Date.UTC(2026, 10, 27, 9, 0, 0);
  const clock = () => {
    now += 8_641;
    return new Date(now);
  };
  const incidents = new IncidentService({ store: createStore(db), clock, revokeNudgeMinutes: 5 });
  let incidentId = 0;
  db.transaction(() => {
    const opened = incidents.open({
      channelId: 'C0EXPORT001',
      actor: 'U0RESP0001',
      keyLabel: 'checkout-production-v3',
      environment: 'production',
      keyMode: 'live',
      exposureStart: null,
      revokedAt: null,
      how: 'pasted in a public gist',
      idempotencyKey: 'export-bench-open',
    });
    if (opened.kind !== 'done') throw new Error('could not open the export incident');
    incidentId = opened.value.id;
    incidents.completeStep({
      incidentId,
      channelId: null,
      step: 'revoke',
      actor: 'U0RESP0001',
      details: {},
      idempotencyKey: 'export-bench-revoke',
    });
    for (let i = 0; i < events - 2; i += 1) {
      incidents.addNote({
        incidentId,
        channelId: null,
        actor: i % 2 === 0 ? 'U0RESP0001' : 'U0RESP0002',
        text: `Checked the request logs for window ${i}: no calls from unknown IPs, nothing to report for this hour.`,
        idempotencyKey: `export-bench-note-${i}`,
      });
    }
  })();
  db.close();
  return incidentId;
}

export async function measureExport(opts: { events: number; repeats: number }): Promise<ExportResult> {
  const dir = benchDir('export');
  const path = join(dir, 'export.sqlite');
  try {
    const seedStarted = performance.now();
    const incidentId = seed(path, opts.events);
    const seedMs = performance.now() - seedStarted;
    const child = new URL('./export-child.ts', import.meta.url).pathname;
    const formats: ExportFormatResult[] = [];
    for (const format of EXPORT_FORMATS) {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', child, path, format, String(incidentId), String(opts.repeats)],
        { maxBuffer: 1024 * 1024 },
      );
      const line = JSON.parse(stdout.trim()) as {
        timesMs: number[];
        bytes: number;
        verified: boolean;
        rssBeforeMb: number;
        peakRssMb: number;
      };
      formats.push({
        format,
        firstMs: round(line.timesMs[0] ?? Number.NaN),
        warmMs: round(median(line.timesMs.slice(1))),
        bytes: line.bytes,
        verified: line.verified,
        peakRssMb: round(line.peakRssMb, 1),
        rssBeforeMb: round(line.rssBeforeMb, 1),
      });
    }
    return { events: opts.events, seedMs: round(seedMs, 0), formats };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
