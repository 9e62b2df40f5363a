import { afterEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, RESPONDER, SECOND_RESPONDER, select, text } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';

const STATUS = 'C0STATUS001';
let h: BotHarness;

async function start(env: Record<string, string> = {}): Promise<BotHarness> {
  h = await BotHarness.start({ env: { RESPONDERS: `${RESPONDER},${SECOND_RESPONDER}`, ...env } });
  return h;
}

afterEach(async () => {
  expect(h.standIn.violations()).toEqual([]);
  await h.close();
});

async function runPlaybook(ref: string, channelId = CHANNEL, stepMinutes = 1): Promise<void> {
  h.clock.advance(stepMinutes * MINUTE);
  await h.click(ActionId.incidentRevoke, ref, { channelId });
  h.clock.advance(stepMinutes * MINUTE);
  await h.click(ActionId.incidentReview, ref, { channelId });
  await h.submit(CallbackId.incidentReview, h.lastOpenedView().private_metadata, {
    [Field.reviewOutcome]: { [Field.reviewOutcome]: select('suspicious_found') },
    [Field.transactionIds]: { [Field.transactionIds]: text('txn_SECRET_FINDING') },
    [Field.notes]: { [Field.notes]: text('refund we did not issue') },
  });
  h.clock.advance(stepMinutes * MINUTE);
  await h.click(ActionId.incidentSupport, ref, { channelId });
  await h.submit(CallbackId.incidentSupport, h.lastOpenedView().private_metadata, {
    [Field.contactChannel]: { [Field.contactChannel]: select('email') },
    [Field.ticketRef]: { [Field.ticketRef]: text('PK-1') },
  });
  h.clock.advance(stepMinutes * MINUTE);
  await h.click(ActionId.incidentRedeploy, ref, { channelId });
  await h.submit(CallbackId.incidentRedeploy, h.lastOpenedView().private_metadata, {
    [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-prod-v9') },
    [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 1') },
  });
  h.clock.advance(stepMinutes * MINUTE);
  await h.click(ActionId.incidentResolve, ref, { channelId });
  await h.submit(CallbackId.incidentResolve, h.lastOpenedView().private_metadata, {
    [Field.resolution]: { [Field.resolution]: select('revoked') },
    [Field.summary]: { [Field.summary]: text('summary text') },
  });
  await h.settle();
}

const lastCardBlocks = () => {
  const updates = h.standIn.calls('chat.update').filter((c) => c.args.channel === CHANNEL);
  const last = updates.at(-1) ?? h.standIn.calls('chat.postMessage').find((c) => c.args.channel === CHANNEL);
  return JSON.stringify(last?.args.blocks);
};

describe('the incident lead', () => {
  it('starts with the declarer and hands over to a responder, as an event shown on the card', async () => {
    await start();
    await h.command('start api-prod env=production', { userId: BYSTANDER });
    expect(lastCardBlocks()).toContain(`*Lead*\\n<@${BYSTANDER}>`);
    const reply = await h.command(`lead INC-1 <@${SECOND_RESPONDER}|sam>`);
    expect(BotHarness.replyText(reply)).toBe(`<@${SECOND_RESPONDER}> leads INC-1 from now on.`);
    expect(h.rows('SELECT lead FROM incidents')).toEqual([{ lead: SECOND_RESPONDER }]);
    expect(
      h.rows(
        "SELECT actor, json_extract(details, '$.from') AS f, json_extract(details, '$.to') AS t FROM events WHERE type = 'lead_changed'",
      ),
    ).toEqual([{ actor: RESPONDER, f: BYSTANDER, t: SECOND_RESPONDER }]);
    expect(lastCardBlocks()).toContain(`*Lead*\\n<@${SECOND_RESPONDER}>`);
    const replies = h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(String(replies.at(-1)?.args.text)).toContain(`handed the lead to <@${SECOND_RESPONDER}>`);
  });

  it('refuses a lead who is not a responder, and a non-responder handing over; both are recorded, nothing changes', async () => {
    await start();
    await h.command('start api-prod env=production');
    const before = h.rows('SELECT * FROM incidents');
    const notResponder = await h.command(`lead <@${BYSTANDER}>`);
    expect(BotHarness.replyText(notResponder)).toMatch(/is not a responder, so cannot lead INC-1/);
    const byBystander = await h.command(`lead <@${SECOND_RESPONDER}>`, { userId: BYSTANDER });
    expect(BotHarness.replyText(byBystander)).toMatch(/responder/i);
    expect(h.rows('SELECT * FROM incidents')).toEqual(before);
    expect(h.rows("SELECT count(*) AS n FROM events WHERE type = 'lead_changed'")).toEqual([{ n: 0 }]);
    expect(h.rows("SELECT actor FROM events WHERE type = 'action_refused' ORDER BY id")).toEqual([
      { actor: RESPONDER },
      { actor: BYSTANDER },
    ]);
  });

  it('answers a lead command it cannot read with the usage, changing nothing', async () => {
    await start();
    await h.command('start api-prod env=production');
    const before = h.snapshot();
    const reply = await h.command('lead INC-1 sam');
    expect(BotHarness.replyText(reply)).toMatch(/mention them.*lead \[INC-<n>\] <@user>/s);
    expect(h.snapshot()).toEqual(before);
  });
});

describe('the stakeholder status channel', () => {
  it('posts one message per incident and updates it in place, without key details, notes or findings', async () => {
    await start({ STATUS_CHANNEL: STATUS });
    await h.command('start api-prod-secret-label env=production how=pasted in a gist');
    const posted = h.standIn.calls('chat.postMessage').filter((c) => c.args.channel === STATUS);
    expect(posted).toHaveLength(1);
    const ts = h.rows('SELECT ts FROM status_messages') as { ts: string }[];
    expect(ts).toHaveLength(1);
    await h.command('note the deploy pipeline leaked it');
    await runPlaybook('INC-1');
    expect(h.standIn.calls('chat.postMessage').filter((c) => c.args.channel === STATUS)).toHaveLength(1);
    const updates = h.standIn.calls('chat.update').filter((c) => c.args.channel === STATUS);
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) expect(update.args.ts).toBe(ts[0]?.ts);
    const last = JSON.stringify(updates.at(-1)?.args);
    expect(last).toContain('INC-1');
    expect(last).toContain('production');
    expect(last).toContain('SEV1');
    expect(last).toContain('time to revoke: 1 min');
    expect(last).toContain(`lead <@${RESPONDER}>`);
    expect(last).toMatch(/resolved/);
    const everything = JSON.stringify(h.standIn.calls().filter((c) => c.args.channel === STATUS));
    for (const secret of [
      'api-prod',
      'gist',
      'deploy pipeline',
      'txn_SECRET_FINDING',
      'refund',
      'summary text',
      'PK-1',
    ])
      expect(everything).not.toContain(secret);
  });

  it('leaves private incidents out unless STATUS_PRIVATE=true', async () => {
    await start({ STATUS_CHANNEL: STATUS });
    await h.command('start api-prod env=production channel=private');
    await h.settle();
    expect(h.standIn.calls().filter((c) => c.args.channel === STATUS)).toEqual([]);
    await h.close();
    await start({ STATUS_CHANNEL: STATUS, STATUS_PRIVATE: 'true' });
    await h.command('start api-prod env=production channel=private');
    await h.settle();
    expect(h.standIn.calls('chat.postMessage').filter((c) => c.args.channel === STATUS)).toHaveLength(1);
  });
});

describe('drills', () => {
  it('runs the playbook marked DRILL, leaves the key register and the status channel alone, and compares times', async () => {
    await start({ STATUS_CHANNEL: STATUS });
    await h.command('keys add api-prod env=production rotated=2026-11-01');
    await h.settle();
    const keysBefore = h.rows('SELECT * FROM keys');
    const statusBefore = h.standIn.calls().filter((c) => c.args.channel === STATUS).length;

    const reply = await h.command('drill api-prod');
    expect(BotHarness.replyText(reply)).toMatch(/^DRILL INC-1 started/);
    const card = h.standIn.calls('chat.postMessage').find((c) => c.args.channel === CHANNEL && !c.args.thread_ts);
    expect(String(card?.args.text)).toMatch(/^DRILL · INC-1/);
    expect(JSON.stringify(card?.args.blocks)).toContain('DRILL');
    await runPlaybook('INC-1', CHANNEL, 3);
    expect(h.rows('SELECT * FROM keys')).toEqual(keysBefore);
    expect(h.standIn.calls().filter((c) => c.args.channel === STATUS)).toHaveLength(statusBefore);
    const replies = h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(replies.length).toBeGreaterThan(4);
    for (const r of replies) expect(String(r.args.text)).toMatch(/^:performing_arts: \*DRILL\* · /);
    expect(String(replies.at(-1)?.args.text)).toContain('first drill on record');
    expect(h.rows('SELECT drill FROM incidents')).toEqual([{ drill: 1 }]);

    // The next drill is faster, and says so.
    await h.command('drill api-prod');
    await runPlaybook('INC-2', CHANNEL, 1);
    const last = h.standIn
      .calls('chat.postMessage')
      .filter((c) => c.args.thread_ts)
      .at(-1);
    expect(String(last?.args.text)).toContain('Time to revoke: 1 min (2 min faster');
    expect(String(last?.args.text)).toContain('Time to resolve: 5 min (10 min faster');
    expect(h.rows('SELECT * FROM keys')).toEqual(keysBefore);

    const exported = h.standIn.uploads().find((u) => u.filename === 'INC-2-timeline.md');
    expect(exported?.bytes.toString('utf8')).toContain('DRILL');
  });
});
