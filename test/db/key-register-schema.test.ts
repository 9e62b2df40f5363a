import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database';
import { tempDatabase } from '../app/key-register-fixture';

describe('the key register schema', () => {
  let temp: ReturnType<typeof tempDatabase>;
  let db: Database;
  beforeEach(() => {
    temp = tempDatabase();
    db = openDatabase(temp.path);
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  const addKey = (label: string, extra: Record<string, unknown> = {}) =>
    db
      .prepare(
        `INSERT INTO keys (label, environment, kind, mode, last4, rotated_at, status, cycle, next_reminder_at, created_at)
         VALUES (@label, 'production', 'secret', 'live', @last4, 0, @status, 1, @next, 0)`,
      )
      .run({ label, last4: null, status: 'active', next: null, ...extra });

  it('treats labels differing only in case as the same label', () => {
    addKey('api-server-production-v2');
    expect(() => addKey('API-SERVER-production-v2')).toThrow(/UNIQUE/);
  });

  it('refuses a last four that is not four letters or digits, and a schedule on a key that is not active', () => {
    expect(() => addKey('a', { last4: 'sk_l' })).toThrow(/CHECK/);
    expect(() => addKey('b', { last4: 'Q2xFF' })).toThrow(/CHECK/);
    expect(() => addKey('c', { status: 'revoked', next: 5 })).toThrow(/CHECK/);
    expect(() => addKey('d', { status: 'sleeping' })).toThrow(/CHECK/);
  });

  it('lets a (key, cycle, stage) be claimed once, and only real ladder stages', () => {
    addKey('api-server-production-v2');
    db.prepare(
      `INSERT INTO reminders (key_id, cycle, stage, kind, due_at, overdue_days, channel_id, decided_at)
       VALUES (1, 1, 'before:7', 'upcoming', 0, 0, 'C0KEYS0001', 0)`,
    ).run();
    const claim = db.prepare('INSERT INTO reminder_claims (key_id, cycle, stage, reminder_id) VALUES (1, 1, ?, 1)');
    claim.run('before:14');
    claim.run('before:7');
    expect(() => claim.run('before:7')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => claim.run('someday')).toThrow(/CHECK/);
    expect(() => claim.run('overdue:0')).toThrow(/CHECK/);
  });

  it('allows one rotation in progress per key', () => {
    addKey('api-server-production-v2');
    const start = db.prepare(
      `INSERT INTO rotations (key_id, old_label, channel_id, started_by, started_at, start_key)
       VALUES (1, 'api-server-production-v2', 'C0KEYS0001', 'U0RESP0001', 0, ?)`,
    );
    start.run('first');
    expect(() => start.run('second')).toThrow(/UNIQUE/);
    db.prepare("UPDATE rotations SET status = 'cancelled'").run();
    start.run('third');
  });
});
