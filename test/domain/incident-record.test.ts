import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/domain/event-chain';
import { checkIncidentRecord } from '../../src/domain/incident-record';
import { incidentRef } from '../../src/domain/types';
import { fullIncident } from '../fixtures/timeline/build-incident';

describe('checking an incident row against its stream', () => {
  const verdictOf = (fixture: ReturnType<typeof fullIncident>) =>
    checkIncidentRecord(
      fixture.incident,
      fixture.events,
      verifyChain(incidentRef(fixture.incident.id), fixture.events),
    );

  it('accepts a stream that holds an event for every fact of the incident', () => {
    expect(verdictOf(fullIncident())).toMatchObject({ ok: true, count: 10 });
  });

  it('reports a stream cut short at its end as a gap where the next event should be', () => {
    const fixture = fullIncident();
    const cut = { ...fixture, events: fixture.events.slice(0, -1) };
    expect(verifyChain('INC-3', cut.events).ok).toBe(true);
    expect(verdictOf(cut)).toMatchObject({
      ok: false,
      count: 9,
      firstBad: {
        seq: 10,
        problem: 'sequence_gap',
        message:
          'INC-3 is resolved but its stream has no incident_resolved event: events after 9 were removed, or the incident row was altered',
      },
    });
  });

  it('reports a recorded step whose event is gone', () => {
    const fixture = fullIncident();
    const cut = {
      ...fixture,
      incident: { ...fixture.incident, status: 'open' as const },
      events: fixture.events.slice(0, 7),
    };
    expect(verdictOf(cut)).toMatchObject({
      ok: false,
      firstBad: { seq: 8, message: expect.stringContaining('support step') },
    });
  });

  it('reports an incident with no events at all', () => {
    const fixture = fullIncident();
    expect(verdictOf({ ...fixture, events: [] })).toMatchObject({
      ok: false,
      count: 0,
      firstBad: { seq: 1, problem: 'sequence_gap', message: expect.stringContaining('no incident_opened event') },
    });
  });

  it('passes a broken chain through unchanged', () => {
    const fixture = fullIncident();
    const events = fixture.events.filter((event) => event.seq !== 4);
    const chainVerdict = verifyChain('INC-3', events);
    expect(checkIncidentRecord(fixture.incident, events, chainVerdict)).toBe(chainVerdict);
  });
});
