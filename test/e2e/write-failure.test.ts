import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTHING_RECORDED, NOTHING_RECORDED_IN_FORM } from '../../src/slack/blocks/failure-text';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, text } from '../support/bot-harness';

// The database refuses every write (as on a full disk or a file made read-only under the bot): each request is
// still answered, privately, saying nothing was recorded, and nothing was.
describe('a write that fails reaches the person, over signed HTTP', () => {
  let h: BotHarness;
  const everything = () => ({
    ...h.snapshot(),
    refusals: h.rows("SELECT stream, seq FROM events WHERE type = 'action_refused'"),
    keys: h.rows('SELECT * FROM keys'),
  });
  const failLines = () =>
    h.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'handler failed: nothing recorded');

  beforeEach(async () => {
    h = await BotHarness.start();
    await h.command('start billing-staging env=staging');
    h.bot.db.pragma('query_only = 1');
  });
  afterEach(async () => {
    h.bot.db.pragma('query_only = 0');
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('answers a button whose write fails with "nothing was recorded", logged with the click', async () => {
    const before = everything();
    const clicked = await h.click(ActionId.incidentRevoke, 'INC-1', { actionTs: '1764320000.000100' });
    expect(clicked.status).toBe(200);
    expect(h.standIn.responses().at(-1)?.body).toMatchObject({ response_type: 'ephemeral', text: NOTHING_RECORDED });
    expect(everything()).toEqual(before);
    expect(h.bot.incidents.get(1)?.steps.revoke).toBeUndefined();
    expect(failLines().at(-1)).toMatchObject({
      actionId: ActionId.incidentRevoke,
      requestId: expect.stringContaining(':1764320000.000100:'),
    });

    // "Try again" is true: once the database takes writes again, the same button works.
    h.bot.db.pragma('query_only = 0');
    await h.click(ActionId.incidentRevoke, 'INC-1');
    expect(h.bot.incidents.get(1)?.steps.revoke).toBeDefined();
  });

  it('answers slash commands of every feature the same way, and changes nothing', async () => {
    const before = everything();
    for (const command of ['note the key was in a CI log', 'keys add api-server-production-v2 env=production']) {
      const reply = await h.command(command);
      expect(BotHarness.replyText(reply)).toBe(NOTHING_RECORDED);
    }
    expect(everything()).toEqual(before);
    expect(failLines()).toHaveLength(2);
    expect(failLines().every((line) => String(line.requestId).startsWith('command:'))).toBe(true);
  });

  it('keeps a form open with the answer on its field, and records nothing', async () => {
    h.bot.db.pragma('query_only = 0');
    await h.click(ActionId.incidentNote, 'INC-1');
    const view = h.lastOpenedView();
    h.bot.db.pragma('query_only = 1');
    const before = everything();
    const submitted = await h.submit(CallbackId.incidentNote, view.private_metadata, {
      [Field.noteText]: { [Field.noteText]: text('seen in the CI log at 09:12') },
    });
    expect(submitted.json).toEqual({
      response_action: 'errors',
      errors: { [Field.noteText]: NOTHING_RECORDED_IN_FORM },
    });
    expect(everything()).toEqual(before);
    expect(failLines().at(-1)).toMatchObject({ callbackId: CallbackId.incidentNote });
  });
});
