import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import {
  BotHarness,
  BYSTANDER,
  CHANNEL,
  dateTime,
  OTHER_CHANNEL,
  RESPONDER,
  select,
  T0,
  text,
} from '../support/bot-harness';
import { fakeSecretKey, maskOf } from '../support/fake-keys';
import { eventBody, messageEvent, nextActionTs } from '../support/payloads';
import type { RecordedCall } from '../support/slack-stand-in';
import { WORKSPACE } from '../support/slack-stand-in';
import { MINUTE } from '../support/test-clock';

type Json = Record<string, unknown>;

const JSON_EVENT = { contentType: 'application/json' };

/** What Slack's ts means in epoch ms (seconds.micros). */
const tsMs = (ts: string) => Math.floor(Number(ts) * 1000);

/** The value of the leak_open_incident button in a message's blocks, if it has one. */
function leakButtonValue(blocks: unknown): string | undefined {
  const found = JSON.stringify(blocks ?? []).match(/"action_id":"leak_open_incident"[^}]*"value":"(LEAK-\d+)"/);
  return found?.[1];
}

describe('leaked keys in channels, end to end over signed HTTP', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  const warningsUnder = (ts: string): RecordedCall[] =>
    h.standIn.calls('chat.postMessage').filter((call) => call.args.thread_ts === ts);

  async function postEvent(event: Json & { type: string }, eventId?: string, headers?: Record<string, string>) {
    const result = await h.post(eventBody({ event, eventId }), { ...JSON_EVENT, headers });
    expect(result.status).toBe(200);
    await h.settle();
  }

  async function paste(text: string, options: { channelId?: string; userId?: string } = {}) {
    const event = messageEvent({ text, userId: options.userId ?? BYSTANDER, channelId: options.channelId ?? CHANNEL });
    await postEvent(event);
    return event as Json & { ts: string; type: string };
  }

  async function playToResolution(ref: string) {
    await h.click(ActionId.incidentRevoke, ref);
    await h.click(ActionId.incidentReview, ref);
    await h.submit(CallbackId.incidentReview, h.lastOpenedView().private_metadata, {
      [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
      [Field.transactionIds]: { [Field.transactionIds]: text('') },
      [Field.notes]: { [Field.notes]: text('') },
    });
    await h.click(ActionId.incidentSupport, ref);
    await h.submit(CallbackId.incidentSupport, h.lastOpenedView().private_metadata, {
      [Field.contactChannel]: { [Field.contactChannel]: select('email') },
      [Field.ticketRef]: { [Field.ticketRef]: text('PK-1') },
    });
    await h.click(ActionId.incidentRedeploy, ref);
    await h.submit(CallbackId.incidentRedeploy, h.lastOpenedView().private_metadata, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
      [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 1') },
    });
    await h.click(ActionId.incidentResolve, ref);
    await h.submit(CallbackId.incidentResolve, h.lastOpenedView().private_metadata, {
      [Field.resolution]: { [Field.resolution]: select('revoked') },
      [Field.summary]: { [Field.summary]: text('revoked and replaced') },
    });
  }

  it('warns once in the thread of a message holding a key, and never again for redeliveries', async () => {
    const key = fakeSecretKey();
    const event = messageEvent({ text: `prod config: STRIPE=x PAYKORE=${key}`, userId: BYSTANDER, channelId: CHANNEL });
    await postEvent(event, 'Ev0LEAK00001');

    const warnings = warningsUnder(String(event.ts));
    expect(warnings).toHaveLength(1);
    const warning = warnings[0]!;
    expect(warning.args.channel).toBe(CHANNEL);
    expect(String(warning.args.text)).toContain(maskOf(key));
    expect(String(warning.args.text)).toMatch(/treat it as compromised: revoke it now/i);
    expect(String(warning.args.text)).toContain('then delete this message (history keeps it');
    expect(leakButtonValue(warning.args.blocks)).toBe('LEAK-1');
    expect(JSON.stringify(warning.args)).not.toContain(key.slice(8, 28));

    for (const retry of ['1', '2', '3']) {
      await postEvent(event, 'Ev0LEAK00001', { 'x-slack-retry-num': retry, 'x-slack-retry-reason': 'http_timeout' });
    }
    expect(warningsUnder(String(event.ts))).toHaveLength(1);
    expect(h.rows('SELECT id FROM leaks')).toHaveLength(1);
    expect(h.rows('SELECT id FROM leak_sightings')).toHaveLength(1);
    expect(h.rows("SELECT seq FROM events WHERE stream = 'LEAKS'")).toHaveLength(1);
  });

  it('opens an incident from the warning whose exposure starts at the message time, once', async () => {
    const key = fakeSecretKey();
    const event = await paste(`oops ${key}`);
    const value = leakButtonValue(warningsUnder(event.ts)[0]?.args.blocks);
    expect(value).toBe('LEAK-1');

    h.clock.advance(3 * MINUTE);
    await h.click(ActionId.leakOpenIncident, value!, { userId: BYSTANDER });
    const incident = h.bot.incidents.get(1);
    expect(incident).toMatchObject({
      keyLabel: `leaked-${maskOf(key)}`,
      environment: 'production',
      keyMode: 'live',
      severity: 'SEV1',
      openedBy: BYSTANDER,
      openedAt: T0 + 3 * MINUTE,
      exposureStart: tsMs(event.ts),
    });
    expect(incident?.how).toContain('LEAK-1');
    const opened = h.bot.incidents.timeline(1)[0];
    expect(opened?.details.origin).toEqual({ leakId: 1, leak: 'LEAK-1' });
    expect(h.cardTs(CHANNEL)).toBeDefined();
    expect(h.ephemeralTexts().at(-1)).toContain('Opened INC-1');

    await h.click(ActionId.leakOpenIncident, value!, { userId: RESPONDER });
    expect(h.ephemeralTexts().at(-1)).toContain('INC-1 is already open for this key');
    expect(h.rows('SELECT id FROM incidents')).toHaveLength(1);
  });

  it('calls the same key in another message the same leak, with a shorter note', async () => {
    const key = fakeSecretKey();
    await paste(`first ${key}`);
    const again = await paste(`again: \`${key}\``, { channelId: OTHER_CHANNEL });
    const note = warningsUnder(again.ts);
    expect(note).toHaveLength(1);
    expect(String(note[0]?.args.text)).toContain('Same key as before');
    expect(String(note[0]?.args.text)).toContain(`<#${CHANNEL}>`);
    expect(h.rows('SELECT id FROM leaks')).toHaveLength(1);

    // Open from the second channel's note: the incident lives where the button was pressed.
    await h.click(ActionId.leakOpenIncident, leakButtonValue(note[0]?.args.blocks)!, { channelId: OTHER_CHANNEL });
    expect(h.bot.incidents.get(1)?.channelId).toBe(OTHER_CHANNEL);
    const third = await paste(`third ${key}`);
    expect(String(warningsUnder(third.ts)[0]?.args.text)).toContain('INC-1 is open for it');
    expect(leakButtonValue(warningsUnder(third.ts)[0]?.args.blocks)).toBeUndefined();
  });

  it("tells the open incident's own thread and timeline when its key is seen again elsewhere, once", async () => {
    const key = fakeSecretKey();
    await paste(`first ${key}`);
    await h.click(ActionId.leakOpenIncident, 'LEAK-1');
    const cardTs = h.cardTs(CHANNEL);
    expect(cardTs).toBeDefined();
    const before = h.bot.incidents.timeline(1).length;

    const again = await paste(`copied here too ${key}`, { channelId: OTHER_CHANNEL });
    await postEvent(
      messageEvent({ text: `copied here too ${key}`, userId: BYSTANDER, channelId: OTHER_CHANNEL, ts: again.ts }),
    );

    const told = h.bot.incidents.timeline(1).filter((event) => event.type === 'key_seen_again');
    expect(told).toHaveLength(1);
    expect(told[0]?.details).toMatchObject({ leak: 'LEAK-1', source: 'message', channelId: OTHER_CHANNEL });
    expect(h.bot.incidents.timeline(1)).toHaveLength(before + 1);
    const inThread = h.standIn
      .calls('chat.postMessage')
      .filter((call) => call.args.channel === CHANNEL && call.args.thread_ts === cardTs)
      .map((call) => String(call.args.text));
    expect(inThread.filter((line) => line.includes('was seen again'))).toHaveLength(1);
    expect(inThread.join('\n')).not.toContain(key);
  });

  it('calls a key seen after its incident was resolved a new exposure, and opens a new incident from then', async () => {
    const key = fakeSecretKey();
    await paste(key);
    await h.click(ActionId.leakOpenIncident, 'LEAK-1');
    await playToResolution('INC-1');
    expect(h.bot.incidents.get(1)?.status).toBe('resolved');

    h.clock.advance(60 * MINUTE);
    const later = await paste(`found this in an old doc ${key}`);
    const notice = warningsUnder(later.ts);
    expect(notice).toHaveLength(1);
    expect(String(notice[0]?.args.text)).toContain('New exposure of a known key');
    expect(String(notice[0]?.args.text)).toContain('INC-1 was resolved as `revoked`');

    // The old warning's button no longer opens anything on its own; the new one does, from the new message.
    await h.click(ActionId.leakOpenIncident, leakButtonValue(notice[0]?.args.blocks)!);
    const second = h.bot.incidents.get(2);
    expect(second?.exposureStart).toBe(tsMs(later.ts));
    await h.click(ActionId.leakOpenIncident, 'LEAK-1');
    expect(h.ephemeralTexts().at(-1)).toContain('INC-2 is already open for this key');
    expect(h.rows('SELECT id FROM leaks')).toHaveLength(1);
  });

  it('answers the old button after a resolution with the incident that handled it', async () => {
    await paste(fakeSecretKey('test'));
    await h.click(ActionId.leakOpenIncident, 'LEAK-1');
    expect(h.bot.incidents.get(1)).toMatchObject({ environment: 'development', keyMode: 'test', severity: 'SEV3' });
    await playToResolution('INC-1');
    await h.click(ActionId.leakOpenIncident, 'LEAK-1');
    expect(h.ephemeralTexts().at(-1)).toContain('INC-1 already handled this key');
    expect(h.rows('SELECT id FROM incidents')).toHaveLength(1);
  });

  it('warns about a key added by an edit, once, with the exposure starting at the edit', async () => {
    const original = messageEvent({ text: 'here comes the key', userId: BYSTANDER, channelId: CHANNEL });
    await postEvent(original);
    expect(warningsUnder(String(original.ts))).toHaveLength(0);

    const key = fakeSecretKey();
    const editTs = nextActionTs();
    const edit = (eventTs: string) => ({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: CHANNEL,
      channel_type: 'channel',
      ts: eventTs,
      event_ts: eventTs,
      message: {
        type: 'message',
        user: BYSTANDER,
        text: `here comes the key ${key}`,
        ts: original.ts,
        edited: { user: BYSTANDER, ts: editTs },
      },
      previous_message: { type: 'message', user: BYSTANDER, text: 'here comes the key', ts: original.ts },
    });
    await postEvent(edit(editTs));
    await postEvent(edit(nextActionTs()));
    expect(warningsUnder(String(original.ts))).toHaveLength(1);

    await h.click(ActionId.leakOpenIncident, 'LEAK-1');
    expect(h.bot.incidents.get(1)?.exposureStart).toBe(tsMs(editTs));
  });

  it('reads keys in attachments and blocks, and in a thread reply warns in that thread', async () => {
    const key = fakeSecretKey();
    const parent = nextActionTs();
    const event = {
      ...messageEvent({ text: 'see attachment', userId: BYSTANDER, channelId: CHANNEL, threadTs: parent }),
      attachments: [{ fallback: 'env', fields: [{ title: 'PAYKORE_KEY', value: key, short: false }] }],
    };
    await postEvent(event);
    expect(warningsUnder(parent)).toHaveLength(1);
  });

  it("ignores the bot's own messages and edits, deletions, publishable keys and placeholders", async () => {
    const key = fakeSecretKey();
    await postEvent({
      ...messageEvent({ text: key, userId: WORKSPACE.botUserId, channelId: CHANNEL }),
      bot_id: WORKSPACE.botId,
    });
    const ts = nextActionTs();
    await postEvent({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      ts,
      event_ts: ts,
      message: { type: 'message', user: WORKSPACE.botUserId, bot_id: WORKSPACE.botId, text: key, ts: nextActionTs() },
    });
    await postEvent({
      type: 'message',
      subtype: 'message_deleted',
      channel: CHANNEL,
      ts: nextActionTs(),
      deleted_ts: nextActionTs(),
      previous_message: { type: 'message', user: BYSTANDER, text: key, ts: nextActionTs() },
    });
    await paste(`mobile uses ${['pk', 'live', 'FAKE9f8e7d6c5b4a3Z2Y1X0wVuTs'].join('_')}`);
    await paste('set it like sk_live_XXXXXXXXXXXXXXXXXXXXXXXX or sk_test_your_key_here');
    expect(h.standIn.calls('chat.postMessage')).toHaveLength(0);
    expect(h.rows('SELECT id FROM leaks')).toEqual([]);
  });

  it('refuses a key typed into the command without storing or repeating it, and offers an incident', async () => {
    const key = fakeSecretKey();
    const answer = await h.command(`start api-server-production env=production how=the key is ${key}`);
    const reply = answer.json as { text: string; blocks?: unknown[] };
    expect(reply.text).toContain(maskOf(key));
    expect(reply.text).toContain('now exposed in Slack');
    expect(answer.body).not.toContain(key.slice(8, 28));
    expect(h.rows('SELECT id FROM incidents')).toEqual([]);
    expect(h.rows('SELECT source, channel_id, message_ts FROM leak_sightings')).toEqual([
      { source: 'command', channel_id: CHANNEL, message_ts: null },
    ]);

    h.clock.advance(MINUTE);
    await h.click(ActionId.leakOpenIncident, leakButtonValue(reply.blocks)!);
    const incident = h.bot.incidents.get(1);
    expect(incident?.exposureStart).toBe(T0);
    expect(incident?.how).toContain('typed into the /paykore-incident command');
  });

  it('refuses a form holding a key on its field before any handler, and offers an incident in the channel', async () => {
    await h.command('');
    const view = h.lastOpenedView();
    const key = fakeSecretKey('test');
    const submitted = await h.submit(CallbackId.incidentDeclare, view.private_metadata, {
      [Field.keyLabel]: { [Field.keyLabel]: text('checkout-production') },
      [Field.environment]: { [Field.environment]: select('production') },
      [Field.exposureStart]: { [Field.exposureStart]: dateTime(null) },
      [Field.revokedAt]: { [Field.revokedAt]: dateTime(null) },
      [Field.how]: { [Field.how]: text(`pasted ${key} in the wiki`) },
    });
    const body = submitted.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual([Field.how]);
    expect(body.errors[Field.how]).toContain(maskOf(key));
    expect(submitted.body).not.toContain(key.slice(8, 28));
    expect(h.rows('SELECT id FROM incidents')).toEqual([]);

    const offer = h.standIn.calls('chat.postEphemeral').at(-1);
    expect(offer?.args).toMatchObject({ channel: CHANNEL, user: RESPONDER });
    expect(String(offer?.args.text)).toContain('now exposed in Slack');
    await h.click(ActionId.leakOpenIncident, leakButtonValue(offer?.args.blocks)!);
    expect(h.bot.incidents.get(1)).toMatchObject({ keyMode: 'test', environment: 'development' });
  });

  it('treats a leak button from another channel as unknown', async () => {
    await paste(fakeSecretKey());
    await h.click(ActionId.leakOpenIncident, 'LEAK-1', { channelId: OTHER_CHANNEL });
    expect(h.ephemeralTexts().at(-1)).toContain("doesn't point at a leaked key seen in this channel");
    await h.click(ActionId.leakOpenIncident, 'LEAK-99');
    expect(h.rows('SELECT id FROM incidents')).toEqual([]);
  });
});
