import { afterEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, RESPONDER, SECOND_RESPONDER, select, text } from '../support/bot-harness';
import { WORKSPACE } from '../support/slack-stand-in';
import { MINUTE } from '../support/test-clock';

const SECURITY = 'S0SECURITY1';
const SECURITY_PEOPLE = ['U0SECURE001', 'U0SECURE002'];

let h: BotHarness;

async function start(env: Record<string, string> = {}): Promise<BotHarness> {
  h = await BotHarness.start({
    env: { RESPONDERS: `${RESPONDER},${SECOND_RESPONDER}`, SECURITY_GROUP: SECURITY, ...env },
  });
  h.standIn.setUsergroupMembers(SECURITY, [...SECURITY_PEOPLE, WORKSPACE.botUserId]);
  return h;
}

function roomOf(incidentId: number): string {
  const rows = h.rows(`SELECT channel_id FROM incident_rooms WHERE incident_id = ${incidentId}`) as {
    channel_id: string;
  }[];
  const room = rows[0]?.channel_id;
  if (!room) throw new Error(`INC-${incidentId} has no room`);
  return room;
}

const postsIn = (channel: string) =>
  h.standIn
    .calls('chat.postMessage')
    .filter((call) => call.args.channel === channel)
    .map((call) => String(call.args.text));

/** The four steps and the resolve, clicked where the card is. */
async function runPlaybook(ref: string, channelId: string): Promise<void> {
  h.clock.advance(2 * MINUTE);
  await h.click(ActionId.incidentRevoke, ref, { channelId });
  h.clock.advance(MINUTE);
  await h.click(ActionId.incidentReview, ref, { channelId });
  await h.submit(CallbackId.incidentReview, h.lastOpenedView().private_metadata, {
    [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
    [Field.transactionIds]: { [Field.transactionIds]: text('') },
    [Field.notes]: { [Field.notes]: text('secret review finding') },
  });
  h.clock.advance(MINUTE);
  await h.click(ActionId.incidentSupport, ref, { channelId });
  await h.submit(CallbackId.incidentSupport, h.lastOpenedView().private_metadata, {
    [Field.contactChannel]: { [Field.contactChannel]: select('email') },
    [Field.ticketRef]: { [Field.ticketRef]: text('PK-1') },
  });
  h.clock.advance(MINUTE);
  await h.click(ActionId.incidentRedeploy, ref, { channelId });
  await h.submit(CallbackId.incidentRedeploy, h.lastOpenedView().private_metadata, {
    [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-prod-v9') },
    [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 1') },
  });
  h.clock.advance(MINUTE);
  await h.click(ActionId.incidentResolve, ref, { channelId });
  await h.submit(CallbackId.incidentResolve, h.lastOpenedView().private_metadata, {
    [Field.resolution]: { [Field.resolution]: select('revoked') },
    [Field.summary]: { [Field.summary]: text('done') },
  });
  await h.settle();
}

afterEach(async () => {
  expect(h.standIn.violations()).toEqual([]);
  await h.close();
});

describe('incident rooms', () => {
  it('creates a room, invites the declarer, responders and the security group, and posts the card there', async () => {
    await start();
    const reply = await h.command('start api-prod env=production channel=new', { userId: BYSTANDER });
    expect(BotHarness.replyText(reply)).toMatch(/Opened INC-1.*creating its room/);
    await h.settle();

    const created = h.standIn.calls('conversations.create');
    expect(created.map((c) => c.args)).toEqual([{ name: 'inc-1-api-prod', is_private: 'false' }]);
    const room = roomOf(1);
    expect(h.rows('SELECT channel_id FROM incidents')).toEqual([{ channel_id: room }]);

    const members = h.standIn.channels().get(room)?.members ?? new Set();
    expect([...members].sort()).toEqual(
      [BYSTANDER, RESPONDER, SECOND_RESPONDER, ...SECURITY_PEOPLE, WORKSPACE.botUserId].sort(),
    );
    // The bot is never in its own invitation (Slack answers cant_invite_self).
    for (const call of h.standIn.calls('conversations.invite'))
      expect(String(call.args.users)).not.toContain(WORKSPACE.botUserId);

    expect(postsIn(room)[0]).toMatch(/^INC-1: compromised key api-prod/);
    const pointer = postsIn(CHANNEL);
    expect(pointer).toHaveLength(1);
    expect(pointer[0]).toBe(
      `:rotating_light: INC-1 (compromised key \`api-prod\`, production, SEV1) is handled in <#${room}>.`,
    );
    expect(h.standIn.channels().get(room)?.topic).toBe(
      'INC-1 · key api-prod · production · SEV1 · now: step 1: revoke the key',
    );
    expect(h.rows("SELECT type FROM events WHERE type LIKE 'room_%' ORDER BY id")).toEqual([
      { type: 'room_created' },
      { type: 'room_invited' },
    ]);
  });

  it('keeps everything after in the room and the topic current; the declaring channel only gets the pointer', async () => {
    await start();
    await h.command('start api-prod env=production channel=new');
    const room = roomOf(1);
    h.clock.advance(6 * MINUTE);
    await h.tick(); // a nudge
    await h.click(ActionId.incidentRevoke, 'INC-1', { channelId: room });
    expect(postsIn(CHANNEL)).toHaveLength(1);
    const replies = h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts);
    expect(replies.map((r) => String(r.args.text))).toEqual([
      expect.stringContaining('Key still active'),
      expect.stringContaining('Step 1 done'),
    ]);
    for (const reply of replies) expect(reply.args.channel).toBe(room);
    expect(h.standIn.channels().get(room)?.topic).toContain('now: step 2: review transactions');
    // A click on the card from the channel it left is not accepted as that incident's.
    const before = h.snapshot();
    await h.click(ActionId.incidentReview, 'INC-1', { channelId: CHANNEL });
    expect(h.snapshot()).toEqual(before);
  });

  it('exports a room incident as verified, and still names the row when its channel is edited back by hand', async () => {
    await start();
    await h.command('start api-prod env=production channel=new');
    const room = roomOf(1);
    await h.click(ActionId.incidentRevoke, 'INC-1', { channelId: room });
    const exported = async () => {
      await h.command('export INC-1 format=json', { channelId: room });
      await h.settle();
      return JSON.parse(h.standIn.uploads().at(-1)?.bytes.toString('utf8') ?? '{}') as {
        integrity: { verified: boolean; firstBad?: { problem: string; message: string } };
      };
    };
    expect((await exported()).integrity.verified).toBe(true);
    // The room move is part of the record: a row pointed back at the declaring channel is caught.
    h.bot.db.prepare('UPDATE incidents SET channel_id = ? WHERE id = 1').run(CHANNEL);
    const verdict = new ExportService({ store: h.bot.store, displayTimeZone: 'UTC', clock: h.clock.clock }).verify(
      'INC-1',
    );
    expect(verdict?.ok).toBe(false);
    expect(JSON.stringify(verdict)).toContain('incidents.channel_id');
  });

  it('invites a new lead who is not in the room yet, and records it once', async () => {
    // RESPONDERS empty: anyone may act and lead, so the room was made without the person who now leads it.
    h = await BotHarness.start({ env: {} });
    await h.command('start api-prod env=production channel=private');
    const room = roomOf(1);
    expect(h.standIn.channels().get(room)?.members.has(BYSTANDER)).toBe(false);
    await h.command(`lead INC-1 <@${BYSTANDER}>`, { channelId: room });
    await h.settle();
    expect(h.standIn.channels().get(room)?.members.has(BYSTANDER)).toBe(true);
    const invites = h.standIn.calls('conversations.invite').filter((call) => call.args.users === BYSTANDER);
    expect(invites).toHaveLength(1);
    const recorded = h.bot.store.events.stream('INC-1').filter((event) => event.type === 'room_invited');
    expect(recorded.map((event) => event.details.users)).toEqual([[RESPONDER], [BYSTANDER]]);
  });

  it('opens a private room whose pointer names no key and no detail', async () => {
    await start();
    await h.command('start billing-live-key env=production channel=private how=pasted in #general');
    await h.settle();
    expect(h.standIn.calls('conversations.create').map((c) => c.args)).toEqual([
      { name: 'inc-1-billing-live-key', is_private: 'true' },
    ]);
    const room = roomOf(1);
    expect(room.startsWith('G')).toBe(true);
    const pointer = postsIn(CHANNEL);
    expect(pointer).toEqual([':lock: A private incident room was opened; the responders were invited to it.']);
    const everythingInChannel = JSON.stringify(h.standIn.calls().filter((c) => c.args.channel === CHANNEL));
    for (const detail of ['billing', 'INC-1', 'production', 'SEV1', 'general', room])
      expect(everythingInChannel).not.toContain(detail);
  });

  it('suffixes a taken name, archived channels included, and makes odd labels into valid names', async () => {
    await start();
    h.standIn.addChannel({ name: 'inc-1-billing-api_v2', archived: true });
    h.standIn.addChannel({ name: 'inc-1-billing-api_v2-2' });
    await h.command('start Billing.API_v2 env=staging channel=new');
    await h.settle();
    expect(h.standIn.calls('conversations.create').map((c) => c.args.name)).toEqual([
      'inc-1-billing-api_v2',
      'inc-1-billing-api_v2-2',
      'inc-1-billing-api_v2-3',
    ]);
    expect(h.rows('SELECT name FROM incident_rooms')).toEqual([{ name: 'inc-1-billing-api_v2-3' }]);
  });

  it('cuts a long label so the name fits in 80 characters', async () => {
    await start();
    const label = `payments-${'x'.repeat(70)}`;
    await h.command(`start ${label} env=staging channel=new`);
    await h.settle();
    const name = String(h.standIn.calls('conversations.create')[0]?.args.name);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^inc-1-payments-x+$/);
  });

  it('names the missing scope when Slack refuses, and carries on in the channel', async () => {
    await start();
    h.standIn.fail('conversations.create', { error: 'missing_scope', needed: 'groups:write' });
    await h.command('start api-prod env=production channel=private');
    await h.settle();
    expect(h.rows('SELECT count(*) AS n FROM incident_rooms')).toEqual([{ n: 0 }]);
    const posts = postsIn(CHANNEL);
    expect(posts.some((t) => t.startsWith('INC-1: compromised key'))).toBe(true);
    expect(posts.find((t) => t.includes('groups:write'))).toMatch(
      /Slack refused to let me create a private channel: the app lacks `groups:write`\. Add `groups:write`.*reinstall/,
    );
    expect(h.rows("SELECT json_extract(details, '$.needed') AS needed FROM events WHERE type = 'room_failed'")).toEqual(
      [{ needed: 'groups:write' }],
    );
  });

  it('invites one by one when someone is already in the room, and retries a room after a Slack outage', async () => {
    await start();
    h.standIn.fail('conversations.create', { status: 503 });
    await h.command('start api-prod env=production channel=new');
    expect(h.rows('SELECT count(*) AS n FROM incident_rooms')).toEqual([{ n: 0 }]);
    // Nothing of the incident is posted while its room is owed: the card waits behind it.
    expect(postsIn(CHANNEL)).toEqual([]);
    h.clock.advance(MINUTE);
    await h.bot.sender.drain();
    await h.settle();
    const room = roomOf(1);
    expect(h.standIn.calls('conversations.create')).toHaveLength(2);
    expect(postsIn(room)[0]).toMatch(/^INC-1/);
  });

  it('never creates two rooms for one incident when the same declaration arrives twice at once', async () => {
    await start();
    await Promise.all([
      h.command('start api-prod env=production channel=new', { triggerId: 'trigger-same' }),
      h.command('start api-prod env=production channel=new', { triggerId: 'trigger-same' }),
    ]);
    await Promise.all([h.bot.sender.drain(), h.bot.sender.drain(), h.settle()]);
    expect(h.rows('SELECT count(*) AS n FROM incidents')).toEqual([{ n: 1 }]);
    expect(h.standIn.calls('conversations.create')).toHaveLength(1);
  });

  it('archives a room it created after the resolve export is uploaded', async () => {
    await start({ ARCHIVE_ON_RESOLVE: 'true' });
    await h.command('start api-prod env=production channel=new');
    const room = roomOf(1);
    await runPlaybook('INC-1', room);
    const calls = h.standIn.calls();
    const upload = calls.findIndex((c) => c.method === 'files.completeUploadExternal');
    const archive = calls.findIndex((c) => c.method === 'conversations.archive');
    expect(upload).toBeGreaterThan(-1);
    expect(archive).toBeGreaterThan(upload);
    expect(h.standIn.channels().get(room)?.archived).toBe(true);
    expect(h.rows("SELECT count(*) AS n FROM events WHERE type = 'room_archived'")).toEqual([{ n: 1 }]);
  });

  it('leaves the channel alone without ARCHIVE_ON_RESOLVE, and never archives a channel it did not create', async () => {
    await start({ ARCHIVE_ON_RESOLVE: 'true' });
    await h.command('start api-prod env=production');
    await runPlaybook('INC-1', CHANNEL);
    expect(h.standIn.calls('conversations.archive')).toEqual([]);
  });

  it('declares into a room from the form, with the Where choice defaulting to INCIDENT_CHANNEL', async () => {
    await start({ INCIDENT_CHANNEL: 'private' });
    await h.command('');
    const view = h.lastOpenedView();
    expect(JSON.stringify(view.blocks)).toContain(
      '"initial_option":{"text":{"type":"plain_text","text":"A new private channel"',
    );
    await h.submit(CallbackId.incidentDeclare, view.private_metadata, {
      [Field.keyLabel]: { [Field.keyLabel]: text('api-prod') },
      [Field.environment]: { [Field.environment]: select('production') },
      [Field.room]: { [Field.room]: select('new') },
    });
    await h.settle();
    expect(h.standIn.calls('conversations.create').map((c) => c.args)).toEqual([
      { name: 'inc-1-api-prod', is_private: 'false' },
    ]);
  });
});
