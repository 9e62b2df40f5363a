import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { checkCall, checkMessage } from './conformance';
import { specsAvailable } from './specs';

// A local Slack: the Web API the bot calls (via SLACK_API_URL), the response_urls it answers on, and the upload
// URLs of files.uploadV2. Every call is checked against Slack's published specs, and a call that breaks them
// fails the way Slack would, so a bug shows up as a failing bot rather than a silently recorded mistake.

/** The fake workspace every helper agrees on. */
export const WORKSPACE = {
  teamId: 'T0TEAM001',
  teamDomain: 'paykore-test',
  teamName: 'PayKore Test',
  appId: 'A0APP0001',
  botUserId: 'U0BOT0001',
  botId: 'B0BOT0001',
  botName: 'paykore-bot',
} as const;

export const TEST_BOT_TOKEN = 'xoxb-test-token';
export const TEST_APP_TOKEN = 'xapp-test-token';

export interface RecordedCall {
  seq: number;
  method: string;
  args: Record<string, unknown>;
  violations: string[];
}

export interface Fault {
  status?: number;
  retryAfterSeconds?: number;
  error?: string;
  /** With `error: 'missing_scope'`: the scope Slack names as needed. */
  needed?: string;
  hangMs?: number;
  times?: number;
}

export interface Upload {
  fileId: string;
  filename: string;
  title?: string;
  channelId?: string;
  bytes: Buffer;
}

export interface StandIn {
  /** Web API base with a trailing slash, for SLACK_API_URL / `slackApiUrl`. */
  url: string;
  origin: string;
  newResponseUrl(): string;
  calls(method?: string): RecordedCall[];
  responses(): { url: string; body: Record<string, unknown> }[];
  uploads(): Upload[];
  violations(): string[];
  fail(method: string, fault: Fault): void;
  /** Slack unreachable: stops listening (connections are refused, ECONNREFUSED) and drops the open ones. */
  refuseConnections(): Promise<void>;
  /** Slack is back, on the same URL. */
  acceptConnections(): Promise<void>;
  setUsergroupMembers(groupId: string, userIds: string[]): void;
  /**
   * Who conversations.members lists for a channel (the bot is always there). A channel never set lists the
   * default members, which tests set once for the people they use.
   */
  setChannelMembers(channelId: string, userIds: string[]): void;
  setDefaultChannelMembers(userIds: string[]): void;
  /** A channel that already exists (its name is taken), e.g. an archived one. */
  addChannel(channel: { name: string; archived?: boolean; isPrivate?: boolean; members?: string[] }): string;
  /** Channels created or added, by id: name, privacy, members, topic, archived. */
  channels(): Map<string, RoomState>;
  /** A file a person shared in a channel, served at its url_private to the bot token only, as Slack serves it. */
  shareFile(name: string, content: string, mimetype?: string): Json;
  /** Every GET of a shared file's url_private, with whether it carried the bot token. */
  fileDownloads(): { fileId: string; authorized: boolean }[];
  /** What apps.connections.open hands out (a Socket Mode WebSocket URL); unset answers ok:false. */
  setSocketUrl(url: string | undefined): void;
  waitFor<T>(pick: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Forgets calls, responses, uploads, views, violations and pending faults; keeps usergroups and socket URL. */
  reset(): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  token?: string;
  appToken?: string;
  /** When false, violations are recorded but calls still succeed (default true: they fail with invalid_arguments). */
  strict?: boolean;
}

export interface RoomState {
  id: string;
  name: string;
  isPrivate: boolean;
  archived: boolean;
  members: Set<string>;
  topic: string;
  creator: string;
}

type Json = Record<string, unknown>;
type Handler = (args: Json, call: RecordedCall) => Json;

/** A file between files.getUploadURLExternal and files.completeUploadExternal; `length` is what was declared. */
interface StoredFile {
  filename: string;
  length: number;
  title?: string;
  channelId?: string;
  bytes?: Buffer;
}

// Fields the Web API client JSON-encodes into a form field.
const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'files', 'file_ids']);
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

export async function startSlackStandIn(opts: StandInOptions = {}): Promise<StandIn> {
  const botToken = opts.token ?? TEST_BOT_TOKEN;
  const appToken = opts.appToken ?? TEST_APP_TOKEN;
  const strict = opts.strict ?? true;
  const validate = specsAvailable();

  let calls: RecordedCall[] = [];
  let responses: { url: string; body: Json }[] = [];
  let violations: string[] = [];
  let faults = new Map<string, Required<Pick<Fault, 'times'>> & Fault>();
  let files = new Map<string, StoredFile>();
  // What each channel holds, so the bot can look back at what it already posted (message metadata included).
  let posted = new Map<string, Json[]>();
  let views = new Map<string, Json>();
  let exchangedTriggers = new Set<string>();
  const usergroups = new Map<string, string[]>();
  const channelMembers = new Map<string, string[]>();
  let defaultChannelMembers: string[] = [];
  // Channels made through conversations.create (or added by a test); Slack never frees a name, archived or not.
  let rooms = new Map<string, RoomState>();
  const roomByName = (name: string) => [...rooms.values()].find((room) => room.name === name);
  const responseUrls = new Set<string>();
  const hangs = new Set<AbortController>();
  let socketUrl: string | undefined;
  const shared = new Map<string, { content: string; mimetype: string }>();
  let downloads: { fileId: string; authorized: boolean }[] = [];
  let seq = 0;
  let counter = 0;
  // Slack ts: seconds.microseconds, unique and increasing within a channel; one counter keeps them unique overall.
  const nextTs = () => {
    counter += 1;
    const micros = 1_764_000_000_000_000 + counter * 100;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
  const nextId = (prefix: string) => {
    counter += 1;
    return `${prefix}${String(counter).padStart(8, '0')}`;
  };

  const record = (method: string, violation: string) => violations.push(`${method}: ${violation}`);

  const handlers: Record<string, Handler> = {
    'auth.test': () => ({
      ok: true,
      url: `https://${WORKSPACE.teamDomain}.slack.com/`,
      team: WORKSPACE.teamName,
      user: WORKSPACE.botName,
      team_id: WORKSPACE.teamId,
      user_id: WORKSPACE.botUserId,
      bot_id: WORKSPACE.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (args) => {
      const channel = channelOf(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (rooms.get(channel)?.archived) return { ok: false, error: 'is_archived' };
      const ts = nextTs();
      const message = { ...botMessage(args), ts, ...pick(args, ['blocks', 'thread_ts']) };
      posted.set(channel, [...(posted.get(channel) ?? []), { ...message, ...pick(args, ['metadata']) }]);
      return { ok: true, channel, ts, message };
    },
    'conversations.history': (args) => {
      const channel = channelOf(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const top = (posted.get(channel) ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      return { ok: true, messages: withMetadata(top.slice().reverse(), args), has_more: false, pin_count: 0 };
    },
    'conversations.replies': (args) => {
      const channel = channelOf(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const thread = (posted.get(channel) ?? []).filter((m) => m.ts === args.ts || m.thread_ts === args.ts);
      if (thread.length === 0) return { ok: false, error: 'thread_not_found' };
      return { ok: true, messages: withMetadata(thread, args), has_more: false };
    },
    // The OpenAPI spec types chat.update's message.blocks as an object (a defect), so blocks are not echoed here.
    'chat.update': (args) => {
      const channel = channelOf(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel, ts: args.ts, text: args.text ?? '', message: botMessage(args) };
    },
    'chat.postEphemeral': (args) =>
      channelOf(args.channel) ? { ok: true, message_ts: nextTs() } : { ok: false, error: 'channel_not_found' },
    'chat.delete': (args) => {
      const channel = channelOf(args.channel);
      return channel ? { ok: true, channel, ts: args.ts } : { ok: false, error: 'channel_not_found' };
    },
    'views.open': (args) => openView(args),
    'views.push': (args) => openView(args),
    'views.update': (args) => {
      const existing = [...views.values()].find((v) => v.id === args.view_id || v.external_id === args.external_id);
      return saveView(args.view, (existing?.id as string | undefined) ?? nextId('V'));
    },
    'views.publish': (args) => saveView(args.view, nextId('V')),
    'conversations.join': (args) =>
      isChannelId(args.channel)
        ? { ok: true, channel: conversation(args.channel) }
        : { ok: false, error: 'channel_not_found' },
    'conversations.info': (args) =>
      isChannelId(args.channel)
        ? { ok: true, channel: conversation(args.channel) }
        : { ok: false, error: 'channel_not_found' },
    'users.info': (args) =>
      typeof args.user === 'string' && /^[UW][A-Z0-9]{2,}$/.test(args.user)
        ? { ok: true, user: user(args.user) }
        : { ok: false, error: 'user_not_found' },
    // Paginated as Slack does: `limit` per page, an opaque `next_cursor` that is empty on the last page.
    'conversations.members': (args) => {
      const channel = channelOf(args.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const room = rooms.get(channel);
      const all = room
        ? [...room.members]
        : [WORKSPACE.botUserId, ...(channelMembers.get(channel) ?? defaultChannelMembers)];
      const limit = Math.max(1, Math.min(1000, Number(args.limit ?? 100) || 100));
      const cursor = typeof args.cursor === 'string' && args.cursor ? args.cursor : null;
      const offset =
        cursor === null
          ? 0
          : Number(
              Buffer.from(cursor, 'base64')
                .toString('utf8')
                .replace(/^offset:/, ''),
            );
      if (!Number.isInteger(offset) || offset < 0 || offset >= all.length)
        return { ok: false, error: 'invalid_cursor' };
      const next = offset + limit;
      return {
        ok: true,
        members: all.slice(offset, next),
        response_metadata: {
          next_cursor: next < all.length ? Buffer.from(`offset:${next}`, 'utf8').toString('base64') : '',
        },
      };
    },
    'conversations.create': (args) => {
      const name = typeof args.name === 'string' ? args.name : '';
      if (name === '') return { ok: false, error: 'invalid_name_required' };
      if (name.length > 80) return { ok: false, error: 'invalid_name_maxlength' };
      if (/[^a-z0-9_-]/.test(name))
        return { ok: false, error: /[A-Z\s]/.test(name) ? 'invalid_name' : 'invalid_name_specials' };
      if (roomByName(name)) return { ok: false, error: 'name_taken' };
      const isPrivate = args.is_private === true || args.is_private === 'true';
      const id = nextId(isPrivate ? 'G' : 'C');
      const room: RoomState = {
        id,
        name,
        isPrivate,
        archived: false,
        members: new Set([WORKSPACE.botUserId]),
        topic: '',
        creator: WORKSPACE.botUserId,
      };
      rooms.set(id, room);
      return { ok: true, channel: roomConversation(room) };
    },
    'conversations.invite': (args) => {
      const room = rooms.get(String(args.channel));
      if (!room)
        return isChannelId(args.channel)
          ? { ok: false, error: 'not_in_channel' }
          : { ok: false, error: 'channel_not_found' };
      if (room.archived) return { ok: false, error: 'is_archived' };
      if (!room.members.has(WORKSPACE.botUserId)) return { ok: false, error: 'not_in_channel' };
      const users = String(args.users ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) return { ok: false, error: 'no_user' };
      if (users.length > 1000) return { ok: false, error: 'too_many_users' };
      // Slack checks every user first and invites nobody when one of them fails.
      const errors: Json[] = [];
      for (const user of users) {
        const error =
          user === WORKSPACE.botUserId
            ? 'cant_invite_self'
            : !/^[UW][A-Z0-9]{2,}$/.test(user)
              ? 'user_not_found'
              : room.members.has(user)
                ? 'already_in_channel'
                : null;
        if (error) errors.push({ user, ok: false, error });
      }
      if (errors.length > 0) return { ok: false, error: String(errors[0]?.error), errors };
      for (const user of users) room.members.add(user);
      return { ok: true, channel: roomConversation(room) };
    },
    'conversations.setTopic': (args) => {
      const room = rooms.get(String(args.channel));
      if (!room) return { ok: false, error: 'channel_not_found' };
      if (room.archived) return { ok: false, error: 'is_archived' };
      if (!room.members.has(WORKSPACE.botUserId)) return { ok: false, error: 'not_in_channel' };
      const topic = String(args.topic ?? '');
      if (topic.length > 250) return { ok: false, error: 'too_long' };
      room.topic = topic;
      return { ok: true, channel: roomConversation(room) };
    },
    'conversations.archive': (args) => {
      const room = rooms.get(String(args.channel));
      if (!room) return { ok: false, error: 'channel_not_found' };
      if (room.archived) return { ok: false, error: 'already_archived' };
      room.archived = true;
      return { ok: true };
    },
    'usergroups.users.list': (args) => {
      const users = usergroups.get(String(args.usergroup));
      return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
    },
    'files.getUploadURLExternal': (args) => {
      const fileId = nextId('F');
      files.set(fileId, { filename: String(args.filename ?? ''), length: Number(args.length) });
      return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
    },
    'files.completeUploadExternal': (args, call) => {
      const wanted = Array.isArray(args.files) ? (args.files as Json[]) : [];
      const channelId = typeof args.channel_id === 'string' ? args.channel_id : undefined;
      const done: Json[] = [];
      for (const { id, title } of wanted) {
        const file = files.get(String(id));
        if (!file) return { ok: false, error: 'file_not_found' };
        if (file.bytes?.length !== file.length) {
          call.violations.push(
            `file ${String(id)}: files.getUploadURLExternal declared ${file.length} bytes but ${file.bytes?.length ?? 0} were uploaded`,
          );
        }
        file.title = typeof title === 'string' ? title : file.filename;
        file.channelId = channelId;
        done.push(fileObject(String(id), file.filename, file.title, file.bytes?.length ?? 0, channelId));
      }
      return { ok: true, files: done };
    },
    'apps.connections.open': () =>
      socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: 'stand_in_socket_url_not_set' },
  };

  function openView(args: Json): Json {
    const trigger = String(args.trigger_id ?? args.interactivity_pointer ?? '');
    // trigger_ids are single-use at Slack; a second use is a real bug (e.g. a retried handler).
    if (exchangedTriggers.has(trigger)) return { ok: false, error: 'exchanged_trigger_id' };
    exchangedTriggers.add(trigger);
    return saveView(args.view, nextId('V'));
  }

  function saveView(submitted: unknown, id: string): Json {
    const view: Json = {
      id,
      team_id: WORKSPACE.teamId,
      type: 'modal',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${nextTs()}.${id.toLowerCase()}`,
      title: null,
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: id,
      app_id: WORKSPACE.appId,
      external_id: '',
      app_installed_team_id: WORKSPACE.teamId,
      bot_id: WORKSPACE.botId,
      ...(typeof submitted === 'object' && submitted !== null ? submitted : {}),
    };
    views.set(id, view);
    return { ok: true, view };
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'stand_in_error', detail: String(error) });
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname;
    const raw = await readBody(req);
    if (req.method === 'GET' && path.startsWith('/files-pri/')) return download(path, req, res);
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
    if (path.startsWith('/api/')) return webApi(path.slice('/api/'.length), req, raw, res);
    if (path.startsWith('/response/')) return responseUrl(path, req, raw, res);
    if (path.startsWith('/upload/')) return upload(path.slice('/upload/'.length), req, raw, res);
    send(res, 404, { ok: false, error: 'not_found' });
  }

  async function webApi(method: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const args = await parseBody(req.headers['content-type'], raw);
    const token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return send(res, 200, { ok: false, error: 'not_authed' });
    if (method === 'apps.connections.open' && token === botToken) {
      return send(res, 200, { ok: false, error: 'not_allowed_token_type' });
    }
    if (token !== (method === 'apps.connections.open' ? appToken : botToken)) {
      return send(res, 200, { ok: false, error: 'invalid_auth' });
    }

    seq += 1;
    const call: RecordedCall = { seq, method, args, violations: validate ? checkCall(method, args) : [] };
    calls.push(call);

    const fault = takeFault(method);
    // A hang models "Slack took the call but the answer never came back": the call takes effect, then stalls.
    if (fault?.hangMs && !fault.status && !fault.error) {
      const handler = handlers[method];
      const body = handler && !(strict && call.violations.length > 0) ? handler(args, call) : invalidArguments(call);
      await hang(fault.hangMs);
      return finish(res, call, body);
    }
    if (fault?.hangMs) await hang(fault.hangMs);
    if (fault?.status === 429) {
      res.setHeader('Retry-After', String(fault.retryAfterSeconds ?? 1));
      return send(res, 429, { ok: false, error: 'ratelimited' });
    }
    if (fault?.status) return send(res, fault.status, `stand-in fault: HTTP ${fault.status}`);
    if (fault?.error)
      return finish(res, call, {
        ok: false,
        error: fault.error,
        ...(fault.needed ? { needed: fault.needed, provided: 'chat:write' } : {}),
      });

    const handler = handlers[method];
    if (!handler) return finish(res, call, { ok: false, error: 'unknown_method' });
    if (strict && call.violations.length > 0) return finish(res, call, invalidArguments(call));
    const body = handler(args, call);
    finish(res, call, strict && call.violations.length > 0 ? invalidArguments(call) : body);
  }

  function finish(res: ServerResponse, call: RecordedCall, body: Json): void {
    for (const violation of call.violations) record(call.method, violation);
    send(res, 200, body);
  }

  async function responseUrl(path: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const url = `${origin}${path}`;
    if (!responseUrls.has(url)) return send(res, 404, 'no_such_response_url');
    const body = await parseBody(req.headers['content-type'], raw);
    responses.push({ url, body });
    const found = validate ? checkMessage(body, 'response_url') : [];
    for (const violation of found) record('response_url', violation);
    if (strict && found.length > 0) return send(res, 400, { ok: false, error: 'invalid_blocks' });
    send(res, 200, { ok: true });
  }

  async function upload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const file = files.get(fileId);
    if (!file) return send(res, 404, 'file_not_found');
    file.bytes = await uploadedBytes(req.headers['content-type'], raw);
    send(res, 200, `OK - ${file.bytes.length}`);
  }

  function download(path: string, req: IncomingMessage, res: ServerResponse): void {
    const fileId = path.split('/')[2] ?? '';
    const file = shared.get(fileId);
    const authorized = bearer(req.headers.authorization) === botToken;
    downloads.push({ fileId, authorized });
    // Slack answers an unauthenticated url_private with its sign-in page, not the file.
    if (!file || !authorized) {
      res.writeHead(file ? 302 : 404, { location: `${origin}/signin` });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype });
    res.end(file.content);
  }

  function takeFault(method: string): Fault | undefined {
    const fault = faults.get(method);
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) faults.delete(method);
    return fault;
  }

  async function hang(ms: number): Promise<void> {
    const controller = new AbortController();
    hangs.add(controller);
    await delay(ms, undefined, { signal: controller.signal }).catch(() => undefined);
    hangs.delete(controller);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  let listening = true;
  let responseCounter = 0;

  return {
    url: `${origin}/api/`,
    origin,
    newResponseUrl() {
      responseCounter += 1;
      const url = `${origin}/response/${responseCounter}`;
      responseUrls.add(url);
      return url;
    },
    calls: (method) => (method ? calls.filter((c) => c.method === method) : [...calls]),
    responses: () => [...responses],
    uploads: () =>
      [...files.entries()]
        .filter(([, f]) => f.bytes !== undefined)
        .map(([fileId, f]) => ({
          fileId,
          filename: f.filename,
          title: f.title,
          channelId: f.channelId,
          bytes: f.bytes ?? Buffer.alloc(0),
        })),
    violations: () => [...violations],
    fail(method, fault) {
      faults.set(method, { ...fault, times: fault.times ?? 1 });
    },
    async refuseConnections() {
      if (!listening) return;
      listening = false;
      for (const controller of hangs) controller.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
    async acceptConnections() {
      if (listening) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      listening = true;
    },
    setUsergroupMembers(groupId, userIds) {
      usergroups.set(groupId, [...userIds]);
    },
    setChannelMembers(channelId, userIds) {
      channelMembers.set(channelId, [...userIds]);
    },
    setDefaultChannelMembers(userIds) {
      defaultChannelMembers = [...userIds];
    },
    addChannel(channel) {
      const id = nextId(channel.isPrivate ? 'G' : 'C');
      rooms.set(id, {
        id,
        name: channel.name,
        isPrivate: channel.isPrivate ?? false,
        archived: channel.archived ?? false,
        members: new Set(channel.members ?? []),
        topic: '',
        creator: 'U0CREATOR1',
      });
      return id;
    },
    channels: () => new Map(rooms),
    setSocketUrl(url) {
      socketUrl = url;
    },
    shareFile(name, content, mimetype = 'text/plain') {
      const id = nextId('F');
      shared.set(id, { content, mimetype });
      return {
        id,
        name,
        title: name,
        mimetype,
        filetype: mimetype === 'text/plain' ? 'text' : 'binary',
        mode: 'snippet',
        size: Buffer.byteLength(content),
        url_private: `${origin}/files-pri/${id}/${name}`,
        url_private_download: `${origin}/files-pri/${id}/download/${name}`,
      };
    },
    fileDownloads: () => [...downloads],
    async waitFor<T>(pickValue: () => T | undefined | false, timeoutMs = 2000): Promise<T> {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const value = pickValue();
        if (value) return value;
        if (performance.now() > deadline) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
        await delay(10);
      }
    },
    reset() {
      posted = new Map();
      calls = [];
      responses = [];
      violations = [];
      faults = new Map();
      files = new Map();
      views = new Map();
      exchangedTriggers = new Set();
      rooms = new Map();
      downloads = [];
    },
    async close() {
      if (!listening) return;
      listening = false;
      for (const controller of hangs) controller.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function invalidArguments(call: RecordedCall): Json {
  // Slack explains argument errors in response_metadata.messages; WebClient logs the [ERROR] ones.
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: call.violations.map((v) => `[ERROR] ${v}`) },
  };
}

function botMessage(args: Json): Json {
  return {
    user: WORKSPACE.botUserId,
    type: 'message',
    text: typeof args.text === 'string' ? args.text : '',
    bot_id: WORKSPACE.botId,
    team: WORKSPACE.teamId,
  };
}

/** Slack returns message metadata only to a caller that asks for it. */
function withMetadata(messages: Json[], args: Json): Json[] {
  const wanted = args.include_all_metadata === true || args.include_all_metadata === 'true';
  return messages.map(({ metadata, ...message }) => (wanted && metadata ? { ...message, metadata } : message));
}

function pick(args: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => args[k] !== undefined).map((k) => [k, args[k]]));
}

function isChannelId(value: unknown): value is string {
  return typeof value === 'string' && CHANNEL_ID.test(value);
}

/** chat.* accept a channel id, a user id (their DM with the bot) or a #name. */
function channelOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^[UW][A-Z0-9]{2,}$/.test(value)) return `D${value.slice(1).padEnd(8, '0')}`;
  return value;
}

function conversation(id: string): Json {
  const name = `channel-${id.toLowerCase()}`;
  return {
    id,
    name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: id.startsWith('G'),
    created: 1_700_000_000,
    is_archived: false,
    is_general: false,
    unlinked: 0,
    name_normalized: name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: WORKSPACE.teamId,
    updated: 1_700_000_000_000,
    creator: 'U0CREATOR1',
    is_member: true,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
    previous_names: [],
  };
}

function roomConversation(room: RoomState): Json {
  return {
    ...conversation(room.id),
    name: room.name,
    name_normalized: room.name,
    is_private: room.isPrivate,
    is_archived: room.archived,
    creator: room.creator,
    is_member: room.members.has(WORKSPACE.botUserId),
    topic: { value: room.topic, creator: room.topic ? WORKSPACE.botUserId : '', last_set: 0 },
  };
}

function user(id: string): Json {
  const isBot = id === WORKSPACE.botUserId;
  const name = isBot ? WORKSPACE.botName : `user-${id.toLowerCase()}`;
  return {
    id,
    team_id: WORKSPACE.teamId,
    name,
    deleted: false,
    color: '9f69e7',
    real_name: name,
    tz: 'Etc/UTC',
    tz_label: 'Coordinated Universal Time',
    tz_offset: 0,
    profile: {
      real_name: name,
      real_name_normalized: name,
      display_name: name,
      display_name_normalized: name,
      team: WORKSPACE.teamId,
      ...(isBot ? { bot_id: WORKSPACE.botId, api_app_id: WORKSPACE.appId } : {}),
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: isBot,
    is_app_user: false,
    updated: 1_700_000_000,
  };
}

const FILE_TYPES: Record<string, [mimetype: string, filetype: string, pretty: string]> = {
  md: ['text/plain', 'markdown', 'Markdown (raw)'],
  csv: ['text/csv', 'csv', 'CSV'],
  json: ['application/json', 'json', 'JSON'],
};

function fileObject(id: string, filename: string, title: string, size: number, channelId: string | undefined): Json {
  const [mimetype, filetype, prettyType] = FILE_TYPES[filename.split('.').pop() ?? ''] ?? [
    'text/plain',
    'text',
    'Plain Text',
  ];
  const base = `https://files.slack.com/files-pri/${WORKSPACE.teamId}-${id}`;
  return {
    id,
    created: 1_764_000_000,
    timestamp: 1_764_000_000,
    name: filename,
    title,
    mimetype,
    filetype,
    pretty_type: prettyType,
    user: WORKSPACE.botUserId,
    user_team: WORKSPACE.teamId,
    editable: false,
    size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: channelId !== undefined,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `${base}/${filename}`,
    url_private_download: `${base}/download/${filename}`,
    permalink: `https://${WORKSPACE.teamDomain}.slack.com/files/${WORKSPACE.botUserId}/${id}/${filename}`,
    channels: channelId ? [channelId] : [],
    groups: [],
    ims: [],
    comments_count: 0,
  };
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form, JSON or multipart bodies, with JSON-encoded form fields (blocks, view, …) decoded. */
async function parseBody(contentType: string | undefined, raw: Buffer): Promise<Json> {
  const type = contentType ?? '';
  if (type.startsWith('application/json')) {
    const parsed: unknown = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  }
  const entries: [string, unknown][] = type.startsWith('multipart/form-data')
    ? [...(await new Response(raw, { headers: { 'content-type': type } }).formData()).entries()]
    : [...new URLSearchParams(raw.toString('utf8')).entries()];
  const args: Json = {};
  for (const [key, value] of entries) args[key] = JSON_FIELDS.has(key) ? decodeJson(value) : value;
  return args;
}

function decodeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** files.uploadV2 posts the bytes as a multipart part; a raw body is accepted too, as Slack does. */
async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

function send(res: ServerResponse, status: number, body: Json | string): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8',
  });
  res.end(text);
}
