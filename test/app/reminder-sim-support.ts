import { LogLevel, WebClient } from '@slack/web-api';
import type { Clock } from '../../src/app/clock';
import { reminderTask } from '../../src/scheduler/reminder-task';
import { Scheduler } from '../../src/scheduler/scheduler';
import { reminderRenderer } from '../../src/slack/key-register-renderers';
import { OutboxSender } from '../../src/slack/outbox-sender';
import type { StandIn } from '../support/slack-stand-in';
import { TEST_BOT_TOKEN } from '../support/slack-stand-in';
import { openRegister, type RegisterProcess } from './key-register-fixture';

/** A seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * One bot process as far as reminders go: its own database connection, register service, scheduler and outbox
 * sender with a real WebClient talking to the Slack stand-in.
 */
export interface BotProcess {
  p: RegisterProcess;
  sender: OutboxSender;
  scheduler: Scheduler;
  /** One scheduler tick; returns how many reminders it queued. */
  tick(): number;
  drain(): Promise<void>;
  /** Stops the process; without `drain`, what it queued but never sent stays in the outbox (a crash). */
  stop(options: { drain: boolean }): Promise<void>;
}

export function bootProcess(path: string, clock: Clock, standIn: StandIn, owner: string): BotProcess {
  const p = openRegister(path, clock);
  // Durability is not under test here, and an fsync per reminder would make a simulated year take minutes.
  p.db.pragma('synchronous = OFF');
  const client = new WebClient(TEST_BOT_TOKEN, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
  const sender = new OutboxSender({
    store: p.store,
    client,
    clock,
    logger: p.logger,
    owner,
    renderers: { REM: reminderRenderer({ register: p.register, reminders: p.reminderRows }) },
  });
  const scheduler = new Scheduler([reminderTask(p.register)], () => undefined, p.logger);
  return {
    p,
    sender,
    scheduler,
    tick: () => scheduler.tick(),
    drain: () => sender.drain(),
    async stop({ drain }) {
      if (drain) await sender.drain();
      await sender.stop();
      p.close();
    },
  };
}

/** The reminder each chat.postMessage posted, read from the message itself (its `REM-n` context line). */
export function postedReminderIds(standIn: StandIn): number[] {
  return standIn.calls('chat.postMessage').map((call) => {
    const match = /REM-(\d+) ·/.exec(JSON.stringify(call.args.blocks ?? ''));
    if (!match) throw new Error(`a message that is not a reminder was posted: ${String(call.args.text)}`);
    return Number(match[1]);
  });
}
