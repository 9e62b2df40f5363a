import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/time';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, CHANNEL, RESPONDER, select, T0, text } from '../support/bot-harness';

const KEYS_CHANNEL = 'C0KEYS0001';
const OWNER = 'U0OWNER001';

describe('the key register, end to end over signed HTTP', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  const register = () => ({
    keys: h.rows('SELECT * FROM keys ORDER BY id'),
    events: h.rows("SELECT stream, seq, type FROM events WHERE stream = 'KEYS' ORDER BY id"),
  });

  it('adds a key and lists it with its due date, owner and reminder channel', async () => {
    const added = await h.command(
      `keys add api-server-production-v2 env=prod last4=Q2xF owner=<@${OWNER}|dana> channel=<#${KEYS_CHANNEL}|keys>`,
    );
    expect(BotHarness.replyText(added)).toContain(
      'Registered `api-server-production-v2` (production, live key ending …Q2xF)',
    );
    expect(BotHarness.replyText(added)).toContain('due 2027-02-26 (in 90 days)');
    expect(BotHarness.replyText(added)).toContain(`Reminders go to <#${KEYS_CHANNEL}>`);
    expect(h.rows('SELECT label, environment, mode, last4, owner_id, channel_id, status, cycle FROM keys')).toEqual([
      {
        label: 'api-server-production-v2',
        environment: 'production',
        mode: 'live',
        last4: 'Q2xF',
        owner_id: OWNER,
        channel_id: KEYS_CHANNEL,
        status: 'active',
        cycle: 1,
      },
    ]);

    const listed = BotHarness.replyText(await h.command('keys'));
    expect(listed).toContain('*Key register*: 1 key in use, rotated every 90 days.');
    expect(listed).toContain('`api-server-production-v2` · production live …Q2xF · due 2027-02-26 (in 90 days)');
    expect(listed).toContain(`owner <@${OWNER}>`);
    expect(h.standIn.calls('chat.postMessage')).toHaveLength(0);
  });

  it('refuses a duplicate label, whatever its case, with a clear sentence and nothing stored', async () => {
    await h.command('keys add api-server-production-v2 env=production');
    const before = register();
    const reply = await h.command('keys add API-Server-Production-V2 env=staging');
    expect(BotHarness.replyText(reply)).toBe(
      'api-server-production-v2 is already registered (production, active). Pick another label. Nothing was registered.',
    );
    expect(register()).toEqual(before);
  });

  it('refuses a key reused across environments with the seed reason, and stores nothing', async () => {
    await h.command('keys add api-server-production-v2 env=production last4=Q2xF');
    const before = register();
    const reply = await h.command('keys add api-server-staging env=staging mode=live last4=Q2xF');
    expect(BotHarness.replyText(reply)).toBe(
      'A live key ending in …Q2xF is already registered for production (api-server-production-v2). Never reuse one key ' +
        'across environments: a staging breach would become a production incident. Create a separate key for staging ' +
        '(Settings → API Keys → Create Key) and register that one. Nothing was registered.',
    );
    expect(register()).toEqual(before);
  });

  it('records a rotation done outside the bot with `keys rotated`, starting a new cycle', async () => {
    await h.command('keys add api-server-production-v2 env=production rotated=2026-09-01');
    h.clock.advance(DAY_MS);
    const reply = await h.command('keys rotated api-server-production-v2 on=2026-11-28');
    expect(BotHarness.replyText(reply)).toBe(
      'Recorded: `api-server-production-v2` rotated on 2026-11-28. Its next rotation is due 2027-02-26 (in 89 days).',
    );
    expect(h.rows('SELECT cycle, rotated_at FROM keys')).toEqual([{ cycle: 2, rotated_at: Date.UTC(2026, 10, 28) }]);
    const future = await h.command('keys rotated api-server-production-v2 on=2027-01-01');
    expect(BotHarness.replyText(future)).toContain('in the future');
    expect(h.rows('SELECT cycle FROM keys')).toEqual([{ cycle: 2 }]);
  });

  it("takes an incident's key mode, and so its severity, from the register", async () => {
    await h.command('keys add checkout-production-sandbox env=production mode=test');
    await h.command('start checkout-production-sandbox env=production');
    expect(h.bot.incidents.get(1)).toMatchObject({ keyMode: 'test', severity: 'SEV2' });
    await h.command('start api-server-production-v9 env=production');
    expect(h.bot.incidents.get(2)).toMatchObject({ keyMode: 'unknown', severity: 'SEV1' });
  });

  it('marks a registered key compromised when an incident opens on it, and registers its replacement on redeploy', async () => {
    await h.command(`keys add api-server-production-v2 env=production owner=<@${OWNER}> channel=<#${KEYS_CHANNEL}>`);
    await h.command('start api-server-production-v2 env=production how=pasted in a ticket');
    expect(h.rows('SELECT status, next_reminder_at FROM keys')).toEqual([
      { status: 'compromised', next_reminder_at: null },
    ]);
    await h.click(ActionId.incidentRevoke, 'INC-1');
    await h.click(ActionId.incidentReview, 'INC-1');
    await h.submit(CallbackId.incidentReview, h.lastOpenedView().private_metadata, {
      [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
    });
    await h.click(ActionId.incidentSupport, 'INC-1');
    await h.submit(CallbackId.incidentSupport, h.lastOpenedView().private_metadata, {
      [Field.contactChannel]: { [Field.contactChannel]: select('email') },
    });
    h.clock.advance(DAY_MS);
    await h.click(ActionId.incidentRedeploy, 'INC-1');
    await h.submit(CallbackId.incidentRedeploy, h.lastOpenedView().private_metadata, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
    });
    expect(h.bot.incidents.get(1)?.steps.redeploy).toBeDefined();
    expect(
      h.rows('SELECT label, environment, status, cycle, rotated_at, owner_id, channel_id FROM keys ORDER BY id'),
    ).toEqual([
      {
        label: 'api-server-production-v2',
        environment: 'production',
        status: 'compromised',
        cycle: 1,
        rotated_at: T0,
        owner_id: OWNER,
        channel_id: KEYS_CHANNEL,
      },
      {
        label: 'api-server-production-v3',
        environment: 'production',
        status: 'active',
        cycle: 1,
        rotated_at: T0 + DAY_MS,
        owner_id: OWNER,
        channel_id: KEYS_CHANNEL,
      },
    ]);
    const listed = BotHarness.replyText(await h.command('keys', { channelId: CHANNEL, userId: RESPONDER }));
    expect(listed).toContain('`api-server-production-v2` · production live · :rotating_light: compromised');
    expect(listed).toContain('`api-server-production-v3` · production live · due 2027-02-27 (in 90 days)');
  });
});
