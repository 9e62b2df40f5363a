import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { createStore } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { writeRecord } from '../fixtures/timeline/record-on-disk';
import { testClock } from '../support/test-clock';

/** The guarding triggers dropped, as someone with the file and the sqlite3 shell could. */
function tamper(path: string, work: (db: Database) => void): void {
  const db = new BetterSqlite3(path);
  db.exec('DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;');
  db.transaction(() => work(db))();
  db.close();
}

function verifyIncident(path: string, id = 1) {
  const store = createStore(openDatabase(path, { readonly: true }));
  try {
    const exports = new ExportService({ store, displayTimeZone: 'UTC', clock: testClock(0).clock });
    const json = exports.exportIncident(id, 'json')?.file.content ?? '';
    const markdown = exports.exportIncident(id, 'markdown')?.file.content ?? '';
    return { verdict: exports.verify(`INC-${id}`)?.streams[0]?.verdict, json, markdown };
  } finally {
    store.db.close();
  }
}

/**
 * A database-only attacker edits the incident row, which the hash chain does not cover: every field the export
 * shows must be checked against the chained events, and the first that differs named.
 */
describe('an edited incident row', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-row-'));
    path = join(dir, 'bot.sqlite');
    writeRecord(path).db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies untouched', () => {
    expect(verifyIncident(path).verdict?.ok).toBe(true);
  });

  const edits: [string, string, string][] = [
    [
      'the exposure window shortened',
      'UPDATE incidents SET exposure_start = opened_at - 60000 WHERE id = 1',
      'exposure_start',
    ],
    ['how it leaked rewritten', "UPDATE incidents SET how = 'nothing happened' WHERE id = 1", 'how'],
    ['a different opener', "UPDATE incidents SET opened_by = 'U0SOMEONE1' WHERE id = 1", 'opened_by'],
    ['the opening time moved', 'UPDATE incidents SET opened_at = opened_at + 3600000 WHERE id = 1', 'opened_at'],
    ['the severity lowered', "UPDATE incidents SET severity = 'SEV3' WHERE id = 1", 'severity'],
    ['the key label changed', "UPDATE incidents SET key_label = 'something-else' WHERE id = 1", 'key_label'],
    ['the resolution changed', "UPDATE incidents SET resolution = 'false_positive' WHERE id = 1", 'resolution'],
    ['the summary rewritten', "UPDATE incidents SET summary = 'all good' WHERE id = 1", 'summary'],
    [
      'a step done by someone else',
      "UPDATE incident_steps SET done_by = 'U0SOMEONE1' WHERE incident_id = 1 AND step = 'revoke'",
      'incident_steps(revoke).done_by',
    ],
    [
      'a step done later',
      "UPDATE incident_steps SET done_at = done_at + 1 WHERE incident_id = 1 AND step = 'review'",
      'incident_steps(review).done_at',
    ],
  ];
  for (const [name, sql, column] of edits) {
    it(`fails verify and the export, naming ${column}, when ${name}`, () => {
      tamper(path, (db) => db.exec(sql));
      const { verdict, json, markdown } = verifyIncident(path);
      expect(verdict?.ok).toBe(false);
      if (verdict?.ok !== false) return;
      expect(verdict.firstBad.problem).toBe('row_mismatch');
      expect(verdict.firstBad.message).toContain(`incidents.${column} `);
      expect(markdown).not.toContain('chain verified');
      expect(JSON.parse(json).integrity.verified).toBe(false);
    });
  }
});
