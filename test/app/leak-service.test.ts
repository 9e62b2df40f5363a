import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncidentService } from '../../src/app/incident-service';
import { LEAKS_STREAM, LeakService } from '../../src/app/leak-service';
import { createStore, type Store } from '../../src/app/store';
import { LeakRepository } from '../../src/db/leak-repository';
import { openDatabase } from '../../src/db/open-database';
import { findSecretKeys } from '../../src/domain/key-detector';
import { fingerprintKey } from '../../src/domain/key-fingerprint';
import { fakeSecretKey } from '../support/fake-keys';
import { testClock } from '../support/test-clock';

const T0 = Date.UTC(2026, 10, 28, 9);
const CHANNEL = 'C0CHAN0001';

describe('LeakService', () => {
  let db: Database;
  let store: Store;
  let draws: number;
  const clock = testClock(T0);
  const randomBytes = (n: number) => {
    draws += 1;
    return Uint8Array.from({ length: n }, (_, i) => (i * 7 + draws) % 256);
  };
  const service = () =>
    new LeakService({
      store,
      leaks: new LeakRepository(db),
      incidents: new IncidentService({ store, clock: clock.clock, revokeNudgeMinutes: 5 }),
      clock: clock.clock,
      randomBytes,
    });
  const message = (text: string, ts = '1795856400.000100', channelId = CHANNEL) => ({
    channelId,
    messageTs: ts,
    threadTs: ts,
    poster: 'U0POSTER01',
    exposedAt: T0 - 1000,
    eventId: `Ev${ts}`,
    keys: findSecretKeys(text),
  });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  beforeEach(() => {
    db = openDatabase(':memory:');
    store = createStore(db);
    draws = 0;
  });
  afterEach(() => db.close());

  it('makes the fingerprint secret once, from the injected random source, and keeps it across restarts', () => {
    service();
    service();
    expect(draws).toBe(1);
    const stored = db.prepare("SELECT value FROM settings WHERE name = 'leak_fingerprint_secret'").get() as {
      value: string;
    };
    expect(stored.value).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores the mode, the last four characters and the keyed fingerprint, never the key', () => {
    const key = fakeSecretKey();
    service().recordMessage(message(`look: ${key}`));
    const secret = (
      db.prepare("SELECT value FROM settings WHERE name = 'leak_fingerprint_secret'").get() as {
        value: string;
      }
    ).value;
    expect(db.prepare('SELECT mode, last4, fingerprint FROM leaks').get()).toEqual({
      mode: 'live',
      last4: key.slice(-4),
      fingerprint: fingerprintKey(key, secret),
    });
    const everything = JSON.stringify([
      db.prepare('SELECT * FROM leaks').all(),
      db.prepare('SELECT * FROM leak_sightings').all(),
      db.prepare('SELECT * FROM events').all(),
      db.prepare('SELECT * FROM outbox').all(),
    ]);
    expect(everything).not.toContain(key.slice(8, 28));
  });

  it('records a message once, however often it is delivered, and owes one warning', () => {
    const leaks = service();
    const key = fakeSecretKey();
    expect(leaks.recordMessage(message(key)).map((s) => s.notice)).toEqual(['first']);
    expect(leaks.recordMessage(message(key))).toEqual([]);
    expect(count("SELECT count(*) AS n FROM outbox WHERE subject = 'LEAK-1'")).toBe(1);
    expect(count('SELECT count(*) AS n FROM leak_sightings')).toBe(1);
    expect(store.events.stream(LEAKS_STREAM)).toHaveLength(1);
  });

  it('counts the same key in another message as the same leak, seen again', () => {
    const leaks = service();
    const key = fakeSecretKey();
    leaks.recordMessage(message(key));
    const again = leaks.recordMessage(message(`again ${key}`, '1795856500.000100', 'C0OTHER001'));
    expect(again.map((s) => [s.leak.id, s.notice])).toEqual([[1, 'again']]);
    expect(count('SELECT count(*) AS n FROM leaks')).toBe(1);
    expect(count('SELECT count(*) AS n FROM outbox')).toBe(2);
  });

  it('warns about each key of a message with several', () => {
    const seen = service().recordMessage(message(`${fakeSecretKey()} and ${fakeSecretKey('test')}`));
    expect(seen.map((s) => [s.leak.id, s.leak.mode])).toEqual([
      [1, 'live'],
      [2, 'test'],
    ]);
  });

  it('records events in the LEAKS stream with the mask facts only', () => {
    const key = fakeSecretKey();
    service().recordMessage(message(key));
    const [event] = store.events.stream(LEAKS_STREAM);
    expect(event).toMatchObject({ type: 'leak_detected', actor: 'bot', at: T0 });
    expect(event?.details).toEqual({
      leak: 'LEAK-1',
      leakId: 1,
      mode: 'live',
      last4: key.slice(-4),
      notice: 'first',
      source: 'message',
      channelId: CHANNEL,
      messageTs: '1795856400.000100',
      poster: 'U0POSTER01',
      exposedAt: T0 - 1000,
    });
  });

  it('records a key typed into the command once per command, and answers with its leak each time', () => {
    const leaks = service();
    const key = fakeSecretKey();
    const typed = {
      source: 'command' as const,
      channelId: CHANNEL,
      actor: 'U0TYPER001',
      sourceKey: 'T1',
      keys: findSecretKeys(key),
    };
    expect(leaks.recordTyped(typed).map((leak) => leak.id)).toEqual([1]);
    expect(leaks.recordTyped(typed).map((leak) => leak.id)).toEqual([1]);
    expect(count('SELECT count(*) AS n FROM leak_sightings')).toBe(1);
    expect(count('SELECT count(*) AS n FROM outbox')).toBe(0);
  });

  it('opens one incident per leak, in a channel where it was seen, and refuses other channels', () => {
    const leaks = service();
    leaks.recordMessage(message(fakeSecretKey()));
    expect(leaks.openIncident({ leakId: 1, channelId: 'C0OTHER001', actor: 'U0A' })).toEqual({
      kind: 'not_found',
      leakId: 1,
    });
    const opened = leaks.openIncident({ leakId: 1, channelId: CHANNEL, actor: 'U0A' });
    expect(opened.kind).toBe('opened');
    expect(leaks.openIncident({ leakId: 1, channelId: CHANNEL, actor: 'U0B' }).kind).toBe('already_open');
    expect(leaks.get(1)?.incidentId).toBe(1);
    expect(count('SELECT count(*) AS n FROM incidents')).toBe(1);
  });
});
