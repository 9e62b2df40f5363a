import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, type Logger, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { fetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBlocks, checkCall, checkResponse, checkView, javaSample, keysMissingFromSample } from './conformance';
import { nextTriggerId } from './payloads';
import { type StandIn, startSlackStandIn, TEST_APP_TOKEN, TEST_BOT_TOKEN, WORKSPACE } from './slack-stand-in';
import { describeConformance, specsAvailable, specsDir } from './specs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vitestBin = resolve(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

const CHANNEL = 'C0INCIDENT1';

// WebClient logs Slack's [ERROR] response messages; the tests assert on them instead.
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startSlackStandIn();
});
afterEach(() => standIn.reset());
afterAll(() => standIn.close());

function client(options: WebClientOptions = {}, token = TEST_BOT_TOKEN): WebClient {
  return new WebClient(token, { slackApiUrl: standIn.url, retryConfig: { retries: 0 }, logger: quiet, ...options });
}

/** The stand-in's answer exactly as sent, without WebClient's additions. */
async function raw(method: string, args: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${standIn.url}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(args).toString(),
  });
  return (await response.json()) as Record<string, unknown>;
}

const button = (text: string, actionId = 'incident_revoke') => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value: 'INC-1' }],
});
const section = (text: string, blockId?: string) => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text },
});

describe('slack stand-in', () => {
  it('answers auth.test as the bot of the test workspace', async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({ ok: true, user_id: 'U0BOT0001', bot_id: 'B0BOT0001', team_id: 'T0TEAM001' });
  });

  it('refuses a wrong bot token with invalid_auth', async () => {
    await expect(client({}, 'xoxb-wrong').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('answers a method it does not implement with unknown_method', async () => {
    await expect(client().apiCall('nonexistent.method')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('hands out increasing unique message timestamps', async () => {
    const web = client();
    const first = await web.chat.postMessage({ channel: CHANNEL, text: 'one' });
    const second = await web.chat.postMessage({ channel: CHANNEL, text: 'two', thread_ts: first.ts });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.message?.thread_ts).toBe(first.ts);
    expect(standIn.calls('chat.postMessage').map((c) => c.args.text)).toEqual(['one', 'two']);
  });

  it('decodes JSON-encoded form fields such as blocks', async () => {
    await client().chat.postMessage({ channel: CHANNEL, text: 'card', blocks: [section('*INC-1*')] });
    expect(standIn.calls('chat.postMessage')[0]?.args.blocks).toEqual([section('*INC-1*')]);
  });

  it('surfaces a 429 fault as a rate-limited error carrying retryAfter', async () => {
    standIn.fail('chat.postMessage', { status: 429, retryAfterSeconds: 7 });
    const call = client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: CHANNEL, text: 'x' });
    await expect(call).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    await expect(client().chat.postMessage({ channel: CHANNEL, text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('answers ok:false with the given error for the given number of calls', async () => {
    standIn.fail('chat.update', { error: 'message_not_found', times: 2 });
    const web = client();
    const update = () => web.chat.update({ channel: CHANNEL, ts: '1764000000.000100', text: 'x' });
    await expect(update()).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(update()).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    await expect(update()).resolves.toMatchObject({ ok: true });
  });

  it('holds the answer back for hangMs, so client timeouts can be exercised', async () => {
    standIn.fail('auth.test', { hangMs: 5_000 });
    await expect(client({ timeout: 50 }).auth.test()).rejects.toMatchObject({ code: ErrorCode.RequestError });
  });

  it('answers a non-200 status fault as an HTTP error', async () => {
    standIn.fail('chat.postMessage', { status: 503 });
    await expect(client().chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 503,
    });
  });

  it('lists usergroup members that were set, and no_such_subteam otherwise', async () => {
    standIn.setUsergroupMembers('S0RESPOND1', ['U0ALICE01', 'U0BOB0001']);
    await expect(client().usergroups.users.list({ usergroup: 'S0RESPOND1' })).resolves.toMatchObject({
      users: ['U0ALICE01', 'U0BOB0001'],
    });
    await expect(client().usergroups.users.list({ usergroup: 'S0UNKNOWN1' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });

  it('stores the exact bytes of a filesUploadV2 with its title and channel', async () => {
    const bytes = Buffer.from('seq,at\n1,2026-11-02T10:00:00.000Z\n\u00e9\u20ac\n', 'utf8');
    await client().filesUploadV2({ channel_id: CHANNEL, file: bytes, filename: 'INC-1.csv', title: 'INC-1 timeline' });
    const [upload] = standIn.uploads();
    expect(upload).toMatchObject({ filename: 'INC-1.csv', title: 'INC-1 timeline', channelId: CHANNEL });
    expect(upload?.bytes.equals(bytes)).toBe(true);
    expect(standIn.violations()).toEqual([]);
  });

  it('records what the bot posts to a response_url, and 404s on one it never issued', async () => {
    const url = standIn.newResponseUrl();
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Revoke the key first.' }),
    });
    expect(posted.status).toBe(200);
    expect(standIn.responses()).toEqual([{ url, body: { response_type: 'ephemeral', text: 'Revoke the key first.' } }]);
    const stray = await fetch(`${standIn.origin}/response/999`, { method: 'POST', body: '{}' });
    expect(stray.status).toBe(404);
  });

  it('opens a socket URL only when one is set, and only for the app token', async () => {
    const appClient = client({}, TEST_APP_TOKEN);
    await expect(appClient.apps.connections.open()).rejects.toMatchObject({ data: { ok: false } });
    standIn.setSocketUrl('ws://127.0.0.1:1/link');
    await expect(appClient.apps.connections.open()).resolves.toMatchObject({ url: 'ws://127.0.0.1:1/link' });
    await expect(client().apps.connections.open()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    standIn.setSocketUrl(undefined);
  });

  it('waits until a call shows up', async () => {
    const pending = client().chat.postEphemeral({ channel: CHANNEL, user: 'U0ALICE01', text: 'hi' });
    const call = await standIn.waitFor(() => standIn.calls('chat.postEphemeral')[0]);
    expect(call.args.user).toBe('U0ALICE01');
    await pending;
  });

  it('gives up waiting after the timeout', async () => {
    await expect(standIn.waitFor(() => false, 30)).rejects.toThrow(/waitFor/);
  });
});

describeConformance('slack stand-in: spec conformance', () => {
  it('reports a 76-character button text', () => {
    expect(checkBlocks([button('x'.repeat(76))])).toEqual([
      'blocks/0/elements/0/text/text: must NOT have more than 75 characters (has 76)',
    ]);
    expect(checkBlocks([button('x'.repeat(75))])).toEqual([]);
  });

  it('reports 51 blocks in a message but accepts them in a modal', () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(checkBlocks(blocks)).toEqual(['message has 51 blocks; Slack allows at most 50']);
    expect(checkView({ type: 'modal', title: { type: 'plain_text', text: 'Long' }, blocks })).toEqual([]);
  });

  it('reports 101 blocks in a view', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    expect(checkView({ type: 'modal', title: { type: 'plain_text', text: 'Long' }, blocks })).toContain(
      'view has 101 blocks; Slack allows at most 100',
    );
  });

  it('reports a duplicate block_id and a duplicate action_id within one surface', () => {
    expect(checkBlocks([section('a', 'card'), section('b', 'card')])).toEqual([
      "duplicate block_id 'card' in blocks/0 and blocks/1",
    ]);
    expect(checkBlocks([button('Revoke'), button('Revoke again')])).toEqual([
      "duplicate action_id 'incident_revoke' in blocks/0 and blocks/1",
    ]);
  });

  it('reports section text over 3000 characters', () => {
    expect(checkBlocks([section('y'.repeat(3001))])).toContain(
      'section text in blocks/0 is 3001 characters; Slack allows at most 3000',
    );
  });

  it('reports blocks sent without a text fallback', () => {
    const extra: Record<string, Record<string, string>> = {
      'chat.postMessage': {},
      'chat.update': { ts: '1764000000.000100' },
      'chat.postEphemeral': { user: 'U0ALICE01' },
    };
    for (const [method, args] of Object.entries(extra)) {
      expect(checkCall(method, { channel: CHANNEL, ...args, blocks: [section('card')], text: ' ' })).toEqual([
        `${method} sends blocks without a plain \`text\` fallback (used by notifications and screen readers)`,
      ]);
    }
  });

  it('reports an unknown argument and an unknown method', () => {
    expect(checkCall('chat.postMessage', { channel: CHANNEL, text: 'x', colour: 'red' })).toEqual([
      "unknown argument 'colour' for chat.postMessage",
    ]);
    expect(checkCall('chat.postMesage', { channel: CHANNEL })).toEqual(['unknown method chat.postMesage']);
  });

  it('accepts arguments the 2020 spec lacks but Slack has since added', () => {
    expect(
      checkCall('chat.postMessage', {
        channel: CHANNEL,
        text: 'x',
        metadata: { event_type: 'incident_opened', event_payload: { id: 'INC-1' } },
      }),
    ).toEqual([]);
    expect(checkCall('files.getUploadURLExternal', { filename: 'a.md', length: 3 })).toEqual([]);
    expect(
      checkCall('files.completeUploadExternal', { files: [{ id: 'F1', title: 't' }], channel_id: CHANNEL }),
    ).toEqual([]);
    expect(checkCall('apps.connections.open', {})).toEqual([]);
  });

  it('reports a missing required argument', () => {
    expect(checkCall('chat.postMessage', { text: 'x' })).toEqual([
      "missing required argument 'channel' for chat.postMessage",
    ]);
    expect(
      checkCall('views.open', { view: { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] } }),
    ).toContain("missing required argument 'trigger_id' for views.open");
  });

  it('points at the wrong element rather than listing every block type', () => {
    const blocks = [{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'note_text' }] }];
    expect(checkBlocks(blocks)).toEqual(['blocks/0/elements/0: "plain_text_input" is not allowed here']);
    expect(checkBlocks([{ type: 'sectoin', text: { type: 'mrkdwn', text: 'x' } }])).toEqual([
      'blocks/0: unknown block type "sectoin"',
    ]);
  });

  it('reports a modal title over 24 characters and a missing submit next to inputs', () => {
    const input = { type: 'input', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input' } };
    expect(checkView({ type: 'modal', title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [input] })).toEqual([
      "view: must have required property 'submit'",
      'view/title/text: must NOT have more than 24 characters (has 25)',
    ]);
  });

  it('records a valid postMessage from the real WebClient with no violations', async () => {
    const result = await client().chat.postMessage({
      channel: CHANNEL,
      text: 'INC-1 opened',
      blocks: [section('*INC-1* key `api-server-production`', 'summary'), button('Revoke key')],
    });
    expect(result.ok).toBe(true);
    const [call] = standIn.calls('chat.postMessage');
    expect(call?.violations).toEqual([]);
    expect(standIn.violations()).toEqual([]);
  });

  it('fails an invalid call with invalid_arguments and records why', async () => {
    const call = client().chat.postMessage({ channel: CHANNEL, blocks: [button('x'.repeat(76))] });
    await expect(call).rejects.toMatchObject({ data: { ok: false, error: 'invalid_arguments' } });
    expect(standIn.violations()).toEqual([
      'chat.postMessage: blocks/0/elements/0/text/text: must NOT have more than 75 characters (has 76)',
      'chat.postMessage: chat.postMessage sends blocks without a plain `text` fallback (used by notifications and screen readers)',
    ]);
    expect(standIn.calls('chat.postMessage')[0]?.violations).toHaveLength(2);
  });

  it('records violations but still answers when not strict', async () => {
    const lenient = await startSlackStandIn({ strict: false });
    try {
      const web = new WebClient(TEST_BOT_TOKEN, {
        slackApiUrl: lenient.url,
        retryConfig: { retries: 0 },
        logger: quiet,
      });
      await expect(web.chat.postMessage({ channel: CHANNEL, blocks: [section('x')] })).resolves.toMatchObject({
        ok: true,
      });
      expect(lenient.violations()).toHaveLength(1);
    } finally {
      await lenient.close();
    }
  });

  it('refuses blocks without a text fallback on a response_url', async () => {
    const url = standIn.newResponseUrl();
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', blocks: [section('Revoke the key first.')] }),
    });
    expect(posted.status).toBe(400);
    expect(standIn.violations()).toEqual([
      'response_url: response_url sends blocks without a plain `text` fallback (used by notifications and screen readers)',
    ]);
  });

  it('opens, updates and publishes views, refusing a reused trigger_id', async () => {
    const web = client();
    const modal = {
      type: 'modal' as const,
      callback_id: 'incident_note_submit',
      private_metadata: 'INC-1',
      title: { type: 'plain_text' as const, text: 'Add a note' },
      submit: { type: 'plain_text' as const, text: 'Save' },
      blocks: [
        {
          type: 'input',
          block_id: 'note_text',
          label: { type: 'plain_text' as const, text: 'Note' },
          element: { type: 'plain_text_input' as const, action_id: 'note_text', multiline: true },
        },
      ],
    };
    const opened = await web.views.open({ trigger_id: '1000000000001.4744562912.abc', view: modal });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'incident_note_submit' });
    await expect(web.views.open({ trigger_id: '1000000000001.4744562912.abc', view: modal })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    const updated = await web.views.update({ view_id: opened.view?.id as string, view: modal });
    expect(updated.view?.id).toBe(opened.view?.id);
    const home = await web.views.publish({ user_id: 'U0ALICE01', view: { type: 'home', blocks: [section('Keys')] } });
    expect(home.view?.type).toBe('home');
    expect(standIn.violations()).toEqual([]);
  });

  describe('canned responses', () => {
    // Our own Block Kit and our chosen state keys are echoed back; the samples cannot know them.
    const opaque = ['message.blocks', 'view.blocks', 'view.state', 'view.title', 'view.submit', 'view.close'];
    const text = 'INC-1 opened';
    const view = JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [section('x')] });
    const cases: [method: string, args: () => Record<string, string>][] = [
      ['auth.test', () => ({})],
      [
        'chat.postMessage',
        () => ({ channel: CHANNEL, text, blocks: JSON.stringify([section('x')]), thread_ts: '1764000000.000100' }),
      ],
      [
        'chat.update',
        () => ({ channel: CHANNEL, ts: '1764000000.000100', text, blocks: JSON.stringify([section('x')]) }),
      ],
      ['chat.postEphemeral', () => ({ channel: CHANNEL, user: 'U0ALICE01', text })],
      ['chat.delete', () => ({ channel: CHANNEL, ts: '1764000000.000100' })],
      ['views.open', () => ({ trigger_id: nextTriggerId(), view })],
      ['views.update', () => ({ view_id: 'V00000001', view })],
      ['views.push', () => ({ trigger_id: nextTriggerId(), view })],
      [
        'views.publish',
        () => ({ user_id: 'U0ALICE01', view: JSON.stringify({ type: 'home', blocks: [section('x')] }) }),
      ],
      ['conversations.join', () => ({ channel: CHANNEL })],
      ['conversations.info', () => ({ channel: CHANNEL })],
      ['users.info', () => ({ user: 'U0ALICE01' })],
      ['files.getUploadURLExternal', () => ({ filename: 'INC-1.md', length: '0' })],
    ];

    for (const [method, args] of cases) {
      it(`${method} uses only key names Slack uses`, async () => {
        const body = await raw(method, args());
        expect(body.ok).toBe(true);
        expect(keysMissingFromSample(body, javaSample(`api/${method}.json`), opaque)).toEqual([]);
      });
    }

    it('files.completeUploadExternal and apps.connections.open use only key names Slack uses', async () => {
      const web = client();
      await web.filesUploadV2({ channel_id: CHANNEL, content: 'abc', filename: 'INC-1.md' });
      const [fileId] = standIn.uploads().map((u) => u.fileId);
      const completed = await raw('files.completeUploadExternal', {
        files: JSON.stringify([{ id: fileId, title: 'INC-1' }]),
        channel_id: CHANNEL,
      });
      expect(keysMissingFromSample(completed, javaSample('api/files.completeUploadExternal.json'))).toEqual([]);
      standIn.setSocketUrl('ws://127.0.0.1:1/link');
      const opened = await web.apps.connections.open({ token: TEST_APP_TOKEN });
      standIn.setSocketUrl(undefined);
      const { response_metadata: _, ...body } = opened;
      expect(keysMissingFromSample(body, javaSample('api/apps.connections.open.json'))).toEqual([]);
    });

    const withSchemas = [
      'auth.test',
      'chat.postMessage',
      'chat.update',
      'chat.postEphemeral',
      'chat.delete',
      'conversations.join',
      'conversations.info',
      'users.info',
      'views.open',
    ];
    for (const method of withSchemas) {
      it(`${method} matches the OpenAPI success schema`, async () => {
        const [, args] = cases.find(([m]) => m === method) ?? [];
        const body = await raw(method, args?.() ?? {});
        expect(checkResponse(method, body)).toEqual([]);
      });
    }

    it('usergroups.users.list matches the OpenAPI success schema', async () => {
      standIn.setUsergroupMembers('S0RESPOND1', ['U0ALICE01']);
      expect(
        checkResponse('usergroups.users.list', await raw('usergroups.users.list', { usergroup: 'S0RESPOND1' })),
      ).toEqual([]);
    });

    it('an injected error answer matches the OpenAPI error schema', async () => {
      standIn.fail('chat.postMessage', { error: 'channel_not_found' });
      const body = await raw('chat.postMessage', { channel: CHANNEL, text: 'x' });
      expect(body).toEqual({ ok: false, error: 'channel_not_found' });
      expect(checkResponse('chat.postMessage', body)).toEqual([]);
    });

    describe('incident rooms', () => {
      it('conversations.create, invite, setTopic and archive match the OpenAPI success schemas', async () => {
        const created = await raw('conversations.create', { name: 'inc-1-api-prod', is_private: 'true' });
        expect(checkResponse('conversations.create', created)).toEqual([]);
        const id = String((created.channel as { id: string }).id);
        expect(id).toMatch(/^G/);
        const invited = await raw('conversations.invite', { channel: id, users: 'U0ALICE01,U0BOB0001' });
        expect(checkResponse('conversations.invite', invited)).toEqual([]);
        const topic = await raw('conversations.setTopic', { channel: id, topic: 'INC-1 · now: revoke' });
        expect(checkResponse('conversations.setTopic', topic)).toEqual([]);
        expect((topic.channel as { topic: { value: string } }).topic.value).toBe('INC-1 · now: revoke');
        const archived = await raw('conversations.archive', { channel: id });
        expect(archived).toEqual({ ok: true });
        expect(checkResponse('conversations.archive', archived)).toEqual([]);
        expect(standIn.channels().get(id)).toMatchObject({ name: 'inc-1-api-prod', isPrivate: true, archived: true });
        expect([...(standIn.channels().get(id)?.members ?? [])].sort()).toEqual([
          'U0ALICE01',
          'U0BOB0001',
          WORKSPACE.botUserId,
        ]);
      });

      it('answers as Slack does when a name is taken (archived channels too), invalid or too long', async () => {
        standIn.addChannel({ name: 'inc-2-old', archived: true });
        const cases: [Record<string, string>, string][] = [
          [{ name: 'inc-2-old' }, 'name_taken'],
          [{ name: 'Inc 2' }, 'invalid_name'],
          [{ name: 'inc-2-a.b' }, 'invalid_name_specials'],
          [{ name: 'x'.repeat(81) }, 'invalid_name_maxlength'],
        ];
        for (const [args, error] of cases) {
          const body = await raw('conversations.create', args);
          expect(body).toEqual({ ok: false, error });
          expect(checkResponse('conversations.create', body)).toEqual([]);
        }
      });

      it('refuses an invitation of itself or of someone already there, inviting nobody', async () => {
        const created = await raw('conversations.create', { name: 'inc-3-x' });
        const id = String((created.channel as { id: string }).id);
        await raw('conversations.invite', { channel: id, users: 'U0ALICE01' });
        const again = await raw('conversations.invite', { channel: id, users: 'U0BOB0001,U0ALICE01' });
        expect(again).toMatchObject({ ok: false, error: 'already_in_channel' });
        expect(checkResponse('conversations.invite', again)).toEqual([]);
        expect(standIn.channels().get(id)?.members.has('U0BOB0001')).toBe(false);
        const self = await raw('conversations.invite', { channel: id, users: WORKSPACE.botUserId });
        expect(self).toMatchObject({ ok: false, error: 'cant_invite_self' });
        await raw('conversations.archive', { channel: id });
        expect(await raw('conversations.archive', { channel: id })).toEqual({ ok: false, error: 'already_archived' });
        expect(await raw('conversations.invite', { channel: id, users: 'U0BOB0001' })).toEqual({
          ok: false,
          error: 'is_archived',
        });
      });

      it('names the needed scope on an injected missing_scope', async () => {
        standIn.fail('conversations.create', { error: 'missing_scope', needed: 'groups:write' });
        const body = await raw('conversations.create', { name: 'inc-4-x', is_private: 'true' });
        expect(body).toMatchObject({ ok: false, error: 'missing_scope', needed: 'groups:write' });
        expect(checkResponse('conversations.create', body)).toEqual([]);
      });
    });

    it('bot identity is consistent with the workspace every helper uses', async () => {
      const body = await raw('auth.test', {});
      expect(body).toMatchObject({ user_id: WORKSPACE.botUserId, bot_id: WORKSPACE.botId, team_id: WORKSPACE.teamId });
    });
  });
});

describe('slack-specs location', () => {
  const runWithoutSpecs = (ci: boolean) =>
    spawnSync(process.execPath, [vitestBin, 'run', '--reporter=verbose', 'test/support/manifest-schema.test.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, SLACK_SPECS_DIR: '/nonexistent/slack-specs', CI: ci ? 'true' : '', NO_COLOR: '1' },
    });

  it('reads SLACK_SPECS_DIR when set', () => {
    const saved = process.env.SLACK_SPECS_DIR;
    process.env.SLACK_SPECS_DIR = '/nonexistent/slack-specs';
    try {
      expect(specsDir()).toBe('/nonexistent/slack-specs');
      expect(specsAvailable()).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.SLACK_SPECS_DIR;
      else process.env.SLACK_SPECS_DIR = saved;
    }
  });

  it('skips conformance suites with the reason outside CI, and fails them under CI=true', () => {
    const local = runWithoutSpecs(false);
    expect(local.status).toBe(0);
    expect(local.stdout).toContain('(skipped: slack-specs not found at /nonexistent/slack-specs; set SLACK_SPECS_DIR)');
    const ci = runWithoutSpecs(true);
    expect(ci.status).not.toBe(0);
    expect(ci.stdout + ci.stderr).toContain(
      'slack-specs are required in CI but were not found at /nonexistent/slack-specs',
    );
  });
});
