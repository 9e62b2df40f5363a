import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSecretKeys } from '../../src/domain/key-detector';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, dateTime, select, text } from '../support/bot-harness';
import { fakeSecretKey, maskOf } from '../support/fake-keys';
import { needlesOf, wrappings } from '../support/key-wrappings';
import { eventBody, messageEvent } from '../support/payloads';
import type { SignedPostResult } from '../support/signed-request';
import { MINUTE } from '../support/test-clock';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/paykore-bot.js');

/** How many times `needle` occurs in `haystack`, byte for byte. */
function occurrences(haystack: Buffer, needle: string): number {
  const bytes = Buffer.from(needle, 'utf8');
  let count = 0;
  for (let at = haystack.indexOf(bytes); at !== -1; at = haystack.indexOf(bytes, at + 1)) count += 1;
  return count;
}

/**
 * One full run with a random canary key: pasted in a message (and redelivered), typed into the command, typed
 * into modal fields, the incident played to resolution and exported in every format, in Slack and by the CLI.
 * Then every place the bot writes is searched for the canary's body: the SQLite file and its WAL, every log
 * line, every call and answer the local Slack recorded, every uploaded file, every CLI export.
 */
describe('the secret canary', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start();
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('never writes any part of a leaked key beyond its last four characters anywhere', async () => {
    const canary = fakeSecretKey('live', 40);
    const body = canary.slice('sk_live_'.length);
    const needles = [body, body.slice(0, 20), body.slice(-20, -4)];
    expect(findSecretKeys(canary)).toHaveLength(1);
    const acks: SignedPostResult[] = [];

    // 1. Pasted in a channel, in a code span, and redelivered by Slack.
    const event = messageEvent({
      text: `deploy with \`PAYKORE_KEY=${canary}\``,
      userId: BYSTANDER,
      channelId: CHANNEL,
    });
    const envelope = eventBody({ event, eventId: 'Ev0CANARY001' });
    acks.push(await h.post(envelope, { contentType: 'application/json' }));
    acks.push(
      await h.post(envelope, {
        contentType: 'application/json',
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    );
    await h.settle();
    const warning = h.standIn.calls('chat.postMessage').find((call) => call.args.thread_ts === event.ts);
    expect(String(warning?.args.text)).toContain(maskOf(canary));

    // 2. Typed into the command, as a key label and as a note.
    acks.push(await h.command(`start ${canary} env=production`));
    acks.push(await h.command(`note the key was ${canary}`));
    expect(BotHarness.replyText(acks.at(-1)!)).toContain('now exposed in Slack');

    // 3. The incident, opened from the warning.
    h.clock.advance(2 * MINUTE);
    acks.push(await h.click(ActionId.leakOpenIncident, 'LEAK-1'));
    expect(h.bot.incidents.get(1)?.exposureStart).not.toBeNull();

    // 4. Typed into modal fields: the declare form, a note, the review notes.
    acks.push(await h.command(''));
    const declared = await h.submit(CallbackId.incidentDeclare, h.lastOpenedView().private_metadata, {
      [Field.keyLabel]: { [Field.keyLabel]: text(canary) },
      [Field.environment]: { [Field.environment]: select('production') },
      [Field.exposureStart]: { [Field.exposureStart]: dateTime(null) },
      [Field.revokedAt]: { [Field.revokedAt]: dateTime(null) },
      [Field.how]: { [Field.how]: text(`in a gist: ${canary}`) },
    });
    acks.push(declared);
    expect(Object.keys((declared.json as { errors: object }).errors)).toEqual([Field.keyLabel, Field.how]);
    await h.click(ActionId.incidentNote, 'INC-1');
    acks.push(
      await h.submit(CallbackId.incidentNote, h.lastOpenedView().private_metadata, {
        [Field.noteText]: { [Field.noteText]: text(`for the record it was ${canary}`) },
      }),
    );

    // 5. The playbook to resolution, with the canary tried once more in the review notes.
    acks.push(await h.click(ActionId.incidentRevoke, 'INC-1'));
    await h.click(ActionId.incidentReview, 'INC-1');
    const review = h.lastOpenedView().private_metadata;
    const reviewValues = (notes: string) => ({
      [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
      [Field.transactionIds]: { [Field.transactionIds]: text('') },
      [Field.notes]: { [Field.notes]: text(notes) },
    });
    acks.push(await h.submit(CallbackId.incidentReview, review, reviewValues(`checked with ${canary}`)));
    acks.push(await h.submit(CallbackId.incidentReview, review, reviewValues('nothing unusual')));
    await h.click(ActionId.incidentSupport, 'INC-1');
    await h.submit(CallbackId.incidentSupport, h.lastOpenedView().private_metadata, {
      [Field.contactChannel]: { [Field.contactChannel]: select('email') },
      [Field.ticketRef]: { [Field.ticketRef]: text('PK-77') },
    });
    await h.click(ActionId.incidentRedeploy, 'INC-1');
    await h.submit(CallbackId.incidentRedeploy, h.lastOpenedView().private_metadata, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
      [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 9') },
    });
    await h.click(ActionId.incidentResolve, 'INC-1');
    await h.submit(CallbackId.incidentResolve, h.lastOpenedView().private_metadata, {
      [Field.resolution]: { [Field.resolution]: select('revoked') },
      [Field.summary]: { [Field.summary]: text('revoked two minutes after the warning') },
    });
    expect(h.bot.incidents.get(1)?.status).toBe('resolved');

    // 6. Exported in every format, in Slack and by the CLI (the same bytes).
    for (const format of ['markdown', 'csv', 'json']) acks.push(await h.command(`export INC-1 format=${format}`));
    await h.settle();
    expect(h.standIn.uploads().length).toBeGreaterThanOrEqual(3);
    const cliExports = await Promise.all(
      ['markdown', 'csv', 'json'].map(async (format) => {
        const run = await promisify(execFile)('node', [bin, 'export', 'INC-1', '--format', format], {
          cwd: h.dir,
          env: { PATH: process.env.PATH ?? '', HOME: h.dir, DATABASE_PATH: h.dbPath },
          encoding: 'utf8',
        });
        return run.stdout;
      }),
    );
    expect(cliExports[2]).toContain(maskOf(canary));

    // Every place the bot writes.
    const wal = `${h.dbPath}-wal`;
    const places = {
      database: readFileSync(h.dbPath),
      wal: existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0),
      logs: Buffer.from(h.logLines.join('\n')),
      slackCalls: Buffer.from(JSON.stringify(h.standIn.calls())),
      slackResponses: Buffer.from(JSON.stringify(h.standIn.responses())),
      uploads: Buffer.concat(h.standIn.uploads().map((upload) => upload.bytes)),
      acks: Buffer.from(acks.map((ack) => ack.body).join('\n')),
      cliExports: Buffer.from(cliExports.join('\n')),
    };
    // The record is there (so the search looked at something), only never the key.
    expect(places.wal.length + places.database.length).toBeGreaterThan(0);
    expect(occurrences(places.logs, 'secret key seen in a channel message')).toBe(1);
    expect(occurrences(places.slackCalls, maskOf(canary))).toBeGreaterThan(0);
    const found = Object.entries(places).flatMap(([place, bytes]) =>
      needles.map((needle) => ({ place, needle: needle.length, count: occurrences(bytes, needle) })),
    );
    expect(found.filter((f) => f.count > 0)).toEqual([]);

    // And once more after a checkpoint has moved the WAL into the database file.
    h.bot.db.pragma('wal_checkpoint(TRUNCATE)');
    const checkpointed = readFileSync(h.dbPath);
    expect(needles.map((needle) => occurrences(checkpointed, needle))).toEqual([0, 0, 0]);
  }, 90_000);

  it('never writes a key in any wrapping, through any input: messages of every kind, the command, every form field', async () => {
    await h.close();
    h = await BotHarness.start({ env: { LOG_LEVEL: 'debug' } });
    // One fresh key per wrapping and per input, so a find names exactly which path and wrapping leaked.
    const keys: { key: string; where: string }[] = [];
    const wrapped = (where: string) =>
      wrappings('sk_live_x')
        .map(({ name }, i) => {
          const key = fakeSecretKey(i % 2 === 0 ? 'live' : 'test', 30);
          keys.push({ key, where: `${where} / ${name}` });
          return wrappings(key)[i]!.text;
        })
        .join(' ; ');
    const acks: SignedPostResult[] = [];
    let eventNo = 0;
    const deliver = async (event: Record<string, unknown>) => {
      eventNo += 1;
      acks.push(
        await h.post(
          eventBody({ event: { ...event, type: 'message' }, eventId: `Ev0WRAP${String(eventNo).padStart(4, '0')}` }),
          {
            contentType: 'application/json',
          },
        ),
      );
    };

    // 1. Every kind of message the bot reads.
    const plain = messageEvent({ text: wrapped('message'), userId: BYSTANDER, channelId: CHANNEL });
    await deliver(plain);
    const editTs = `${plain.ts as string}1`;
    await deliver({
      type: 'message',
      subtype: 'message_changed',
      channel: CHANNEL,
      ts: editTs,
      event_ts: editTs,
      hidden: true,
      message: {
        type: 'message',
        user: BYSTANDER,
        text: wrapped('message edit'),
        ts: plain.ts,
        edited: { user: BYSTANDER, ts: editTs },
      },
      previous_message: { type: 'message', user: BYSTANDER, text: 'before', ts: plain.ts },
    });
    for (const subtype of ['thread_broadcast', 'me_message', 'channel_topic', 'channel_purpose']) {
      const base = messageEvent({ text: '', userId: BYSTANDER, channelId: CHANNEL });
      const text = wrapped(subtype);
      const extra =
        subtype === 'channel_topic' ? { topic: text } : subtype === 'channel_purpose' ? { purpose: text } : {};
      await deliver({
        ...base,
        subtype,
        text: `set it to: ${text}`,
        ...extra,
        ...(subtype === 'thread_broadcast' ? { thread_ts: plain.ts } : {}),
      });
    }
    const botMessage = messageEvent({ text: '', userId: BYSTANDER, channelId: CHANNEL });
    await deliver({
      ...botMessage,
      user: undefined,
      subtype: 'bot_message',
      bot_id: 'B0OTHER001',
      text: wrapped('bot message'),
    });
    const blocksMessage = messageEvent({ text: 'see below', userId: BYSTANDER, channelId: CHANNEL });
    await deliver({
      ...blocksMessage,
      blocks: [
        {
          type: 'rich_text',
          elements: [{ type: 'rich_text_preformatted', elements: [{ type: 'text', text: wrapped('message blocks') }] }],
        },
      ],
      attachments: [{ fallback: wrapped('message attachment'), text: wrapped('message attachment text') }],
    });
    const snippet = h.standIn.shareFile('deploy.log', wrapped('shared text file'));
    const fileMessage = messageEvent({ text: 'the deploy log', userId: BYSTANDER, channelId: CHANNEL });
    await deliver({ ...fileMessage, subtype: 'file_share', files: [snippet] });
    await h.settle();
    expect(h.standIn.fileDownloads()).toEqual([{ fileId: snippet.id, authorized: true }]);
    const warned = h.standIn.calls('chat.postMessage').filter((call) => typeof call.args.thread_ts === 'string');
    // Each message kind got its warning (the edit of a warned message and redeliveries stay quiet).
    expect(warned.length).toBeGreaterThanOrEqual(8);

    // 2. The command: as the key label, in how=, as a note, as a register label.
    acks.push(await h.command(`start ${wrapped('command label')} env=production how=${wrapped('command how')}`));
    acks.push(await h.command(`note ${wrapped('command note')}`));
    acks.push(await h.command(`keys add ${wrapped('command keys add')} env=production`));

    // 3. Every text field of every form, on an incident opened from the first warning.
    acks.push(await h.click(ActionId.leakOpenIncident, 'LEAK-1'));
    acks.push(await h.command(''));
    acks.push(
      await h.submit(CallbackId.incidentDeclare, h.lastOpenedView().private_metadata, {
        [Field.keyLabel]: { [Field.keyLabel]: text(wrapped('declare label')) },
        [Field.environment]: { [Field.environment]: select('production') },
        [Field.exposureStart]: { [Field.exposureStart]: dateTime(null) },
        [Field.revokedAt]: { [Field.revokedAt]: dateTime(null) },
        [Field.how]: { [Field.how]: text(wrapped('declare how')) },
      }),
    );
    await h.click(ActionId.incidentNote, 'INC-1');
    acks.push(
      await h.submit(CallbackId.incidentNote, h.lastOpenedView().private_metadata, {
        [Field.noteText]: { [Field.noteText]: text(wrapped('note form')) },
      }),
    );
    await h.click(ActionId.incidentRevoke, 'INC-1');
    await h.click(ActionId.incidentReview, 'INC-1');
    acks.push(
      await h.submit(CallbackId.incidentReview, h.lastOpenedView().private_metadata, {
        [Field.reviewOutcome]: { [Field.reviewOutcome]: select('suspicious_found') },
        [Field.transactionIds]: { [Field.transactionIds]: text(wrapped('review transaction ids')) },
        [Field.notes]: { [Field.notes]: text(wrapped('review notes')) },
      }),
    );
    await h.submit(CallbackId.incidentReview, h.lastOpenedView().private_metadata, {
      [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
      [Field.transactionIds]: { [Field.transactionIds]: text('') },
      [Field.notes]: { [Field.notes]: text('ok') },
    });
    await h.click(ActionId.incidentSupport, 'INC-1');
    const support = h.lastOpenedView().private_metadata;
    acks.push(
      await h.submit(CallbackId.incidentSupport, support, {
        [Field.contactChannel]: { [Field.contactChannel]: select('email') },
        [Field.ticketRef]: { [Field.ticketRef]: text(wrapped('support ticket')) },
      }),
    );
    await h.submit(CallbackId.incidentSupport, support, {
      [Field.contactChannel]: { [Field.contactChannel]: select('email') },
      [Field.ticketRef]: { [Field.ticketRef]: text('PK-1') },
    });
    await h.click(ActionId.incidentRedeploy, 'INC-1');
    const redeploy = h.lastOpenedView().private_metadata;
    acks.push(
      await h.submit(CallbackId.incidentRedeploy, redeploy, {
        [Field.newKeyLabel]: { [Field.newKeyLabel]: text(wrapped('redeploy label')) },
        [Field.deploymentRef]: { [Field.deploymentRef]: text(wrapped('redeploy ref')) },
      }),
    );
    await h.submit(CallbackId.incidentRedeploy, redeploy, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-v4') },
      [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy 10') },
    });
    await h.click(ActionId.incidentResolve, 'INC-1');
    const resolve = h.lastOpenedView().private_metadata;
    acks.push(
      await h.submit(CallbackId.incidentResolve, resolve, {
        [Field.resolution]: { [Field.resolution]: select('revoked') },
        [Field.summary]: { [Field.summary]: text(wrapped('resolve summary')) },
      }),
    );
    await h.submit(CallbackId.incidentResolve, resolve, {
      [Field.resolution]: { [Field.resolution]: select('revoked') },
      [Field.summary]: { [Field.summary]: text('done') },
    });
    expect(h.bot.incidents.get(1)?.status).toBe('resolved');
    for (const format of ['markdown', 'csv', 'json']) acks.push(await h.command(`export INC-1 format=${format}`));
    await h.settle();

    h.bot.db.pragma('wal_checkpoint(PASSIVE)');
    const wal = `${h.dbPath}-wal`;
    const places = {
      database: readFileSync(h.dbPath),
      wal: existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0),
      debugLogs: Buffer.from(h.logLines.join('\n')),
      slackCalls: Buffer.from(JSON.stringify(h.standIn.calls())),
      slackResponses: Buffer.from(JSON.stringify(h.standIn.responses())),
      uploads: Buffer.concat(h.standIn.uploads().map((upload) => upload.bytes)),
      acks: Buffer.from(acks.map((ack) => ack.body).join('\n')),
    };
    expect(h.logLines.some((line) => line.includes('"level":20') || line.includes('"debug"'))).toBe(true);
    expect(h.standIn.uploads().length).toBeGreaterThanOrEqual(3);
    const found = Object.entries(places).flatMap(([place, bytes]) =>
      keys.flatMap(({ key, where }) =>
        needlesOf(key).map((needle) => ({ place, where, count: occurrences(bytes, needle) })),
      ),
    );
    expect(found.filter((f) => f.count > 0)).toEqual([]);
  }, 180_000);

  it('finds the canary when it is there (the search itself works)', () => {
    const canary = fakeSecretKey();
    const bytes = Buffer.from(`x${canary}y${canary}`);
    expect(occurrences(bytes, canary.slice(8))).toBe(2);
    expect(occurrences(bytes, canary.slice(8, 28))).toBe(2);
  });
});
