import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, RESPONDER, select, text } from '../support/bot-harness';
import { fakeSecretKey } from '../support/fake-keys';
import { eventBody, messageEvent } from '../support/payloads';

const LABEL = 'api-server-production-v2';

// PRODUCT.md section 8: anyone may open an incident, only a responder's action changes the key register.
describe('who may change the key register through an incident', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ env: { RESPONDERS: RESPONDER } });
    await h.command(`keys add ${LABEL} env=production last4=Q2xF`, { userId: RESPONDER });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  const key = () =>
    h.rows(`SELECT status, next_reminder_at FROM keys WHERE label = '${LABEL}'`)[0] as
      | { status: string; next_reminder_at: number | null }
      | undefined;

  async function playToResolution(resolution: string) {
    const ref = 'INC-1';
    await h.click(ActionId.incidentRevoke, ref, { userId: RESPONDER });
    await h.click(ActionId.incidentReview, ref, { userId: RESPONDER });
    await h.submit(
      CallbackId.incidentReview,
      h.lastOpenedView().private_metadata,
      { [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') } },
      { userId: RESPONDER },
    );
    await h.click(ActionId.incidentSupport, ref, { userId: RESPONDER });
    await h.submit(
      CallbackId.incidentSupport,
      h.lastOpenedView().private_metadata,
      { [Field.contactChannel]: { [Field.contactChannel]: select('email') } },
      { userId: RESPONDER },
    );
    await h.click(ActionId.incidentRedeploy, ref, { userId: RESPONDER });
    await h.submit(
      CallbackId.incidentRedeploy,
      h.lastOpenedView().private_metadata,
      {
        [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
        [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 1') },
      },
      { userId: RESPONDER },
    );
    await h.click(ActionId.incidentResolve, ref, { userId: RESPONDER });
    await h.submit(
      CallbackId.incidentResolve,
      h.lastOpenedView().private_metadata,
      {
        [Field.resolution]: { [Field.resolution]: select(resolution) },
        [Field.summary]: { [Field.summary]: text('checked') },
      },
      { userId: RESPONDER },
    );
    expect(h.bot.incidents.get(1)?.resolution).toBe(resolution);
  }

  it("opens a non-responder's incident but leaves the registered key alone until a responder records the revoke", async () => {
    const before = key();
    expect(before).toMatchObject({ status: 'active' });
    await h.command(`start ${LABEL} env=production revoked=2026-11-28T08:00Z`, { userId: BYSTANDER });
    expect(h.bot.incidents.get(1)?.openedBy).toBe(BYSTANDER);
    expect(key()).toEqual(before);
    // The revoke was declared at opening, so the responder's first step is what confirms it.
    await h.click(ActionId.incidentReview, 'INC-1', { userId: RESPONDER });
    await h.submit(
      CallbackId.incidentReview,
      h.lastOpenedView().private_metadata,
      { [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') } },
      { userId: RESPONDER },
    );
    expect(key()).toEqual({ status: 'compromised', next_reminder_at: null });
  });

  it('leaves the key alone for a non-responder opening, then marks it when a responder records the revoke', async () => {
    const before = key();
    await h.command(`start ${LABEL} env=production`, { userId: BYSTANDER });
    expect(key()).toEqual(before);
    await h.click(ActionId.incidentRevoke, 'INC-1', { userId: BYSTANDER });
    expect(key()).toEqual(before);
    await h.click(ActionId.incidentRevoke, 'INC-1', { userId: RESPONDER });
    expect(key()).toEqual({ status: 'compromised', next_reminder_at: null });
  });

  it('leaves the key alone when a non-responder opens an incident from a fake leak whose last four match it', async () => {
    // A key that only looks like the registered one: same mode and last four, made up by someone.
    const fake = `${fakeSecretKey('live').slice(0, -4)}Q2xF`;
    const event = messageEvent({ text: `is this ours? ${fake}`, userId: BYSTANDER, channelId: CHANNEL });
    expect((await h.post(eventBody({ event }), { contentType: 'application/json' })).status).toBe(200);
    await h.settle();
    const before = key();
    await h.click(ActionId.leakOpenIncident, 'LEAK-1', { userId: BYSTANDER });
    expect(h.bot.incidents.get(1)).toMatchObject({ keyLabel: LABEL, openedBy: BYSTANDER });
    expect(key()).toEqual(before);
    expect(key()?.status).toBe('active');
  });

  it('marks the key compromised at once when a responder opens the incident', async () => {
    await h.command(`start ${LABEL} env=production`, { userId: RESPONDER });
    expect(key()).toEqual({ status: 'compromised', next_reminder_at: null });
  });

  it('restores the key when the incident resolves as a false positive: active again, reminders back', async () => {
    const before = key();
    await h.command(`start ${LABEL} env=production`, { userId: RESPONDER });
    expect(key()?.status).toBe('compromised');
    await playToResolution('false_positive');
    expect(key()).toMatchObject({ status: 'active' });
    expect(key()?.next_reminder_at).toEqual(before?.next_reminder_at);
    const restored = h.rows(
      "SELECT json_extract(details, '$.from') AS f, json_extract(details, '$.to') AS t FROM events WHERE stream = 'KEYS' AND type = 'key_status_changed' ORDER BY seq",
    );
    expect(restored.at(-1)).toEqual({ f: 'compromised', t: 'active' });
  });

  it('keeps the key compromised when the incident resolves as revoked', async () => {
    await h.command(`start ${LABEL} env=production`, { userId: RESPONDER });
    await playToResolution('revoked');
    expect(key()?.status).toBe('compromised');
  });
});
