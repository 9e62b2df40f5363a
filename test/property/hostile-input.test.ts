import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command';
import { CallbackId, Field } from '../../src/slack/ids';
import { STEP_DETAILS } from '../fixtures/step-details';
import { BotHarness, CHANNEL, RESPONDER } from '../support/bot-harness';

// Every input a person or a forger controls, thrown at the real Bolt app (signature checks are tested elsewhere):
// no crash, no listener failure, an answer every time, and no change unless the input was a valid request.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 10_000);

type Ack = { calls: unknown[] };

describe('hostile input never crashes the bot or changes what it should not', () => {
  let h: BotHarness;
  let unhandled = 0;
  const onUnhandled = () => {
    unhandled += 1;
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    h = await BotHarness.start();
    // Durability is not under test here; fsync on every refused attempt would make 10,000 cases take minutes.
    h.bot.db.pragma('synchronous = OFF');
    await h.command('start api-server-production-v2 env=production');
    const id = { incidentId: 1, channelId: CHANNEL };
    for (const [n, step] of (['revoke', 'review', 'support', 'redeploy'] as const).entries()) {
      h.bot.incidents.completeStep({
        ...id,
        step,
        actor: RESPONDER,
        details: STEP_DETAILS[step],
        idempotencyKey: `setup-${n}`,
      });
    }
    h.bot.incidents.resolve({
      ...id,
      actor: RESPONDER,
      resolution: 'revoked',
      summary: 'done',
      idempotencyKey: 'setup-resolve',
    });
    await h.settle();
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await h.close();
  });

  const state = () => ({
    incidents: h.rows('SELECT * FROM incidents'),
    steps: h.rows('SELECT * FROM incident_steps'),
    events: h.rows("SELECT count(*) AS n FROM events WHERE type <> 'action_refused'"),
  });
  const failures = () => h.logLines.filter((line) => line.includes('listener failed')).length;

  async function deliver(body: Record<string, unknown>): Promise<Ack> {
    const ack: Ack = { calls: [] };
    await h.bot.app.processEvent({
      body,
      ack: async (response?: unknown) => {
        ack.calls.push(response);
      },
    });
    return ack;
  }

  const anyText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ maxLength: 5000 }),
    fc
      .tuple(
        fc.constantFrom(
          'start',
          'status',
          'note',
          'export',
          'keys',
          'keys add',
          'keys rotated',
          'rotate',
          'help',
          'INC-1',
          '',
        ),
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 30 }),
            fc.constantFrom(
              'env=',
              'exposed=',
              'how=',
              'format=',
              'owner=',
              'channel=',
              'rotated=',
              'on=',
              'INC-',
              '"',
              '\u201C',
              '<@',
              '<#',
              '|',
              '>',
            ),
            fc
              .tuple(
                fc.constantFrom('env', 'exposed', 'format', 'owner', 'channel', 'on'),
                fc.string({ maxLength: 30 }),
              )
              .map(([k, v]) => `${k}=${v}`),
          ),
          { maxLength: 8 },
        ),
      )
      .map(([verb, parts]) => `${verb} ${parts.join(' ')}`),
  );

  it('answers any command text with one reply, never crashing, changing nothing unless it was a valid request', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(anyText, async (text) => {
        n += 1;
        const kind = parseCommand(text).kind;
        const before = state();
        const ack = await deliver({
          command: '/paykore-incident',
          text,
          user_id: RESPONDER,
          channel_id: CHANNEL,
          team_id: 'T0TEAM001',
          trigger_id: `fuzz.${n}`,
          response_url: h.standIn.newResponseUrl(),
        });
        expect(ack.calls).toHaveLength(1);
        const reply = ack.calls[0] as { text?: string } | undefined;
        if (kind !== 'declare' && kind !== 'start') expect(reply?.text?.length ?? 0).toBeGreaterThan(0);
        if (!['start', 'note', 'keys-add', 'keys-rotated', 'rotate', 'declare'].includes(kind))
          expect(state()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    expect(failures()).toBe(0);
    expect(unhandled).toBe(0);
  }, 600_000);

  it('answers any button value on any button without a change', async () => {
    const actionIds = [...h.bot.registry.actions.keys()];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...actionIds),
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.nat().map((k) => `INC-${k + 2}`),
          fc.constantFrom('', 'INC-', 'INC-0', 'INC-1 ', 'ROT-1', 'KEY-1', '{}'),
        ),
        fc.constantFrom(CHANNEL, 'C0ELSEWHERE'),
        async (actionId, value, channelId) => {
          n += 1;
          const before = state();
          const ack = await deliver({
            type: 'block_actions',
            user: { id: RESPONDER },
            channel: { id: channelId },
            team: { id: 'T0TEAM001' },
            trigger_id: `fuzz.button.${n}`,
            response_url: h.standIn.newResponseUrl(),
            actions: [{ action_id: actionId, value, action_ts: `1764320000.${n}`, type: 'button', block_id: 'b' }],
          });
          expect(ack.calls).toHaveLength(1);
          expect(state()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
    expect(failures()).toBe(0);
  }, 600_000);

  const stateValue = fc.oneof(
    fc.record({ type: fc.constant('plain_text_input'), value: fc.option(fc.string({ maxLength: 3000 })) }),
    fc.record({
      type: fc.constant('static_select'),
      selected_option: fc.option(fc.record({ value: fc.string({ maxLength: 40 }) })),
    }),
    fc.record({
      type: fc.constant('datetimepicker'),
      selected_date_time: fc.option(fc.integer({ min: -1e10, max: 1e10 })),
    }),
  );

  for (const callbackId of Object.values(CallbackId)) {
    it(`answers any ${callbackId} form, refusing bad values on a field and changing nothing it should not`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...Object.values(Field), 'other'), stateValue, { maxKeys: 8 }),
          fc.oneof(
            fc.string({ maxLength: 200 }),
            fc.constant(JSON.stringify({ incidentId: 1, channelId: CHANNEL })),
            fc.constant(JSON.stringify({ channelId: CHANNEL })),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
          async (fields, privateMetadata) => {
            n += 1;
            const values = Object.fromEntries(
              Object.entries(fields).map(([field, value]) => [field, { [field]: value }]),
            );
            const before = state();
            const ack = await deliver({
              type: 'view_submission',
              user: { id: RESPONDER },
              team: { id: 'T0TEAM001' },
              view: { id: `VFUZZ${n}`, callback_id: callbackId, private_metadata: privateMetadata, state: { values } },
            });
            expect(ack.calls).toHaveLength(1);
            const answer = ack.calls[0] as { response_action?: string } | undefined;
            // The only forms that may change anything are the ones that open or annotate; the incident is resolved.
            if (
              answer?.response_action === 'errors' ||
              !['incident_declare_submit', 'incident_note_submit'].includes(callbackId)
            ) {
              expect(state()).toEqual(before);
            }
          },
        ),
        { numRuns: RUNS },
      );
      expect(failures()).toBe(0);
    }, 600_000);
  }
});
