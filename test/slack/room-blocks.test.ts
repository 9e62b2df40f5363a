import { describe, expect, it } from 'vitest';
import { appHomeView } from '../../src/slack/blocks/app-home';
import { incidentCard } from '../../src/slack/blocks/incident-card';
import { statusMessage } from '../../src/slack/blocks/status-message';
import { pointerText } from '../../src/slack/rooms/room-tasks';
import { incidentFixture } from '../fixtures/incident';

const NOW = Date.UTC(2026, 10, 28, 10);

describe('blocks for rooms, leads and drills', () => {
  it('shows the lead on the card, and marks a drill before anything else', () => {
    const card = incidentCard(incidentFixture({ lead: 'U0LEAD001', drill: true }), NOW);
    expect(card.text).toMatch(/^DRILL · INC-1/);
    expect(JSON.stringify(card.blocks[0])).toContain('DRILL');
    expect(JSON.stringify(card.blocks)).toContain('*Lead*\\n<@U0LEAD001>');
  });

  it('marks a drill and names the lead on the App Home', () => {
    const view = appHomeView({
      now: NOW,
      incidents: [incidentFixture({ lead: 'U0LEAD001', drill: true })],
      overdueKeys: [],
      dueSoonKeys: [],
      horizonDays: 14,
      canAct: true,
      responders: 'anyone',
    });
    const text = JSON.stringify(view);
    expect(text).toContain('*DRILL*');
    expect(text).toContain('lead <@U0LEAD001>');
  });

  it('keeps the key, how it leaked and the summary out of the status message', () => {
    const incident = incidentFixture({
      keyLabel: 'secret-label',
      how: 'pasted in a gist',
      status: 'resolved',
      resolution: 'revoked',
      resolvedAt: NOW,
      resolvedBy: 'U0A',
      summary: 'refunds issued',
      steps: { revoke: { step: 'revoke', at: Date.UTC(2026, 10, 28, 9, 4), by: 'U0A', details: {} } },
    });
    const message = JSON.stringify(statusMessage(incident, NOW));
    for (const detail of ['secret-label', 'gist', 'refunds', 'live']) expect(message).not.toContain(detail);
    expect(message).toContain('time to revoke: 4 min');
    expect(message).toContain('resolved');
  });

  it('points to a public room by name and to a private one without a word of the incident', () => {
    const incident = incidentFixture({ keyLabel: 'api-prod' });
    expect(pointerText(incident, 'C0ROOM0001', false)).toContain('<#C0ROOM0001>');
    const hidden = pointerText(incident, 'G0ROOM0001', true);
    for (const detail of ['api-prod', 'INC-1', 'G0ROOM0001', 'production', 'SEV1'])
      expect(hidden).not.toContain(detail);
  });
});
