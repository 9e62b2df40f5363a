import type { LoadResult, LoadRun } from '../lib/load-worker';
import { type IncidentPool, planRequests, primerRequests } from '../lib/request-plan';
import { round, type Summary, summarize } from '../lib/stats';
import type { WorkerClient } from '../lib/ts-worker';

export interface AckTarget {
  name: 'bot' | 'baseline';
  url: string;
  /** Waits until the target has finished everything the last run started (the bot: its outbox). */
  settle(): Promise<void>;
  /** The bot's group-commit counters: pieces written and commits made so far. */
  commits?(): { pieces: number; commits: number };
}

export interface AckRun {
  target: 'bot' | 'baseline';
  round: number;
  summary: Summary;
  throughputPerSec: number;
  statuses: Record<string, number>;
  failures: string[];
  /** How long the bot then took to finish sending what the run owed Slack (not part of any ack). */
  settleMs: number;
  /** During the measured requests only (the bot): writes and the commits they shared. */
  groupCommit?: { pieces: number; commits: number };
}

export interface AckLevel {
  inFlight: number;
  requestsPerRun: number;
  bot: Summary;
  baseline: Summary;
  p99Ratio: number;
  /** Each round's bot p99 over the bare Bolt p99 of the run beside it: drift between rounds cancels out. */
  roundRatios: number[];
  runs: AckRun[];
}

export interface AckOptions {
  load: WorkerClient;
  signingSecret: string;
  bot: AckTarget;
  baseline: AckTarget;
  pool: IncidentPool;
  responseUrls: string[];
  levels: { inFlight: number; requestsPerRun: number }[];
  rounds: number;
  log(line: string): void;
}

export async function runOnce(
  opts: AckOptions,
  target: AckTarget,
  inFlight: number,
  count: number,
): Promise<LoadResult> {
  const bodies = planRequests(count, opts.responseUrls, target.name === 'bot' ? opts.pool : null);
  const plan: LoadRun = {
    url: target.url,
    signingSecret: opts.signingSecret,
    bodies,
    concurrency: inFlight,
    primers: primerRequests(inFlight, opts.responseUrls[0]!),
  };
  return opts.load.call<LoadResult>('run', plan);
}

/** Warms both apps (JIT, connections, statement caches) with runs that are not recorded. */
export async function warmUp(opts: AckOptions, count: number): Promise<void> {
  for (const target of [opts.bot, opts.baseline]) {
    await runOnce(opts, target, 20, count);
    await target.settle();
  }
}

/**
 * Each level runs `rounds` times, bot and baseline back to back, alternating which goes first, so drift on a
 * shared machine lands on both. Each run's samples are kept; the level's figures pool every run.
 */
export async function measureAckLatency(opts: AckOptions): Promise<AckLevel[]> {
  const levels: AckLevel[] = [];
  for (const { inFlight, requestsPerRun } of opts.levels) {
    const runs: AckRun[] = [];
    const samples = { bot: [] as number[], baseline: [] as number[] };
    for (let r = 0; r < opts.rounds; r += 1) {
      const order = r % 2 === 0 ? [opts.bot, opts.baseline] : [opts.baseline, opts.bot];
      for (const target of order) {
        const before = target.commits?.();
        const result = await runOnce(opts, target, inFlight, requestsPerRun);
        const after = target.commits?.();
        const settleStarted = performance.now();
        await target.settle();
        const settleMs = performance.now() - settleStarted;
        samples[target.name].push(...result.latenciesMs);
        const run: AckRun = {
          target: target.name,
          round: r,
          summary: summarize(result.latenciesMs),
          throughputPerSec: round((requestsPerRun / result.wallMs) * 1000, 1),
          statuses: result.statuses,
          failures: result.failures,
          settleMs: round(settleMs, 1),
          ...(before && after
            ? { groupCommit: { pieces: after.pieces - before.pieces, commits: after.commits - before.commits } }
            : {}),
        };
        runs.push(run);
        opts.log(
          `  ${inFlight} in flight, round ${r + 1}, ${target.name.padEnd(8)} p50 ${run.summary.p50} ms, p99 ${run.summary.p99} ms, max ${run.summary.max} ms, ${run.throughputPerSec}/s${target.name === 'bot' ? `, outbox caught up in ${run.settleMs} ms` : ''}`,
        );
      }
    }
    const bot = summarize(samples.bot);
    const baseline = summarize(samples.baseline);
    const roundRatios = Array.from({ length: opts.rounds }, (_, r) => {
      const p99 = (name: string) =>
        runs.find((run) => run.round === r && run.target === name)?.summary.p99 ?? Number.NaN;
      return round(p99('bot') / p99('baseline'));
    });
    levels.push({
      inFlight,
      requestsPerRun,
      bot,
      baseline,
      p99Ratio: round(bot.p99 / baseline.p99),
      roundRatios,
      runs,
    });
  }
  return levels;
}
