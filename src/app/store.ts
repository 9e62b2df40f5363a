import type { Database } from 'better-sqlite3';
import { EventLog } from '../db/event-log';
import { IncidentRepository } from '../db/incident-repository';
import { OutboxRepository } from '../db/outbox-repository';
import type { RecordKey } from '../domain/event-chain';

/** The database and its repositories, opened once by main.ts and handed to every use-case. */
export interface Store {
  db: Database;
  events: EventLog;
  incidents: IncidentRepository;
  outbox: OutboxRepository;
  /** Runs `work` in one BEGIN IMMEDIATE transaction: read-then-write never races another writer. */
  transaction<T>(work: () => T): T;
}

export function createStore(db: Database, options: { recordKey?: RecordKey } = {}): Store {
  return {
    db,
    events: new EventLog(db, options.recordKey ?? null),
    incidents: new IncidentRepository(db),
    outbox: new OutboxRepository(db),
    transaction: <T>(work: () => T): T => db.transaction(work).immediate(),
  };
}
