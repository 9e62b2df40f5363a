import { startBareBolt } from './lib/bare-bolt';
import { SIGNING_SECRET, startBenchBot } from './lib/bench-bot';
import { IncidentPool } from './lib/request-plan';
import { startTsWorker, WorkerClient } from './lib/ts-worker';
import { measureAckLatency, warmUp } from './scenarios/ack-latency';
import { TEST_BOT_TOKEN } from '../test/support/slack-stand-in';

const strict = process.env.PROBE_STRICT !== '0';
const standIn = new WorkerClient(startTsWorker(new URL('./lib/stand-in-worker.ts', import.meta.url), { strict }, process.env.PROBE_VALIDATE === '0' ? { SLACK_SPECS_DIR: '/nonexistent' } : undefined));
const load = new WorkerClient(startTsWorker(new URL('./lib/load-worker.ts', import.meta.url), {}));
const { url } = await standIn.call<{ url: string }>('info');
const bb = await startBenchBot(url);
const base = await startBareBolt({ signingSecret: SIGNING_SECRET, token: TEST_BOT_TOKEN, slackApiUrl: url });
const t0 = performance.now();
const pool = IncidentPool.seed(bb.bot.db, bb.bot.incidents, 3000);
console.log('seed ms', performance.now() - t0);
const responseUrls = await standIn.call<string[]>('responseUrls', 1000);
const opts = {
  load, signingSecret: SIGNING_SECRET,
  bot: { name: 'bot' as const, url: bb.url, settle: () => bb.caughtUp() },
  baseline: { name: 'baseline' as const, url: base.url, settle: async () => {} },
  pool, responseUrls,
  levels: (process.env.PROBE_LEVELS ?? '20:300,50:400,200:1000').split(',').map((s) => { const [a, b] = s.split(':'); return { inFlight: Number(a), requestsPerRun: Number(b) }; }),
  rounds: Number(process.env.PROBE_ROUNDS ?? 2),
  log: (l: string) => console.log(l),
};
const w0 = performance.now();
await warmUp(opts, 200);
console.log('warmup ms', performance.now() - w0);
const before = { ...bb.bot.groupCommit.stats };
const levels = await measureAckLatency(opts);
for (const l of levels) console.log(l.inFlight, 'bot', l.bot, 'base', l.baseline, 'ratio', l.p99Ratio);
console.log('group commit', bb.bot.groupCommit.stats.pieces - before.pieces, bb.bot.groupCommit.stats.commits - before.commits);
console.log(await standIn.call('report'));
console.log(bb.bot.db.prepare("SELECT kind, substr(coalesce(result,'NULL'),1,14) AS r, count(*) AS n FROM outbox GROUP BY 1,2 ORDER BY n DESC LIMIT 12").all());
console.log(bb.bot.db.prepare("SELECT id, kind, channel_id, attempts, not_before - (strftime('%s','now')*1000) AS nb, result, lease_owner, lease_until FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 8").all());
await bb.close(); await base.stop(); await load.call('close'); await load.close(); await standIn.call('close'); await standIn.close();
