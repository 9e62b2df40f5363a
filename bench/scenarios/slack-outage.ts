import { type ChildProcess, fork } from 'node:child_process';
import { round } from '../lib/stats';
import type { WorkerClient } from '../lib/ts-worker';

// Issue 17: what the bot costs while Slack is unreachable, beside the same stretch with Slack answering.
// 1,000 open incidents (keys not revoked, REVOKE_NUDGE_MINUTES=1), each in its own channel, cards posted; then
// `minutes` simulated minutes with the scheduler ticking every simulated minute. Each run is a fresh bot process
// (bench/scenarios/slack-outage-child.ts) so its CPU and RSS are its own; the stand-in runs in the bench's thread.

export interface OutageRun {
  slack: 'answering' | 'unreachable';
  realSeconds: number;
  /** CPU time over wall time during the measured stretch, in % of one core. */
  cpuPercent: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssMaxMb: number;
  rssGrowthMb: number;
  /** Outbox rows still owed at each simulated minute, and by kind at the end. */
  pendingByMinute: number[];
  pendingByKind: Record<string, number>;
  /** After Slack answers again: how long until nothing is owed, and what was left. */
  recoveredSeconds: number;
  pendingAfter: number;
  nudgeEvents: number;
}

export interface OutageResult {
  incidents: number;
  simulatedMinutes: number;
  speed: number;
  runs: OutageRun[];
}

type Message = Record<string, unknown> & { phase: string };

function next(child: ChildProcess, phase: string): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.phase !== phase) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`outage child exited with ${code} before ${phase}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function runOne(
  standIn: WorkerClient,
  slackApiUrl: string,
  slack: OutageRun['slack'],
  opts: { incidents: number; minutes: number; speed: number },
): Promise<OutageRun> {
  const child = fork(
    new URL('./slack-outage-child.ts', import.meta.url).pathname,
    [slackApiUrl, String(opts.incidents), String(opts.minutes), String(opts.speed)],
    {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: 'inherit',
    },
  );
  try {
    await next(child, 'seeded');
    if (slack === 'unreachable') await standIn.call('refuseConnections');
    child.send({ go: true });
    const measured = await next(child, 'measured');
    process.stderr.write(`slack ${slack}: ${JSON.stringify({ ...measured, pendingByMinute: undefined })}\n`);
    await standIn.call('acceptConnections');
    child.send({ go: true });
    const done = await next(child, 'done');
    const m = measured as unknown as {
      realMs: number;
      cpuPercent: number;
      rssBeforeMb: number;
      rssAfterMb: number;
      rssMaxMb: number;
      pendingByMinute: number[];
      pendingByKind: Record<string, number>;
    };
    const d = done as unknown as { recoveredMs: number; pendingAfter: number; nudgeEvents: number };
    return {
      slack,
      realSeconds: round(m.realMs / 1000, 1),
      cpuPercent: round(m.cpuPercent, 2),
      rssBeforeMb: round(m.rssBeforeMb, 1),
      rssAfterMb: round(m.rssAfterMb, 1),
      rssMaxMb: round(m.rssMaxMb, 1),
      rssGrowthMb: round(m.rssAfterMb - m.rssBeforeMb, 1),
      pendingByMinute: m.pendingByMinute,
      pendingByKind: m.pendingByKind,
      recoveredSeconds: round(d.recoveredMs / 1000, 1),
      pendingAfter: d.pendingAfter,
      nudgeEvents: d.nudgeEvents,
    };
  } finally {
    await standIn.call('acceptConnections');
    // The child stops its bot and exits on its own (a CPU profile is written at exit); a stuck one is killed.
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timer = setTimeout(() => child.kill(), 30_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

export async function measureSlackOutage(
  standIn: WorkerClient,
  slackApiUrl: string,
  opts: { incidents: number; minutes: number; speed: number; only?: OutageRun['slack'] },
): Promise<OutageResult> {
  const runs: OutageRun[] = [];
  for (const slack of ['answering', 'unreachable'] as const) {
    if (!opts.only || opts.only === slack) runs.push(await runOne(standIn, slackApiUrl, slack, opts));
  }
  return { incidents: opts.incidents, simulatedMinutes: opts.minutes, speed: opts.speed, runs };
}
