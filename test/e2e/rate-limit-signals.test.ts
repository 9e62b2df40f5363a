import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, RESPONDER, T0, text } from '../support/bot-harness';
import { fakeSecretKey, maskOf } from '../support/fake-keys';
import { HOUR, MINUTE } from '../support/test-clock';

const TOKEN = 'signals-token-0123456789abcdef';
const SIGNALS_CHANNEL = 'C0SIGNALS01';
const KEY_CHANNEL = 'C0PAYMENTS1';
const HMAC_SECRET = 'grafana-hmac-secret-42';
const LABEL = 'api-server-production';

type Json = Record<string, unknown>;
const iso = (ms: number) => new Date(ms).toISOString();

/** An Alertmanager webhook (version 4) as its documentation shows it, with one alert. */
function alertmanagerBody(alert: {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  startsAt: number;
  endsAt?: number;
  fingerprint: string;
}): Json {
  const labels = { alertname: 'PayKoreRateLimitSpike', severity: 'page', ...alert.labels };
  return {
    version: '4',
    groupKey: '{}:{alertname="PayKoreRateLimitSpike"}',
    truncatedAlerts: 0,
    status: alert.status,
    receiver: 'paykore-bot',
    groupLabels: { alertname: 'PayKoreRateLimitSpike' },
    commonLabels: labels,
    commonAnnotations: { summary: '429s on the production key' },
    externalURL: 'http://alertmanager.internal:9093',
    alerts: [
      {
        status: alert.status,
        labels,
        annotations: { summary: '429s on the production key', description: 'RATE_LIMIT_EXCEEDED above normal' },
        // Alertmanager writes nanoseconds, and year 1 for "still firing".
        startsAt: `${iso(alert.startsAt).slice(0, -1)}123456Z`,
        endsAt: alert.endsAt === undefined ? '0001-01-01T00:00:00Z' : iso(alert.endsAt),
        generatorURL: 'http://prometheus.internal:9090/graph?g0.expr=paykore_429',
        fingerprint: alert.fingerprint,
      },
    ],
  };
}

/** A Grafana alerting webhook: Alertmanager's shape plus orgId, values, title, state, message … */
function grafanaBody(alert: { status: 'firing' | 'resolved'; labels: Record<string, string>; startsAt: number }): Json {
  const labels = { alertname: 'PayKore 429 spike', grafana_folder: 'Payments', ...alert.labels };
  return {
    receiver: 'paykore-bot',
    status: alert.status,
    orgId: 1,
    alerts: [
      {
        status: alert.status,
        labels,
        annotations: { summary: 'PayKore 429s above normal' },
        startsAt: iso(alert.startsAt),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'https://grafana.internal/alerting/grafana/abc/view',
        fingerprint: '57c6d9296de2ad39',
        silenceURL: 'https://grafana.internal/alerting/silence/new',
        dashboardURL: '',
        panelURL: '',
        values: { B: 184, C: 1 },
        valueString: "[ var='B' labels={} value=184 ], [ var='C' labels={} value=1 ]",
      },
    ],
    groupLabels: { alertname: 'PayKore 429 spike' },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'https://grafana.internal/',
    version: '1',
    groupKey: '{}:{alertname="PayKore 429 spike"}',
    truncatedAlerts: 0,
    title: '[FIRING:1] PayKore 429 spike Payments',
    state: 'alerting',
    message: '**Firing**',
  };
}

interface Posted {
  status: number;
  json: Json;
}

describe('rate-limit signals, end to end on a real port', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  async function start(env: Record<string, string> = {}, transport: 'http' | 'socket' = 'http') {
    h = await BotHarness.start({
      env: { SIGNALS_TOKEN: TOKEN, SIGNALS_CHANNEL, RESPONDERS: RESPONDER, ...env },
      transport,
    });
  }

  async function post(
    path: string,
    body: string | unknown,
    headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
  ): Promise<Posted> {
    const response = await fetch(`http://127.0.0.1:${h.bot.port()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const raw = await response.text();
    await h.settle();
    return { status: response.status, json: raw ? (JSON.parse(raw) as Json) : {} };
  }

  const counts = (items: unknown) => post('/signals/rate-limits', items);
  const alerts = (body: unknown) => post('/signals/alertmanager', body);

  /** One window a minute for `minutes`, from `from`, each `count(i)` 429s. */
  async function stream(from: number, minutes: number, count: (i: number) => number, key = LABEL) {
    const batch = Array.from({ length: minutes }, (_, i) => ({
      key,
      at: iso(from + i * MINUTE),
      count: count(i),
      total: 5000,
      windowSeconds: 60,
    }));
    h.clock.set(from + minutes * MINUTE);
    const answer = await counts(batch);
    expect(answer.status).toBe(202);
    return answer;
  }

  const warnings = (channel?: string) =>
    h.standIn
      .calls('chat.postMessage')
      .filter((call) => JSON.stringify(call.args.blocks ?? []).includes(ActionId.signalOpenIncident))
      .filter((call) => channel === undefined || call.args.channel === channel);
  const updates = () => h.standIn.calls('chat.update').filter((c) => String(c.args.text).includes('429'));
  const signalEvents = () =>
    h.rows("SELECT type, details FROM events WHERE stream = 'SIGNALS' ORDER BY seq") as {
      type: string;
      details: string;
    }[];

  function counted(): Record<string, number> {
    const n = (sql: string) => (h.rows(sql)[0] as { n: number }).n;
    return {
      windows: n('SELECT count(*) AS n FROM signal_windows'),
      keys: n('SELECT count(*) AS n FROM signal_keys'),
      spikes: n('SELECT count(*) AS n FROM signal_spikes'),
      events: n('SELECT count(*) AS n FROM events'),
      leaks: n('SELECT count(*) AS n FROM leaks'),
      outbox: n('SELECT count(*) AS n FROM outbox'),
    };
  }

  async function registerKey(extra = '') {
    const answer = await h.command(`keys add ${LABEL} env=production channel=<#${KEY_CHANNEL}|payments> ${extra}`);
    expect(BotHarness.replyText(answer)).toContain(LABEL);
  }

  it('steady traffic and a slow rise post nothing; a spike posts one warning; back to normal updates it', async () => {
    await start();
    await registerKey();
    const from = T0 - 3 * HOUR;
    await stream(from, 120, (i) => i % 3); // two hours of steady 0-2 429s a minute
    await stream(from + 120 * MINUTE, 40, (i) => 2 + Math.floor(i / 4)); // a slow rise to 11 a minute
    expect(warnings()).toEqual([]);

    const spikeAt = from + 160 * MINUTE;
    await stream(spikeAt, 5, () => 240); // five minutes far above normal
    expect(warnings()).toHaveLength(1);
    const [warning] = warnings();
    expect(warning?.args.channel).toBe(KEY_CHANNEL); // the key's own channel from the register
    const shown = JSON.stringify(warning?.args.blocks);
    expect(shown).toContain(LABEL);
    expect(shown).toContain('production');
    expect(shown).toContain('240 × 429 in 1 min');
    expect(shown).toContain('investigate now; when in doubt, revoke first');
    expect(shown).toContain(`<!date^${Math.floor(spikeAt / 1000)}^`);
    expect(shown).toContain(ActionId.signalDismiss);

    // The same windows sent again change nothing; more spike windows do not warn again.
    const before = counted();
    const replay = await counts(
      Array.from({ length: 5 }, (_, i) => ({ key: LABEL, at: iso(spikeAt + i * MINUTE), count: 240 })),
    );
    expect(replay.json).toMatchObject({ accepted: 0, duplicates: 5 });
    expect(counted()).toEqual(before);
    await stream(spikeAt + 5 * MINUTE, 3, () => 260);
    expect(warnings()).toHaveLength(1);

    const normalAt = spikeAt + 8 * MINUTE;
    await stream(normalAt, 1, () => 1);
    expect(updates()).toHaveLength(1);
    const updated = JSON.stringify(updates()[0]?.args.blocks);
    expect(updated).toContain('Back to normal');
    expect(updated).toContain(`<!date^${Math.floor(normalAt / 1000)}^`);
    expect(signalEvents().map((e) => e.type)).toEqual(['signal_spike_detected', 'signal_spike_ended']);
  });

  it('opens an incident from the warning whose exposure starts at the spike, carrying the signal to the export', async () => {
    await start();
    await registerKey();
    const from = T0 - 2 * HOUR;
    await stream(from, 90, () => 0);
    const spikeAt = from + 90 * MINUTE;
    await stream(spikeAt, 2, () => 55);
    const value = JSON.stringify(warnings()[0]?.args.blocks).match(/"value":"(SIG-\d+)"/)?.[1];
    expect(value).toBe('SIG-1');

    h.clock.advance(3 * MINUTE);
    await h.click(ActionId.signalOpenIncident, 'SIG-1', { userId: BYSTANDER, channelId: KEY_CHANNEL });
    const incident = h.rows('SELECT * FROM incidents')[0] as Json;
    expect(incident).toMatchObject({
      key_label: LABEL,
      environment: 'production',
      exposure_start: spikeAt,
      channel_id: KEY_CHANNEL,
      opened_by: BYSTANDER,
    });
    expect(h.ephemeralTexts().at(-1)).toContain('Opened INC-1');
    const opening = h.rows("SELECT details FROM events WHERE stream = 'INC-1' AND seq = 1")[0] as { details: string };
    expect(JSON.parse(opening.details).origin).toMatchObject({ signal: 'SIG-1', spikeStartedAt: spikeAt, count: 55 });
    // The warning loses its buttons and says what became of it.
    const redrawn = JSON.stringify(updates().at(-1)?.args.blocks);
    expect(redrawn).toContain('INC-1 opened');
    expect(redrawn).not.toContain(ActionId.signalOpenIncident);

    // A second click, from anyone, opens nothing more.
    await h.click(ActionId.signalOpenIncident, 'SIG-1', { channelId: KEY_CHANNEL });
    expect(h.rows('SELECT id FROM incidents')).toHaveLength(1);

    // The export carries the signal in the opening event.
    await h.command('export INC-1 format=json', { channelId: KEY_CHANNEL });
    const file = h.standIn.uploads().at(-1);
    const exported = JSON.parse(file?.bytes.toString('utf8') ?? '{}') as { events: Json[] };
    expect(JSON.stringify(exported.events[0])).toContain('SIG-1');

    // A new spike on the key while INC-1 is open goes into its thread and timeline, not a new warning.
    await stream(spikeAt + 2 * MINUTE, 1, () => 0);
    await stream(spikeAt + 3 * MINUTE, 1, () => 70);
    expect(warnings()).toHaveLength(1);
    const timeline = h.rows("SELECT type FROM events WHERE stream = 'INC-1'") as { type: string }[];
    expect(timeline.map((e) => e.type)).toContain('rate_limit_spike');
    const threadReplies = h.standIn
      .calls('chat.postMessage')
      .filter((c) => c.args.thread_ts && c.args.channel === KEY_CHANNEL);
    expect(
      threadReplies.some((c) => String(c.args.text).includes('Rate-limit spike on this key (SIG-2): 70 × 429')),
    ).toBe(true);
  });

  it('takes Alertmanager and Grafana bodies: one warning per alert, deduplicated, updated when resolved', async () => {
    await start();
    await registerKey('last4=Q2x9 mode=live');
    const startsAt = T0 - 5 * MINUTE;
    const firing = alertmanagerBody({
      status: 'firing',
      labels: { paykore_key: LABEL },
      startsAt,
      fingerprint: 'c6fa0e1d2b3a4f56',
    });
    expect((await alerts(firing)).status).toBe(202);
    expect((await alerts(firing)).json).toMatchObject({ accepted: 0, duplicates: 1 }); // Alertmanager repeats itself
    expect(warnings()).toHaveLength(1);
    expect(JSON.stringify(warnings()[0]?.args.blocks)).toContain('Alertmanager alert `PayKoreRateLimitSpike` firing');

    h.clock.advance(10 * MINUTE);
    const endsAt = T0 + 4 * MINUTE;
    await alerts(
      alertmanagerBody({
        status: 'resolved',
        labels: { paykore_key: LABEL },
        startsAt,
        endsAt,
        fingerprint: 'c6fa0e1d2b3a4f56',
      }),
    );
    expect(updates()).toHaveLength(1);
    expect(JSON.stringify(updates()[0]?.args.blocks)).toContain(`Alert resolved <!date^${Math.floor(endsAt / 1000)}^`);

    // Grafana names the key by mode and last four; the register knows it by those.
    const grafana = grafanaBody({
      status: 'firing',
      labels: { paykore_key_last4: 'Q2x9', paykore_key_mode: 'live' },
      startsAt: T0,
    });
    expect((await alerts(grafana)).status).toBe(202);
    expect(warnings()).toHaveLength(2);
    const shown = JSON.stringify(warnings()[1]?.args.blocks);
    expect(shown).toContain(LABEL);
    expect(shown).toContain('Grafana alert `PayKore 429 spike` firing at 184');
    const spikes = h.rows('SELECT source, key_label, started_at FROM signal_spikes ORDER BY id');
    expect(spikes).toEqual([
      { source: 'alertmanager', key_label: LABEL, started_at: startsAt },
      { source: 'grafana', key_label: LABEL, started_at: T0 },
    ]);
  });

  it('warns about an unknown key label, saying how to register it, in SIGNALS_CHANNEL', async () => {
    await start();
    await alerts(
      alertmanagerBody({
        status: 'firing',
        labels: { paykore_key: 'billing-worker' },
        startsAt: T0,
        fingerprint: 'f1',
      }),
    );
    const [warning] = warnings();
    expect(warning?.args.channel).toBe(SIGNALS_CHANNEL);
    const shown = JSON.stringify(warning?.args.blocks);
    expect(shown).toContain('is not in the key register');
    expect(shown).toContain('/paykore-incident keys add billing-worker env=production');
  });

  it('lets a responder dismiss a spike with a reason; refuses and records a non-responder', async () => {
    await start();
    await alerts(
      alertmanagerBody({ status: 'firing', labels: { paykore_key: LABEL }, startsAt: T0, fingerprint: 'd1' }),
    );
    await h.click(ActionId.signalDismiss, 'SIG-1', { userId: BYSTANDER, channelId: SIGNALS_CHANNEL });
    expect(h.ephemeralTexts().at(-1)).toContain('Only the incident responders');
    const refused = signalEvents().filter((e) => e.type === 'action_refused');
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0]!.details)).toMatchObject({ action: ActionId.signalDismiss, code: 'not_a_responder' });

    await h.click(ActionId.signalDismiss, 'SIG-1', { channelId: SIGNALS_CHANNEL });
    const view = h.lastOpenedView();
    expect(view.callback_id).toBe(CallbackId.signalDismiss);
    // A forged submission from a bystander is refused before anything is written.
    const forged = await h.submit(
      view.callback_id,
      view.private_metadata,
      {
        [Field.dismissReason]: { [Field.dismissReason]: text('trust me') },
      },
      { userId: BYSTANDER },
    );
    expect(JSON.stringify(forged.json)).toContain('errors');
    expect(h.rows('SELECT dismissed_at FROM signal_spikes')).toEqual([{ dismissed_at: null }]);

    await h.submit(view.callback_id, view.private_metadata, {
      [Field.dismissReason]: { [Field.dismissReason]: text('load test against staging') },
    });
    expect(h.rows('SELECT dismissed_by, dismiss_reason FROM signal_spikes')).toEqual([
      { dismissed_by: RESPONDER, dismiss_reason: 'load test against staging' },
    ]);
    expect(signalEvents().map((e) => e.type)).toContain('signal_dismissed');
    expect(JSON.stringify(updates().at(-1)?.args.blocks)).toContain('load test against staging');
    // Once dismissed, the open-incident button (from a stale copy of the message) opens nothing.
    await h.click(ActionId.signalOpenIncident, 'SIG-1', { channelId: SIGNALS_CHANNEL });
    expect(h.rows('SELECT id FROM incidents')).toEqual([]);
  });

  it('treats forged buttons and forms as unknown: another channel, a made-up number, an edited form', async () => {
    await start();
    await alerts(
      alertmanagerBody({ status: 'firing', labels: { paykore_key: LABEL }, startsAt: T0, fingerprint: 'f9' }),
    );
    const before = counted();
    for (const [value, channelId] of [
      ['SIG-1', 'C0ELSEWHERE'],
      ['SIG-999', SIGNALS_CHANNEL],
      ['SIG-1; DROP TABLE', SIGNALS_CHANNEL],
      ['INC-1', SIGNALS_CHANNEL],
    ] as const) {
      await h.click(ActionId.signalOpenIncident, value, { channelId });
      expect(h.ephemeralTexts().at(-1)).toContain("doesn't point at a rate-limit warning");
      await h.click(ActionId.signalDismiss, value, { channelId });
      expect(h.ephemeralTexts().at(-1)).toContain("doesn't point at a rate-limit warning");
    }
    expect(h.standIn.calls('views.open')).toEqual([]);
    expect(counted()).toEqual(before);
    // A dismiss form whose metadata was edited to point elsewhere changes nothing either.
    await h.click(ActionId.signalDismiss, 'SIG-1', { channelId: SIGNALS_CHANNEL });
    const view = h.lastOpenedView();
    const forged = await h.submit(view.callback_id, JSON.stringify({ signalId: 999, channelId: SIGNALS_CHANNEL }), {
      [Field.dismissReason]: { [Field.dismissReason]: text('nothing to see') },
    });
    expect(JSON.stringify(forged.json)).toContain('no longer matches');
    expect(counted()).toEqual(before);
  });

  it('answers every bad input with a clear JSON sentence and stores nothing', async () => {
    await start();
    const before = counted();
    const cases: [string, string | unknown, Record<string, string> | undefined, number, string][] = [
      ['/signals/rate-limits', [{ key: LABEL, at: iso(T0), count: 99 }], {}, 401, 'unauthorized'],
      [
        '/signals/rate-limits',
        [{ key: LABEL, at: iso(T0), count: 99 }],
        { authorization: 'Bearer wrong-token-xxxxxxxxx' },
        401,
        'unauthorized',
      ],
      [
        '/signals/rate-limits',
        [{ key: LABEL, at: iso(T0), count: 99 }],
        { authorization: `Basic ${TOKEN}` },
        401,
        'unauthorized',
      ],
      ['/signals/rate-limits', '{"key": ', undefined, 400, 'invalid_json'],
      ['/signals/rate-limits', [{ key: LABEL, at: 'yesterday', count: 1 }], undefined, 400, '[0].at'],
      [
        '/signals/rate-limits',
        [
          { key: LABEL, at: iso(T0), count: 1 },
          { key: LABEL, at: iso(T0), count: -3 },
        ],
        undefined,
        400,
        '[1].count',
      ],
      ['/signals/rate-limits', { key: LABEL, at: iso(T0), count: 5, total: 2 }, undefined, 400, 'total'],
      ['/signals/rate-limits', { key: 'has spaces', at: iso(T0), count: 5 }, undefined, 400, 'key'],
      ['/signals/rate-limits', [], undefined, 400, '(body)'],
      [
        '/signals/alertmanager',
        { status: 'firing', alerts: [{ status: 'firing', labels: {}, startsAt: iso(T0), fingerprint: 'x' }] },
        undefined,
        400,
        'alerts[0].labels.paykore_key',
      ],
      [
        '/signals/alertmanager',
        { status: 'firing', alerts: [{ status: 'firing', labels: { paykore_key: LABEL }, startsAt: iso(T0) }] },
        undefined,
        400,
        'alerts[0].fingerprint',
      ],
      [
        '/signals/alertmanager',
        {
          status: 'firing',
          alerts: [{ status: 'firing', labels: { paykore_key_last4: 'Q2x9' }, startsAt: iso(T0), fingerprint: 'x' }],
        },
        undefined,
        400,
        'alerts[0].labels.paykore_key_mode',
      ],
      ['/signals/alertmanager', { status: 'weird', alerts: [] }, undefined, 400, 'status'],
    ];
    for (const [path, body, headers, status, named] of cases) {
      const answer = await post(path, body, headers ?? { authorization: `Bearer ${TOKEN}` });
      expect({ path, body, status: answer.status }).toEqual({ path, body, status });
      expect(JSON.stringify(answer.json)).toContain(named);
      expect(typeof answer.json.message).toBe('string');
    }
    // Over 256 KB: refused without reading it all.
    const huge = JSON.stringify(Array.from({ length: 6000 }, (_, i) => ({ key: LABEL, at: iso(T0 + i), count: 1 })));
    expect(huge.length).toBeGreaterThan(256 * 1024);
    const tooLarge = await post('/signals/rate-limits', huge);
    expect(tooLarge.status).toBe(413);
    // Sent in chunks without a length, it is cut off once past the limit, not read to its end (4 MB here).
    const chunked = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(
        {
          host: '127.0.0.1',
          port: h.bot.port(),
          path: '/signals/rate-limits',
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
          req.destroy();
        },
      );
      req.on('error', (error) => (sent > 0 ? undefined : reject(error)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (sent < 4 * 1024 * 1024 && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(4 * 1024 * 1024);
    expect(counted()).toEqual(before);
    expect(h.standIn.calls('chat.postMessage')).toEqual([]);
  });

  it('refuses a body holding a secret key (422), stores nothing of it, and posts a masked leak warning', async () => {
    await start();
    const key = fakeSecretKey('live');
    const body = alertmanagerBody({
      status: 'firing',
      labels: { paykore_key: LABEL, api_key: key },
      startsAt: T0,
      fingerprint: 'k1',
    });
    const answer = await alerts(body);
    expect(answer.status).toBe(422);
    expect(answer.json.error).toBe('secret_key_in_body');
    expect(JSON.stringify(answer.json)).not.toContain(key);
    expect(JSON.stringify(answer.json)).toContain(maskOf(key));
    expect(h.rows('SELECT count(*) AS n FROM signal_spikes')).toEqual([{ n: 0 }]);
    expect(h.rows('SELECT count(*) AS n FROM signal_windows')).toEqual([{ n: 0 }]);

    const posted = h.standIn.calls('chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]?.args.channel).toBe(SIGNALS_CHANNEL);
    const shown = JSON.stringify(posted[0]?.args);
    expect(shown).toContain(maskOf(key));
    expect(shown).toContain(ActionId.leakOpenIncident);
    // Nothing of the key anywhere in the database file's tables, nor in the logs.
    const everything = JSON.stringify([
      h.rows('SELECT * FROM events'),
      h.rows('SELECT * FROM leaks'),
      h.rows('SELECT * FROM leak_sightings'),
      h.rows('SELECT * FROM outbox'),
    ]);
    expect(everything).not.toContain(key.slice(8));
    expect(h.logLines.join('\n')).not.toContain(key.slice(8));
    expect(signalEvents().map((e) => e.type)).toEqual(['signal_key_refused']);

    // Alertmanager retries a refused notification: no second warning. An escaped key is a key too.
    await alerts(body);
    expect(h.standIn.calls('chat.postMessage')).toHaveLength(1);
    const escaped = JSON.stringify({ key: LABEL, at: iso(T0), count: 1, note: 'x' }).replace(
      '"x"',
      `"${fakeSecretKey('test').replaceAll('_', '\\u005f')}"`,
    );
    expect((await counts(escaped)).status).toBe(422);

    // One click opens the incident, like a key pasted in chat.
    const leak = JSON.stringify(posted[0]?.args.blocks).match(/"value":"(LEAK-\d+)"/)?.[1];
    await h.click(ActionId.leakOpenIncident, leak ?? '', { channelId: SIGNALS_CHANNEL });
    expect(h.rows('SELECT key_label FROM incidents')).toEqual([{ key_label: `leaked-${maskOf(key)}` }]);
  });

  it('checks the Grafana HMAC signature and its timestamp when a secret is set', async () => {
    await start({ SIGNALS_HMAC_SECRET: HMAC_SECRET });
    const body = JSON.stringify(grafanaBody({ status: 'firing', labels: { paykore_key: LABEL }, startsAt: T0 }));
    const sign = (timestamp: number, payload = body) =>
      createHmac('sha256', HMAC_SECRET).update(`${timestamp}:${payload}`).digest('hex');
    const now = Math.floor(T0 / 1000);
    const headers = (signature: string, timestamp: number) => ({
      authorization: `Bearer ${TOKEN}`,
      'x-grafana-alerting-signature': signature,
      'x-grafana-alerting-timestamp': String(timestamp),
    });
    expect((await post('/signals/alertmanager', body, { authorization: `Bearer ${TOKEN}` })).status).toBe(401);
    expect((await post('/signals/alertmanager', body, headers(sign(now, '{}'), now))).status).toBe(401);
    expect((await post('/signals/alertmanager', body, headers(sign(now - 3600), now - 3600))).status).toBe(401);
    expect(h.rows('SELECT count(*) AS n FROM signal_spikes')).toEqual([{ n: 0 }]);
    expect((await post('/signals/alertmanager', body, headers(sign(now), now))).status).toBe(202);
    expect(warnings()).toHaveLength(1);
  });

  it("serves the intake in Socket Mode beside /healthz, and keeps a key's normal across a restart", async () => {
    await start({}, 'socket');
    const from = T0 - 2 * HOUR;
    // A busy key: 40 429s a minute is its normal. The first hour is judged by the floor alone: one warning, then
    // the learnt normal ends it.
    await stream(from, 70, () => 40);
    expect(warnings()).toHaveLength(1);
    // Drawn when sent: the batch already held the return to normal.
    expect(JSON.stringify(warnings()[0]?.args.blocks)).toContain('Back to normal');
    // Memory per key is bounded: only the newest SIGNALS_HISTORY_WINDOWS (60) windows are kept.
    expect(h.rows('SELECT count(*) AS n, min(window_start) AS oldest FROM signal_windows')).toEqual([
      { n: 60, oldest: from + 10 * MINUTE },
    ]);
    await h.restart();
    // Had the restart forgotten the key, its "first window" would be judged by the floor again and warn.
    await stream(from + 70 * MINUTE, 10, () => 45);
    expect(warnings()).toHaveLength(1);
    await stream(from + 80 * MINUTE, 1, () => 400);
    expect(warnings()).toHaveLength(2);
  });

  it('is off without SIGNALS_TOKEN', async () => {
    h = await BotHarness.start();
    const response = await fetch(`http://127.0.0.1:${h.bot.port()}/signals/rate-limits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: LABEL, at: iso(T0), count: 1 }),
    });
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
