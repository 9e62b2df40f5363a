import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, OTHER_CHANNEL, RESPONDER } from '../support/bot-harness';
import { slashCommandBody } from '../support/payloads';
import { MINUTE } from '../support/test-clock';

describe('refused input changes nothing and says why', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
    await h.command('start api-server-production-v2 env=production');
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('refuses a review before the key is revoked, with the reason, and records the attempt', async () => {
    const before = h.snapshot();
    await h.click(ActionId.incidentReview, 'INC-1');
    expect(h.snapshot()).toEqual(before);
    expect(h.standIn.calls('views.open')).toHaveLength(0);
    expect(h.ephemeralTexts().at(-1)).toMatch(/step 1 \(revoke\) comes before step 2.*continued exposure/s);
    const refusals = h.rows(
      "SELECT actor, json_extract(details, '$.code') AS code FROM events WHERE type = 'action_refused'",
    );
    expect(refusals).toEqual([{ actor: RESPONDER, code: 'step_out_of_order' }]);
  });

  it('redraws the card after a refused attempt, so its witness counts it and names the new head', async () => {
    await h.click(ActionId.incidentReview, 'INC-1');
    await h.settle();
    const head = h.rows("SELECT seq, hash FROM events WHERE stream = 'INC-1' ORDER BY seq DESC LIMIT 1")[0] as {
      seq: number;
      hash: string;
    };
    const lastCard = h.standIn
      .calls()
      .filter((call) => call.method === 'chat.postMessage' || call.method === 'chat.update')
      .map((call) => JSON.stringify(call.args.blocks ?? []))
      .filter((blocks) => blocks.includes('record: '))
      .at(-1);
    expect(lastCard).toContain(`record: ${head.seq} events`);
    expect(lastCard).toContain(head.hash.slice(0, 12));
  });

  it('refuses redeploy before support contact', async () => {
    await h.click(ActionId.incidentRevoke, 'INC-1');
    const before = h.snapshot();
    await h.click(ActionId.incidentRedeploy, 'INC-1');
    expect(h.snapshot()).toEqual(before);
    expect(h.ephemeralTexts().at(-1)).toMatch(/step 2 \(transaction review\) comes before step 4/);
  });

  it('records a double click once and tells the second clicker who did it', async () => {
    h.clock.advance(MINUTE);
    await Promise.all([
      h.click(ActionId.incidentRevoke, 'INC-1'),
      h.click(ActionId.incidentRevoke, 'INC-1', { userId: BYSTANDER }),
    ]);
    expect(h.rows("SELECT count(*) AS n FROM events WHERE type = 'key_revoked'")).toEqual([{ n: 1 }]);
    expect(h.rows('SELECT count(*) AS n FROM incident_steps')).toEqual([{ n: 1 }]);
    expect(h.ephemeralTexts().some((t) => /already recorded by <@U0/.test(t))).toBe(true);
  });

  it('ignores the very same click delivered twice', async () => {
    await h.click(ActionId.incidentRevoke, 'INC-1', { actionTs: '1764320000.000001' });
    const before = h.rows('SELECT * FROM events');
    await h.click(ActionId.incidentRevoke, 'INC-1', { actionTs: '1764320000.000001' });
    expect(h.rows('SELECT * FROM events')).toEqual(before);
  });

  it('refuses an exposure time it cannot read, or one in the future, and opens nothing', async () => {
    const before = h.snapshot();
    const unreadable = await h.command('start billing-staging env=staging exposed=yesterday-ish');
    expect(BotHarness.replyText(unreadable)).toMatch(/not a time I can read.*ISO-8601/);
    const future = await h.command('start billing-staging env=staging exposed=2026-11-28T10:00Z');
    expect(BotHarness.replyText(future)).toMatch(/in the future/);
    const impossible = await h.command('start billing-staging env=staging exposed=2026-02-30');
    expect(BotHarness.replyText(impossible)).toMatch(/not a time I can read/);
    expect(h.snapshot()).toEqual(before);
  });

  it('treats an incident id from another channel as unknown', async () => {
    const before = h.snapshot();
    await h.click(ActionId.incidentRevoke, 'INC-1', { channelId: OTHER_CHANNEL });
    expect(h.snapshot()).toEqual(before);
    expect(h.ephemeralTexts().at(-1)).toMatch(/doesn't point at an incident in this channel/);
  });

  it('answers a malformed button value without a change', async () => {
    const before = h.snapshot();
    await h.click(ActionId.incidentRevoke, 'INC-1; DROP TABLE incidents');
    await h.click(ActionId.incidentRevoke, 'INC-999');
    expect(h.snapshot()).toEqual(before);
  });

  it('rejects a forged signature and a stale timestamp with 401, changing nothing', async () => {
    const before = h.snapshot();
    const body = slashCommandBody({
      text: 'start forged-production env=production',
      userId: RESPONDER,
      channelId: CHANNEL,
      responseUrl: h.standIn.newResponseUrl(),
    });
    expect((await h.post(body, { forge: true })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await h.post(body, { timestamp: sixMinutesAgo })).status).toBe(401);
    await h.settle();
    expect(h.snapshot()).toEqual(before);
  });

  it('answers unknown words with the help text', async () => {
    const reply = await h.command('frobnicate now');
    expect(BotHarness.replyText(reply)).toMatch(/I don't know `frobnicate`.*\/paykore-incident start/s);
  });
});
