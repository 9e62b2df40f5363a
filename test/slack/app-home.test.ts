import { describe, expect, it } from 'vitest';
import type { HomeKey } from '../../src/app/home-service';
import type { Incident, Step } from '../../src/domain/types';
import { type AppHomeInput, appHomeView } from '../../src/slack/blocks/app-home';
import { incidentFixture } from '../fixtures/incident';
import { checkView } from '../support/conformance';
import { describeConformance } from '../support/specs';

const NOW = Date.UTC(2026, 10, 28, 9, 0, 0);
const DAY = 86_400_000;

function incident(id: number, overrides: Partial<Incident> = {}): Incident {
  return incidentFixture({
    id,
    channelId: 'C0INCIDENT1',
    keyLabel: `service-${id}-production`,
    openedBy: 'U0RESP0001',
    openedAt: NOW - 30 * 60_000,
    ...overrides,
  });
}

const key = (label: string, dueAt: number): HomeKey => ({
  label,
  environment: 'production',
  status: 'active',
  ownerId: null,
  dueAt,
});

const input = (overrides: Partial<AppHomeInput> = {}): AppHomeInput => ({
  now: NOW,
  incidents: [],
  overdueKeys: [],
  dueSoonKeys: [],
  horizonDays: 14,
  canAct: true,
  responders: '<@U0RESP0001>',
  ...overrides,
});

describeConformance('the App Home view', () => {
  it('is a valid Home tab when there is nothing to show', () => {
    const view = appHomeView(input());
    expect(checkView(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain('*Open incidents*\\nNone.');
  });

  it('stays within Slack limits with many incidents and keys, counting what it does not draw', () => {
    const many = Array.from({ length: 60 }, (_, i) => incident(i + 1));
    const keys = Array.from({ length: 80 }, (_, i) => key(`key-${i}-production`, NOW - (i + 1) * DAY));
    const view = appHomeView(input({ incidents: many, overdueKeys: keys }));
    expect(checkView(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const shown = JSON.stringify(view);
    expect(shown).toContain('… and 40 more');
    expect(shown).toMatch(/… and \d+ more: `\/paykore-incident keys`/);
  });
});

describe('the App Home builder', () => {
  it('offers the next step, or resolve once every step is done, only to people who may act', () => {
    const done = (step: Step) => ({ step, at: NOW, by: 'U0RESP0001', details: {} });
    const allDone = incident(2, {
      steps: { revoke: done('revoke'), review: done('review'), support: done('support'), redeploy: done('redeploy') },
    });
    const ids = (view: ReturnType<typeof appHomeView>) =>
      JSON.stringify(view.blocks)
        .match(/"action_id":"[a-z_]+"/g)
        ?.map((match) => match.slice('"action_id":"'.length, -1));
    expect(ids(appHomeView(input({ incidents: [incident(1), allDone] })))).toEqual([
      'incident_revoke',
      'incident_note',
      'incident_resolve',
      'incident_note',
    ]);
    expect(ids(appHomeView(input({ incidents: [incident(1), allDone], canAct: false })))).toEqual([
      'incident_note',
      'incident_note',
    ]);
  });

  it('says how long a still-active key has been exposed, and when a key is due', () => {
    const view = JSON.stringify(
      appHomeView(
        input({
          incidents: [incident(1, { exposureStart: NOW - 2 * 60 * 60_000 })],
          overdueKeys: [key('billing-production', NOW - 3 * DAY), key('ledger-production', NOW - 60_000)],
          dueSoonKeys: [key('checkout-production', NOW + DAY + 1)],
        }),
      ),
    );
    expect(view).toContain('Key still active: *2 h* of exposure');
    expect(view).toContain('*3 days overdue*');
    expect(view).toContain('*due now*');
    expect(view).toContain('in 2 days');
  });
});
