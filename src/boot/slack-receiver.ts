import type { Receiver } from '@slack/bolt';
import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../app/logger';
import type { Config } from '../config';
import { boltLogger } from '../log/bolt-logger';
import { settleStartsOnStop } from '../slack/socket-mode-stop';
import type { HealthRoute } from './health-route';

export interface SocketModeTimings {
  clientPingTimeoutMs?: number;
  serverPingTimeoutMs?: number;
}

/**
 * The largest request body HTTP mode reads. Bolt's default is 4 MB; Slack's biggest payloads (a view submission,
 * a message event with blocks) stay far below 512 KB, and a smaller cap bounds what an unsigned caller can make
 * the bot buffer and hash before the signature is checked.
 */
export const HTTP_BODY_LIMIT_BYTES = 512 * 1024;

/**
 * HTTP mode serves Slack, /healthz and the features' routes on one port; Socket Mode gives them a server of their own.
 * `stopping()` is called before the app stops (see slack/socket-mode-stop.ts).
 */
export function slackReceiver(
  config: Config,
  logger: Logger,
  routes: HealthRoute[],
  socketMode: SocketModeTimings = {},
): { receiver: Receiver; http: HTTPReceiver | null; stopping(): void } {
  if (config.slackMode === 'http') {
    const http = new HTTPReceiver({
      signingSecret: config.slackSigningSecret ?? '',
      endpoints: '/slack/events',
      customRoutes: routes,
      logger: boltLogger(logger),
      processBeforeResponse: false,
      bodyLimit: HTTP_BODY_LIMIT_BYTES,
    });
    return { receiver: http, http, stopping: () => {} };
  }
  const receiver = new SocketModeReceiver({
    appToken: config.slackAppToken ?? '',
    // apps.connections.open goes to SLACK_API_URL like every other call.
    installerOptions: { clientOptions: { slackApiUrl: config.slackApiUrl } },
    clientPingTimeout: socketMode.clientPingTimeoutMs,
    serverPingTimeout: socketMode.serverPingTimeoutMs,
    logger: boltLogger(logger),
  });
  return { receiver, http: null, stopping: settleStartsOnStop(receiver.client).stopping };
}
