import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../src/slack/ids';
import { BotHarness, CHANNEL } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';

const cardTexts = (h: BotHarness) =>
  h.standIn
    .calls()
    .filter((c) => (c.method === 'chat.update' || c.method === 'chat.postMessage') && !c.args.thread_ts)
    .map((c) => String(c.args.text));

describe('when Slack throttles or fails', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ slackTimeoutMs: 1000 });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('keeps the record on a 429, waits for Retry-After, then posts the card and replies in order', async () => {
    h.standIn.fail('chat.postMessage', { status: 429, retryAfterSeconds: 30 });
    const opened = await h.command('start api-server-production-v2 env=production');
    expect(opened.elapsedMs).toBeLessThan(3000);
    expect(h.bot.incidents.get(1)).not.toBeNull();
    expect(h.cardTs(CHANNEL)).toBeUndefined();

    const revoke = await h.click(ActionId.incidentRevoke, 'INC-1');
    expect(revoke.elapsedMs).toBeLessThan(3000);
    expect(h.bot.incidents.get(1)?.steps.revoke).toBeDefined();
    // The revoke's thread reply waits behind the card it belongs to.
    expect(h.standIn.calls('chat.postMessage')).toHaveLength(1);

    h.clock.advance(10_000);
    await h.settle();
    expect(h.standIn.calls('chat.postMessage')).toHaveLength(1);

    h.clock.advance(21_000);
    await h.settle();
    const posts = h.standIn.calls('chat.postMessage');
    expect(posts).toHaveLength(3);
    expect(posts[1]?.args.thread_ts).toBeUndefined();
    expect(String(posts[1]?.args.text)).toContain('next: Review transactions');
    expect(posts[2]?.args.thread_ts).toBe(h.cardTs(CHANNEL));
  });

  it('retries after 500s on chat.update and ends with the card current', async () => {
    await h.command('start api-server-production-v2 env=production');
    h.standIn.fail('chat.update', { status: 500, times: 3 });
    await h.click(ActionId.incidentRevoke, 'INC-1');
    for (let i = 0; i < 6; i += 1) {
      h.clock.advance(MINUTE);
      await h.settle();
    }
    expect(h.bot.sender.pendingCount()).toBe(0);
    expect(cardTexts(h).at(-1)).toContain('next: Review transactions');
    expect(h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts)).toHaveLength(1);
  });

  it('treats a hung call as failed, keeps acking fast, and catches up', async () => {
    await h.command('start api-server-production-v2 env=production');
    h.standIn.fail('chat.update', { hangMs: 2500, times: 2 });
    const revoke = await h.click(ActionId.incidentRevoke, 'INC-1');
    expect(revoke.elapsedMs).toBeLessThan(3000);
    expect(h.bot.incidents.get(1)?.steps.revoke).toBeDefined();
    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(MINUTE);
      await h.settle();
    }
    expect(h.bot.sender.pendingCount()).toBe(0);
    expect(cardTexts(h).at(-1)).toContain('next: Review transactions');
  });

  it('sends what it owed before a restart once it is back', async () => {
    h.standIn.fail('chat.postMessage', { status: 503, times: 5 });
    await h.command('start api-server-production-v2 env=production');
    expect(h.bot.sender.pendingCount()).toBeGreaterThan(0);
    await h.restart();
    for (let i = 0; i < 6; i += 1) {
      h.clock.advance(10 * MINUTE);
      await h.settle();
    }
    expect(h.cardTs(CHANNEL)).toBeDefined();
    expect(h.bot.sender.pendingCount()).toBe(0);
  });

  it('does not post the card twice when Slack took it but the answer was lost', async () => {
    h.standIn.fail('chat.postMessage', { hangMs: 2500 });
    await h.command('start api-server-production-v2 env=production');
    h.clock.advance(MINUTE);
    await h.settle();
    const cards = h.standIn.calls('chat.postMessage').filter((c) => !c.args.thread_ts);
    expect(cards).toHaveLength(1);
    expect(h.standIn.calls('conversations.history')).toHaveLength(1);
    expect(h.cardTs(CHANNEL)).toBeDefined();
    await h.click(ActionId.incidentRevoke, 'INC-1');
    expect(h.standIn.calls('chat.update').at(-1)?.args.ts).toBe(h.cardTs(CHANNEL));
  });

  it('does not post a thread reply twice after a crash between sending it and recording it', async () => {
    await h.command('start api-server-production-v2 env=production');
    await h.click(ActionId.incidentRevoke, 'INC-1');
    const replies = () => h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(replies()).toHaveLength(1);
    // As if the process died after Slack took the reply and before the outbox row said so.
    h.bot.db
      .prepare(
        "UPDATE outbox SET sent_at = NULL, lease_owner = 'a-dead-process', lease_until = 0 WHERE kind = 'thread'",
      )
      .run();
    await h.restart();
    await h.settle();
    expect(replies()).toHaveLength(1);
    expect(h.standIn.calls('conversations.replies')).toHaveLength(1);
    expect(h.bot.sender.pendingCount()).toBe(0);
  });
});
