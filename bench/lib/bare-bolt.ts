import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WORKSPACE } from '../../test/support/slack-stand-in';

/** The baseline: Bolt on the same receiver as the bot, whose command and action handlers only acknowledge. */
export interface BareBolt {
  url: string;
  stop(): Promise<void>;
}

export async function startBareBolt(opts: {
  signingSecret: string;
  token: string;
  slackApiUrl: string;
}): Promise<BareBolt> {
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    token: opts.token,
    botId: WORKSPACE.botId,
    botUserId: WORKSPACE.botUserId,
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: opts.slackApiUrl },
  });
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  const server = (await receiver.start({ port: 0, host: '127.0.0.1' })) as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    stop: () => app.stop().then(() => undefined),
  };
}
