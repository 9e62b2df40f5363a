import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/domain/command';
import { compareDrill, drillReportLines } from '../../../src/domain/rooms/drill-report';
import { MAX_ROOM_NAME, roomName, slugForRoom } from '../../../src/domain/rooms/room-name';
import { MAX_TOPIC, roomTopic } from '../../../src/domain/rooms/room-topic';
import { incidentFixture } from '../../fixtures/incident';

const MIN = 60_000;

describe('room names', () => {
  it('lowercases and keeps only letters, digits, - and _', () => {
    expect(roomName(7, 'Billing.API_v2')).toBe('inc-7-billing-api_v2');
    expect(slugForRoom('--Ünïcode..Key--')).toBe('unicode-key');
    expect(roomName(3, '...')).toBe('inc-3');
    expect(roomName(3, 'api', { drill: true })).toBe('inc-3-drill-api');
  });

  it('adds a suffix after a clash and always fits in 80 characters', () => {
    expect(roomName(12, 'api-prod', { attempt: 2 })).toBe('inc-12-api-prod-2');
    const long = 'a'.repeat(200);
    for (const attempt of [1, 2, 19]) {
      const name = roomName(123456789, long, { attempt, drill: true });
      expect(name.length).toBeLessThanOrEqual(MAX_ROOM_NAME);
      expect(name).toMatch(/^[a-z0-9_-]+$/);
      if (attempt > 1) expect(name.endsWith(`-${attempt}`)).toBe(true);
    }
    // A cut never leaves a dangling separator before the suffix.
    expect(roomName(1, `${'b'.repeat(73)}-c`, { attempt: 2 })).not.toMatch(/--/);
  });
});

describe('room topic', () => {
  it('names the key, environment, severity and the current step, and follows the incident', () => {
    const incident = incidentFixture({ id: 4 });
    expect(roomTopic(incident)).toBe('INC-4 · key api-prod · production · SEV1 · now: step 1: revoke the key');
    const revoked = incidentFixture({ id: 4, steps: { revoke: { step: 'revoke', at: 1, by: 'U0A', details: {} } } });
    expect(roomTopic(revoked)).toContain('now: step 2: review transactions');
    expect(roomTopic(incidentFixture({ drill: true }))).toMatch(/^DRILL · /);
    expect(roomTopic(incidentFixture({ keyLabel: 'k'.repeat(400) })).length).toBeLessThanOrEqual(MAX_TOPIC);
  });
});

describe('drill report', () => {
  it('says when it is the first drill, then compares with the median of the last drills', () => {
    const current = { incidentId: 9, timeToRevokeMs: 2 * MIN, timeToResolveMs: 20 * MIN };
    expect(drillReportLines(compareDrill(current, []))).toEqual([
      'Time to revoke: 2 min. Time to resolve: 20 min.',
      'This is the first drill on record: the next one will be compared with it.',
    ]);
    const earlier = [
      { incidentId: 8, timeToRevokeMs: 4 * MIN, timeToResolveMs: 30 * MIN },
      { incidentId: 7, timeToRevokeMs: 6 * MIN, timeToResolveMs: 10 * MIN },
      { incidentId: 6, timeToRevokeMs: 1 * MIN, timeToResolveMs: null },
    ];
    expect(drillReportLines(compareDrill(current, earlier))).toEqual([
      "Time to revoke: 2 min (2 min faster than the last drills' 4 min).",
      'Time to resolve: 20 min (same as the last drills).',
      'Compared with the median of the last 3 drills.',
    ]);
  });

  it('only looks at the last five drills', () => {
    const old = Array.from({ length: 8 }, (_, i) => ({
      incidentId: i,
      timeToRevokeMs: (i < 5 ? 10 : 100) * MIN,
      timeToResolveMs: null,
    }));
    expect(compareDrill({ incidentId: 99, timeToRevokeMs: MIN, timeToResolveMs: null }, old).previousRevokeMs).toBe(
      10 * MIN,
    );
  });
});

describe('command grammar for rooms, leads and drills', () => {
  it('reads channel= on start, and refuses what it is not', () => {
    expect(parseCommand('start api env=prod channel=private')).toMatchObject({ kind: 'start', room: 'private' });
    expect(parseCommand('start api env=prod channel=NEW')).toMatchObject({ room: 'new' });
    expect(parseCommand('start api env=prod')).not.toHaveProperty('room');
    expect(parseCommand('start api channel=#general')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('`channel=` is `here`'),
    });
  });

  it('reads lead with and without an incident id, and needs a person', () => {
    expect(parseCommand('lead INC-4 <@U0SAM0001|sam>')).toEqual({ kind: 'lead', incidentId: 4, userId: 'U0SAM0001' });
    expect(parseCommand('lead <@U0SAM0001>')).toEqual({ kind: 'lead', incidentId: null, userId: 'U0SAM0001' });
    expect(parseCommand('lead INC-4')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('lead sam')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('lead <@U0SAM0001> <@U0BOB0001>')).toMatchObject({ kind: 'invalid' });
  });

  it('reads drill with an optional label and environment', () => {
    expect(parseCommand('drill')).toEqual({ kind: 'drill', keyLabel: null, environment: null });
    expect(parseCommand('drill api-staging env=stage')).toEqual({
      kind: 'drill',
      keyLabel: 'api-staging',
      environment: 'staging',
    });
    expect(parseCommand('drill api env=moon')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('drill api channel=new')).toMatchObject({ kind: 'invalid' });
  });
});
