import { setTimeout as delay } from 'node:timers/promises';
import type { LoadResult, LoadRun } from '../lib/load-worker';
import { type IncidentPool, planRequests, primerRequests } from '../lib/request-plan';
import { round, type Summary, summarize } from '../lib/stats';
import type { WorkerClient } from '../lib/ts-worker';

// The rate-limit signal intake under load: how many posts a second it records durably (each 202 means committed)
// with what p99, and what a stream of signals costs the Slack requests that share the process: their ack p99 while
// signals arrive, against the same requests without them, run after run.

export const SIGNAL_KEYS = 200;

/**
 * Count posts as a team's exporter sends them: one window per key per post, minute after minute, a few 429s each,
 * and one key in a hundred spiking now and then (each spike owes Slack one warning through the outbox).
 */
export function planSignalBodies(count: number, startMs: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const key = i % SIGNAL_KEYS;
    const minute = Math.floor(i / SIGNAL_KEYS);
    const spiking = key % 100 === 7 && minute % 30 === 29;
    return JSON.stringify({
      key: `bench-signal-key-${key}`,
      at: new Date(startMs + minute * 60_000).toISOString(),
      count: spiking ? 400 : (i * 7) % 4,
      total: 5000,
      windowSeconds: 60,
    });
  });
}

export interface SignalIntakeOptions {
  /** Two load workers: one plays Slack, the other the alert pipeline. */
  slackLoad: WorkerClient;
  signalLoad: WorkerClient;
  botUrl: string;
  signalsUrl: string;
  token: string;
  signingSecret: string;
  pool: IncidentPool;
  responseUrls: string[];
  settle(): Promise<void>;
  sustained: { posts: number; inFlight: number };
  acks: { inFlight: number; requestsPerRun: number; rounds: number; signalsInFlight: number };
  log(line: string): void;
}

export interface SignalIntakeResult {
  sustained: { summary: Summary; postsPerSec: number; statuses: Record<string, number>; failures: string[] };
  acks: {
    without: Summary;
    withSignals: Summary;
    p99Ratio: number;
    roundRatios: number[];
    signalPostsDuringRuns: number;
    signalStatuses: Record<string, number>;
  };
}

function slackRun(opts: SignalIntakeOptions): LoadRun {
  return {
    url: opts.botUrl,
    signingSecret: opts.signingSecret,
    bodies: planRequests(opts.acks.requestsPerRun, opts.responseUrls, opts.pool),
    concurrency: opts.acks.inFlight,
    primers: primerRequests(opts.acks.inFlight, opts.responseUrls[0]!),
  };
}

export async function measureSignalIntake(opts: SignalIntakeOptions): Promise<SignalIntakeResult> {
  // Windows start a day back, so every one is in the past for the bot's real clock.
  const startMs = Date.now() - 24 * 3_600_000;
  let offset = 0;
  const signalRun = (posts: number, inFlight: number): LoadRun => {
    const bodies = planSignalBodies(posts, startMs, offset);
    offset += posts;
    return { url: opts.signalsUrl, signingSecret: '', bodies, concurrency: inFlight, bearer: opts.token };
  };

  // Warm-up (JIT, statements, the keys' first windows), not measured.
  await opts.signalLoad.call<LoadResult>('run', signalRun(SIGNAL_KEYS * 2, 10));
  await opts.settle();

  const sustainedResult = await opts.signalLoad.call<LoadResult>(
    'run',
    signalRun(opts.sustained.posts, opts.sustained.inFlight),
  );
  await opts.settle();
  const sustained = {
    summary: summarize(sustainedResult.latenciesMs),
    postsPerSec: round((sustainedResult.latenciesMs.length / sustainedResult.wallMs) * 1000, 1),
    statuses: sustainedResult.statuses,
    failures: sustainedResult.failures,
  };
  opts.log(
    `  signals: ${sustained.postsPerSec} posts/s, p50 ${sustained.summary.p50} ms, p99 ${sustained.summary.p99} ms`,
  );

  const without: number[] = [];
  const withSignals: number[] = [];
  const roundRatios: number[] = [];
  let signalPostsDuringRuns = 0;
  const signalStatuses: Record<string, number> = {};
  for (let r = 0; r < opts.acks.rounds; r += 1) {
    const p99s: Record<'without' | 'with', number> = { without: Number.NaN, with: Number.NaN };
    for (const mode of r % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
      let background: Promise<LoadResult> | null = null;
      if (mode === 'with') {
        // More posts than the run can take: the background load is stopped when the measured run ends.
        background = opts.signalLoad.call<LoadResult>('run', signalRun(50_000, opts.acks.signalsInFlight));
        await delay(200); // let it reach its pace before the measured requests start
      }
      const result = await opts.slackLoad.call<LoadResult>('run', slackRun(opts));
      if (background) {
        await opts.signalLoad.call('stop');
        const signals = await background;
        signalPostsDuringRuns += signals.latenciesMs.length;
        for (const [status, n] of Object.entries(signals.statuses))
          signalStatuses[status] = (signalStatuses[status] ?? 0) + n;
      }
      await opts.settle();
      (mode === 'with' ? withSignals : without).push(...result.latenciesMs);
      const summary = summarize(result.latenciesMs);
      p99s[mode] = summary.p99;
      opts.log(
        `  acks ${mode === 'with' ? 'while signals arrive' : 'without signals     '}, round ${r + 1}: p50 ${summary.p50} ms, p99 ${summary.p99} ms`,
      );
    }
    roundRatios.push(round(p99s.with / p99s.without));
  }
  const a = summarize(without);
  const b = summarize(withSignals);
  return {
    sustained,
    acks: {
      without: a,
      withSignals: b,
      p99Ratio: round(b.p99 / a.p99),
      roundRatios,
      signalPostsDuringRuns,
      signalStatuses,
    },
  };
}
