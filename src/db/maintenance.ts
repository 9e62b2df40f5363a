import type { Database } from 'better-sqlite3';

/** Names of the start-up chores recorded in the `maintenance` table (migration 0006). */
export type MaintenanceName = 'schedule_settings' | 'integrity_check';

export function lastMaintenance(db: Database, name: MaintenanceName): { value: string; at: number } | null {
  const row = db.prepare('SELECT value, at FROM maintenance WHERE name = ?').get(name) as
    | { value: string; at: number }
    | undefined;
  return row ?? null;
}

/** Call inside the transaction that did the work, where there is one. */
export function recordMaintenance(db: Database, name: MaintenanceName, value: string, at: number): void {
  db.prepare(
    'INSERT INTO maintenance (name, value, at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, at = excluded.at',
  ).run(name, value, at);
}
