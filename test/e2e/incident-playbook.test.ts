import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionId, CallbackId, Field } from '../../src/slack/ids';
import { BotHarness, dateTime, select, T0, text } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';
import { TRANSPORTS } from '../support/transport';
import { playCompromiseIncident } from './scenarios/compromise-playbook';

// One scenario definition, two ways for Slack to reach the bot: signed HTTP requests and Socket Mode envelopes.
describe.each(TRANSPORTS)('the compromise playbook, end to end over %s', (transport) => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ transport });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    expect(h.socket?.violations() ?? []).toEqual([]);
    await h.close();
  });

  it('opens an incident, walks all four steps in order through lost connections, resolves, and survives a restart', async () => {
    await playCompromiseIncident(h);
  });

  it('acknowledges every request within three seconds', async () => {
    const timings: number[] = [];
    timings.push((await h.command('start billing-staging env=staging')).elapsedMs);
    timings.push((await h.click(ActionId.incidentRevoke, 'INC-1')).elapsedMs);
    timings.push((await h.click(ActionId.incidentReview, 'INC-1')).elapsedMs);
    for (const ms of timings) expect(ms).toBeLessThan(3000);
  });

  it('opens the declare modal for a bare command and opens the incident from it', async () => {
    await h.command('');
    const view = h.lastOpenedView();
    expect(view.callback_id).toBe(CallbackId.incidentDeclare);
    h.clock.advance(MINUTE);
    const submitted = await h.submit(CallbackId.incidentDeclare, view.private_metadata, {
      [Field.keyLabel]: { [Field.keyLabel]: text('checkout-production') },
      [Field.environment]: { [Field.environment]: select('production') },
      [Field.exposureStart]: { [Field.exposureStart]: dateTime(T0 - 30 * MINUTE) },
      [Field.revokedAt]: { [Field.revokedAt]: dateTime(null) },
      [Field.how]: { [Field.how]: text('pasted in a support ticket') },
    });
    expect(submitted.status).toBe(200);
    const incident = h.bot.incidents.get(1);
    expect(incident).toMatchObject({ keyLabel: 'checkout-production', environment: 'production', severity: 'SEV1' });
    expect(incident?.exposureStart).toBe(T0 - 30 * MINUTE);
  });

  it('answers a declare form with a future exposure time on the field, and opens nothing', async () => {
    await h.command('');
    const view = h.lastOpenedView();
    const submitted = await h.submit(CallbackId.incidentDeclare, view.private_metadata, {
      [Field.keyLabel]: { [Field.keyLabel]: text('checkout-production') },
      [Field.environment]: { [Field.environment]: select('production') },
      [Field.exposureStart]: { [Field.exposureStart]: dateTime(T0 + 60 * MINUTE) },
      [Field.revokedAt]: { [Field.revokedAt]: dateTime(null) },
      [Field.how]: { [Field.how]: text('') },
    });
    const body = submitted.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors[Field.exposureStart]).toMatch(/future/);
    expect(h.rows('SELECT * FROM incidents')).toEqual([]);
  });
});
