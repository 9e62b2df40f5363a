import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command';
import { ActionId, CallbackId } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, OTHER_CHANNEL, RESPONDER } from '../support/bot-harness';

const GROUP = 'S0RESPOND1';
const GROUP_MEMBER = 'U0GROUPM01';

// One example text per state-changing subcommand, so the test covers every entry of the command table.
const COMMAND_EXAMPLES: Record<string, string> = {
  export: 'export INC-1',
  'keys-add': 'keys add billing-staging env=staging',
  'keys-rotated': 'keys rotated billing-staging',
  rotate: 'rotate billing-staging',
  lead: `lead INC-1 <@${RESPONDER}|ana>`,
};

describe('who may act (RESPONDERS)', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ env: { RESPONDERS: `${RESPONDER},${GROUP}` } });
    h.standIn.setUsergroupMembers(GROUP, [GROUP_MEMBER]);
    await h.command('start api-server-production-v2 env=production', { userId: BYSTANDER });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('lets anyone open an incident, but every state-changing button refuses a non-responder and records it', async () => {
    expect(h.bot.incidents.get(1)?.openedBy).toBe(BYSTANDER);
    const responderOnly = [...h.bot.registry.actions]
      .filter(([, capability]) => capability === 'responder')
      .map(([id]) => id);
    expect(responderOnly).toEqual(expect.arrayContaining([ActionId.incidentRevoke, ActionId.incidentResolve]));
    for (const actionId of responderOnly) {
      const before = h.snapshot();
      const refusalsBefore = h.rows("SELECT * FROM events WHERE type = 'action_refused'").length;
      await h.click(actionId, 'INC-1', { userId: BYSTANDER });
      expect(h.snapshot(), actionId).toEqual(before);
      expect(h.ephemeralTexts().at(-1), actionId).toMatch(/Only the incident responders may do this/);
      expect(h.standIn.calls('views.open'), actionId).toHaveLength(0);
      const refusals = h.rows(
        "SELECT actor, json_extract(details, '$.action') AS action FROM events WHERE type = 'action_refused'",
      );
      expect(refusals.length, actionId).toBe(refusalsBefore + 1);
      expect(refusals.at(-1)).toEqual({ actor: BYSTANDER, action: actionId });
    }
  });

  it('refuses every responder-only form submission from a non-responder, on the form', async () => {
    const responderOnly = [...h.bot.registry.views]
      .filter(([, capability]) => capability === 'responder')
      .map(([id]) => id);
    expect(responderOnly).toEqual(expect.arrayContaining([CallbackId.incidentReview, CallbackId.incidentResolve]));
    for (const callbackId of responderOnly) {
      const before = h.snapshot();
      const answer = await h.submit(
        callbackId,
        JSON.stringify({ incidentId: 1, channelId: 'C0INCIDENT1' }),
        { any_field: { any_field: { type: 'plain_text_input', value: 'x' } } },
        { userId: BYSTANDER },
      );
      expect(answer.json, callbackId).toMatchObject({ response_action: 'errors' });
      expect(h.snapshot(), callbackId).toEqual(before);
    }
  });

  it('refuses every responder-only subcommand from a non-responder', async () => {
    const responderOnly = [...h.bot.registry.commands]
      .filter(([, capability]) => capability === 'responder')
      .map(([kind]) => kind);
    for (const kind of responderOnly) {
      const example = COMMAND_EXAMPLES[kind];
      expect(example, `add an example for the ${kind} subcommand`).toBeDefined();
      expect(parseCommand(example ?? '').kind).toBe(kind);
      const before = h.snapshot();
      const reply = await h.command(example ?? '', { userId: BYSTANDER });
      expect(BotHarness.replyText(reply), kind).toMatch(/Only the incident responders may do this/);
      expect(h.snapshot(), kind).toEqual(before);
    }
  });

  it('lets a member of a responder user group act', async () => {
    await h.click(ActionId.incidentRevoke, 'INC-1', { userId: GROUP_MEMBER });
    expect(h.bot.incidents.get(1)?.steps.revoke?.by).toBe(GROUP_MEMBER);
    expect(h.standIn.calls('usergroups.users.list')).toHaveLength(1);
  });

  it('fails closed when Slack cannot say who is in the group', async () => {
    // Opening INC-1 asked who the responders are; go past what that answer may vouch for.
    h.clock.advance(2 * 60 * 60 * 1000);
    h.standIn.fail('usergroups.users.list', { status: 500 });
    await h.click(ActionId.incidentRevoke, 'INC-1', { userId: GROUP_MEMBER });
    expect(h.bot.incidents.get(1)?.steps.revoke).toBeUndefined();
  });

  it('trusts the last group answer for at most an hour past its expiry while Slack cannot answer, then denies and says why', async () => {
    // Opening INC-1 read the group (cached 60 s); a member then clicks while Slack is down.
    h.standIn.fail('usergroups.users.list', { status: 500, times: 10 });
    h.clock.advance(60_000 + 30 * 60_000);
    await h.click(ActionId.incidentRevoke, 'INC-1', { userId: GROUP_MEMBER });
    expect(h.bot.incidents.get(1)?.steps.revoke?.by).toBe(GROUP_MEMBER);

    h.clock.advance(31 * 60_000);
    const before = h.snapshot();
    await h.command('export INC-1', { userId: GROUP_MEMBER }).then((reply) => {
      expect(BotHarness.replyText(reply)).toMatch(/Slack could not say just now who is in the responder group/);
    });
    expect(h.snapshot().incidents).toEqual(before.incidents);
    expect(h.logLines.some((line) => line.includes('usergroups.users.list failed'))).toBe(true);
  });

  it('records a refused key-register command on KEYS or its rotation, never on the channel incident', async () => {
    await h.command('keys add billing-staging env=staging', { userId: RESPONDER });
    await h.command('rotate billing-staging', { userId: RESPONDER });
    const refusals = () =>
      h.rows(
        "SELECT stream, actor, json_extract(details, '$.action') AS action FROM events WHERE type = 'action_refused' ORDER BY id",
      );
    await h.command('keys add ledger-staging env=staging', { userId: BYSTANDER, channelId: CHANNEL });
    await h.command('keys rotated billing-staging', { userId: BYSTANDER, channelId: CHANNEL });
    await h.command('rotate billing-staging', { userId: BYSTANDER, channelId: CHANNEL });
    expect(refusals()).toEqual([
      { stream: 'KEYS', actor: BYSTANDER, action: 'command:keys-add' },
      { stream: 'KEYS', actor: BYSTANDER, action: 'command:keys-rotated' },
      { stream: 'ROT-1', actor: BYSTANDER, action: 'command:rotate' },
    ]);
  });

  it("records nothing into another channel's incident when its export is refused there", async () => {
    const before = h.snapshot();
    const reply = await h.command('export INC-1', { userId: BYSTANDER, channelId: OTHER_CHANNEL });
    expect(BotHarness.replyText(reply)).toMatch(/Only the incident responders may do this/);
    expect(h.rows("SELECT * FROM events WHERE stream = 'INC-1' AND type = 'action_refused'")).toEqual([]);
    expect(h.snapshot()).toEqual(before);
    // In its own channel the refusal is part of the incident's timeline.
    await h.command('export INC-1', { userId: BYSTANDER, channelId: CHANNEL });
    expect(h.rows("SELECT actor FROM events WHERE stream = 'INC-1' AND type = 'action_refused'")).toEqual([
      { actor: BYSTANDER },
    ]);
  });

  it('lets anyone add a note and see status', async () => {
    expect(BotHarness.replyText(await h.command('note INC-1 saw it in the CI logs', { userId: BYSTANDER }))).toContain(
      'Added',
    );
    expect(BotHarness.replyText(await h.command('status', { userId: BYSTANDER }))).toContain('INC-1');
  });
});

describe('every listener declares who may use it', () => {
  it('registers every action and form id in slack/ids.ts through the registry', async () => {
    const h = await BotHarness.start();
    try {
      const actions = [...h.bot.registry.actions.keys()];
      const views = [...h.bot.registry.views.keys()];
      for (const id of Object.values(ActionId)) expect(actions, id).toContain(id);
      for (const id of Object.values(CallbackId)) expect(views, id).toContain(id);
    } finally {
      await h.close();
    }
  });
});
