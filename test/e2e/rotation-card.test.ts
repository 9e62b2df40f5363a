import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/event-chain';
import { DAY_MS } from '../../src/domain/time';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, CHANNEL, RESPONDER, SECOND_RESPONDER, text } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';

const KEYS_CHANNEL = 'C0KEYS0001';

describe('the planned rotation card, end to end over signed HTTP', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
    await h.command(`keys add api-server-production-v2 env=production rotated=2026-09-10 channel=<#${KEYS_CHANNEL}>`);
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  /** Everything a refused step must leave alone (a refused attempt is recorded, nothing else). */
  const state = () => ({
    keys: h.rows('SELECT * FROM keys ORDER BY id'),
    rotations: h.rows('SELECT * FROM rotations ORDER BY id'),
    steps: h.rows('SELECT * FROM rotation_steps ORDER BY rotation_id, step'),
    events: h.rows("SELECT stream, seq, type FROM events WHERE type <> 'action_refused' ORDER BY id"),
    outbox: h.rows('SELECT id FROM outbox ORDER BY id'),
    slack: h.standIn.calls().filter((call) => call.method.startsWith('chat.') && call.method !== 'chat.postEphemeral')
      .length,
  });
  const refusals = () =>
    h.rows("SELECT actor, details FROM events WHERE stream = 'ROT-1' AND type = 'action_refused' ORDER BY id") as {
      actor: string;
      details: string;
    }[];

  it('refuses revoking the old key before verification with the seed reason, then finishes in order', async () => {
    const started = await h.command('rotate api-server-production-v2');
    expect(BotHarness.replyText(started)).toContain('Started ROT-1 for `api-server-production-v2`');
    const card = h.standIn.calls('chat.postMessage');
    expect(card).toHaveLength(1);
    expect(card[0]?.args.channel).toBe(CHANNEL);
    expect(String(card[0]?.args.text)).toBe('ROT-1: rotation of api-server-production-v2 · next: Create the new key');
    expect(h.rows('SELECT status, next_reminder_at FROM keys')).toEqual([
      { status: 'rotating', next_reminder_at: null },
    ]);

    // Straight to "revoke the old key": refused, recorded, nothing else changed.
    let before = state();
    await h.click(ActionId.rotationRevokeOld, 'ROT-1');
    expect(h.ephemeralTexts().at(-1)).toMatch(/^Create the new key first: .*risks an outage .* Nothing was changed\.$/);
    expect(state()).toEqual(before);
    expect(refusals()).toHaveLength(1);

    h.clock.advance(MINUTE);
    await h.click(ActionId.rotationCreate, 'ROT-1');
    const modal = h.lastOpenedView();
    expect(modal.callback_id).toBe(CallbackId.rotationCreate);
    expect(JSON.stringify(modal.blocks)).toContain('"initial_value":"api-server-production-v3"');
    await h.submit(CallbackId.rotationCreate, modal.private_metadata, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
    });
    h.clock.advance(10 * MINUTE);
    await h.click(ActionId.rotationDeploy, 'ROT-1', { userId: SECOND_RESPONDER });

    // Deployed but not verified: revoking now is exactly the outage the seed warns about.
    before = state();
    await h.click(ActionId.rotationRevokeOld, 'ROT-1');
    expect(h.ephemeralTexts().at(-1)).toBe(
      'Verify first: check the Last Used column for the new key in the dashboard to confirm live traffic is flowing ' +
        "through it. Revoking the old key before the new one is confirmed live risks an outage if the new key wasn't " +
        'picked up by your deployment for any reason (a stale environment cache, a missed service restart). Nothing was changed.',
    );
    expect(state()).toEqual(before);
    expect(refusals().map((r) => [r.actor, JSON.parse(r.details).params.missing])).toEqual([
      [RESPONDER, 'create'],
      [RESPONDER, 'verify'],
    ]);

    h.clock.advance(30 * MINUTE);
    await h.click(ActionId.rotationVerify, 'ROT-1');
    h.clock.advance(MINUTE);
    await h.click(ActionId.rotationRevokeOld, 'ROT-1');
    const finished = h.clock.now();

    expect(
      h.rows('SELECT label, status, cycle, rotated_at, channel_id, next_reminder_at FROM keys ORDER BY id'),
    ).toEqual([
      {
        label: 'api-server-production-v2',
        status: 'revoked',
        cycle: 1,
        rotated_at: Date.UTC(2026, 8, 10),
        channel_id: KEYS_CHANNEL,
        next_reminder_at: null,
      },
      {
        label: 'api-server-production-v3',
        status: 'active',
        cycle: 1,
        rotated_at: finished,
        channel_id: KEYS_CHANNEL,
        next_reminder_at: finished + 76 * DAY_MS,
      },
    ]);
    const listed = BotHarness.replyText(await h.command('keys'));
    expect(listed).toContain('`api-server-production-v3` · production live · due 2027-02-26 (in 90 days)');

    const timeline = h.rows("SELECT type, actor FROM events WHERE stream = 'ROT-1' ORDER BY seq");
    expect(timeline).toEqual([
      { type: 'rotation_started', actor: RESPONDER },
      { type: 'action_refused', actor: RESPONDER },
      { type: 'rotation_key_created', actor: RESPONDER },
      { type: 'rotation_deployed', actor: SECOND_RESPONDER },
      { type: 'action_refused', actor: RESPONDER },
      { type: 'rotation_verified', actor: RESPONDER },
      { type: 'rotation_old_revoked', actor: RESPONDER },
    ]);
    expect(verifyChain('ROT-1', h.bot.store.events.stream('ROT-1')).ok).toBe(true);

    // One card, kept current with chat.update; one thread reply per recorded step.
    const cardTs = (h.rows('SELECT card_ts FROM rotations') as { card_ts: string }[])[0]?.card_ts;
    expect(h.standIn.calls('chat.postMessage').filter((c) => !c.args.thread_ts)).toHaveLength(1);
    const updates = h.standIn.calls('chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(4);
    expect(new Set(updates.map((c) => c.args.ts))).toEqual(new Set([cardTs]));
    expect(String(updates.at(-1)?.args.text)).toBe(
      'ROT-1: rotation of api-server-production-v2 · done: api-server-production-v2 revoked, api-server-production-v3 active',
    );
    const replies = h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts === cardTs);
    expect(replies.map((c) => /Step (\d) done/.exec(String(c.args.text))?.[1])).toEqual(['1', '2', '3', '4']);
    expect(String(replies.at(-1)?.args.text)).toContain(
      '`api-server-production-v3` is now the active key in the register',
    );

    // Clicking again on the finished card changes nothing.
    before = state();
    await h.click(ActionId.rotationRevokeOld, 'ROT-1');
    expect(h.ephemeralTexts().at(-1)).toMatch(/^This rotation is finished/);
    expect(state()).toEqual(before);
  });

  it('refuses a new label that is already registered on the form, and keeps the step open', async () => {
    await h.command('keys add billing-production env=production');
    await h.command('rotate api-server-production-v2');
    await h.click(ActionId.rotationCreate, 'ROT-1');
    const answer = await h.submit(CallbackId.rotationCreate, h.lastOpenedView().private_metadata, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('Billing-Production') },
    });
    expect(answer.json).toMatchObject({
      response_action: 'errors',
      errors: { [Field.newKeyLabel]: expect.stringContaining('billing-production is already in the register') },
    });
    expect(h.rows('SELECT * FROM rotation_steps')).toEqual([]);
  });

  it('refuses to rotate a key that is not registered, or one already being rotated', async () => {
    expect(BotHarness.replyText(await h.command('rotate nothing-like-it'))).toContain(
      'No key labelled nothing-like-it is registered.',
    );
    await h.command('rotate api-server-production-v2');
    const again = BotHarness.replyText(
      await h.command('rotate api-server-production-v2', { userId: SECOND_RESPONDER }),
    );
    expect(again).toContain('A rotation of api-server-production-v2 is already in progress');
    expect(h.rows('SELECT id FROM rotations')).toEqual([{ id: 1 }]);
  });
});

describe('who may change the register and rotate (RESPONDERS)', () => {
  let h: BotHarness;
  const BYSTANDER = 'U0BYST0001';
  beforeEach(async () => {
    h = await BotHarness.start({ env: { RESPONDERS: RESPONDER } });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('lets anyone list the register, and records a bystander refused on a rotation card or a reminder', async () => {
    await h.command(`keys add legacy-production env=production rotated=2026-08-01 channel=<#${KEYS_CHANNEL}>`);
    expect(BotHarness.replyText(await h.command('keys', { userId: BYSTANDER }))).toContain('`legacy-production`');
    await h.command('rotate legacy-production');
    await h.click(ActionId.rotationCreate, 'ROT-1', { userId: BYSTANDER });
    expect(h.standIn.calls('views.open')).toHaveLength(0);
    expect(h.rows("SELECT stream, actor FROM events WHERE type = 'action_refused'")).toEqual([
      { stream: 'ROT-1', actor: BYSTANDER },
    ]);

    const before = h.rows('SELECT * FROM keys');
    const value = JSON.stringify({ keyId: 1, cycle: 1, reminderId: 1 });
    await h.click(ActionId.reminderSnooze, value, { userId: BYSTANDER, channelId: KEYS_CHANNEL });
    expect(h.ephemeralTexts().at(-1)).toMatch(/Only the incident responders may do this/);
    expect(h.rows('SELECT * FROM keys')).toEqual(before);
    expect(h.rows("SELECT stream FROM events WHERE type = 'action_refused' ORDER BY id")).toEqual([
      { stream: 'ROT-1' },
      { stream: 'KEYS' },
    ]);
  });
});
