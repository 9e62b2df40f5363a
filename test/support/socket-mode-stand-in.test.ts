import { type Logger, LogLevel, SocketModeClient } from '@slack/socket-mode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { settleStartsOnStop } from '../../src/slack/socket-mode-stop';
import { type StandIn, startSlackStandIn, TEST_APP_TOKEN } from './slack-stand-in';
import { type SocketModeStandIn, startSocketModeStandIn } from './socket-mode-stand-in';

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

type Listener = (args: { ack: (response?: Record<string, unknown>) => Promise<void>; body: unknown }) => void;

describe('socket-mode stand-in', () => {
  let standIn: StandIn;
  let socket: SocketModeStandIn;
  let client: SocketModeClient | null;
  let stop: { stopping(): void } | null;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    socket = await startSocketModeStandIn();
    standIn.setSocketUrl(socket.url);
    client = null;
    stop = null;
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    try {
      // As the bot does (src/boot/slack-receiver.ts): a reconnection the library started itself and that is still
      // waiting for its hello would otherwise reject with `undefined` when we disconnect, into a promise nobody holds.
      stop?.stopping();
      await client?.disconnect();
      await socket.close();
      await standIn.close();
      // Unhandled rejections are reported after the microtask queue drains: give them a turn to show.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  /** The real client Bolt uses, with a short heartbeat so reconnections are quick. */
  async function connect(on: Record<string, Listener> = {}): Promise<SocketModeClient> {
    client = new SocketModeClient({
      appToken: TEST_APP_TOKEN,
      logger: quiet,
      clientPingTimeout: 300,
      clientOptions: { slackApiUrl: standIn.url },
    });
    for (const [type, listener] of Object.entries(on)) client.on(type, listener);
    stop = settleStartsOnStop(client);
    await client.start();
    return client;
  }

  /** A bare WebSocket, for acks the real client would never send. */
  async function rawSocket(): Promise<WebSocket> {
    const ws = new WebSocket(socket.url);
    await new Promise((resolve) => ws.once('message', resolve)); // hello
    return ws;
  }

  it('greets a client that got its URL from apps.connections.open with the app token', async () => {
    await connect();
    expect(socket.connectionCount()).toBe(1);
    expect(socket.openCount()).toBe(1);
    expect(standIn.calls('apps.connections.open')).toHaveLength(1);
  });

  it('delivers an envelope and resolves with the ack and the payload it carries', async () => {
    let received: unknown;
    await connect({
      slash_commands: ({ ack, body }) => {
        received = body;
        void ack({ response_type: 'ephemeral', text: 'Opened INC-1' });
      },
    });
    const ack = await socket.send('slash_commands', { command: '/paykore-incident', text: 'help' });
    expect(received).toEqual({ command: '/paykore-incident', text: 'help' });
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'Opened INC-1' });
    expect(ack.elapsedMs).toBeLessThan(3000);
    expect(socket.violations()).toEqual([]);
  });

  it.each(['refresh_requested', 'warning'] as const)(
    'makes the client reconnect through a new apps.connections.open after a %s disconnect',
    async (reason) => {
      await connect({ slack_event: ({ ack }) => void ack() });
      await socket.disconnect(reason);
      await socket.waitForConnection(2);
      expect(standIn.calls('apps.connections.open')).toHaveLength(2);
      const ack = await socket.send('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
      expect(ack.payload).toEqual({});
    },
  );

  it('sees the client come back after the connection is dropped without a word', async () => {
    const c = await connect();
    const back = new Promise((resolve) => c.once('connected', resolve));
    await socket.terminate();
    await socket.waitForConnection(2);
    await back;
    expect(socket.openCount()).toBe(1);
  });

  it('is stopped without an unhandled rejection while a reconnection still waits for its hello', async () => {
    await connect();
    socket.withholdHello(true);
    await socket.terminate();
    await socket.waitForConnection(2);
    // afterEach disconnects now, with the library's own start() pending, and fails on any unhandled rejection.
  });

  it('records acks for unknown envelopes, second acks and payloads where none is accepted', async () => {
    const ws = await rawSocket();
    ws.on('message', (data) => {
      const { envelope_id } = JSON.parse(String(data)) as { envelope_id: string };
      ws.send(JSON.stringify({ envelope_id, payload: { text: 'not wanted' } }));
      ws.send(JSON.stringify({ envelope_id }));
    });
    ws.send(JSON.stringify({ envelope_id: 'no-such-envelope' }));
    await socket.send('events_api', { type: 'event_callback', event: { type: 'app_home_opened' } });
    await expect.poll(() => socket.violations().length).toBe(3);
    expect(socket.violations().join('\n')).toMatch(/unknown envelope no-such-envelope/);
    expect(socket.violations().join('\n')).toMatch(/does not accept a response payload/);
    expect(socket.violations().join('\n')).toMatch(/acknowledged twice/);
    ws.terminate();
  });

  it('fails a send whose connection closes before the ack, naming the envelope', async () => {
    const ws = await rawSocket();
    ws.on('message', () => ws.terminate());
    await expect(socket.send('interactive', { type: 'block_actions' })).rejects.toThrow(
      /closed before envelope .* was acknowledged/,
    );
  });
});
