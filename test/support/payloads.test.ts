import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEventEnvelope, javaSample, keysMissingFromSample } from './conformance';
import {
  blockActionBody,
  eventBody,
  messageEvent,
  nextActionTs,
  nextTriggerId,
  slashCommandBody,
  viewSubmissionBody,
} from './payloads';
import { postSigned } from './signed-request';
import { type StandIn, startSlackStandIn, TEST_BOT_TOKEN } from './slack-stand-in';
import { describeConformance } from './specs';

const CHANNEL = 'C0INCIDENT1';
const USER = 'U0ALICE01';
const RESPONSE_URL = 'http://127.0.0.1:9/response/1';

const interactivePayload = (body: string): Record<string, unknown> =>
  JSON.parse(new URLSearchParams(body).get('payload') ?? '') as Record<string, unknown>;

const click = () =>
  blockActionBody({
    actionId: 'incident_revoke',
    value: 'INC-1',
    userId: USER,
    channelId: CHANNEL,
    responseUrl: RESPONSE_URL,
  });

const submission = () =>
  viewSubmissionBody({
    callbackId: 'incident_note_submit',
    privateMetadata: 'INC-1',
    userId: USER,
    values: {
      note_text: { note_text: { type: 'plain_text_input', value: 'Rotated in vault' } },
      environment: {
        environment: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'production', emoji: true }, value: 'production' },
        },
      },
    },
  });

describe('payload ids', () => {
  it('makes trigger ids shaped like Slack ones, never twice the same', () => {
    const ids = Array.from({ length: 50 }, nextTriggerId);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
  });

  it('makes increasing action timestamps', () => {
    const [a, b] = [nextActionTs(), nextActionTs()];
    expect(a).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b)).toBeGreaterThan(Number(a));
  });
});

describe('payload builders', () => {
  it('builds a slash command body Bolt-style receivers can parse', () => {
    const fields = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({
          text: 'start api-server env=prod',
          userId: USER,
          channelId: CHANNEL,
          responseUrl: RESPONSE_URL,
        }),
      ),
    );
    expect(fields).toMatchObject({
      command: '/paykore-incident',
      text: 'start api-server env=prod',
      user_id: USER,
      channel_id: CHANNEL,
      response_url: RESPONSE_URL,
    });
    expect(fields.trigger_id).toMatch(/^\d+\./);
  });

  it('puts the clicked button in the message, the actions and the container', () => {
    const payload = interactivePayload(
      blockActionBody({
        actionId: 'incident_revoke',
        value: 'INC-1',
        userId: USER,
        channelId: CHANNEL,
        responseUrl: RESPONSE_URL,
        messageTs: '1764000000.000100',
      }),
    );
    expect(payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: '1764000000.000100', channel_id: CHANNEL },
      message: { ts: '1764000000.000100' },
      actions: [{ action_id: 'incident_revoke', value: 'INC-1', type: 'button' }],
    });
  });

  it('leaves the message out for a click on an ephemeral message', () => {
    const payload = interactivePayload(
      blockActionBody({
        actionId: 'a',
        value: 'v',
        userId: USER,
        channelId: CHANNEL,
        responseUrl: RESPONSE_URL,
        ephemeral: true,
      }),
    );
    expect(payload.message).toBeUndefined();
    expect(payload.container).toMatchObject({ is_ephemeral: true });
  });

  it('carries the submitted values and private_metadata in the view', () => {
    const payload = interactivePayload(submission());
    expect(payload).toMatchObject({
      type: 'view_submission',
      view: {
        callback_id: 'incident_note_submit',
        private_metadata: 'INC-1',
        state: { values: { note_text: { note_text: { value: 'Rotated in vault' } } } },
      },
    });
  });

  it('sets event_ts on the wrapped event from its ts', () => {
    const event = messageEvent({ text: 'hello', userId: USER, channelId: CHANNEL, ts: '1764000001.000200' });
    const envelope = JSON.parse(eventBody({ event })) as { event: { event_ts: string }; event_time: number };
    expect(envelope.event.event_ts).toBe('1764000001.000200');
    expect(envelope.event_time).toBe(1764000001);
  });
});

describeConformance('payload builders: field names Slack uses', () => {
  it('slash command fields all appear in the java sample', () => {
    const body = slashCommandBody({ text: 'help', userId: USER, channelId: CHANNEL, responseUrl: RESPONSE_URL });
    const fields = Object.fromEntries(new URLSearchParams(body));
    expect(keysMissingFromSample(fields, javaSample('app-backend/slash-commands/SlashCommandPayload.json'))).toEqual(
      [],
    );
  });

  it('block_actions keys all appear in the java sample', () => {
    const sample = javaSample('app-backend/interactive-components/BlockActionPayload.json');
    // state.values is keyed by our block ids; the sample shows it empty.
    const opaque = ['state'];
    expect(keysMissingFromSample(interactivePayload(click()), sample, opaque)).toEqual([]);
    const onCard = blockActionBody({
      actionId: 'incident_revoke',
      value: 'INC-1',
      userId: USER,
      channelId: CHANNEL,
      responseUrl: RESPONSE_URL,
      message: { text: 'INC-1', thread_ts: '1764000000.000100', blocks: [{ type: 'divider' }] },
      ephemeral: false,
    });
    expect(keysMissingFromSample(interactivePayload(onCard), sample, [...opaque, 'message.blocks'])).toEqual([]);
  });

  it('view_submission keys all appear in the java sample', () => {
    const sample = javaSample('app-backend/views/ViewSubmissionPayload.json');
    expect(keysMissingFromSample(interactivePayload(submission()), sample, ['view.state'])).toEqual([]);
  });

  it("event envelopes validate against Slack's event wrapper schema", () => {
    const event = messageEvent({ text: 'deploying now', userId: USER, channelId: CHANNEL });
    expect(checkEventEnvelope(JSON.parse(eventBody({ event })))).toEqual([]);
    expect(checkEventEnvelope({ type: 'event_callback', event: { type: 'message' } })).not.toEqual([]);
  });
});

describe('payload builders through a real Bolt app', () => {
  const SECRET = 'FAKE-signing-secret-for-tests';
  let standIn: StandIn;
  let app: App;
  let url: string;
  const seen: { kind: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    standIn = await startSlackStandIn();
    app = new App({
      token: TEST_BOT_TOKEN,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });
    app.command('/paykore-incident', async ({ ack, body }) => {
      seen.push({ kind: 'command', body: body as unknown as Record<string, unknown> });
      await ack();
    });
    app.action('incident_revoke', async ({ ack, body }) => {
      seen.push({ kind: 'action', body: body as unknown as Record<string, unknown> });
      await ack();
    });
    app.view('incident_note_submit', async ({ ack, view }) => {
      seen.push({ kind: 'view', body: view.state.values as unknown as Record<string, unknown> });
      await ack();
    });
    app.message(async ({ message }) => {
      seen.push({ kind: 'message', body: message as unknown as Record<string, unknown> });
    });
    const server = await app.start(0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await app.stop();
    await standIn.close();
  });

  it('routes a signed slash command to the command listener', async () => {
    const body = slashCommandBody({ text: 'status', userId: USER, channelId: CHANNEL, responseUrl: RESPONSE_URL });
    expect((await postSigned(url, body, { signingSecret: SECRET })).status).toBe(200);
    expect(seen.find((s) => s.kind === 'command')?.body).toMatchObject({ text: 'status', user_id: USER });
  });

  it('routes a signed button click to the action listener', async () => {
    expect((await postSigned(url, click(), { signingSecret: SECRET })).status).toBe(200);
    expect(seen.find((s) => s.kind === 'action')?.body).toMatchObject({ actions: [{ value: 'INC-1' }] });
  });

  it('routes a signed view submission to the view listener', async () => {
    expect((await postSigned(url, submission(), { signingSecret: SECRET })).status).toBe(200);
    expect(seen.find((s) => s.kind === 'view')?.body).toMatchObject({
      note_text: { note_text: { value: 'Rotated in vault' } },
    });
  });

  it('routes a signed message event to the message listener', async () => {
    const event = messageEvent({ text: 'deploying now', userId: USER, channelId: CHANNEL });
    const result = await postSigned(url, eventBody({ event }), {
      signingSecret: SECRET,
      contentType: 'application/json',
    });
    expect(result.status).toBe(200);
    await standIn.waitFor(() => seen.find((s) => s.kind === 'message'));
    expect(seen.find((s) => s.kind === 'message')?.body).toMatchObject({ text: 'deploying now', channel: CHANNEL });
  });

  it('lets the app talk to the stand-in without breaking any spec', () => {
    expect(standIn.calls('auth.test').length).toBeGreaterThan(0);
    expect(standIn.violations()).toEqual([]);
  });

  it('rejects a forged signature', async () => {
    const body = slashCommandBody({ text: 'status', userId: USER, channelId: CHANNEL, responseUrl: RESPONSE_URL });
    expect((await postSigned(url, body, { signingSecret: SECRET, forgeSignature: true })).status).toBe(401);
  });
});
