import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportFormatName } from '../../src/domain/command';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { validateTimeline } from '../fixtures/timeline/validate-timeline';
import { BotHarness, BYSTANDER, CHANNEL, OTHER_CHANNEL, RESPONDER, select, text } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';

const bin = join(resolve(import.meta.dirname, '../..'), 'bin/paykore-bot.js');
const ZONE = 'America/New_York';
const EXTENSION: Record<ExportFormatName, string> = { markdown: 'md', csv: 'csv', json: 'json' };

/** `paykore-bot export` as an operator runs it, in its own process, on the bot's database file. */
async function cliExport(h: BotHarness, format: ExportFormatName): Promise<Buffer> {
  const { stdout } = await promisify(execFile)('node', [bin, 'export', 'INC-1', '--format', format], {
    cwd: h.dir,
    env: { PATH: process.env.PATH ?? '', HOME: h.dir, DATABASE_PATH: h.dbPath, DISPLAY_TIMEZONE: ZONE },
    encoding: 'buffer',
  });
  return stdout;
}

/** Incidents, steps and events, every column, plus each stream's head: what an export must leave alone. */
function record(h: BotHarness) {
  return {
    incidents: h.rows('SELECT * FROM incidents ORDER BY id'),
    steps: h.rows('SELECT * FROM incident_steps ORDER BY incident_id, step'),
    events: h.rows('SELECT * FROM events ORDER BY id'),
    heads: h.bot.store.events.allStreams().map((stream) => h.bot.store.events.head(stream)?.hash),
  };
}

/** INC-1 with a nudge, a refused click, the revocation and a note. */
async function incidentUnderWay(h: BotHarness): Promise<void> {
  await h.command('start api-server-production-v2 env=production exposed=2026-11-28T08:15:00Z how=committed to a repo');
  h.clock.advance(5 * MINUTE);
  await h.tick();
  await h.click(ActionId.incidentReview, 'INC-1');
  h.clock.advance(MINUTE);
  await h.click(ActionId.incidentRevoke, 'INC-1');
  h.clock.advance(MINUTE);
  await h.command('note INC-1 rotated the staging key too, to be safe');
}

async function resolveIt(h: BotHarness): Promise<void> {
  const submitAfterClick = async (
    actionId: string,
    callbackId: string,
    values: Parameters<BotHarness['submit']>[2],
  ) => {
    h.clock.advance(MINUTE);
    await h.click(actionId, 'INC-1');
    await h.submit(callbackId, h.lastOpenedView().private_metadata, values);
  };
  await submitAfterClick(ActionId.incidentReview, CallbackId.incidentReview, {
    [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
  });
  await submitAfterClick(ActionId.incidentSupport, CallbackId.incidentSupport, {
    [Field.contactChannel]: { [Field.contactChannel]: select('email') },
    [Field.ticketRef]: { [Field.ticketRef]: text('PK-4242') },
  });
  await submitAfterClick(ActionId.incidentRedeploy, CallbackId.incidentRedeploy, {
    [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
    [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 4812') },
  });
  await submitAfterClick(ActionId.incidentResolve, CallbackId.incidentResolve, {
    [Field.resolution]: { [Field.resolution]: select('revoked') },
    [Field.summary]: { [Field.summary]: text('Revoked within minutes; nothing unrecognised.') },
  });
}

describe('the timeline export over Slack', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('uploads, through the slash command, the very bytes the CLI prints, in every format', async () => {
    h = await BotHarness.start({ env: { DISPLAY_TIMEZONE: ZONE } });
    await incidentUnderWay(h);
    const uploaded = new Map<ExportFormatName, Buffer>();
    for (const format of EXPORT_FORMATS) {
      const reply = await h.command(`export INC-1 format=${format}`);
      expect(BotHarness.replyText(reply)).toBe(`Uploading the INC-1 timeline (${format})…`);
      const upload = h.standIn.uploads().at(-1);
      expect(upload).toMatchObject({ filename: `INC-1-timeline.${EXTENSION[format]}`, channelId: CHANNEL });
      uploaded.set(format, upload?.bytes ?? Buffer.alloc(0));
    }
    expect(h.standIn.uploads()).toHaveLength(3);
    const printed = await Promise.all(EXPORT_FORMATS.map((format) => cliExport(h, format)));
    EXPORT_FORMATS.forEach((format, index) => {
      expect(printed[index]?.equals(uploaded.get(format) ?? Buffer.alloc(0)), format).toBe(true);
    });
    const document = JSON.parse(uploaded.get('json')?.toString('utf8') ?? '');
    expect(validateTimeline(document)).toEqual([]);
    expect(document.integrity).toMatchObject({ verified: true, eventCount: 5, databaseIntegrity: 'ok' });
    expect(document.metrics).toMatchObject({ refusedAttempts: 1, nudges: 1, notes: 1, timeToRevokeMs: 6 * MINUTE });
    const comment = String(h.standIn.calls('files.completeUploadExternal').at(-1)?.args.initial_comment);
    expect(comment).toContain(`exported by <@${RESPONDER}>`);
    expect(comment).toContain('5 events, hash chain verified');
  }, 90_000);

  it('uploads the markdown timeline when the incident is resolved, after the card and the thread reply', async () => {
    h = await BotHarness.start({ env: { DISPLAY_TIMEZONE: ZONE } });
    await incidentUnderWay(h);
    expect(h.standIn.uploads()).toEqual([]);
    await resolveIt(h);
    const [upload, ...more] = h.standIn.uploads();
    expect(more).toEqual([]);
    expect(upload).toMatchObject({
      filename: 'INC-1-timeline.md',
      channelId: CHANNEL,
      title: 'INC-1 timeline (markdown)',
    });
    const markdown = upload?.bytes.toString('utf8') ?? '';
    expect(markdown).toMatch(/^# INC-1: compromised key api-server-production-v2\n/);
    expect(markdown).toContain('| Status | resolved: revoked |');
    expect(markdown).toContain('chain verified.');
    const calls = h.standIn.calls().map((call) => call.method);
    expect(calls.lastIndexOf('chat.postMessage')).toBeLessThan(calls.indexOf('files.getUploadURLExternal'));
    expect(String(h.standIn.calls('files.completeUploadExternal')[0]?.args.initial_comment)).toContain(
      'exported automatically now that it is resolved',
    );
    // A restart owes nothing more: the upload was made once.
    await h.restart();
    await h.settle();
    expect(h.standIn.uploads()).toHaveLength(1);
  });

  it('uploads the markdown timeline from the card’s Export button, once per click', async () => {
    h = await BotHarness.start();
    await incidentUnderWay(h);
    const click = await h.click(ActionId.incidentExport, 'INC-1', { actionTs: '1795856400.000100' });
    expect(click.status).toBe(200);
    expect(h.ephemeralTexts().at(-1)).toBe('Uploading the INC-1 timeline (markdown)…');
    await h.click(ActionId.incidentExport, 'INC-1', { actionTs: '1795856400.000100' }); // the same click, redelivered
    expect(h.standIn.uploads().map((u) => [u.filename, u.channelId])).toEqual([['INC-1-timeline.md', CHANNEL]]);
  });

  it('never changes the record: the event count and chain head are the same after every kind of export', async () => {
    h = await BotHarness.start();
    await incidentUnderWay(h);
    const before = record(h);
    for (const format of EXPORT_FORMATS) await h.command(`export INC-1 format=${format}`);
    await h.command('export');
    await h.click(ActionId.incidentExport, 'INC-1');
    expect(h.standIn.uploads()).toHaveLength(5);
    expect(record(h)).toEqual(before);
  });

  it('exports the channel’s open incident by default, and refuses one it cannot name or that lives elsewhere', async () => {
    h = await BotHarness.start();
    expect(BotHarness.replyText(await h.command('export'))).toContain('There is no open incident in this channel');
    await incidentUnderWay(h);
    expect(BotHarness.replyText(await h.command('export format=csv'))).toBe('Uploading the INC-1 timeline (csv)…');
    expect(BotHarness.replyText(await h.command('export INC-1', { channelId: OTHER_CHANNEL }))).toBe(
      "I can't find INC-1 in this channel.",
    );
    expect(BotHarness.replyText(await h.command('export INC-7'))).toBe("I can't find INC-7 in this channel.");
    expect(BotHarness.replyText(await h.command('export INC-1 format=pdf'))).toContain('is not a format I export');
    await h.click(ActionId.incidentExport, 'INC-1', { channelId: OTHER_CHANNEL });
    expect(h.ephemeralTexts().at(-1)).toContain("doesn't point at an incident in this channel");
    expect(h.standIn.uploads().map((u) => u.filename)).toEqual(['INC-1-timeline.csv']);
  });

  it('states a broken chain in the uploaded file and in its message, never hiding it', async () => {
    h = await BotHarness.start();
    await incidentUnderWay(h);
    h.bot.db.exec('DROP TRIGGER events_no_update');
    h.bot.db.exec(`UPDATE events SET details = '{"text":"nothing to see"}' WHERE stream = 'INC-1' AND seq = 5`);
    await h.command('export INC-1 format=json');
    const document = JSON.parse(h.standIn.uploads().at(-1)?.bytes.toString('utf8') ?? '');
    expect(document.integrity).toMatchObject({ verified: false, firstBad: { seq: 5, problem: 'hash_mismatch' } });
    expect(validateTimeline(document)).toEqual([]);
    expect(String(h.standIn.calls('files.completeUploadExternal').at(-1)?.args.initial_comment)).toContain(
      'The record does not verify:* event 5 (`hash_mismatch`)',
    );
  });
});

describe('who may export (RESPONDERS set)', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('refuses a non-responder’s export by command and by button, records the attempt, and uploads nothing', async () => {
    h = await BotHarness.start({ env: { RESPONDERS: RESPONDER } });
    await h.command('start api-server-production-v2 env=production');
    const refused = await h.command('export INC-1', { userId: BYSTANDER });
    expect(BotHarness.replyText(refused)).toMatch(/Only the incident responders may do this/);
    await h.click(ActionId.incidentExport, 'INC-1', { userId: BYSTANDER });
    expect(h.ephemeralTexts().at(-1)).toMatch(/Only the incident responders may do this/);
    expect(h.standIn.uploads()).toEqual([]);
    expect(
      h.rows("SELECT actor, json_extract(details, '$.action') AS action FROM events WHERE type = 'action_refused'"),
    ).toEqual([
      { actor: BYSTANDER, action: 'command:export' },
      { actor: BYSTANDER, action: ActionId.incidentExport },
    ]);
    expect(BotHarness.replyText(await h.command('export INC-1'))).toBe('Uploading the INC-1 timeline (markdown)…');
    expect(h.standIn.uploads()).toHaveLength(1);
  });
});
