import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/domain/timeline';
import type { TimelineEvent } from '../../../src/domain/types';
import { at, chain } from '../../fixtures/timeline/build-incident';

const one = (type: TimelineEvent['type'], details: Record<string, unknown>): TimelineEvent =>
  chain('INC-1', [{ at: at('2026-03-10T09:00:00.000Z'), actor: 'U0FAKEANA', type, details }])[0]!;

describe('describeEvent', () => {
  it('describes each incident event in a sentence', () => {
    expect(describeEvent(one('transactions_reviewed', { outcome: 'nothing_unrecognised' }))).toBe(
      'Transactions in the exposure window reviewed: nothing unrecognised.',
    );
    expect(describeEvent(one('incident_resolved', { resolution: 'false_positive', summary: 'test key' }))).toBe(
      'Incident resolved: false positive. Summary: test key',
    );
    expect(describeEvent(one('idle_reminder', { step: 'support', minutes: 30 }))).toBe(
      'Reminder: step support idle for 30 minutes.',
    );
    expect(
      describeEvent(one('action_refused', { action: 'resolve', code: 'resolve_too_early', missing: 'redeploy' })),
    ).toBe('Refused: resolve (redeploy is not recorded yet).');
    expect(describeEvent(one('key_revoked', { revokedAt: at('2026-03-10T09:00:00.000Z') }))).toBe(
      'Key revoked in the PayKore dashboard.',
    );
  });

  it('never drops a detail it does not know: unknown fields follow as name: value', () => {
    expect(describeEvent(one('support_contacted', { ticketRef: 'PK-1', priority: 'high', extra: { a: [1] } }))).toBe(
      'PayKore support contacted. Ticket: PK-1. extra: {"a":[1]}; priority: high',
    );
    expect(describeEvent(one('rotation_started', { label: 'api-v3' }))).toBe('Rotation started. label: api-v3');
    expect(describeEvent(one('transactions_reviewed', { transactionIds: 'tx_1, tx_2' }))).toBe(
      'Transactions in the exposure window reviewed. transactionIds: tx_1, tx_2',
    );
  });
});
