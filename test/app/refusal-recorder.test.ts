import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RefusalRecorder } from '../../src/app/refusal-recorder';
import { EVENT_SCHEMAS } from '../../src/domain/events/event-schemas';
import { refuse } from '../../src/domain/refusal';
import type { TimelineEvent } from '../../src/domain/types';
import { testClock } from '../support/test-clock';
import { openRegister, type RegisterProcess, tempDatabase } from './key-register-fixture';

const T0 = Date.UTC(2026, 11, 2, 9);
const CHANNEL = 'C0REFUSE01';
const ACTOR = 'U0RESP0001';
const SRC = join(import.meta.dirname, '..', '..', 'src');

function refusedEvents(p: RegisterProcess, stream: string): TimelineEvent[] {
  return p.store.events.stream(stream).filter((event) => event.type === 'action_refused');
}

describe('one refusal shape, one writer', () => {
  const clock = testClock(T0);
  let temp: ReturnType<typeof tempDatabase>;
  let p: RegisterProcess;

  beforeEach(() => {
    clock.set(T0);
    temp = tempDatabase();
    p = openRegister(temp.path, clock.clock);
  });
  afterEach(() => {
    p.close();
    temp.remove();
  });

  function openIncident() {
    const outcome = p.incidents.open({
      channelId: CHANNEL,
      actor: ACTOR,
      keyLabel: 'api-server-production-v2',
      environment: 'production',
      keyMode: 'live',
      exposureStart: null,
      revokedAt: null,
      how: 'pasted in a public channel',
      idempotencyKey: 'open-1',
    });
    if (outcome.kind !== 'done') throw new Error(`not opened: ${outcome.kind}`);
    return outcome.value;
  }

  it('records an incident refusal, a rotation refusal and a who-may-act refusal as { action, code, params } only', () => {
    const incident = openIncident();
    p.incidents.completeStep({
      incidentId: incident.id,
      channelId: CHANNEL,
      step: 'support',
      actor: ACTOR,
      details: {},
      idempotencyKey: 'click-support',
    });
    p.register.register({
      label: 'api-server-staging-v1',
      environment: 'staging',
      channelId: CHANNEL,
      actor: ACTOR,
      idempotencyKey: 'add',
    });
    const started = p.rotations.start({
      label: 'api-server-staging-v1',
      channelId: CHANNEL,
      actor: ACTOR,
      idempotencyKey: 'start',
    });
    if (started.kind !== 'done') throw new Error('rotation not started');
    p.rotations.recordStep({
      rotationId: started.value.id,
      channelId: CHANNEL,
      step: 'verify',
      actor: ACTOR,
      idempotencyKey: 'click-verify',
    });
    new RefusalRecorder(p.store, clock.clock).record({
      stream: `INC-${incident.id}`,
      actor: 'U0OUTSIDER',
      action: 'incident_resolve',
      refusal: refuse('not_a_responder', { users: [ACTOR], groups: ['S0SECURITY'] }),
      idempotencyKey: 'click-outsider',
    });

    const [outOfOrder, outsider] = refusedEvents(p, `INC-${incident.id}`);
    const [rotation] = refusedEvents(p, `ROT-${started.value.id}`);
    expect(outOfOrder?.details).toEqual({
      action: 'step:support',
      code: 'step_out_of_order',
      params: { step: 'support', missing: 'revoke' },
    });
    expect(outsider?.details).toEqual({
      action: 'incident_resolve',
      code: 'not_a_responder',
      params: { users: [ACTOR], groups: ['S0SECURITY'] },
    });
    expect(rotation?.details).toEqual({
      action: 'step:verify',
      code: 'rotation_step_out_of_order',
      params: { step: 'verify', missing: 'create' },
    });
    // No sentence and no Slack markup in the chain: a reworded sentence cannot change what the record says.
    for (const event of [outOfOrder, outsider, rotation]) {
      expect(EVENT_SCHEMAS.action_refused.safeParse(event?.details).success).toBe(true);
      expect(JSON.stringify(event?.details)).not.toMatch(/<[@!#]|reason/);
    }
  });

  it('writes nothing for a forged stream or a replayed attempt', () => {
    const incident = openIncident();
    const recorder = new RefusalRecorder(p.store, clock.clock);
    const attempt = {
      actor: 'U0OUTSIDER',
      action: 'incident_resolve',
      refusal: refuse('not_a_responder', { users: [ACTOR], groups: [] }),
      idempotencyKey: 'click-1',
    };
    const before = p.db.prepare('select count(*) as n from events').get();
    expect(recorder.record({ ...attempt, stream: 'INC-999' })).toBe(false);
    expect(p.db.prepare('select count(*) as n from events').get()).toEqual(before);
    expect(recorder.record({ ...attempt, stream: `INC-${incident.id}` })).toBe(true);
    expect(recorder.record({ ...attempt, stream: `INC-${incident.id}` })).toBe(false);
    expect(refusedEvents(p, `INC-${incident.id}`)).toHaveLength(1);
  });

  it('is the only place in src/ that writes action_refused', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
      );
    const writers = files(SRC)
      .filter((file) => /type:\s*'action_refused'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(writers).toEqual(['app/refusal-recorder.ts']);
  });
});
