import { expect, it } from 'vitest';
import { withStep } from '../../src/domain/incident';
import type { Incident } from '../../src/domain/types';
import { incidentCard } from '../../src/slack/blocks/incident-card';
import {
  declareModal,
  noteModal,
  redeployModal,
  resolveModal,
  reviewModal,
  supportModal,
} from '../../src/slack/blocks/modals/incident-modals';
import { incidentFixture } from '../fixtures/incident';
import { checkBlocks, checkView } from '../support/conformance';
import { describeConformance } from '../support/specs';

const T0 = Date.UTC(2026, 10, 28, 9);
const hostile = `${'<!channel> *bold* `code` <https://evil.test|click> & '.repeat(80)}\n`.repeat(3);

function incident(overrides: Partial<Incident> = {}): Incident {
  return incidentFixture({
    id: 42,
    keyLabel: 'api-server-production-v2',
    how: hostile,
    openedBy: 'U0A000001',
    openedAt: T0,
    exposureStart: T0 - 3_600_000,
    ...overrides,
  });
}

function allDone(): Incident {
  let current = incident();
  for (const step of ['revoke', 'review', 'support', 'redeploy'] as const) {
    current = withStep(current, { step, at: T0 + 60_000, by: 'U0B000001', details: { transactionIds: ['txn_1'] } });
  }
  return {
    ...current,
    status: 'resolved',
    resolution: 'revoked',
    resolvedAt: T0 + 120_000,
    resolvedBy: 'U0B000001',
    summary: hostile,
  };
}

describeConformance('Block Kit builders against the Block Kit schema', () => {
  it('draws a valid incident card at every stage, even with hostile free text', () => {
    for (const state of [
      incident(),
      withStep(incident(), { step: 'revoke', at: T0, by: 'U0A000001', details: {} }),
      allDone(),
    ]) {
      const card = incidentCard(state, T0 + 600_000);
      expect(checkBlocks(card.blocks)).toEqual([]);
      expect(card.blocks.length).toBeLessThanOrEqual(50);
      expect(card.text.length).toBeGreaterThan(0);
    }
  });

  it('draws valid modals', () => {
    const done = allDone();
    for (const view of [
      declareModal({ channelId: 'C0CHAN001' }, { keyLabel: 'x', environment: 'staging', how: 'h' }),
      reviewModal(incident(), T0),
      supportModal(done, T0),
      redeployModal(done, 'api-server-production-v3'),
      resolveModal(done),
      noteModal(done),
    ]) {
      expect(checkView(view)).toEqual([]);
    }
  });
});

it('never lets free text open a mention, a broadcast or a link on the card', () => {
  const text = JSON.stringify(incidentCard(allDone(), T0).blocks);
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<https://evil.test');
  expect(text).toContain('&lt;!channel&gt;');
});

it('shows only the button for the next step, then resolve, then export alone', () => {
  const actionIds = (state: Incident) =>
    incidentCard(state, T0)
      .blocks.filter((b) => b.type === 'actions')
      .flatMap((b) => ('elements' in b ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : []));
  expect(actionIds(incident())).toEqual(['incident_revoke', 'incident_note', 'incident_export']);
  const four = allDone();
  expect(actionIds({ ...four, status: 'open', resolution: null, resolvedAt: null, resolvedBy: null })).toEqual([
    'incident_resolve',
    'incident_note',
    'incident_export',
  ]);
  expect(actionIds(four)).toEqual(['incident_export']);
});
