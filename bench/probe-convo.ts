import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SIGNING_SECRET } from './lib/bench-bot';
import { planRequests } from './lib/request-plan';
import { startTsWorker, WorkerClient } from './lib/ts-worker';
import type { LoadResult } from './lib/load-worker';
import { WORKSPACE } from '../test/support/slack-stand-in';
async function start(convo: boolean) {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false, logLevel: LogLevel.ERROR });
  const app = new App({ token: 'xoxb-x', botId: WORKSPACE.botId, botUserId: WORKSPACE.botUserId, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: 'http://127.0.0.1:9/api/' }, ...(convo ? {} : { convoStore: false as const }) });
  app.command(/.*/, async ({ ack }) => { await ack(); });
  app.action(/.*/, async ({ ack }) => { await ack(); });
  const server = (await receiver.start({ port: 0, host: '127.0.0.1' })) as Server;
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}
const load = new WorkerClient(startTsWorker(new URL('./lib/load-worker.ts', import.meta.url), {}));
const a = await start(true); const b = await start(false);
const sums = { convo: 0, none: 0 };
for (let r = 0; r < 10; r++) for (const [name, url] of r % 2 ? [['none', b], ['convo', a]] as const : [['convo', a], ['none', b]] as const) {
  const res = await load.call<LoadResult>('run', { url, signingSecret: SIGNING_SECRET, bodies: planRequests(1000, ['http://127.0.0.1:9/r'], null), concurrency: 50 });
  if (r > 1) sums[name] += res.wallMs;
}
console.log('ms per 8000 requests', sums);
await load.call('close'); await load.close(); process.exit(0);
