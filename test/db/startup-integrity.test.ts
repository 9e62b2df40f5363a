import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastMaintenance } from '../../src/db/maintenance';
import { openDatabase } from '../../src/db/open-database';
import { INTEGRITY_CHECK_EVERY_MS, integrityCheckIfDue } from '../../src/db/startup-integrity';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

describe('the integrity check at start', () => {
  let dir: string;
  let db: Database;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-integrity-'));
    db = openDatabase(join(dir, 'bot.sqlite'));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs on the first start, then at most once a day, and records only a pass', () => {
    expect(integrityCheckIfDue(db, T0)).toBe('ok');
    expect(lastMaintenance(db, 'integrity_check')).toEqual({ value: 'ok', at: T0 });
    expect(integrityCheckIfDue(db, T0 + 60_000)).toBeNull();
    expect(integrityCheckIfDue(db, T0 + INTEGRITY_CHECK_EVERY_MS - 1)).toBeNull();
    expect(lastMaintenance(db, 'integrity_check')).toEqual({ value: 'ok', at: T0 });
    expect(integrityCheckIfDue(db, T0 + INTEGRITY_CHECK_EVERY_MS)).toBe('ok');
    expect(lastMaintenance(db, 'integrity_check')).toEqual({ value: 'ok', at: T0 + INTEGRITY_CHECK_EVERY_MS });
  });

  it('runs again when the record cannot be trusted: a clock set back, or a row edited by hand', () => {
    expect(integrityCheckIfDue(db, T0)).toBe('ok');
    expect(integrityCheckIfDue(db, T0 - 1)).toBe('ok');
    db.prepare("UPDATE maintenance SET value = 'perhaps' WHERE name = 'integrity_check'").run();
    expect(integrityCheckIfDue(db, T0)).toBe('ok');
    db.prepare("UPDATE maintenance SET at = ? WHERE name = 'integrity_check'").run(T0 + 10 * INTEGRITY_CHECK_EVERY_MS);
    expect(integrityCheckIfDue(db, T0 + 1)).toBe('ok');
  });
});
