import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, CHANNEL, RESPONDER } from '../support/bot-harness';

// Several actions on one incident before the sender runs: they owe one card refresh between them (a card waiting to be
// sent is drawn at send time, so it covers every later change; issue 17), and every thread reply.
describe('the outbox sender, with card refreshes piled up behind each other', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('sends every thread reply in one drain, and queues one card refresh for the three changes', async () => {
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
    // The opening card, then one refresh for the three notes (it used to be three rows, two marked coalesced).
    expect(h.rows("SELECT id FROM outbox WHERE kind = 'card'")).toHaveLength(2);
    expect(h.standIn.calls('chat.update')).toHaveLength(1);
  });
});
