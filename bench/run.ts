// npm run bench: how fast the bot acknowledges, records, reminds, exports and starts, each beside its goal, with the
// acknowledgement figures measured against a bare Bolt app in the same process, interleaved run by run.
// Prints progress on stderr, the table on stdout, and writes every raw number to bench/results.json.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { TEST_BOT_TOKEN } from '../test/support/slack-stand-in';
import { startBareBolt } from './lib/bare-bolt';
import { SIGNING_SECRET, startBenchBot } from './lib/bench-bot';
import { describeMachine } from './lib/machine';
import { type Figure, figure, table } from './lib/report';
import { countEvents, expectedEvents, IncidentPool } from './lib/request-plan';
import { median, round } from './lib/stats';
import { startTsWorker, WorkerClient } from './lib/ts-worker';
import { measureAckLatency, warmUp } from './scenarios/ack-latency';
import { CONDITIONS as ACK_CONDITIONS, measureAckUnderExport, medianRatio } from './scenarios/ack-under-export';
import { measureExport } from './scenarios/export';
import { measureGitScan } from './scenarios/git-scan';
import { measureRecording } from './scenarios/recording';
import { measureSchedulerTick } from './scenarios/scheduler-tick';
import { measureSignalIntake } from './scenarios/signal-intake';
import { measureSlackOutage } from './scenarios/slack-outage';
import { measureStartup } from './scenarios/startup';

const QUICK = process.env.BENCH_QUICK === '1';
// BENCH_ONLY=startup,export runs only those scenarios (ack, ack-export, recording, scheduler, export, git-scan,
// signals, outage, startup): the
// machine is shared, and one figure is cheaper to re-measure alone. A partial run writes results-<names>.json.
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const SCENARIOS = ['ack', 'ack-export', 'recording', 'scheduler', 'export', 'git-scan', 'signals', 'outage', 'startup'];
for (const name of ONLY) if (!SCENARIOS.includes(name)) throw new Error(`BENCH_ONLY: no scenario "${name}"`);
const wants = (name: string) => ONLY.size === 0 || ONLY.has(name);
const LEVELS = QUICK
  ? [
      { inFlight: 20, requestsPerRun: 120 },
      { inFlight: 50, requestsPerRun: 150 },
      { inFlight: 200, requestsPerRun: 400 },
    ]
  : [
      { inFlight: 20, requestsPerRun: 300 },
      { inFlight: 50, requestsPerRun: 450 },
      { inFlight: 200, requestsPerRun: 800 },
    ];
const ROUNDS = QUICK ? 2 : 3;
const WARM_UP_REQUESTS = 300;
const ACK_UNDER_EXPORT = { requestsPerRun: QUICK ? 150 : 300, rounds: QUICK ? 2 : 3 };

const run = promisify(execFile);
const log = (line: string) => process.stderr.write(`${line}\n`);
const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

const benchStarted = performance.now();
const machine = describeMachine(tmpdir(), loadavg());
log(`machine: ${machine.nproc} × ${machine.cpuModel}, ${machine.memoryMb} MB, node ${machine.node}, ${machine.disk}`);

// Slack's side, each in a thread of its own: the stand-in (with its conformance checks) and the load generator.
const standIn = new WorkerClient(startTsWorker(new URL('./lib/stand-in-worker.ts', import.meta.url), { strict: true }));
const load = new WorkerClient(startTsWorker(new URL('./lib/load-worker.ts', import.meta.url), {}));
const { url: slackApiUrl } = await standIn.call<{ url: string }>('info');

const figures: Figure[] = [];
const raw: Record<string, unknown> = {};

/** The rate-limit signal intake (issue 13): sustained posts per second, and the Slack acks beside it. */
async function signalSection(): Promise<void> {
  const started = performance.now();
  log('signal intake: sustained count posts, then Slack acks with and without signals arriving');
  const token = 'bench-signals-token-0123456789';
  const bot = await startBenchBot(slackApiUrl, { SIGNALS_TOKEN: token, SIGNALS_CHANNEL: 'C0BENCHSIG1' });
  const acks = QUICK
    ? { inFlight: 20, requestsPerRun: 150, rounds: 2, signalsInFlight: 10 }
    : { inFlight: 20, requestsPerRun: 300, rounds: 3, signalsInFlight: 10 };
  const signalLoad = new WorkerClient(startTsWorker(new URL('./lib/load-worker.ts', import.meta.url), {}));
  try {
    const result = await measureSignalIntake({
      slackLoad: load,
      signalLoad,
      botUrl: bot.url,
      signalsUrl: bot.url.replace('/slack/events', '/signals/rate-limits'),
      token,
      signingSecret: SIGNING_SECRET,
      pool: IncidentPool.seed(
        bot.bot.db,
        bot.bot.incidents,
        Math.ceil((acks.requestsPerRun * acks.rounds * 2) / 3) + 50,
      ),
      responseUrls: await standIn.call<string[]>('responseUrls', 500),
      settle: () => bot.caughtUp(),
      sustained: { posts: QUICK ? 2000 : 6000, inFlight: 20 },
      acks,
      log,
    });
    raw.signals = { ...result, seconds: round((performance.now() - started) / 1000, 1) };
    const scenario = 'signal intake';
    const unanswered = (statuses: Record<string, number>) =>
      Object.entries(statuses).reduce((sum, [status, n]) => sum + (status === '202' ? 0 : n), 0);
    figures.push(
      figure(scenario, 'count posts per second (20 in flight, each durable)', result.sustained.postsPerSec, '/s'),
      figure(scenario, 'count post p50', result.sustained.summary.p50, 'ms'),
      figure(scenario, 'count post p99', result.sustained.summary.p99, 'ms'),
      figure(
        scenario,
        'posts not answered 202',
        unanswered(result.sustained.statuses) + unanswered(result.acks.signalStatuses),
        'posts',
        { op: '<=', target: 0 },
      ),
      figure(scenario, 'Slack ack p99 without signals', result.acks.without.p99, 'ms'),
      figure(scenario, 'Slack ack p99 while signals arrive', result.acks.withSignals.p99, 'ms'),
      figure(scenario, 'ack p99 ratio with / without signals', result.acks.p99Ratio, '×', { op: '<=', target: 2 }),
      figure(scenario, 'ack p99 ratio, median of the rounds', median(result.acks.roundRatios), '×'),
      figure(scenario, 'signal posts recorded during the ack runs', result.acks.signalPostsDuringRuns, 'posts'),
    );
  } finally {
    await signalLoad.call('close');
    await signalLoad.close();
    await bot.close();
  }
  log(`signal intake done in ${since(started)}`);
}

// ----- acknowledgements -----
let t = performance.now();
if (wants('ack') || wants('ack-export')) {
  log('acknowledgements: the bot and a bare Bolt app, same receiver, same process, interleaved');
  const bench = await startBenchBot(slackApiUrl);
  const bare = await startBareBolt({ signingSecret: SIGNING_SECRET, token: TEST_BOT_TOKEN, slackApiUrl });
  // A third of the requests revoke an incident, each its own: enough fresh incidents for every scenario that runs.
  const ackRequests = wants('ack')
    ? WARM_UP_REQUESTS + ROUNDS * LEVELS.reduce((sum, l) => sum + l.requestsPerRun, 0)
    : 0;
  const underExportRequests = wants('ack-export')
    ? ACK_UNDER_EXPORT.rounds * ACK_CONDITIONS.length * ACK_UNDER_EXPORT.requestsPerRun
    : 0;
  const pool = IncidentPool.seed(
    bench.bot.db,
    bench.bot.incidents,
    Math.ceil((ackRequests + underExportRequests) / 3) + 50,
  );
  const ackOptions = {
    load,
    signingSecret: SIGNING_SECRET,
    bot: {
      name: 'bot' as const,
      url: bench.url,
      settle: () => bench.caughtUp(),
      commits: () => ({ ...bench.bot.groupCommit.stats }),
    },
    baseline: { name: 'baseline' as const, url: bare.url, settle: async () => {} },
    pool,
    responseUrls: await standIn.call<string[]>('responseUrls', 500),
    levels: LEVELS,
    rounds: ROUNDS,
    log,
  };
  if (wants('ack')) {
    const eventsBefore = countEvents(bench.bot.db);
    await warmUp(ackOptions, WARM_UP_REQUESTS);
    await standIn.call('reset');
    const commitsBefore = { ...bench.bot.groupCommit.stats };
    const levels = await measureAckLatency(ackOptions);
    const groupCommit = {
      pieces: bench.bot.groupCommit.stats.pieces - commitsBefore.pieces,
      commits: bench.bot.groupCommit.stats.commits - commitsBefore.commits,
    };
    const slack = await standIn.call<{ calls: Record<string, number>; violationCount: number; violations: string[] }>(
      'report',
    );
    // Every request the bot acknowledged must be in the record: fast answers that recorded nothing would not count.
    const eventsAfter = countEvents(bench.bot.db);
    const botRequests = [
      WARM_UP_REQUESTS,
      ...LEVELS.flatMap((l) => Array.from({ length: ROUNDS }, () => l.requestsPerRun)),
    ];
    let unrecorded = 0;
    for (const [type, n] of Object.entries(eventsAfter)) {
      const expected = botRequests.reduce((sum, count) => sum + (expectedEvents(count)[type] ?? 0), 0);
      unrecorded += Math.abs(expected - (n - (eventsBefore[type] ?? 0)));
    }
    const pragmas = {
      journal_mode: bench.bot.db.pragma('journal_mode', { simple: true }),
      synchronous: bench.bot.db.pragma('synchronous', { simple: true }),
    };
    raw.acknowledgements = { levels, groupCommit, slack, pragmas, seconds: round((performance.now() - t) / 1000, 1) };
    for (const level of levels) {
      const n = level.inFlight;
      const scenario = `ack, ${n} in flight`;
      figures.push(
        figure(scenario, 'bot p50', level.bot.p50, 'ms'),
        figure(scenario, 'bot p99', level.bot.p99, 'ms', n === 50 ? { op: '<', target: 300 } : null),
        figure(scenario, 'bot max', level.bot.max, 'ms', n === 200 ? { op: '<', target: 3000 } : null),
        figure(scenario, 'bare Bolt p50', level.baseline.p50, 'ms'),
        figure(scenario, 'bare Bolt p99', level.baseline.p99, 'ms'),
        figure(scenario, 'bare Bolt max', level.baseline.max, 'ms'),
        figure(scenario, 'p99 ratio bot / bare Bolt', level.p99Ratio, '×', n <= 50 ? { op: '<=', target: 1.5 } : null),
        figure(scenario, 'p99 ratio, median of the rounds', median(level.roundRatios), '×'),
      );
      const botRuns = level.runs.filter((run) => run.groupCommit);
      const pieces = botRuns.reduce((sum, run) => sum + (run.groupCommit?.pieces ?? 0), 0);
      const commits = botRuns.reduce((sum, run) => sum + (run.groupCommit?.commits ?? 0), 0);
      figures.push(figure(scenario, 'bot writes per commit during the runs', round(pieces / commits, 1), 'writes'));
      const failed = level.runs.reduce((sum, run) => sum + run.summary.count - (run.statuses['200'] ?? 0), 0);
      figures.push(figure(scenario, 'requests not answered 200', failed, 'requests', { op: '<=', target: 0 }));
    }
    figures.push(
      figure('ack, all levels', 'bot requests acknowledged but not recorded', unrecorded, 'requests', {
        op: '<=',
        target: 0,
      }),
      figure('ack, all levels', 'Slack calls breaking the specs', slack.violationCount, 'calls', {
        op: '<=',
        target: 0,
      }),
    );
    log(`acknowledgements done in ${since(t)}`);
  }
  if (wants('ack-export')) {
    t = performance.now();
    log('acknowledgements while a 10,000-event export or verification runs (bot only, 20 in flight)');
    const under = await measureAckUnderExport({
      ack: ackOptions,
      bench,
      databasePath: bench.databasePath,
      events: 10_000,
      inFlight: 20,
      ...ACK_UNDER_EXPORT,
    });
    raw.ackUnderExport = under;
    for (const c of under.conditions) {
      const scenario = 'acks during a 10,000-event job, 20 in flight';
      figures.push(figure(scenario, `${c.condition}: p99`, c.summary.p99, 'ms'));
      if (c.condition !== 'quiet') {
        figures.push(
          figure(
            scenario,
            `${c.condition}: p99 ratio to quiet`,
            c.p99Ratio,
            '×',
            c.condition.includes('main') ? null : { op: '<=', target: 1.5 },
          ),
          figure(scenario, `${c.condition}: p99 ratio, median of rounds`, medianRatio(c.roundRatios), '×'),
          figure(scenario, `${c.condition}: jobs finished during the runs`, c.jobs, 'jobs'),
        );
      }
    }
    log(`acknowledgements under export done in ${since(t)}`);
  }
  await bench.close();
  await bare.stop();
}

// ----- recording -----
if (wants('recording')) {
  t = performance.now();
  log('recording: notes through the group commit, synchronous=FULL');
  const recording = await measureRecording({ actions: QUICK ? 4000 : 10_000, writers: 100, perActionActions: 300 });
  raw.recording = recording;
  figures.push(
    figure('recording actions', 'group commit: actions per second', recording.grouped.actionsPerSec, '/s', {
      op: '>=',
      target: 3000,
    }),
    figure('recording actions', 'group commit: commit wait p99', recording.grouped.commitWait.p99, 'ms'),
    figure('recording actions', 'group commit: actions per commit', recording.grouped.actionsPerCommit, 'actions'),
    figure('recording actions', 'one commit per action: actions per second', recording.perAction.actionsPerSec, '/s'),
    figure('recording actions', 'one commit per action: commit p99', recording.perAction.commitDuration.p99, 'ms'),
  );
  log(`recording done in ${since(t)}`);
}

// ----- scheduler -----
if (wants('scheduler')) {
  t = performance.now();
  log('scheduler: one reminder tick over 100,000 registered keys');
  const scheduler = measureSchedulerTick({ keys: 100_000, due: 10 });
  raw.scheduler = scheduler;
  figures.push(
    figure('scheduler, 100,000 keys', 'tick with 10 reminders due', scheduler.tickWithDueMs, 'ms', {
      op: '<',
      target: 200,
    }),
    figure('scheduler, 100,000 keys', 'tick with nothing due', scheduler.idleTickMs, 'ms', { op: '<', target: 200 }),
    figure(
      'scheduler, 100,000 keys',
      'schedule refresh (start-up, settings changed)',
      scheduler.scheduleRefreshMs,
      'ms',
    ),
    figure('scheduler, 100,000 keys', 'schedule check (start-up, settings unchanged)', scheduler.scheduleCheckMs, 'ms'),
  );
  log(`scheduler done in ${since(t)}`);
}

// ----- Slack outage (issue 17) -----
if (wants('outage')) {
  t = performance.now();
  log('Slack outage: 1,000 open incidents, Slack answering, then Slack refusing connections (fresh bot each)');
  const outage = await measureSlackOutage(standIn, slackApiUrl, {
    incidents: 1000,
    minutes: QUICK ? 5 : 10,
    speed: 10,
  });
  raw.slackOutage = outage;
  for (const run of outage.runs) {
    const scenario = `Slack ${run.slack}, 1,000 open incidents, ${outage.simulatedMinutes} simulated min`;
    const unreachable = run.slack === 'unreachable';
    const owed = Object.values(run.pendingByKind).reduce((sum, n) => sum + n, 0);
    figures.push(
      figure(scenario, 'bot CPU, % of one core', run.cpuPercent, '%', unreachable ? { op: '<', target: 2 } : null),
      figure(scenario, 'bot RSS growth', run.rssGrowthMb, 'MB', unreachable ? { op: '<=', target: 10 } : null),
      figure(scenario, 'messages owed at the end', owed, 'messages', unreachable ? { op: '<=', target: 2000 } : null),
      figure(scenario, 'messages owed once Slack answers again', run.pendingAfter, 'messages', {
        op: '<=',
        target: 0,
      }),
    );
  }
  log(`Slack outage done in ${since(t)}`);
}

// ----- export -----
if (wants('export')) {
  t = performance.now();
  log('export: a 10,000-event incident, each format in a fresh process');
  const exported = await measureExport({ events: 10_000, repeats: 3 });
  raw.export = exported;
  const exportGoals: Record<string, number | null> = { markdown: 500, json: 300, csv: null };
  for (const f of exported.formats) {
    const goal = exportGoals[f.format];
    figures.push(
      figure(
        'export, 10,000 events',
        `${f.format}: first export`,
        f.firstMs,
        'ms',
        goal ? { op: '<', target: goal } : null,
      ),
      figure('export, 10,000 events', `${f.format}: warm export`, f.warmMs, 'ms'),
      figure('export, 10,000 events', `${f.format}: peak RSS`, f.peakRssMb, 'MB', { op: '<', target: 200 }),
    );
  }
  log(`export done in ${since(t)}`);
}

// ----- Git history scan -----
if (wants('git-scan')) {
  t = performance.now();
  log('git scan: a generated history of 10,200 commits, scan vs git log -p --all alone, interleaved');
  const gitScan = await measureGitScan({ commits: 10_000, repeats: QUICK ? 1 : 3 });
  raw.gitScan = gitScan;
  figures.push(
    figure('git scan, 10,200 commits', `keys found / planted (${gitScan.keysPlanted})`, gitScan.keysFound, 'keys', {
      op: '>=',
      target: gitScan.keysPlanted,
    }),
    figure('git scan, 10,200 commits', 'git log -p --all alone', gitScan.gitLogMs, 'ms'),
    figure('git scan, 10,200 commits', "git log with the scanner's arguments alone", gitScan.gitLogScanArgsMs, 'ms'),
    figure('git scan, 10,200 commits', 'scan-git', gitScan.scanMs, 'ms'),
    figure('git scan, 10,200 commits', 'ratio scan / git log -p --all', gitScan.ratio, '×', { op: '<', target: 4 }),
    figure('git scan, 10,200 commits', 'ratio scan / same git log alone', gitScan.ratioSameArgs, '×'),
    figure('git scan, 10,200 commits', 'peak RSS of the scanning process', gitScan.peakRssMb, 'MB', {
      op: '<',
      target: 150,
    }),
    figure('git scan, 10,200 commits', 'RSS before scanning', gitScan.rssBeforeMb, 'MB'),
  );
  log(`git scan done in ${since(t)}`);
}

// ----- signal intake -----
if (wants('signals')) await signalSection();

// ----- start-up -----
if (wants('startup')) {
  t = performance.now();
  log('start-up: npm run build, then node bin/paykore-bot.js start, HTTP mode');
  await run(process.execPath, ['scripts/build.mjs'], { cwd: new URL('..', import.meta.url) });
  const startup = await measureStartup({
    slackApiUrl,
    warmRuns: 3,
    phaseRuns: 3,
    idleMs: 2000,
    settleMs: 25_000,
    manyKeys: 100_000,
  });
  raw.startup = startup;
  figures.push(
    figure('start-up', 'time to ready (compiled, warm, median)', startup.warmReadyMs, 'ms', { op: '<', target: 1000 }),
    figure('start-up', 'time to ready (first run)', startup.coldReadyMs, 'ms'),
    figure('start-up', 'phase: node itself', startup.phases.nodeReady, 'ms'),
    figure(
      'start-up',
      'phase: packages (Bolt, web-api, sqlite, pino, zod)',
      startup.phases.packagesLoaded - startup.phases.nodeReady,
      'ms',
    ),
    figure('start-up', 'phase: the bot bundle to ready', startup.phases.ready - startup.phases.packagesLoaded, 'ms'),
    figure('start-up', 'RSS 2 s after ready (median)', startup.idleRssMb, 'MB'),
    figure('start-up', 'idle RSS, 25 s after ready', startup.settledRssMb, 'MB', { op: '<', target: 100 }),
    figure('start-up', '100,000 keys: time to ready (warm, median)', startup.manyKeys.warmReadyMs, 'ms', {
      op: '<',
      target: 1500,
    }),
    figure('start-up', '100,000 keys: time to ready, settings changed', startup.manyKeys.settingsChangedReadyMs, 'ms'),
  );
  log(`start-up done in ${since(t)}`);
}

await load.call('close');
await load.close();
await standIn.call('close');
await standIn.close();

const totalSeconds = round((performance.now() - benchStarted) / 1000, 1);
const results = {
  generatedAt: new Date().toISOString(),
  totalSeconds,
  machine: { ...machine, loadAverageAtEnd: loadavg().map((x) => round(x)) },
  quick: QUICK,
  figures,
  raw,
};
const resultsFile = ONLY.size === 0 ? './results.json' : `./results-${[...ONLY].join('+')}.json`;
writeFileSync(new URL(resultsFile, import.meta.url), `${JSON.stringify({ ...results, only: [...ONLY] }, null, 2)}\n`);
process.stdout.write(`\n${table(figures)}\n\n`);
const missed = figures.filter((f) => f.met === false);
process.stdout.write(
  `${figures.filter((f) => f.met === true).length} goals met, ${missed.length} not met; ${totalSeconds} s in all; raw numbers in bench/${resultsFile.slice(2)}\n`,
);
