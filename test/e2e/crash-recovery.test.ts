import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../src/db/event-log';
import { verifyChain } from '../../src/domain/event-chain';
import type { TimelineEvent } from '../../src/domain/types';
import { CHANNEL, RESPONDER, SIGNING_SECRET } from '../support/bot-harness';
import { BotProcess } from '../support/bot-process';
import { slashCommandBody } from '../support/payloads';
import { postSigned } from '../support/signed-request';
import { type StandIn, startSlackStandIn } from '../support/slack-stand-in';

function readEvents(path: string): TimelineEvent[] {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return new EventLog(db).stream('INC-1');
  } finally {
    db.close();
  }
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('the bot process killed mid-stream', () => {
  let standIn: StandIn;
  let dir: string;
  beforeEach(async () => {
    standIn = await startSlackStandIn();
    dir = mkdtempSync(join(tmpdir(), 'paykore-crash-'));
  });
  afterEach(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no confirmed action and records none twice across 20 SIGKILLs', async () => {
    const dbPath = join(dir, 'bot.sqlite');
    const rand = random(Number(process.env.CRASH_SEED ?? 20261129));
    const total = 400;
    const confirmed = new Set<number>();
    let next = 0;
    const send = async (bot: BotProcess, text: string, triggerId: string) => {
      const body = slashCommandBody({
        text,
        userId: RESPONDER,
        channelId: CHANNEL,
        responseUrl: standIn.newResponseUrl(),
        triggerId,
      });
      return postSigned(bot.url, body, { signingSecret: SIGNING_SECRET });
    };

    let bot = await BotProcess.start(standIn, dbPath);
    expect((await send(bot, 'start api-server-production-v2 env=production', 'crash.open')).status).toBe(200);

    for (let kill = 0; kill < 20; kill += 1) {
      const killAfterMs = 20 + Math.floor(rand() * 300);
      const killer = new Promise<void>((resolveKill) => setTimeout(resolveKill, killAfterMs)).then(() =>
        bot.stop('SIGKILL'),
      );
      let dead = false;
      void killer.then(() => {
        dead = true;
      });
      // Four requests in flight at a time, each note numbered; unconfirmed ones are sent again after the restart.
      while (!dead && confirmed.size < total) {
        const batch = Array.from({ length: 4 }, () => next++ % total).filter((k) => !confirmed.has(k));
        await Promise.all(
          batch.map(async (k) => {
            try {
              const result = await send(bot, `note INC-1 crash-note-${k}`, `crash.note.${k}`);
              if (result.status === 200 && String((result.json as { text?: string }).text).includes('Added'))
                confirmed.add(k);
            } catch {
              // the process died under this request: not confirmed, so it is sent again later
            }
          }),
        );
      }
      await killer;
      bot = await BotProcess.start(standIn, dbPath);
    }
    // After the last restart, finish the stream.
    for (let k = 0; k < total; k += 1) {
      if (!confirmed.has(k) && (await send(bot, `note INC-1 crash-note-${k}`, `crash.note.${k}`)).status === 200)
        confirmed.add(k);
    }
    expect(await bot.stop('SIGTERM')).toBe(0);

    const events = readEvents(dbPath);
    const notes = events.filter((e) => e.type === 'note_added').map((e) => String(e.details.text));
    expect(new Set(notes).size).toBe(notes.length);
    for (const k of confirmed) expect(notes).toContain(`crash-note-${k}`);
    expect(confirmed.size).toBe(total);
    expect(verifyChain('INC-1', events).ok).toBe(true);
    const db = new BetterSqlite3(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // Every note announced in the thread is one the database holds.
    const announced = standIn
      .calls('chat.postMessage')
      .map((c) => /crash-note-(\d+)/.exec(String(c.args.text))?.[1])
      .filter((k): k is string => k !== undefined);
    for (const k of announced) expect(notes).toContain(`crash-note-${k}`);
  }, 240_000);

  it('shuts down cleanly on SIGTERM, finishing the request in flight', async () => {
    const dbPath = join(dir, 'bot.sqlite');
    const bot = await BotProcess.start(standIn, dbPath);
    const body = slashCommandBody({
      text: 'start api-server-production-v2 env=production',
      userId: RESPONDER,
      channelId: CHANNEL,
      responseUrl: standIn.newResponseUrl(),
    });
    const inFlight = postSigned(bot.url, body, { signingSecret: SIGNING_SECRET });
    await new Promise((r) => setTimeout(r, 5));
    const exit = await bot.stop('SIGTERM');
    const response = await inFlight.catch(() => null);
    expect(exit).toBe(0);
    if (response) expect(response.status).toBe(200);
    expect(bot.output.join('\n')).toContain('shutting down');
  }, 60_000);
});
