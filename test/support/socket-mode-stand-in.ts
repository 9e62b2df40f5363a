import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { type WebSocket, WebSocketServer } from 'ws';
import { WORKSPACE } from './slack-stand-in';

// Slack's side of Socket Mode, on 127.0.0.1: the WebSocket the Web API stand-in's apps.connections.open points at
// (standIn.setSocketUrl(socket.url)). It speaks the protocol @slack/socket-mode 3.1.0 expects
// (node_modules/@slack/socket-mode/dist/src/SocketModeClient.js):
//   server → app  {"type":"hello", …} once connected; the client's start() resolves on it
//   server → app  {"envelope_id","type":"slash_commands"|"interactive"|"events_api","payload","accepts_response_payload"}
//   app → server  {"envelope_id","payload":{…}}: the ack; a slash command's reply text and a view submission's
//                 response_action travel in its payload
//   server → app  {"type":"disconnect","reason":"refresh_requested"|"warning"|…}: the client closes and reconnects
//                 through a new apps.connections.open
// Pings from the client are answered with pongs by `ws` itself.

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Ack {
  envelopeId: string;
  /** What the app put in its ack; `{}` for a bare ack. */
  payload: Record<string, unknown>;
  /** From sending the envelope to receiving its ack. */
  elapsedMs: number;
}

export interface SendOptions {
  /** Slack sets this for slash commands and view submissions, whose ack may carry a response. */
  acceptsResponsePayload?: boolean;
  /** events_api redeliveries carry their attempt number. */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack before failing (Slack gives up after 3 seconds; the stand-in records that). */
  timeoutMs?: number;
}

export interface SocketModeStandIn {
  /** The ws:// URL to hand out from apps.connections.open. */
  url: string;
  /** Connections accepted so far (each reconnection adds one). */
  connectionCount(): number;
  /** Connections open now. */
  openCount(): number;
  /** Resolves once at least `count` connections have been accepted and greeted, and one is open. */
  waitForConnection(count?: number, timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest open connection (waiting for one) and resolves with its ack. */
  send(type: EnvelopeType, payload: Record<string, unknown>, options?: SendOptions): Promise<Ack>;
  /** Asks the app to reconnect, as Slack does before recycling a connection; resolves when that socket has closed. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): Promise<void>;
  /** While on, new connections are accepted but not greeted: the app's start() waits for a hello that never comes. */
  withholdHello(on: boolean): void;
  /** Drops the newest connection without a word, like a network failure. */
  terminate(): Promise<void>;
  /** Protocol mistakes the app made: unknown or repeated envelope ids, late acks, payloads where none is accepted. */
  violations(): string[];
  close(): Promise<void>;
}

/** Slack refuses an ack that arrives later than this, and shows the person an error. */
export const ACK_DEADLINE_MS = 3000;

interface Pending {
  envelopeId: string;
  type: EnvelopeType;
  acceptsResponsePayload: boolean;
  sentAt: number;
  socket: WebSocket;
  resolve(ack: Ack): void;
  reject(error: Error): void;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function startSocketModeStandIn(): Promise<SocketModeStandIn> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/link/' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  const open: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const acked = new Set<string>();
  const violations: string[] = [];
  let greet = true;
  let accepted = 0;
  let counter = 0;

  server.on('connection', (socket) => {
    accepted += 1;
    const connection = accepted;
    open.push(socket);
    socket.on('message', (data, isBinary) => onMessage(socket, connection, data.toString(), isBinary));
    socket.on('close', () => {
      open.splice(open.indexOf(socket), 1);
      for (const item of [...pending.values()].filter((p) => p.socket === socket)) {
        pending.delete(item.envelopeId);
        item.reject(new Error(`connection ${connection} closed before envelope ${item.envelopeId} was acknowledged`));
      }
    });
    if (!greet) return;
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host: 'applink-stand-in', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: WORKSPACE.appId },
      }),
    );
  });

  function onMessage(socket: WebSocket, connection: number, text: string, isBinary: boolean): void {
    if (isBinary) {
      violations.push(`connection ${connection}: binary frame; Socket Mode speaks JSON text frames`);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      violations.push(`connection ${connection}: a frame that is not JSON`);
      return;
    }
    const envelopeId = isRecord(message) ? message.envelope_id : undefined;
    if (typeof envelopeId !== 'string') {
      violations.push(`connection ${connection}: a message without envelope_id (only acks go from app to Slack)`);
      return;
    }
    const item = pending.get(envelopeId);
    if (!item) {
      violations.push(
        acked.has(envelopeId)
          ? `envelope ${envelopeId} acknowledged twice`
          : `ack for unknown envelope ${envelopeId} on connection ${connection}`,
      );
      return;
    }
    if (item.socket !== socket) violations.push(`envelope ${envelopeId} acknowledged on another connection`);
    const payload = isRecord(message) && isRecord(message.payload) ? message.payload : {};
    const elapsedMs = performance.now() - item.sentAt;
    if (elapsedMs > ACK_DEADLINE_MS) {
      violations.push(`envelope ${envelopeId} (${item.type}) acknowledged after ${Math.round(elapsedMs)} ms`);
    }
    if (!item.acceptsResponsePayload && Object.keys(payload).length > 0) {
      violations.push(`envelope ${envelopeId} (${item.type}) does not accept a response payload, got one`);
    }
    pending.delete(envelopeId);
    acked.add(envelopeId);
    item.resolve({ envelopeId, payload, elapsedMs });
  }

  const newest = (): WebSocket | undefined => open.filter((s) => s.readyState === s.OPEN).at(-1);

  async function waitUntil(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!test()) {
      if (performance.now() > deadline) throw new Error(`socket-mode stand-in: no ${what} after ${timeoutMs} ms`);
      await delay(5);
    }
  }

  async function closed(socket: WebSocket, timeoutMs = 5000): Promise<void> {
    await waitUntil(() => socket.readyState === socket.CLOSED, timeoutMs, 'close');
  }

  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=stand-in-ticket&app_id=${WORKSPACE.appId}`,
    connectionCount: () => accepted,
    withholdHello(on) {
      greet = !on;
    },
    openCount: () => open.length,
    async waitForConnection(count = 1, timeoutMs = 5000) {
      await waitUntil(() => accepted >= count && newest() !== undefined, timeoutMs, `connection #${count}`);
    },
    async send(type, payload, options = {}) {
      await waitUntil(() => newest() !== undefined, options.timeoutMs ?? 5000, 'open connection to send on');
      const socket = newest()!;
      counter += 1;
      const envelopeId = `${String(counter).padStart(8, '0')}-stand-in-envelope`;
      const acceptsResponsePayload = options.acceptsResponsePayload ?? type !== 'events_api';
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: acceptsResponsePayload,
        ...(type === 'events_api'
          ? { retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? '' }
          : {}),
      };
      const ack = new Promise<Ack>((resolve, reject) => {
        pending.set(envelopeId, {
          envelopeId,
          type,
          acceptsResponsePayload,
          sentAt: performance.now(),
          socket,
          resolve,
          reject,
        });
      });
      socket.send(JSON.stringify(envelope));
      const timeoutMs = options.timeoutMs ?? 10_000;
      const timer = delay(timeoutMs, 'timeout' as const, { ref: false });
      const result = await Promise.race([ack, timer]);
      if (result === 'timeout') {
        pending.delete(envelopeId);
        throw new Error(
          `socket-mode stand-in: envelope ${envelopeId} (${type}) was not acknowledged in ${timeoutMs} ms`,
        );
      }
      return result;
    },
    async disconnect(reason = 'refresh_requested') {
      const socket = newest();
      if (!socket) throw new Error('socket-mode stand-in: no open connection to disconnect');
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-stand-in' } }));
      await closed(socket);
    },
    async terminate() {
      const socket = newest();
      if (!socket) throw new Error('socket-mode stand-in: no open connection to drop');
      socket.terminate();
      await closed(socket);
    },
    violations: () => [...violations],
    async close() {
      for (const socket of open) socket.terminate();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A slash command as Socket Mode delivers it: the form fields of the HTTP request, as a JSON object. */
export function slashCommandPayload(formBody: string): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(formBody));
}

/** An interaction as Socket Mode delivers it: the JSON that HTTP mode sends in the `payload` form field. */
export function interactivePayload(formBody: string): Record<string, unknown> {
  const json = new URLSearchParams(formBody).get('payload');
  if (json === null) throw new Error('an interactive body carries a payload= form field');
  return JSON.parse(json) as Record<string, unknown>;
}
