import { TEST_BOT_TOKEN } from '../test/support/slack-stand-in';
import { startBareBolt } from './lib/bare-bolt';
import { SIGNING_SECRET, startBenchBot } from './lib/bench-bot';
import { IncidentPool } from './lib/request-plan';
import { startTsWorker, WorkerClient } from './lib/ts-worker';
import { measureAckLatency, warmUp } from './scenarios/ack-latency';

const standIn = new WorkerClient(startTsWorker(new URL('./lib/stand-in-worker.ts', import.meta.url), { strict: true }));
const load = new WorkerClient(startTsWorker(new URL('./lib/load-worker.ts', import.meta.url), {}));
const { url } = await standIn.call<{ url: string }>('info');
const bb = await startBenchBot(url);
const base = await startBareBolt({ signingSecret: SIGNING_SECRET, token: TEST_BOT_TOKEN, slackApiUrl: url });
const levels = (process.env.PROBE_LEVELS ?? '20:150,50:200').split(',').map((s) => {
  const [a, b] = s.split(':');
  return { inFlight: Number(a), requestsPerRun: Number(b) };
});
const rounds = Number(process.env.PROBE_ROUNDS ?? 4);
const pool = IncidentPool.seed(
  bb.bot.db,
  bb.bot.incidents,
  100 + rounds * levels.reduce((s, l) => s + l.requestsPerRun, 0),
);
const opts = {
  load,
  signingSecret: SIGNING_SECRET,
  bot: { name: 'bot' as const, url: bb.url, settle: () => bb.caughtUp() },
  baseline: { name: 'baseline' as const, url: base.url, settle: async () => {} },
  pool,
  responseUrls: await standIn.call<string[]>('responseUrls', 100),
  levels,
  rounds,
  log: (l: string) => console.log(l),
};
await warmUp(opts, 200);
const before = { ...bb.bot.groupCommit.stats };
const t = performance.now();
const res = await measureAckLatency(opts);
for (const l of res) console.log(l.inFlight, 'bot', l.bot, 'base', l.baseline, 'ratio', l.p99Ratio);
const thr = (name: string) =>
  res
    .map((l) =>
      l.runs
        .filter((r) => r.target === name)
        .map((r) => r.throughputPerSec)
        .join(' '),
    )
    .join(' | ');
console.log('bot /s', thr('bot'));
console.log('base /s', thr('baseline'));
console.log(
  'group commit pieces',
  bb.bot.groupCommit.stats.pieces - before.pieces,
  'commits',
  bb.bot.groupCommit.stats.commits - before.commits,
  'seconds',
  ((performance.now() - t) / 1000).toFixed(0),
);
await bb.close();
await base.stop();
await load.call('close');
await load.close();
await standIn.call('close');
await standIn.close();
