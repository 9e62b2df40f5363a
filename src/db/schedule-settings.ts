import type { Database } from 'better-sqlite3';

/** The settings the stored reminder schedule was computed with (a single row), or null before the first start. */
export function storedScheduleSettings(db: Database): string | null {
  const row = db.prepare('SELECT fingerprint FROM schedule_settings WHERE id = 1').get() as
    | { fingerprint: string }
    | undefined;
  return row?.fingerprint ?? null;
}

/** Call inside the transaction that recomputed the schedule. */
export function saveScheduleSettings(db: Database, fingerprint: string): void {
  db.prepare(
    'INSERT INTO schedule_settings (id, fingerprint) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint',
  ).run(fingerprint);
}
