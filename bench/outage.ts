// `npx tsx bench/outage.ts`: the Slack-outage scenario alone (issue 17), as `npm run bench` runs it.
import { startTsWorker, WorkerClient } from './lib/ts-worker';
import { measureSlackOutage } from './scenarios/slack-outage';

const standIn = new WorkerClient(startTsWorker(new URL('./lib/stand-in-worker.ts', import.meta.url), { strict: true }));
const { url } = await standIn.call<{ url: string }>('info');
const result = await measureSlackOutage(standIn, url, {
  incidents: Number(process.env.OUTAGE_INCIDENTS ?? 1000),
  minutes: Number(process.env.OUTAGE_MINUTES ?? 10),
  speed: Number(process.env.OUTAGE_SPEED ?? 10),
  only:
    process.env.OUTAGE_ONLY === 'answering' || process.env.OUTAGE_ONLY === 'unreachable'
      ? process.env.OUTAGE_ONLY
      : undefined,
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await standIn.call('close');
await standIn.close();
