import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, BYSTANDER, CHANNEL } from '../support/bot-harness';
import { eventBody, messageEvent } from '../support/payloads';

/** What an unauthenticated caller on the network can get from the bot's HTTP port. */
describe('the HTTP surface', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('/healthz says only whether the bot is healthy, whatever is queued', async () => {
    h.standIn.fail('chat.postMessage', { status: 500, times: 50 });
    await h.post(eventBody({ event: messageEvent({ text: 'hello', userId: BYSTANDER, channelId: CHANNEL }) }), {
      contentType: 'application/json',
    });
    await h.command('start api-server env=production');
    const response = await fetch(`http://127.0.0.1:${h.bot.port()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
  });

  it('refuses a request body far below 4 MB, signed or not, and still takes a normal one', async () => {
    const padding = 'x'.repeat(1024 * 1024);
    const big = eventBody({ event: messageEvent({ text: padding, userId: BYSTANDER, channelId: CHANNEL }) });
    const refused = await h.post(big, { contentType: 'application/json' });
    expect(refused.status).toBe(413);
    const normal = eventBody({
      event: messageEvent({ text: 'x'.repeat(40_000), userId: BYSTANDER, channelId: CHANNEL }),
    });
    expect((await h.post(normal, { contentType: 'application/json' })).status).toBe(200);
  });
});
