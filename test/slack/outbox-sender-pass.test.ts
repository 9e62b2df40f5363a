import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, CHANNEL, RESPONDER } from '../support/bot-harness';

// Several actions on one incident before the sender runs: their card refreshes coalesce into the first card it
// sends. The refreshes already covered must not hold the channel's later messages until some later pass.
describe('the outbox sender, with card refreshes piled up behind each other', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('sends every thread reply in one drain, the covered card refreshes marked coalesced', async () => {
    await h.command('start billing-staging env=staging');
    // Recorded without waking the sender: card, thread, card, thread, card, thread wait in the outbox.
    for (const text of ['first', 'second', 'third']) {
      h.bot.incidents.addNote({
        incidentId: 1,
        channelId: CHANNEL,
        actor: RESPONDER,
        text,
        idempotencyKey: `note:${text}`,
      });
    }
    await h.bot.sender.drain();
    expect(h.bot.sender.pendingCount()).toBe(0);
    const replies = h.standIn.calls('chat.postMessage').filter((call) => call.args.thread_ts);
    expect(replies.map((call) => call.args.text)).toEqual([
      expect.stringContaining('first'),
      expect.stringContaining('second'),
      expect.stringContaining('third'),
    ]);
    expect(h.rows("SELECT id FROM outbox WHERE result = 'coalesced'")).toHaveLength(2);
  });
});
