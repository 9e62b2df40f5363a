import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { exportWorker } from '../../src/app/export-runner';
import { ExportService } from '../../src/app/export-service';
import { incidentRef } from '../../src/domain/types';
import type { BenchBot } from '../lib/bench-bot';
import { median, round, type Summary, summarize } from '../lib/stats';
import { type AckOptions, runOnce } from './ack-latency';
import { seed } from './export';

// Acknowledgements while a 10,000-event export or chain verification runs, against the same load with nothing else
// running, in the same bot, round by round. Four conditions:
// - quiet: the load alone;
// - export in the worker: the real path, an `export` request queued and drawn by the bot's export worker, then
//   uploaded to the stand-in, back to back for the whole run;
// - verify in a worker: ExportRunner.verify of the incident's stream, back to back;
// - export on the main thread: ExportService.exportIncident on the bot's own thread, as before the worker existed.

export type Condition = 'quiet' | 'export in the worker' | 'verify in a worker' | 'export on the main thread';
export const CONDITIONS: Condition[] = [
  'quiet',
  'export in the worker',
  'verify in a worker',
  'export on the main thread',
];

export interface UnderExportResult {
  events: number;
  inFlight: number;
  requestsPerRun: number;
  conditions: {
    condition: Condition;
    summary: Summary;
    /** Pooled p99 over the quiet runs' pooled p99. */
    p99Ratio: number;
    /** Each round's p99 over that round's quiet p99. */
    roundRatios: number[];
    /** Exports or verifications finished while the load ran, over all rounds. */
    jobs: number;
  }[];
}

export async function measureAckUnderExport(opts: {
  ack: AckOptions;
  bench: BenchBot;
  databasePath: string;
  events: number;
  inFlight: number;
  requestsPerRun: number;
  rounds: number;
}): Promise<UnderExportResult> {
  const incidentId = seed(opts.databasePath, opts.events);
  const stream = incidentRef(incidentId);
  const { store } = opts.bench.bot;
  const exports = new ExportService({ store, displayTimeZone: 'America/New_York', clock: () => new Date() });
  const verifier = exportWorker({
    databasePath: opts.databasePath,
    displayTimeZone: 'America/New_York',
    recordKey: null,
  });
  let uploads = 0;

  const background: Record<Condition, () => Promise<void>> = {
    quiet: async () => {},
    'export in the worker': async () => {
      uploads += 1;
      exports.requestUpload({ incidentId, format: 'json', requestedBy: 'U0RESP0001', requestKey: `bench-${uploads}` });
      opts.bench.bot.sender.kick();
      await opts.bench.bot.sender.drain();
    },
    'verify in a worker': async () => {
      await verifier.verify(stream);
    },
    'export on the main thread': async () => {
      exports.exportIncident(incidentId, 'json');
      await yieldToLoop();
    },
  };

  const samples = new Map<Condition, number[]>(CONDITIONS.map((c) => [c, []]));
  const perRound = new Map<Condition, number[]>(CONDITIONS.map((c) => [c, []]));
  const jobs = new Map<Condition, number>(CONDITIONS.map((c) => [c, 0]));
  try {
    for (let r = 0; r < opts.rounds; r += 1) {
      const order = CONDITIONS.map((_, i) => CONDITIONS[(i + r) % CONDITIONS.length]!);
      for (const condition of order) {
        let running = true;
        const loop = (async () => {
          while (running) {
            await background[condition]();
            if (running && condition !== 'quiet') jobs.set(condition, (jobs.get(condition) ?? 0) + 1);
            if (condition === 'quiet') return;
          }
        })();
        const result = await runOnce(opts.ack, opts.ack.bot, opts.inFlight, opts.requestsPerRun);
        running = false;
        await loop;
        await opts.bench.caughtUp();
        const failed = result.latenciesMs.length - (result.statuses['200'] ?? 0);
        if (failed > 0) throw new Error(`${failed} requests not answered 200 during "${condition}"`);
        samples.get(condition)?.push(...result.latenciesMs);
        perRound.get(condition)?.push(summarize(result.latenciesMs).p99);
        opts.ack.log(
          `  round ${r + 1}, ${condition.padEnd(26)} p99 ${summarize(result.latenciesMs).p99} ms, max ${summarize(result.latenciesMs).max} ms`,
        );
      }
    }
  } finally {
    await verifier.close();
  }
  const quiet = summarize(samples.get('quiet') ?? []);
  const quietRounds = perRound.get('quiet') ?? [];
  return {
    events: opts.events,
    inFlight: opts.inFlight,
    requestsPerRun: opts.requestsPerRun,
    conditions: CONDITIONS.map((condition) => {
      const summary = summarize(samples.get(condition) ?? []);
      return {
        condition,
        summary,
        p99Ratio: round(summary.p99 / quiet.p99),
        roundRatios: (perRound.get(condition) ?? []).map((p99, i) => round(p99 / (quietRounds[i] ?? Number.NaN))),
        jobs: jobs.get(condition) ?? 0,
      };
    }),
  };
}

export const medianRatio = (ratios: number[]) => round(median(ratios));
