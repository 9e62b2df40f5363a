import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL, text } from '../support/bot-harness';
import { fakeSecretKey, maskOf, randomBase62 } from '../support/fake-keys';
import { eventBody, messageEvent } from '../support/payloads';
import { type StandIn, startSlackStandIn } from '../support/slack-stand-in';
import { TRANSPORTS, type Transport } from '../support/transport';
import { playCompromiseIncident } from './scenarios/compromise-playbook';

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

/** Tokens shaped like real ones (Slack's formats), made fresh each run: nothing here could ever be valid. */
function realLookingSecrets() {
  return {
    botToken: `xoxb-${digits(12)}-${digits(13)}-${randomBase62(24)}`,
    appToken: `xapp-1-A0APP0001-${digits(13)}-${randomBytes(32).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
    canary: fakeSecretKey('live', 32),
  };
}

/** Counts what Slack delivered, so the log can be held to one line per request. */
function countDeliveries(transport: Transport): () => number {
  let count = 0;
  const mutable = transport as { -readonly [K in keyof Transport]: Transport[K] };
  for (const method of ['command', 'interactive', 'event'] as const) {
    const original = transport[method].bind(transport) as (...args: unknown[]) => ReturnType<Transport[typeof method]>;
    mutable[method] = ((...args: unknown[]) => {
      count += 1;
      return original(...args);
    }) as never;
  }
  return () => count;
}

describe.each(TRANSPORTS)('logs over %s, at LOG_LEVEL=debug', (transport) => {
  let h: BotHarness;
  let standIn: StandIn;
  const secrets = realLookingSecrets();

  beforeEach(async () => {
    standIn = await startSlackStandIn({ token: secrets.botToken, appToken: secrets.appToken });
    h = await BotHarness.start({
      transport,
      standIn,
      env: {
        SLACK_BOT_TOKEN: secrets.botToken,
        SLACK_APP_TOKEN: secrets.appToken,
        SLACK_SIGNING_SECRET: secrets.signingSecret,
        LOG_LEVEL: 'debug',
      },
    });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    expect(h.socket?.violations() ?? []).toEqual([]);
    await h.close();
    await standIn.close();
  });

  it('carry a full incident with a pasted key and real-looking tokens without any of them, one line per request', async () => {
    const delivered = countDeliveries(h.transport);
    await playCompromiseIncident(h);

    // The key, pasted where people paste things: a channel message, the command, a form.
    await h.event(
      eventBody({
        event: messageEvent({ text: `prod key: ${secrets.canary}`, userId: BYSTANDER, channelId: CHANNEL }),
      }),
    );
    await h.command(`note INC-1 the old key was ${secrets.canary}`);
    await h.command(`start ${secrets.canary} env=production how=found ${secrets.canary} in a gist`);
    const refused = await h.submit(CallbackId.incidentNote, JSON.stringify({ incidentId: 1, channelId: CHANNEL }), {
      [Field.noteText]: { [Field.noteText]: text(`rotated from ${secrets.canary}`) },
    });
    expect((refused.json as { response_action?: string } | undefined)?.response_action).toBe('errors');

    const body = secrets.canary.slice('sk_live_'.length);
    const forbidden = {
      ...secrets,
      canaryBody: body.slice(0, 24),
      canaryMiddle: body.slice(8, -4),
      botTokenSecretPart: secrets.botToken.split('-').at(-1) ?? '',
      appTokenSecretPart: secrets.appToken.split('-').at(-1) ?? '',
    };
    const lines = h.logLines;
    expect(lines.length).toBeGreaterThan(50);
    for (const [name, value] of Object.entries(forbidden)) {
      expect(
        lines.filter((line) => line.includes(value)),
        `${name} must not be logged`,
      ).toEqual([]);
    }
    // Not vacuous: the debug lines did see the key, masked to its last four characters.
    expect(lines.some((line) => line.includes(maskOf(secrets.canary)))).toBe(true);

    // One line per request Slack sent: what it was, how long it took, how it ended.
    const requestLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => typeof entry.outcome === 'string');
    expect(requestLines).toHaveLength(delivered());
    expect(requestLines.map((entry) => `${entry.request} ${entry.id} ${entry.outcome}`).slice(0, 4)).toEqual([
      'command /paykore-incident start ok',
      'action incident_revoke ok',
      'action incident_review ok',
      'view incident_review_submit ok',
    ]);
    for (const entry of requestLines) {
      expect(entry).toMatchObject({ durationMs: expect.any(Number), user: expect.stringMatching(/^U0/) });
    }
    expect(requestLines.find((entry) => entry.request === 'event')).toMatchObject({
      id: 'message',
      channel: CHANNEL,
      outcome: 'ok',
    });
  });
});
