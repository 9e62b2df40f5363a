import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SIGNING_SECRET, startBenchBot } from './lib/bench-bot';
import type { LoadResult } from './lib/load-worker';
import { IncidentPool, planRequests } from './lib/request-plan';
import { summarize } from './lib/stats';
import { startTsWorker, WorkerClient } from './lib/ts-worker';

const standIn = new WorkerClient(startTsWorker(new URL('./lib/stand-in-worker.ts', import.meta.url), { strict: true }));
const load = new WorkerClient(startTsWorker(new URL('./lib/load-worker.ts', import.meta.url), {}));
const { url } = await standIn.call<{ url: string }>('info');
const bb = await startBenchBot(url);
const pool = IncidentPool.seed(bb.bot.db, bb.bot.incidents, 2000);
const urls = await standIn.call<string[]>('responseUrls', 100);
const n = Number(process.env.N ?? 1500);
await load.call<LoadResult>('run', {
  url: bb.url,
  signingSecret: SIGNING_SECRET,
  bodies: planRequests(300, urls, pool),
  concurrency: 20,
});
await bb.caughtUp();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const t = performance.now();
const r = await load.call<LoadResult>('run', {
  url: bb.url,
  signingSecret: SIGNING_SECRET,
  bodies: planRequests(n, urls, pool),
  concurrency: 50,
});
const runMs = performance.now() - t;
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/bot-run.cpuprofile', JSON.stringify(profile));
console.log('run', runMs.toFixed(0), 'ms', summarize(r.latenciesMs), ((n / runMs) * 1000).toFixed(0), '/s');
const t2 = performance.now();
await bb.caughtUp();
console.log('catch-up', (performance.now() - t2).toFixed(0));
await bb.close();
await load.call('close');
await load.close();
await standIn.call('close');
await standIn.close();
