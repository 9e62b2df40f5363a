import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeakRepository, type NewSighting } from '../../src/db/leak-repository';
import { openDatabase } from '../../src/db/open-database';

const T0 = Date.UTC(2026, 10, 28, 9);
const FINGERPRINT = 'ab'.repeat(32);

describe('LeakRepository', () => {
  let db: Database;
  let repo: LeakRepository;
  beforeEach(() => {
    db = openDatabase(':memory:');
    repo = new LeakRepository(db);
  });
  afterEach(() => db.close());

  const insertLeak = (fingerprint = FINGERPRINT) =>
    repo.insert({
      mode: 'live',
      last4: '7Q2x',
      fingerprint,
      firstChannelId: 'C0CHAN0001',
      firstMessageTs: '1795856400.000100',
      firstPoster: 'U0POSTER01',
      firstSeenAt: T0,
      firstExposedAt: T0 - 1000,
    });
  const sighting = (leakId: number, overrides: Partial<NewSighting> = {}): NewSighting => ({
    leakId,
    source: 'message',
    notice: 'first',
    channelId: 'C0CHAN0001',
    messageTs: '1795856400.000100',
    threadTs: '1795856400.000100',
    poster: 'U0POSTER01',
    seenAt: T0,
    exposedAt: T0 - 1000,
    eventId: 'Ev1',
    sourceKey: 'message:C0CHAN0001:1795856400.000100:LEAK-1',
    ...overrides,
  });

  it('keeps the first fingerprint secret written, even when a second process generates another', () => {
    expect(repo.fingerprintSecret(() => 'first-secret')).toBe('first-secret');
    expect(new LeakRepository(db).fingerprintSecret(() => 'second-secret')).toBe('first-secret');
  });

  it('holds one leak per fingerprint', () => {
    insertLeak();
    expect(() => insertLeak()).toThrow(/UNIQUE/);
    expect(repo.findByFingerprint(FINGERPRINT)?.id).toBe(1);
  });

  it('records a message once per (channel, message ts, leak): a redelivery or an edit inserts nothing', () => {
    const leakId = insertLeak();
    expect(repo.addSighting(sighting(leakId))).toBe(1);
    expect(repo.addSighting(sighting(leakId, { eventId: 'Ev2', sourceKey: 'another' }))).toBeNull();
    expect(repo.addSighting(sighting(leakId, { messageTs: '1795856401.000100', sourceKey: 'third' }))).toBe(2);
    expect(repo.lastSeenAt(leakId)).toBe(T0);
    expect(repo.seenInChannel(leakId, 'C0CHAN0001')).toBe(true);
    expect(repo.seenInChannel(leakId, 'C0OTHER001')).toBe(false);
  });

  it('records a typed key once per payload', () => {
    const leakId = insertLeak();
    const typed = sighting(leakId, {
      source: 'command',
      messageTs: null,
      threadTs: null,
      sourceKey: 'command:T1:LEAK-1',
    });
    expect(repo.addSighting(typed)).toBe(1);
    expect(repo.addSighting(typed)).toBeNull();
  });

  it('refuses rows that are not a leak: unknown modes, wrong last four, a message without its ts', () => {
    expect(() =>
      db
        .prepare(
          "INSERT INTO leaks (mode, last4, fingerprint, first_channel_id, first_poster, first_seen_at, first_exposed_at) VALUES ('pk', 'abcd', ?, 'C1', 'U1', 0, 0)",
        )
        .run(FINGERPRINT),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO leaks (mode, last4, fingerprint, first_channel_id, first_poster, first_seen_at, first_exposed_at) VALUES ('live', 'abcdef', ?, 'C1', 'U1', 0, 0)",
        )
        .run(FINGERPRINT),
    ).toThrow(/CHECK/);
    const leakId = insertLeak();
    expect(() => repo.addSighting(sighting(leakId, { messageTs: null }))).toThrow(/CHECK/);
  });

  it('finds where a new exposure starts: the earliest sighting after a time', () => {
    const leakId = insertLeak();
    repo.addSighting(sighting(leakId));
    repo.addSighting(
      sighting(leakId, {
        messageTs: '2.0',
        seenAt: T0 + 9000,
        exposedAt: T0 + 8000,
        sourceKey: 'b',
        notice: 'reexposed',
      }),
    );
    repo.addSighting(sighting(leakId, { messageTs: '3.0', seenAt: T0 + 9500, exposedAt: T0 + 9400, sourceKey: 'c' }));
    expect(repo.firstSightingAfter(leakId, T0 + 1)?.exposedAt).toBe(T0 + 8000);
    expect(repo.firstSightingAfter(leakId, -1)?.exposedAt).toBe(T0 - 1000);
    expect(repo.firstSightingAfter(leakId, T0 + 10_000)).toBeNull();
  });
});
