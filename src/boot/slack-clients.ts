import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../app/logger';
import type { Config } from '../config';
import { boltLogger } from '../log/bolt-logger';

export interface SlackClients {
  /** Messages: they go through the outbox, which retries on its own schedule. */
  client: WebClient;
  /** views.open only, so a throttled channel never delays a modal past its 3-second trigger_id. */
  viewsClient: WebClient;
  options: WebClientOptions;
}

export function slackClients(config: Config, logger: Logger, timeoutMs = 10_000): SlackClients {
  const options: WebClientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: boltLogger(logger),
  };
  return {
    client: new WebClient(config.slackBotToken, options),
    viewsClient: new WebClient(config.slackBotToken, options),
    options,
  };
}
