import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, CHANNEL, RESPONDER } from '../support/bot-harness';
import { blockActionBody, slashCommandBody } from '../support/payloads';

describe('hostile requests over HTTP', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
    await h.command('start api-server-production-v2 env=production');
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    const health = await fetch(`http://127.0.0.1:${h.bot.port()}/healthz`);
    expect(health.status).toBe(200);
    await h.close();
  });

  it('answers malformed JSON in a payload without a crash or a change', async () => {
    const before = h.snapshot();
    const response = await h.post('payload=%7B%22type%22%3A%22block_actions%22%2C');
    expect(response.status).toBeGreaterThanOrEqual(400);
    await h.settle();
    expect(h.snapshot()).toEqual(before);
  });

  it('answers a wrong content type without a crash or a change', async () => {
    const before = h.snapshot();
    const body = JSON.stringify({ command: '/paykore-incident', text: 'start x env=production' });
    const response = await h.post(body, { contentType: 'text/plain' });
    expect(response.status).toBeLessThan(500);
    await h.settle();
    expect(h.snapshot()).toEqual(before);
  });

  it('answers an oversized command text with a sentence and no change', async () => {
    const before = h.snapshot();
    const response = await h.command(`note INC-1 ${'x'.repeat(20_000)}`);
    expect(response.status).toBe(200);
    expect(BotHarness.replyText(response)).toMatch(/malformed/);
    expect(h.snapshot()).toEqual(before);
  });

  it('answers an unknown action id with a sentence and no change', async () => {
    const before = h.snapshot();
    const response = await h.post(
      blockActionBody({
        actionId: 'launch_missiles',
        value: 'INC-1',
        userId: RESPONDER,
        channelId: CHANNEL,
        responseUrl: h.standIn.newResponseUrl(),
      }),
    );
    expect(response.status).toBe(200);
    await h.settle();
    expect(h.snapshot()).toEqual(before);
    expect(h.ephemeralTexts().at(-1)).toMatch(/older message/);
  });

  it('answers a command with a missing user id without a crash or a change', async () => {
    const before = h.snapshot();
    const body = slashCommandBody({
      text: 'note INC-1 hi',
      userId: '',
      channelId: CHANNEL,
      responseUrl: h.standIn.newResponseUrl(),
    });
    const response = await h.post(body);
    expect(response.status).toBe(200);
    expect(h.snapshot()).toEqual(before);
  });
});
