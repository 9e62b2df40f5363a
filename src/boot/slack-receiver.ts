import type { Receiver } from '@slack/bolt';
import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../app/logger';
import type { Config } from '../config';
import { boltLogger } from '../log/bolt-logger';
import type { HealthRoute } from './health-route';

export interface SocketModeTimings {
  clientPingTimeoutMs?: number;
  serverPingTimeoutMs?: number;
}

/** HTTP mode serves Slack and /healthz on one port; Socket Mode's /healthz gets a server of its own at start. */
export function slackReceiver(
  config: Config,
  logger: Logger,
  health: HealthRoute,
  socketMode: SocketModeTimings = {},
): { receiver: Receiver; http: HTTPReceiver | null } {
  if (config.slackMode === 'http') {
    const http = new HTTPReceiver({
      signingSecret: config.slackSigningSecret ?? '',
      endpoints: '/slack/events',
      customRoutes: [health],
      logger: boltLogger(logger),
      processBeforeResponse: false,
    });
    return { receiver: http, http };
  }
  const receiver = new SocketModeReceiver({
    appToken: config.slackAppToken ?? '',
    // apps.connections.open goes to SLACK_API_URL like every other call.
    installerOptions: { clientOptions: { slackApiUrl: config.slackApiUrl } },
    clientPingTimeout: socketMode.clientPingTimeoutMs,
    serverPingTimeout: socketMode.serverPingTimeoutMs,
    logger: boltLogger(logger),
  });
  return { receiver, http: null };
}
