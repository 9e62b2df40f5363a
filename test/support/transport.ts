import { postSigned, type SignedPostResult } from './signed-request';
import { type StandIn, TEST_APP_TOKEN } from './slack-stand-in';
import {
  interactivePayload,
  type SocketModeStandIn,
  slashCommandPayload,
  startSocketModeStandIn,
} from './socket-mode-stand-in';

// How Slack's requests reach the bot under test. One scenario runs over either: signed HTTP POSTs to
// /slack/events, or Socket Mode envelopes over the stand-in's WebSocket. Both answer with what Slack would get
// back (the HTTP response, or the ack's payload), in the shape of SignedPostResult.

export const TRANSPORTS = ['http', 'socket'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export interface Transport {
  readonly name: TransportName;
  /** What the bot's environment needs for this transport. */
  readonly env: Record<string, string>;
  /** A slash command, given as the form body Slack posts in HTTP mode. */
  command(formBody: string): Promise<SignedPostResult>;
  /** A block action or view submission, given as the `payload=<json>` form body of HTTP mode. */
  interactive(formBody: string): Promise<SignedPostResult>;
  /** An Events API envelope, given as the JSON body of HTTP mode. */
  event(jsonBody: string, retryNum?: number): Promise<SignedPostResult>;
  /**
   * Loses the connection to Slack mid-incident, as Slack does when it recycles a Socket Mode connection, and
   * resolves once the bot is connected again. HTTP has no standing connection: each request is its own.
   */
  interrupt(reason?: 'refresh_requested' | 'warning' | 'dropped'): Promise<void>;
  close(): Promise<void>;
}

export function httpTransport(opts: { url: () => string; signingSecret: () => string }): Transport {
  const post = (body: string, contentType?: string, headers?: Record<string, string>) =>
    postSigned(opts.url(), body, { signingSecret: opts.signingSecret(), contentType, headers });
  return {
    name: 'http',
    env: { SLACK_MODE: 'http' },
    command: (body) => post(body),
    interactive: (body) => post(body),
    event: (body, retryNum) =>
      post(
        body,
        'application/json',
        retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : undefined,
      ),
    interrupt: async () => {},
    close: async () => {},
  };
}

export interface SocketTransport extends Transport {
  readonly socket: SocketModeStandIn;
}

/** Starts the Socket Mode stand-in and points the Web API stand-in's apps.connections.open at it. */
export async function socketTransport(standIn: StandIn, appToken = TEST_APP_TOKEN): Promise<SocketTransport> {
  const socket = await startSocketModeStandIn();
  standIn.setSocketUrl(socket.url);
  const asResult = (payload: Record<string, unknown>, elapsedMs: number): SignedPostResult => {
    const empty = Object.keys(payload).length === 0;
    return { status: 200, body: empty ? '' : JSON.stringify(payload), json: empty ? undefined : payload, elapsedMs };
  };
  return {
    name: 'socket',
    socket,
    env: { SLACK_MODE: 'socket', SLACK_APP_TOKEN: appToken },
    async command(body) {
      const ack = await socket.send('slash_commands', slashCommandPayload(body));
      return asResult(ack.payload, ack.elapsedMs);
    },
    async interactive(body) {
      const payload = interactivePayload(body);
      // Slack lets a view submission's ack carry response_action; a button click's ack carries nothing.
      const ack = await socket.send('interactive', payload, {
        acceptsResponsePayload: payload.type === 'view_submission',
      });
      return asResult(ack.payload, ack.elapsedMs);
    },
    async event(body, retryNum) {
      const ack = await socket.send('events_api', JSON.parse(body) as Record<string, unknown>, {
        retryAttempt: retryNum ?? 0,
        retryReason: retryNum ? 'timeout' : '',
      });
      return asResult(ack.payload, ack.elapsedMs);
    },
    async interrupt(reason = 'refresh_requested') {
      const before = socket.connectionCount();
      if (reason === 'dropped') await socket.terminate();
      else await socket.disconnect(reason);
      await socket.waitForConnection(before + 1);
    },
    close: () => socket.close(),
  };
}
