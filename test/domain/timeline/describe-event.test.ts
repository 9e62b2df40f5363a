import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/domain/timeline';
import { plainActor, slackToPlain } from '../../../src/domain/timeline/describe-event';
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
    expect(describeEvent(one('idle_reminder', { waitingFor: 'support', idleMinutes: 30 }))).toBe(
      'Reminder: nothing recorded for 30 minutes; next: support.',
    );
    expect(describeEvent(one('incident_opened', { keyLabel: 'k', exposureStart: null }))).toBe(
      'Incident opened for key k. Exposure start: unknown.',
    );
    expect(describeEvent(one('key_revoked', {}))).toBe('Key revoked in the PayKore dashboard.');
    expect(
      describeEvent(one('key_revoked', { revokedAt: at('2026-03-10T08:40:00.000Z'), declaredAtOpening: true })),
    ).toBe('Key revoked in the PayKore dashboard at 2026-03-10T08:40:00.000Z (declared when the incident was opened).');
    expect(describeEvent(one('support_contacted', { contactChannel: 'dashboard_chat', ticketRef: '' }))).toBe(
      'PayKore support contacted via dashboard_chat.',
    );
  });

  it('describes refusals as recorded by the playbook and by the Slack listeners', () => {
    expect(
      describeEvent(one('action_refused', { action: 'resolve', code: 'resolve_too_early', missing: 'redeploy' })),
    ).toBe('Refused: resolve (redeploy is not recorded yet).');
    expect(
      describeEvent(
        one('action_refused', {
          action: 'step:review',
          code: 'step_already_done',
          step: 'review',
          at: at('2026-03-10T08:41:00.000Z'),
          by: 'U0FAKEBEN',
        }),
      ),
    ).toBe('Refused: review step (already recorded by U0FAKEBEN at 2026-03-10T08:41:00.000Z).');
    expect(
      describeEvent(
        one('action_refused', {
          action: 'step:review',
          code: 'step_already_done',
          reason:
            'Step 2 (review) was already recorded by <@U0FAKEBEN> <!date^1773132060^{date_short_pretty} {time_secs}|2026-03-10 08:41:00 UTC>. Nothing was changed.',
        }),
      ),
    ).toBe(
      'Refused: review step (already recorded). Step 2 (review) was already recorded by U0FAKEBEN 2026-03-10 08:41:00 UTC. Nothing was changed.',
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

describe('Slack markup in recorded text', () => {
  it('becomes plain text', () => {
    expect(
      slackToPlain('<@U0FAKEANA|ana> in <#C0FAKE|incidents> and <#C0OTHER> at <!date^1773132060^{date_short}>'),
    ).toBe('U0FAKEANA in #incidents and #C0OTHER at 2026-03-10T08:41:00.000Z');
  });

  it('shows a mention actor as its plain id', () => {
    expect(plainActor('<@U0FAKEANA|ana>')).toBe('U0FAKEANA');
    expect(plainActor('<@W0FAKE>')).toBe('W0FAKE');
    expect(plainActor('bot')).toBe('bot');
  });
});
