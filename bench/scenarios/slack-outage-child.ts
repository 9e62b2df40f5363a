import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { parseConfig } from '../../src/config';
import { createBot } from '../../src/main';
import { TEST_BOT_TOKEN } from '../../test/support/slack-stand-in';
import { benchDir, discardingLogger, SIGNING_SECRET } from '../lib/bench-bot';

// The bot alone in a process, so its CPU and memory are its own (Slack's stand-in lives in the parent).
// `node --import tsx slack-outage-child.ts <slack api url> <incidents> <simulated minutes> <speed>` talks to the
// parent over IPC: `seeded` → (parent may make Slack unreachable) `measure` → `measured` → `recover` → `done`.
//
// The clock is stepped: every real second moves it `speed` seconds, and the scheduler ticks once per simulated
// minute (production ticks once per real minute, so this runs the tick `speed` times more often than production:
// the CPU figure errs high). The outbox's own timers run in real time.

const [slackApiUrl, incidentsArg, minutesArg, speedArg] = process.argv.slice(2);
const INCIDENTS = Number(incidentsArg ?? 1000);
const MINUTES = Number(minutesArg ?? 10);
const SPEED = Number(speedArg ?? 10);
const START = Date.UTC(2026, 10, 28, 9, 0, 0);

// Stopped while seeding and catching up to start (so every incident opens at START), running during the measure.
let running = false;
let realAnchor = performance.now();
let simulatedAnchor = START;
const clock = () => new Date(simulatedAnchor + (running ? (performance.now() - realAnchor) * SPEED : 0));
const runFrom = (ms: number) => {
  simulatedAnchor = ms;
  realAnchor = performance.now();
  running = true;
};

const send = (message: Record<string, unknown>) => process.send?.(message);
const nextMessage = () =>
  new Promise<Record<string, unknown>>((resolve) =>
    process.once('message', (m) => resolve(m as Record<string, unknown>)),
  );

const dir = benchDir('outage');
const config = parseConfig({
  SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
  SLACK_MODE: 'http',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slackApiUrl,
  DATABASE_PATH: `${dir}/paykore-bot.sqlite`,
  PORT: '0',
  LOG_LEVEL: 'info',
  REVOKE_NUDGE_MINUTES: '1',
});
const bot = await createBot({
  config,
  clock,
  logger: discardingLogger(),
  listen: { port: 0, host: '127.0.0.1' },
  tickIntervalMs: null,
  slackTimeoutMs: 10_000,
});
await bot.start();

// 1,000 open incidents, each in its own channel, keys not revoked: every one of them is owed nudges.
for (let i = 0; i < INCIDENTS; i += 1) {
  bot.incidents.open({
    channelId: `C0OUT${String(i).padStart(6, '0')}`,
    actor: 'U0RESP0001',
    keyLabel: `outage-key-${i}`,
    environment: 'production',
    keyMode: 'live',
    exposureStart: null,
    revokedAt: null,
    how: 'bench',
    idempotencyKey: `outage-open-${i}`,
  });
}
await bot.settle();
while (bot.sender.pendingCount() > 0) {
  await bot.settle();
  await delay(20);
}
send({ phase: 'seeded', pending: bot.sender.pendingCount() });
await nextMessage();

// OUTAGE_CPU_PROF=<file>: a CPU profile of the measured stretch only (not the seeding, not the catching up).
const profileTo = process.env.OUTAGE_CPU_PROF;
const profiler = profileTo ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
if (global.gc) global.gc();
const rssBefore = process.memoryUsage().rss;
let rssMax = rssBefore;
const cpuBefore = process.cpuUsage();
const realStarted = performance.now();
runFrom(START + 60_000);
const pendingByMinute: number[] = [];
for (let minute = 1; minute <= MINUTES; minute += 1) {
  bot.scheduler.tick();
  pendingByMinute.push(bot.sender.pendingCount());
  rssMax = Math.max(rssMax, process.memoryUsage().rss);
  // The rest of the simulated minute passes in real time (60 / speed seconds).
  const minuteEnds = START + (minute + 1) * 60_000;
  while (clock().getTime() < minuteEnds) {
    await delay(Math.max(1, (minuteEnds - clock().getTime()) / SPEED));
    rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }
}
const realMs = performance.now() - realStarted;
const cpu = process.cpuUsage(cpuBefore);
if (profiler && profileTo) {
  const { profile } = await profiler.post('Profiler.stop');
  writeFileSync(`${profileTo}.${process.pid}.cpuprofile`, JSON.stringify(profile));
  profiler.disconnect();
}
const rssAfter = process.memoryUsage().rss;
const pendingByKind = bot.db
  .prepare('SELECT kind, count(*) AS n FROM outbox WHERE sent_at IS NULL GROUP BY kind')
  .all() as { kind: string; n: number }[];
send({
  phase: 'measured',
  realMs,
  cpuPercent: ((cpu.user + cpu.system) / 1000 / realMs) * 100,
  rssBeforeMb: rssBefore / 1024 / 1024,
  rssAfterMb: rssAfter / 1024 / 1024,
  rssMaxMb: rssMax / 1024 / 1024,
  pendingByMinute,
  pendingByKind: Object.fromEntries(pendingByKind.map((r) => [r.kind, r.n])),
});
await nextMessage();

// Slack is back: how long until everything owed has been sent.
const recoverStarted = performance.now();
for (;;) {
  await bot.settle();
  if (bot.sender.pendingCount() === 0) break;
  if (performance.now() - recoverStarted > 300_000) break;
  await delay(20);
}
const recoveredMs = performance.now() - recoverStarted;
const nudges = (bot.db.prepare("SELECT count(*) AS n FROM events WHERE type = 'revoke_nudge'").get() as { n: number })
  .n;
send({ phase: 'done', recoveredMs, pendingAfter: bot.sender.pendingCount(), nudgeEvents: nudges });
await bot.stop();
process.exit(0);
