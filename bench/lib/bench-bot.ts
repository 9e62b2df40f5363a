import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/log/create-logger';
import { type Bot, createBot } from '../../src/main';
import { TEST_BOT_TOKEN } from '../../test/support/slack-stand-in';

export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const RESPONDERS = ['U0RESP0001', 'U0RESP0002'];

/**
 * Where bench databases live: on disk (the temp folder is on the same disk as the project here), never in
 * memory, so every commit pays for its fsync as in production.
 */
export function benchDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `paykore-bench-${name}-`));
}

/** Log lines are built as in production (pino at info, redaction and all) and then thrown away. */
export function discardingLogger() {
  const sink = new Writable({
    write: (_chunk, _encoding, done) => done(),
  });
  return createLogger('info', sink);
}

export interface BenchBot {
  bot: Bot;
  url: string;
  dir: string;
  databasePath: string;
  /** Resolves when the outbox is empty: every Slack message the runs so far owed has been sent. */
  caughtUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The real bot, HTTP mode on 127.0.0.1, production pragmas on a database file, real clock, no scheduler timer. */
export async function startBenchBot(slackApiUrl: string, env: Record<string, string> = {}): Promise<BenchBot> {
  const dir = benchDir('bot');
  const config = parseConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_MODE: 'http',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
    DATABASE_PATH: join(dir, 'paykore-bot.sqlite'),
    PORT: '0',
    RESPONDERS: RESPONDERS.join(','),
    LOG_LEVEL: 'info',
    ...env,
  });
  const bot = await createBot({
    config,
    logger: discardingLogger(),
    listen: { port: 0, host: '127.0.0.1' },
    tickIntervalMs: null,
  });
  await bot.start();
  return {
    bot,
    url: `http://127.0.0.1:${bot.port()}/slack/events`,
    dir,
    databasePath: config.databasePath,
    async caughtUp(timeoutMs = 120_000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        await bot.settle();
        const pending = bot.sender.pendingCount();
        if (pending === 0) return;
        if (performance.now() > deadline) throw new Error(`the outbox still owes ${pending} messages`);
        await delay(10);
      }
    },
    async close() {
      await bot.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
