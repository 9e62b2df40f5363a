import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../src/slack/ids';
import { BotHarness } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';

const threadTexts = (h: BotHarness) =>
  h.standIn
    .calls('chat.postMessage')
    .filter((call) => call.args.thread_ts)
    .map((call) => String(call.args.text));

describe('nudges while the key is still active', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
    await h.command('start api-server-production-v2 env=production');
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('gives exactly two nudges in 12 minutes without revoke, and none after revoke', async () => {
    for (let minute = 1; minute <= 12; minute += 1) {
      h.clock.advance(MINUTE);
      await h.tick();
    }
    const nudges = threadTexts(h).filter((t) => t.startsWith(':rotating_light: Key still active'));
    expect(nudges).toEqual([
      expect.stringContaining('Key still active: 5 minutes of continued exposure'),
      expect.stringContaining('Key still active: 10 minutes of continued exposure'),
    ]);
    expect(h.rows("SELECT actor, at FROM events WHERE type = 'revoke_nudge'")).toHaveLength(2);

    await h.click(ActionId.incidentRevoke, 'INC-1');
    for (let minute = 13; minute <= 40; minute += 1) {
      h.clock.advance(MINUTE);
      await h.tick();
    }
    expect(h.rows("SELECT * FROM events WHERE type = 'revoke_nudge'")).toHaveLength(2);
  });

  it('coalesces missed nudges after downtime into one', async () => {
    h.clock.advance(23 * MINUTE);
    await h.tick();
    await h.tick();
    const nudges = threadTexts(h).filter((t) => t.includes('Key still active'));
    expect(nudges).toEqual([expect.stringContaining('23 minutes')]);
  });

  it('gives one gentle reminder when a later step sits idle for 30 minutes', async () => {
    await h.click(ActionId.incidentRevoke, 'INC-1');
    h.clock.advance(29 * MINUTE);
    await h.tick();
    expect(threadTexts(h).filter((t) => t.includes('Gentle reminder'))).toHaveLength(0);
    h.clock.advance(2 * MINUTE);
    await h.tick();
    h.clock.advance(60 * MINUTE);
    await h.tick();
    const reminders = threadTexts(h).filter((t) => t.includes('Gentle reminder'));
    expect(reminders).toEqual([expect.stringContaining('Review transactions in the exposure window')]);
  });
});
