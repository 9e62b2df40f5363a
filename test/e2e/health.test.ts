import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotHarness } from '../support/bot-harness';

describe('GET /healthz', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers 200 with a small JSON body', async () => {
    const response = await fetch(`http://127.0.0.1:${h.bot.port()}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
  });
});
