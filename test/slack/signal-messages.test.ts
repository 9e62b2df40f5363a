import { expect, it } from 'vitest';
import type { Leak } from '../../src/domain/leak';
import type { Spike } from '../../src/domain/signals/spike';
import type { Incident } from '../../src/domain/types';
import { dismissModal, secretInSignalWarning, spikeWarning } from '../../src/slack/blocks/signal-messages';
import { checkBlocks, checkView } from '../support/conformance';
import { describeConformance } from '../support/specs';

const T0 = Date.UTC(2026, 10, 28, 9);

const spike = (over: Partial<Spike> = {}): Spike => ({
  id: 3,
  source: 'counts',
  keyLabel: 'api-server-production',
  keyKnown: true,
  environment: 'production',
  keyMode: 'live',
  channelId: 'C0CHAN0001',
  startedAt: T0,
  detectedAt: T0 + 60_000,
  windowSeconds: 60,
  count: 240,
  ratePerMinute: 240,
  normalPerMinute: 1.5,
  alertName: null,
  summary: '',
  endedAt: null,
  dismissedAt: null,
  dismissedBy: null,
  dismissReason: null,
  incidentId: null,
  routedIncidentId: null,
  cardTs: null,
  ...over,
});

const incident: Incident = {
  id: 9,
  channelId: 'C0CHAN0001',
  keyLabel: 'api-server-production',
  environment: 'production',
  keyMode: 'live',
  severity: 'SEV1',
  how: '',
  openedBy: 'U0A',
  openedAt: T0 + 120_000,
  exposureStart: T0,
  status: 'open',
  resolution: null,
  resolvedAt: null,
  resolvedBy: null,
  summary: '',
  cardTs: '1.0',
  steps: {},
};

const leak: Leak = {
  id: 2,
  mode: 'live',
  last4: '7Q2x',
  firstChannelId: 'C0CHAN0001',
  firstMessageTs: null,
  firstPoster: 'bot',
  firstSeenAt: T0,
  firstExposedAt: T0,
  incidentId: null,
};

const actionIds = (blocks: unknown) => [...JSON.stringify(blocks).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

describeConformance('signal messages against the Block Kit schema', () => {
  it('draws valid warnings in every state, the leak warning and the dismiss form, even with hostile text', () => {
    const hostile = `${'<!channel> *bold* `code` '.repeat(200)}`;
    for (const message of [
      spikeWarning(spike(), null),
      spikeWarning(spike({ endedAt: T0 + 600_000 }), null),
      spikeWarning(spike({ incidentId: 9 }), incident),
      spikeWarning(spike({ dismissedAt: T0, dismissedBy: 'U0RESP0001', dismissReason: hostile }), null),
      spikeWarning(
        spike({ keyKnown: false, environment: null, source: 'grafana', alertName: hostile, summary: hostile }),
        null,
      ),
      secretInSignalWarning(leak, null),
      secretInSignalWarning({ ...leak, incidentId: 9 }, incident),
    ]) {
      expect(checkBlocks(message.blocks)).toEqual([]);
      expect(message.text.length).toBeGreaterThan(0);
    }
    expect(checkView(dismissModal(spike({ alertName: hostile, source: 'alertmanager' })))).toEqual([]);
  });
});

it('offers both buttons only while nothing was decided', () => {
  expect(actionIds(spikeWarning(spike(), null).blocks)).toEqual(['signal_open_incident', 'signal_dismiss']);
  expect(actionIds(spikeWarning(spike({ incidentId: 9 }), incident).blocks)).toEqual([]);
  expect(
    actionIds(spikeWarning(spike({ dismissedAt: T0, dismissedBy: 'U0A', dismissReason: 'x' }), null).blocks),
  ).toEqual([]);
  // Back to normal still offers them: the spike happened, and may still have been misuse.
  expect(actionIds(spikeWarning(spike({ endedAt: T0 + 1 }), null).blocks)).toEqual([
    'signal_open_incident',
    'signal_dismiss',
  ]);
});

it('says a key is still being learnt rather than inventing a normal', () => {
  const text = JSON.stringify(spikeWarning(spike({ normalPerMinute: null }), null).blocks);
  expect(text).toContain('still being learnt');
  expect(text).not.toContain('normal 0');
});
