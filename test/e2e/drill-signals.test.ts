import { afterEach, describe, expect, it } from 'vitest';
import { ActionId } from '../../src/slack/ids';
import { BotHarness, RESPONDER, T0 } from '../support/bot-harness';
import { HOUR, MINUTE } from '../support/test-clock';

const TOKEN = 'signals-token-0123456789abcdef';
const SIGNALS_CHANNEL = 'C0SIGNALS01';
const KEY_CHANNEL = 'C0PAYMENTS1';
const DRILL_CHANNEL = 'C0DRILLS001';
const LABEL = 'api-server-production';
const iso = (ms: number) => new Date(ms).toISOString();

describe('a drill on a real key label', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('never takes in a real rate-limit spike: the spike gets its own warning with the incident button', async () => {
    h = await BotHarness.start({
      env: { SIGNALS_TOKEN: TOKEN, SIGNALS_CHANNEL, RESPONDERS: RESPONDER },
      transport: 'http',
    });
    await h.command(`keys add ${LABEL} env=production channel=<#${KEY_CHANNEL}|payments>`);
    await h.settle();
    // The team rehearses the playbook on their production key's name, in a practice channel.
    const reply = await h.command(`drill ${LABEL}`, { channelId: DRILL_CHANNEL });
    expect(BotHarness.replyText(reply)).toMatch(/^DRILL INC-1 started/);

    const post = async (body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${h.bot.port()}/signals/rate-limits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(body),
      });
      await h.settle();
      return r.status;
    };
    const from = T0 - 2 * HOUR;
    h.clock.set(from + 90 * MINUTE);
    expect(
      await post(
        Array.from({ length: 90 }, (_, i) => ({ key: LABEL, at: iso(from + i * MINUTE), count: 0, windowSeconds: 60 })),
      ),
    ).toBe(202);
    const spikeAt = from + 90 * MINUTE;
    h.clock.set(spikeAt + 2 * MINUTE);
    expect(
      await post([0, 1].map((i) => ({ key: LABEL, at: iso(spikeAt + i * MINUTE), count: 300, windowSeconds: 60 }))),
    ).toBe(202);

    const spikes = h.rows('SELECT id, channel_id, routed_incident_id FROM signal_spikes');
    const warnings = h.standIn
      .calls('chat.postMessage')
      .filter((c) => JSON.stringify(c.args.blocks ?? []).includes(ActionId.signalOpenIncident));
    const drillTimeline = (h.rows("SELECT type FROM events WHERE stream = 'INC-1'") as { type: string }[]).map(
      (e) => e.type,
    );
    // A real spike must not be filed in a practice incident ...
    expect(drillTimeline).not.toContain('rate_limit_spike');
    // ... and must produce the one-click warning in the key's channel.
    expect(warnings.map((w) => w.args.channel)).toContain(KEY_CHANNEL);
    expect(spikes).toEqual([expect.objectContaining({ channel_id: KEY_CHANNEL, routed_incident_id: null })]);
  });
});
