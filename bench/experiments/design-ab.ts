// The design changes made for the acknowledgement goals, each undone in one copy of the bot, all copies run side by
// side in one process, interleaved: `npx tsx bench/experiments/design-ab.ts` (about two minutes). Undoing is done
// from outside, so it approximates the code before each change:
//  - "24 Bolt listeners": 22 extra no-op listeners, as each action and view had its own before (24 in all);
//  - "sender commits alone": the outbox sender's lease, sent mark and card ts each committed on their own.
import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type BenchBot, SIGNING_SECRET, startBenchBot } from '../lib/bench-bot';
import type { LoadResult } from '../lib/load-worker';
import { IncidentPool, planRequests, primerRequests } from '../lib/request-plan';
import { median, round, summarize } from '../lib/stats';
import { startTsWorker, WorkerClient } from '../lib/ts-worker';

const ROUNDS = Number(process.env.AB_ROUNDS ?? 6);
const REQUESTS = Number(process.env.AB_REQUESTS ?? 300);
const IN_FLIGHT = Number(process.env.AB_IN_FLIGHT ?? 50);

type Variant = { name: string; bench: BenchBot; pool: IncidentPool };

const standIn = new WorkerClient(
  startTsWorker(new URL('../lib/stand-in-worker.ts', import.meta.url), { strict: true }),
);
const load = new WorkerClient(startTsWorker(new URL('../lib/load-worker.ts', import.meta.url), {}));
const { url: slackApiUrl } = await standIn.call<{ url: string }>('info');
const responseUrls = await standIn.call<string[]>('responseUrls', 100);

async function variant(name: string, undo: (bench: BenchBot) => void): Promise<Variant> {
  const bench = await startBenchBot(slackApiUrl);
  undo(bench);
  return { name, bench, pool: IncidentPool.seed(bench.bot.db, bench.bot.incidents, (ROUNDS + 1) * REQUESTS) };
}

const variants = [
  await variant('as built', () => {}),
  await variant('24 Bolt listeners', (bench) => {
    for (let i = 0; i < 22; i += 1) {
      const noop = async ({ ack }: SlackActionMiddlewareArgs & AllMiddlewareArgs) => ack();
      if (i % 3 === 0) bench.bot.app.view(`unused_view_${i}`, async ({ ack }) => ack());
      else bench.bot.app.action(`unused_action_${i}`, noop);
    }
  }),
  await variant('sender commits alone', (bench) => {
    (bench.bot.sender as unknown as { write: unknown }).write = async <T>(work: () => T) => work();
  }),
];

const results = new Map(
  variants.map((v) => [v.name, { p99: [] as number[], perSec: [] as number[], catchUpMs: [] as number[] }]),
);
for (let r = -1; r < ROUNDS; r += 1) {
  const order = r % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) {
    const bodies = planRequests(REQUESTS, responseUrls, v.pool);
    const run = await load.call<LoadResult>('run', {
      url: v.bench.url,
      signingSecret: SIGNING_SECRET,
      bodies,
      concurrency: IN_FLIGHT,
      primers: primerRequests(IN_FLIGHT, responseUrls[0]!),
    });
    const t = performance.now();
    await v.bench.caughtUp();
    if (r < 0) continue; // warm-up round
    const entry = results.get(v.name)!;
    entry.p99.push(summarize(run.latenciesMs).p99);
    entry.perSec.push((REQUESTS / run.wallMs) * 1000);
    entry.catchUpMs.push(performance.now() - t);
  }
}
console.log(`${IN_FLIGHT} in flight, ${REQUESTS} requests per run, ${ROUNDS} rounds; medians of the runs`);
for (const [name, entry] of results) {
  console.log(
    `${name.padEnd(24)} ack p99 ${round(median(entry.p99), 1)} ms, ${round(median(entry.perSec), 0)} acks/s, outbox caught up in ${round(median(entry.catchUpMs), 0)} ms`,
  );
}
for (const v of variants) await v.bench.close();
await load.call('close');
await load.close();
await standIn.call('close');
await standIn.close();
