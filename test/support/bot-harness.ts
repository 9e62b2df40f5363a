import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from '../../src/app/logger';
import { type Config, parseConfig } from '../../src/config';
import { createLogger } from '../../src/log/create-logger';
import { type Bot, createBot } from '../../src/main';
import { checkCall, checkView } from './conformance';
import { blockActionBody, type InputState, slashCommandBody, viewSubmissionBody } from './payloads';
import { postSigned, type SignedPostResult } from './signed-request';
import { type StandIn, startSlackStandIn, TEST_APP_TOKEN, TEST_BOT_TOKEN } from './slack-stand-in';
import type { SocketModeStandIn } from './socket-mode-stand-in';
import { specsAvailable } from './specs';
import { type TestClock, testClock } from './test-clock';
import { httpTransport, socketTransport, type Transport, type TransportName } from './transport';

/** Compiles Slack's schemas before the clock-sensitive part of a test (the first compile takes a second or two). */
function warmUpConformance(): void {
  if (!specsAvailable()) return;
  const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'warm-up' } }];
  checkCall('chat.postMessage', { channel: 'C0WARMUP01', text: 'warm-up', blocks });
  checkView({ type: 'modal', title: { type: 'plain_text', text: 'warm-up' }, blocks });
}

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const CHANNEL = 'C0INCIDENT1';
export const OTHER_CHANNEL = 'C0ELSEWHERE';
export const RESPONDER = 'U0RESP0001';
export const SECOND_RESPONDER = 'U0RESP0002';
export const BYSTANDER = 'U0BYST0001';
/** 2026-11-28T09:00:00Z: the fixed moment every harness clock starts at. */
export const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);

export interface HarnessOptions {
  env?: Record<string, string>;
  startMs?: number;
  standIn?: StandIn;
  dir?: string;
  /** How long the bot waits for a Slack call before treating it as failed. */
  slackTimeoutMs?: number;
  /** How Slack's requests reach the bot: signed HTTP (default) or Socket Mode envelopes. */
  transport?: TransportName;
}

/**
 * The Socket Mode client waits this long for a pong, and as long again before reconnecting (5 s by default).
 * Short enough that a forced reconnection costs a test under a second. Long enough for a busy machine: it pings
 * every third of this, so only an event-loop stall of about half a second would read as a dead connection, and
 * stalls measured during the playbook on 2 CPUs at a load of 8 stayed under 100 ms.
 */
export const SOCKET_PING_TIMEOUT_MS = 750;

export interface ActionOptions {
  userId?: string;
  channelId?: string;
  actionTs?: string;
  triggerId?: string;
}

/**
 * The real bot (Bolt on 127.0.0.1, a real SQLite file in a temp folder) wired to the local Slack stand-in.
 * Requests arrive over the chosen transport: signed as Slack signs them in HTTP mode, or as Socket Mode envelopes.
 * Time moves only through `clock`.
 */
export class BotHarness {
  bot!: Bot;
  readonly logLines: string[] = [];
  private constructor(
    readonly standIn: StandIn,
    readonly clock: TestClock,
    readonly dir: string,
    readonly config: Config,
    private readonly ownsStandIn: boolean,
    private readonly slackTimeoutMs: number,
    readonly transport: Transport,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<BotHarness> {
    warmUpConformance();
    const standIn = options.standIn ?? (await startSlackStandIn());
    // The people tests use are in every channel unless a test says otherwise (setChannelMembers).
    if (!options.standIn) standIn.setDefaultChannelMembers([RESPONDER, SECOND_RESPONDER, BYSTANDER]);
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'paykore-bot-'));
    let harness: BotHarness | undefined;
    const transport =
      options.transport === 'socket'
        ? await socketTransport(standIn, options.env?.SLACK_APP_TOKEN ?? TEST_APP_TOKEN)
        : httpTransport({ url: () => harness?.url ?? '', signingSecret: () => harness?.signingSecret ?? '' });
    const config = parseConfig({
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: standIn.url,
      DATABASE_PATH: join(dir, 'paykore-bot.sqlite'),
      PORT: '0',
      ...transport.env,
      ...options.env,
    });
    harness = new BotHarness(
      standIn,
      testClock(options.startMs ?? T0),
      dir,
      config,
      !options.standIn,
      options.slackTimeoutMs ?? 2000,
      transport,
    );
    try {
      await harness.boot();
    } catch (error) {
      // A bot that could not start (e.g. Slack refused its token) must not leave servers or files open.
      await harness.bot?.stop().catch(() => undefined);
      await transport.close();
      if (!options.standIn) await standIn.close();
      throw error;
    }
    return harness;
  }

  /** The Socket Mode side of Slack, when the transport is `socket`. */
  get socket(): SocketModeStandIn | null {
    return 'socket' in this.transport ? (this.transport as { socket: SocketModeStandIn }).socket : null;
  }

  private get signingSecret(): string {
    return this.config.slackSigningSecret ?? SIGNING_SECRET;
  }

  get dbPath(): string {
    return this.config.databasePath;
  }

  get url(): string {
    return `http://127.0.0.1:${this.bot.port()}/slack/events`;
  }

  private logger(): Logger {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    return createLogger(this.config.logLevel === 'info' ? 'info' : this.config.logLevel, sink);
  }

  private async boot(): Promise<void> {
    this.bot = await createBot({
      config: this.config,
      clock: this.clock.clock,
      logger: this.logger(),
      listen: { port: 0, host: '127.0.0.1' },
      tickIntervalMs: null,
      slackTimeoutMs: this.slackTimeoutMs,
      socketMode: { clientPingTimeoutMs: SOCKET_PING_TIMEOUT_MS },
    });
    await this.bot.start();
  }

  /** Stops the bot and starts a new one on the same database (a restart). */
  async restart(): Promise<void> {
    await this.bot.stop();
    await this.boot();
  }

  async close(): Promise<void> {
    await this.bot.stop();
    await this.transport.close();
    if (this.ownsStandIn) await this.standIn.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Waits until every Slack message the bot owes has been sent (or is waiting on a retry time). */
  async settle(): Promise<void> {
    await this.bot.settle();
  }

  /** One scheduler tick at the clock's current time, then the messages it queued. */
  async tick(): Promise<void> {
    this.bot.scheduler.tick();
    await this.settle();
  }

  post(
    body: string,
    extra: { headers?: Record<string, string>; forge?: boolean; timestamp?: number; contentType?: string } = {},
  ): Promise<SignedPostResult> {
    return postSigned(this.url, body, {
      signingSecret: this.signingSecret,
      headers: extra.headers,
      forgeSignature: extra.forge,
      timestamp: extra.timestamp,
      contentType: extra.contentType,
    });
  }

  async command(text: string, options: ActionOptions = {}): Promise<SignedPostResult> {
    const result = await this.transport.command(
      slashCommandBody({
        text,
        userId: options.userId ?? RESPONDER,
        channelId: options.channelId ?? CHANNEL,
        responseUrl: this.standIn.newResponseUrl(),
        triggerId: options.triggerId,
      }),
    );
    await this.settle();
    return result;
  }

  /** The ephemeral text a command answered with. */
  static replyText(result: SignedPostResult): string {
    const json = result.json as { text?: string } | undefined;
    return json?.text ?? '';
  }

  async click(actionId: string, value: string, options: ActionOptions = {}): Promise<SignedPostResult> {
    const channelId = options.channelId ?? CHANNEL;
    const result = await this.transport.interactive(
      blockActionBody({
        actionId,
        value,
        userId: options.userId ?? RESPONDER,
        channelId,
        responseUrl: this.standIn.newResponseUrl(),
        actionTs: options.actionTs,
        triggerId: options.triggerId,
        messageTs: this.cardTs(channelId),
      }),
    );
    await this.settle();
    return result;
  }

  async submit(
    callbackId: string,
    privateMetadata: string,
    values: Record<string, Record<string, InputState>>,
    options: { userId?: string; viewId?: string } = {},
  ): Promise<SignedPostResult> {
    const result = await this.transport.interactive(
      viewSubmissionBody({
        callbackId,
        privateMetadata,
        values,
        userId: options.userId ?? RESPONDER,
        viewId: options.viewId,
      }),
    );
    await this.settle();
    return result;
  }

  /** An Events API envelope (see eventBody()) over the transport, then the messages it queued. */
  async event(jsonBody: string, retryNum?: number): Promise<SignedPostResult> {
    const result = await this.transport.event(jsonBody, retryNum);
    await this.settle();
    return result;
  }

  /** Loses the connection to Slack and waits for the bot to be back (Socket Mode); nothing to lose over HTTP. */
  async interrupt(reason?: 'refresh_requested' | 'warning' | 'dropped'): Promise<void> {
    await this.transport.interrupt(reason);
  }

  /** The view of the newest views.open call (what the person now sees). */
  lastOpenedView(): { callback_id: string; private_metadata: string; blocks: unknown[] } {
    const call = this.standIn.calls('views.open').at(-1);
    if (!call) throw new Error('no modal was opened');
    return call.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
  }

  /** The ts of the newest incident card in a channel, if one was posted. */
  cardTs(channelId: string): string | undefined {
    const row = this.bot.db
      .prepare('SELECT card_ts FROM incidents WHERE channel_id = ? AND card_ts IS NOT NULL ORDER BY id DESC LIMIT 1')
      .get(channelId) as { card_ts: string } | undefined;
    return row?.card_ts;
  }

  /** Ephemeral answers the bot sent through response_url or chat.postEphemeral, newest last. */
  ephemeralTexts(): string[] {
    return [
      ...this.standIn.responses().map((r) => String(r.body.text ?? '')),
      ...this.standIn.calls('chat.postEphemeral').map((c) => String(c.args.text ?? '')),
    ];
  }

  /** Rows of a table, for "nothing changed" assertions. */
  rows(sql: string): unknown[] {
    return this.bot.db.prepare(sql).all();
  }

  snapshot(): { incidents: unknown[]; steps: unknown[]; events: unknown[] } {
    return {
      incidents: this.rows('SELECT * FROM incidents ORDER BY id'),
      steps: this.rows('SELECT * FROM incident_steps ORDER BY incident_id, step'),
      events: this.rows("SELECT stream, seq, type FROM events WHERE type <> 'action_refused' ORDER BY id"),
    };
  }
}

export const text = (value: string): InputState => ({ type: 'plain_text_input', value });
export const select = (value: string): InputState => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value, emoji: true }, value },
});
export const dateTime = (ms: number | null): InputState => ({
  type: 'datetimepicker',
  selected_date_time: ms === null ? null : Math.floor(ms / 1000),
});
