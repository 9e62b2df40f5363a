import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId } from '../../src/slack/ids';
import {
  BotHarness,
  BYSTANDER,
  CHANNEL,
  OTHER_CHANNEL,
  RESPONDER,
  SECOND_RESPONDER,
  select,
  text,
} from '../support/bot-harness';
import { checkView } from '../support/conformance';
import { appHomeOpenedEvent, homeActionBody } from '../support/home-payloads';
import { eventBody } from '../support/payloads';
import { specsAvailable } from '../support/specs';
import { MINUTE } from '../support/test-clock';
import { TRANSPORTS } from '../support/transport';

type Block = { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] };
type PublishedView = { type: string; blocks: Block[] };

describe.each(TRANSPORTS)('the App Home over %s', (transport) => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ transport, env: { RESPONDERS: `${RESPONDER},${SECOND_RESPONDER}` } });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    expect(h.socket?.violations() ?? []).toEqual([]);
    await h.close();
  });

  async function openHome(userId: string): Promise<PublishedView> {
    const before = h.standIn.calls('views.publish').length;
    await h.event(eventBody({ event: appHomeOpenedEvent(userId) }));
    const calls = h.standIn.calls('views.publish');
    expect(calls).toHaveLength(before + 1);
    expect(calls.at(-1)?.args.user_id).toBe(userId);
    return calls.at(-1)?.args.view as PublishedView;
  }

  const buttonsOf = (view: PublishedView) =>
    view.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => (b.elements ?? []).map((e) => `${b.block_id}:${e.action_id}:${e.value}`));

  /** Two open incidents (one still active, one revoked) and four registered keys, one of them overdue. */
  async function fixture(): Promise<void> {
    for (const command of [
      `keys add billing-production env=production rotated=2026-08-01 owner=<@${RESPONDER}|dana>`,
      'keys add checkout-staging env=staging rotated=2026-09-10',
      'keys add ledger-development env=development rotated=2026-11-01',
    ]) {
      const added = await h.command(command);
      expect(BotHarness.replyText(added)).not.toMatch(/not available|try `/i);
    }
    await h.command('start api-server-production-v2 env=production exposed=2026-11-28T08:15:00Z');
    await h.command('start payments-staging env=staging', { channelId: OTHER_CHANNEL });
    await h.click(ActionId.incidentRevoke, 'INC-2', { channelId: OTHER_CHANNEL });
    h.clock.advance(10 * MINUTE);
  }

  it('publishes a schema-valid Home with the open incidents, their next step and exposure, and due keys', async () => {
    await fixture();
    const view = await openHome(RESPONDER);
    if (specsAvailable()) expect(checkView(view)).toEqual([]);
    const shown = JSON.stringify(view);
    expect(shown).toContain('*INC-1* · `api-server-production-v2` · production · SEV1');
    expect(shown).toContain('Next: *1. Revoke the key');
    expect(shown).toContain('Key still active: *55 min* of exposure');
    expect(shown).toContain('*INC-2* · `payments-staging` · staging');
    expect(shown).toContain('Next: *2. Review transactions');
    expect(shown).toMatch(
      /Keys overdue for rotation\* \(1\)\\n• `billing-production` \(production\) · due [^·]*29 days overdue\* · owner <@U0RESP0001>/,
    );
    expect(shown).toMatch(
      /Keys due in the next 14 days\* \(1\)\\n• `checkout-staging` \(staging\) · due [^·]*in 11 days/,
    );
    expect(shown).not.toContain('ledger-development');
    // The still-active key comes first; each incident carries the card's own buttons and values.
    expect(buttonsOf(view)).toEqual([
      'home_INC-1:incident_revoke:INC-1',
      'home_INC-1:incident_note:INC-1',
      'home_INC-2:incident_review:INC-2',
      'home_INC-2:incident_note:INC-2',
    ]);
  });

  it("records a step from the Home tab through the card's handler, then redraws the Home", async () => {
    await fixture();
    await openHome(RESPONDER);
    const updatesBefore = h.standIn.calls('chat.update').length;
    h.clock.advance(MINUTE);
    await h.transport.interactive(
      homeActionBody({ actionId: ActionId.incidentRevoke, value: 'INC-1', userId: RESPONDER, blockId: 'home_INC-1' }),
    );
    await h.settle();
    expect(h.bot.incidents.get(1)?.steps.revoke).toMatchObject({ by: RESPONDER });
    expect(h.standIn.calls('chat.update').length).toBeGreaterThan(updatesBefore);
    const redrawn = h.standIn.calls('views.publish').at(-1)?.args.view as PublishedView;
    expect(JSON.stringify(redrawn)).toContain('Exposure: 56 min, ended');
    expect(buttonsOf(redrawn)).toContain('home_INC-1:incident_review:INC-1');

    // A step with a form opens it from the Home tab too, and the submission is recorded in the incident.
    await h.transport.interactive(
      homeActionBody({ actionId: ActionId.incidentReview, value: 'INC-1', userId: SECOND_RESPONDER }),
    );
    await h.settle();
    const form = h.lastOpenedView();
    expect(form.callback_id).toBe(CallbackId.incidentReview);
    await h.submit(
      CallbackId.incidentReview,
      form.private_metadata,
      { review_outcome: { review_outcome: select('nothing_unrecognised') }, notes: { notes: text('clean') } },
      { userId: SECOND_RESPONDER },
    );
    expect(h.bot.incidents.get(1)?.steps.review).toMatchObject({ by: SECOND_RESPONDER });
  });

  it('shows people outside RESPONDERS no step buttons, and refuses a forged click from them', async () => {
    await fixture();
    const view = await openHome(BYSTANDER);
    expect(JSON.stringify(view)).toContain(`steps are recorded by`);
    expect(buttonsOf(view)).toEqual(['home_INC-1:incident_note:INC-1', 'home_INC-2:incident_note:INC-2']);
    const before = h.snapshot();
    await h.transport.interactive(
      homeActionBody({ actionId: ActionId.incidentRevoke, value: 'INC-1', userId: BYSTANDER }),
    );
    await h.settle();
    expect(h.snapshot()).toEqual(before);
    expect(h.rows("SELECT actor FROM events WHERE type = 'action_refused'")).toEqual([{ actor: BYSTANDER }]);
    // A Home click has no response_url: the refusal opens as a notice.
    const notice = h.lastOpenedView() as unknown as { blocks: { text?: { text: string } }[] };
    expect(notice.blocks[0]?.text?.text).toMatch(/Only the incident responders may do this/);
  });

  it("lists only incidents of the viewer's channels and refuses a Home click on another channel's incident", async () => {
    await fixture();
    // OTHER_CHANNEL is private to SECOND_RESPONDER, behind 250 others: reading it takes two pages.
    const crowd = Array.from({ length: 250 }, (_, i) => `U0CROWD${String(i).padStart(3, '0')}`);
    h.standIn.setChannelMembers(OTHER_CHANNEL, [...crowd, SECOND_RESPONDER]);
    const mine = await openHome(RESPONDER);
    expect(JSON.stringify(mine)).toContain('*INC-1*');
    expect(JSON.stringify(mine)).not.toContain('INC-2');
    expect(JSON.stringify(mine)).not.toContain('payments-staging');
    const theirs = await openHome(SECOND_RESPONDER);
    expect(JSON.stringify(theirs)).toContain('*INC-2* · `payments-staging`');
    const pages = h.standIn.calls('conversations.members').filter((call) => call.args.channel === OTHER_CHANNEL);
    expect(pages.some((call) => typeof call.args.cursor === 'string' && call.args.cursor !== '')).toBe(true);

    // Forged or stale Home clicks naming INC-2: a note and a step, from someone not in its channel.
    for (const actionId of [ActionId.incidentNote, ActionId.incidentReview]) {
      const before = h.snapshot();
      const opened = h.standIn.calls('views.open').length;
      await h.transport.interactive(homeActionBody({ actionId, value: 'INC-2', userId: RESPONDER }));
      await h.settle();
      expect(h.snapshot(), actionId).toEqual(before);
      expect(h.standIn.calls('views.open'), actionId).toHaveLength(opened + 1);
      const notice = h.lastOpenedView() as unknown as { blocks: { text?: { text: string } }[] };
      expect(notice.blocks[0]?.text?.text, actionId).toMatch(/INC-2 is handled in a channel you are not a member of/);
    }
    // The same click from a member goes through.
    await h.transport.interactive(
      homeActionBody({ actionId: ActionId.incidentReview, value: 'INC-2', userId: SECOND_RESPONDER }),
    );
    await h.settle();
    expect(h.lastOpenedView().callback_id).toBe(CallbackId.incidentReview);
  });

  it('fails closed when Slack cannot say who is in a channel: no incident shown, no Home click acted on', async () => {
    await fixture();
    h.standIn.fail('conversations.members', { status: 500, times: 20 });
    const view = await openHome(RESPONDER);
    expect(JSON.stringify(view)).not.toContain('INC-');
    const before = h.snapshot();
    await h.transport.interactive(
      homeActionBody({ actionId: ActionId.incidentRevoke, value: 'INC-1', userId: RESPONDER }),
    );
    await h.settle();
    expect(h.snapshot()).toEqual(before);
    expect(h.logLines.some((line) => line.includes('conversations.members failed'))).toBe(true);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    await h.event(eventBody({ event: appHomeOpenedEvent(RESPONDER, 'messages') }));
    expect(h.standIn.calls('views.publish')).toEqual([]);
    expect(h.cardTs(CHANNEL)).toBeUndefined();
  });
});
