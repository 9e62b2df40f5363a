import type { Receiver } from '@slack/bolt';
import { App } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from '../app/logger';
import type { Config } from '../config';
import { boltLogger } from '../log/bolt-logger';
import { requestLog } from '../log/request-log';
import type { InFlight } from '../slack/in-flight';

/** The Bolt app with the middleware every request passes: one log line each, and in-flight tracking for stop(). */
export function slackApp(input: {
  config: Config;
  logger: Logger;
  receiver: Receiver;
  clientOptions: WebClientOptions;
  auth: { bot_id?: string; user_id?: string };
  inFlight: InFlight;
}): App {
  const { config, logger, inFlight } = input;
  const app = new App({
    token: config.slackBotToken,
    botId: input.auth.bot_id,
    botUserId: input.auth.user_id,
    receiver: input.receiver,
    logger: boltLogger(logger),
    clientOptions: input.clientOptions,
  });
  app.use(requestLog(logger));
  app.use(async ({ next }) => inFlight.track(next));
  app.error(async (error) => {
    logger.error({ error }, 'listener failed');
  });
  return app;
}
