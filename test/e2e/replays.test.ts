import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { STEP_DETAILS } from '../fixtures/step-details';
import { BotHarness, select, text } from '../support/bot-harness';

const count = (h: BotHarness, sql: string) => (h.rows(sql)[0] as { n: number }).n;
const threadPosts = (h: BotHarness) => h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts).length;

describe('the same payload twice, or four times, is one action', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('opens one incident for one slash command delivered twice at once and four times in a row', async () => {
    const triggerId = '4242.1234.replayed';
    await Promise.all([1, 2].map(() => h.command('start api-server-production-v2 env=production', { triggerId })));
    for (let i = 0; i < 4; i += 1) await h.command('start api-server-production-v2 env=production', { triggerId });
    expect(count(h, 'SELECT count(*) AS n FROM incidents')).toBe(1);
    expect(count(h, "SELECT count(*) AS n FROM events WHERE type = 'incident_opened'")).toBe(1);
    expect(h.standIn.calls('chat.postMessage')).toHaveLength(1);
  });

  it('records one revoke for one click delivered twice at once and four times in a row', async () => {
    await h.command('start api-server-production-v2 env=production');
    const actionTs = '1764320000.123456';
    await Promise.all([1, 2].map(() => h.click(ActionId.incidentRevoke, 'INC-1', { actionTs })));
    for (let i = 0; i < 4; i += 1) await h.click(ActionId.incidentRevoke, 'INC-1', { actionTs });
    expect(count(h, "SELECT count(*) AS n FROM events WHERE type = 'key_revoked'")).toBe(1);
    expect(count(h, "SELECT count(*) AS n FROM events WHERE type = 'action_refused'")).toBe(0);
    expect(threadPosts(h)).toBe(1);
  });

  it('records one note for one form submission delivered twice at once and four times in a row', async () => {
    await h.command('start api-server-production-v2 env=production');
    await h.click(ActionId.incidentNote, 'INC-1');
    const view = h.lastOpenedView();
    const values = { [Field.noteText]: { [Field.noteText]: text('rotated the staging key as well') } };
    await Promise.all(
      [1, 2].map(() => h.submit(CallbackId.incidentNote, view.private_metadata, values, { viewId: 'V0REPLAY01' })),
    );
    for (let i = 0; i < 4; i += 1)
      await h.submit(CallbackId.incidentNote, view.private_metadata, values, { viewId: 'V0REPLAY01' });
    expect(count(h, "SELECT count(*) AS n FROM events WHERE type = 'note_added'")).toBe(1);
    expect(threadPosts(h)).toBe(1);
  });

  it('records one resolution for a resolve form delivered twice at once', async () => {
    await h.command('start api-server-production-v2 env=production');
    const id = { incidentId: 1, channelId: 'C0INCIDENT1' };
    h.bot.incidents.completeStep({ ...id, step: 'revoke', actor: 'U0RESP0001', details: {}, idempotencyKey: 'k1' });
    h.bot.incidents.completeStep({
      ...id,
      step: 'review',
      actor: 'U0RESP0001',
      details: STEP_DETAILS.review,
      idempotencyKey: 'k2',
    });
    h.bot.incidents.completeStep({
      ...id,
      step: 'support',
      actor: 'U0RESP0001',
      details: STEP_DETAILS.support,
      idempotencyKey: 'k3',
    });
    h.bot.incidents.completeStep({
      ...id,
      step: 'redeploy',
      actor: 'U0RESP0001',
      details: STEP_DETAILS.redeploy,
      idempotencyKey: 'k4',
    });
    const values = {
      [Field.resolution]: { [Field.resolution]: select('revoked') },
      [Field.summary]: { [Field.summary]: text('done') },
    };
    await Promise.all(
      [1, 2].map(() => h.submit(CallbackId.incidentResolve, JSON.stringify(id), values, { viewId: 'V0RESOLVE1' })),
    );
    expect(count(h, "SELECT count(*) AS n FROM events WHERE type = 'incident_resolved'")).toBe(1);
    expect(count(h, "SELECT count(*) AS n FROM events WHERE type = 'action_refused'")).toBe(0);
  });
});
