import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/time';
import { ActionId } from '../../src/slack/ids';
import { BotHarness, T0 } from '../support/bot-harness';
import type { RecordedCall } from '../support/slack-stand-in';
import { HOUR } from '../support/test-clock';

const KEYS_CHANNEL = 'C0KEYS0001';
const REMINDER_CHANNEL = 'C0REMIND01';
const OWNER = 'U0OWNER001';

type Block = { type: string; text?: { text?: string }; elements?: { action_id?: string; value?: string }[] };

function blocksOf(call: RecordedCall | undefined): Block[] {
  return (call?.args.blocks ?? []) as Block[];
}

function buttonValue(call: RecordedCall | undefined, actionId: string): string {
  for (const block of blocksOf(call)) {
    for (const element of block.elements ?? []) if (element.action_id === actionId) return element.value ?? '';
  }
  throw new Error(`no ${actionId} button on the message`);
}

describe('rotation reminders, end to end', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  const reminders = () =>
    h.standIn.calls('chat.postMessage').filter((call) => /REM-\d+/.test(JSON.stringify(call.args)));

  it('posts the reminder to the key channel, mentioning the owner, with the four steps and its buttons', async () => {
    h = await BotHarness.start();
    // Due 2026-12-07: the 14-day reminder is due now, the 7-day one on 2026-11-30.
    await h.command(
      `keys add api-server-production-v2 env=production rotated=2026-09-08 owner=<@${OWNER}> channel=<#${KEYS_CHANNEL}>`,
    );
    await h.tick();
    await h.tick();
    const [message] = reminders();
    expect(reminders()).toHaveLength(1);
    expect(message?.args.channel).toBe(KEYS_CHANNEL);
    expect(message?.args.text).toBe(
      `Key rotation due on 2026-12-07: api-server-production-v2 (production). <@${OWNER}>`,
    );
    const shown = JSON.stringify(message?.args.blocks);
    expect(shown).toContain('Key rotation due in 9 days: api-server-production-v2');
    expect(shown).toContain(`<@${OWNER}>: \`api-server-production-v2\` is due for rotation on`);
    expect(shown).toContain('*Age*\\n81 days');
    for (const step of [
      'Create the new key',
      'Deploy it while the old key is still active',
      'Last Used',
      'Revoke the old key',
    ]) {
      expect(shown).toContain(step);
    }
    for (const action of [ActionId.rotationStart, ActionId.reminderMarkRotated, ActionId.reminderSnooze]) {
      expect(buttonValue(message, action)).toBe(JSON.stringify({ keyId: 1, cycle: 1, reminderId: 1 }));
    }

    h.clock.set(Date.UTC(2026, 10, 30, 0, 5));
    await h.tick();
    expect(reminders()).toHaveLength(2);
    expect(String(reminders()[1]?.args.text)).toContain('due on 2026-12-07');
  });

  it('marks the key rotated once for a double click, and redraws the reminder without its buttons', async () => {
    h = await BotHarness.start();
    await h.command(`keys add api-server-production-v2 env=production rotated=2026-09-08 channel=<#${KEYS_CHANNEL}>`);
    await h.tick();
    const value = buttonValue(reminders()[0], ActionId.reminderMarkRotated);
    await h.click(ActionId.reminderMarkRotated, value, { channelId: KEYS_CHANNEL });
    await h.click(ActionId.reminderMarkRotated, value, { channelId: KEYS_CHANNEL });
    expect(h.ephemeralTexts().slice(-2)).toEqual([
      'Recorded: `api-server-production-v2` rotated 2026-11-28, outside the bot. The next rotation is due 2027-02-26.',
      'api-server-production-v2 was already marked rotated on 2026-11-28, after this reminder: nothing to do.',
    ]);
    expect(h.rows('SELECT cycle, rotated_at FROM keys')).toEqual([{ cycle: 2, rotated_at: T0 }]);
    expect(h.rows("SELECT count(*) AS n FROM events WHERE type = 'key_rotated'")).toEqual([{ n: 1 }]);
    const redrawn = h.standIn.calls('chat.update').at(-1);
    expect(h.rows('SELECT card_ts FROM reminders')).toEqual([{ card_ts: redrawn?.args.ts }]);
    expect(JSON.stringify(redrawn?.args.blocks)).toContain(':white_check_mark: Rotated');
    expect(blocksOf(redrawn).some((block) => block.type === 'actions')).toBe(false);
    h.clock.advance(30 * DAY_MS);
    await h.tick();
    expect(reminders()).toHaveLength(1);
  });

  it('snoozes an overdue key for a day: the daily reminder waits, then comes once', async () => {
    h = await BotHarness.start();
    await h.command(`keys add legacy-production env=production rotated=2026-08-01 channel=<#${KEYS_CHANNEL}>`);
    await h.tick();
    expect(String(reminders()[0]?.args.text)).toBe(
      'Key rotation overdue since 2026-10-30: legacy-production (production).',
    );
    const value = buttonValue(reminders()[0], ActionId.reminderSnooze);
    await h.click(ActionId.reminderSnooze, value, { channelId: KEYS_CHANNEL });
    expect(h.ephemeralTexts().at(-1)).toMatch(/^Snoozed `legacy-production` until <!date\^/);
    await h.click(ActionId.reminderSnooze, value, { channelId: KEYS_CHANNEL });
    expect(h.ephemeralTexts().at(-1)).toBe(
      'legacy-production is already snoozed until 2026-11-29 09:00 UTC: the reminder comes back then.',
    );
    expect(h.rows('SELECT snoozed_until FROM keys')).toEqual([{ snoozed_until: T0 + DAY_MS }]);
    expect(JSON.stringify(h.standIn.calls('chat.update').at(-1)?.args.blocks)).toContain(':zzz: Snoozed until');

    h.clock.advance(16 * HOUR); // overdue:30 fired at midnight, inside the snooze
    await h.tick();
    expect(reminders()).toHaveLength(1);
    h.clock.advance(8 * HOUR);
    await h.tick();
    expect(reminders()).toHaveLength(2);
    expect(JSON.stringify(reminders()[1]?.args.blocks)).toContain('(30 days)');
  });

  it('starts the rotation card from the reminder, in the reminder channel', async () => {
    h = await BotHarness.start();
    await h.command(`keys add api-server-production-v2 env=production rotated=2026-09-08 channel=<#${KEYS_CHANNEL}>`);
    await h.tick();
    await h.click(ActionId.rotationStart, buttonValue(reminders()[0], ActionId.rotationStart), {
      channelId: KEYS_CHANNEL,
    });
    const card = h.standIn.calls('chat.postMessage').find((call) => String(call.args.text).startsWith('ROT-1'));
    expect(card?.args.channel).toBe(KEYS_CHANNEL);
    expect(h.rows('SELECT status FROM keys')).toEqual([{ status: 'rotating' }]);
    expect(JSON.stringify(h.standIn.calls('chat.update').at(-1)?.args.blocks)).toContain(
      'rotation of this key is under way',
    );
  });

  it('folds the reminders missed while the bot was down into one "overdue since" message', async () => {
    h = await BotHarness.start();
    await h.command(`keys add legacy-production env=production rotated=2026-08-01 channel=<#${KEYS_CHANNEL}>`);
    await h.tick();
    await h.restart();
    h.clock.advance(3 * DAY_MS);
    await h.tick();
    await h.tick();
    expect(reminders()).toHaveLength(2);
    const shown = JSON.stringify(reminders()[1]?.args.blocks);
    expect(shown).toContain('Overdue since 2026-10-30. 2 earlier reminders');
    expect(shown).toContain('folded into this one');
  });

  it('skips a key with no channel when REMINDER_CHANNEL is empty, with a warning, and uses REMINDER_CHANNEL when set', async () => {
    h = await BotHarness.start();
    await h.command('keys add orphan-production env=production rotated=2026-08-01');
    await h.tick();
    expect(reminders()).toEqual([]);
    expect(h.logLines.filter((line) => line.includes('rotation reminder skipped'))).toHaveLength(1);
    expect(h.standIn.violations()).toEqual([]);
    await h.close();

    h = await BotHarness.start({ env: { REMINDER_CHANNEL } });
    await h.command('keys add orphan-production env=production rotated=2026-08-01');
    await h.tick();
    expect(reminders().map((call) => call.args.channel)).toEqual([REMINDER_CHANNEL]);
  });
});
