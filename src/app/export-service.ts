import { integrityCheck } from '../db/open-database';
import { verifyStoredChain } from '../domain/chain-forensics';
import type { ExportFormatName } from '../domain/command';
import type { ChainVerdict } from '../domain/event-chain';
import { checkIncidentRecord } from '../domain/incident-record';
import { checkAgainstWitness, type Witness } from '../domain/record-witness';
import { parseIncidentRef } from '../domain/refs';
import { type ExportFile, renderExport } from '../domain/timeline';
import { type Incident, incidentRef } from '../domain/types';
import type { Clock } from './clock';
import type { Store } from './store';

export interface IncidentExport {
  incident: Incident;
  file: ExportFile;
  integrity: ChainVerdict;
  databaseIntegrity: string;
}

export interface StreamVerdict {
  stream: string;
  verdict: ChainVerdict;
}

export interface RecordVerdict {
  ok: boolean;
  /** Every stream checked, in name order; the broken ones carry their first bad event. */
  streams: StreamVerdict[];
  /** The result of `PRAGMA integrity_check`: 'ok' or SQLite's message. */
  databaseIntegrity: string;
}

export interface ExportServiceOptions {
  store: Store;
  /** IANA zone for local times in exports (DISPLAY_TIMEZONE). */
  displayTimeZone: string;
  clock: Clock;
}

/**
 * The post-incident timeline and the checks behind it. Exporting and verifying only read: they run on a
 * read-only database in the CLI, and in the bot they change no incident, step or event. The one write here,
 * `requestUpload`, queues a Slack message and touches nothing else.
 */
export class ExportService {
  private readonly store: Store;
  private readonly displayTimeZone: string;
  private readonly clock: Clock;

  constructor(options: ExportServiceOptions) {
    this.store = options.store;
    this.displayTimeZone = options.displayTimeZone;
    this.clock = options.clock;
  }

  /** The incident's timeline file, checked first; null when there is no such incident. */
  exportIncident(incidentId: number, format: ExportFormatName): IncidentExport | null {
    // One read transaction: the incident row and its events come from the same snapshot even while the bot
    // (another process, for the CLI) keeps writing.
    return this.store.db.transaction(() => {
      const incident = this.store.incidents.get(incidentId);
      if (!incident) return null;
      const { verdict, events } = this.checkIncident(incident);
      const databaseIntegrity = integrityCheck(this.store.db);
      const file = renderExport(
        {
          incident,
          // Shown in seq order; verified above in stored order, so a row moved out of place is still caught.
          events: [...events].sort((a, b) => a.seq - b.seq),
          integrity: verdict,
          databaseIntegrity,
          displayTimeZone: this.displayTimeZone,
        },
        format,
      );
      return { incident, file, integrity: verdict, databaseIntegrity };
    })();
  }

  /**
   * Checks one stream (`INC-3`, `ROT-2`, `KEYS`…) or every stream and every incident, plus the database file.
   * An incident stream is also checked against its incident row, which catches a stream cut short at its end.
   * Returns null when the named stream has neither events nor an incident.
   */
  verify(stream?: string): RecordVerdict | null {
    return this.store.db.transaction(() => {
      const streams: StreamVerdict[] = [];
      for (const name of stream === undefined ? this.allStreams() : [stream]) {
        const verdict = this.verifyStream(name);
        if (verdict) streams.push({ stream: name, verdict });
      }
      if (stream !== undefined && streams.length === 0) return null;
      const databaseIntegrity = integrityCheck(this.store.db);
      return { ok: databaseIntegrity === 'ok' && streams.every((s) => s.verdict.ok), streams, databaseIntegrity };
    })();
  }

  /** Like `verify(stream)`, and the stream must still hold what a witness outside the database saw. */
  verifyAgainst(witness: Witness): RecordVerdict | null {
    const verdict = this.verify(witness.stream);
    if (!verdict) return null;
    const events = this.store.events.stream(witness.stream);
    const streams = verdict.streams.map((s) => ({ ...s, verdict: checkAgainstWitness(events, witness, s.verdict) }));
    return { ...verdict, streams, ok: verdict.databaseIntegrity === 'ok' && streams.every((s) => s.verdict.ok) };
  }

  /**
   * Queues the upload of an incident's timeline to its channel. The file is drawn when it is sent, from the
   * record as it is then. `requestKey` (the click or command) makes a redelivered payload upload once.
   */
  requestUpload(input: {
    incidentId: number;
    format: ExportFormatName;
    requestedBy: string;
    requestKey: string;
  }): Incident | null {
    const now = this.clock().getTime();
    return this.store.transaction(() => {
      const incident = this.store.incidents.get(input.incidentId);
      if (!incident) return null;
      this.store.outbox.enqueue(
        {
          channelId: incident.channelId,
          kind: 'file',
          subject: incidentRef(incident.id),
          payload: { format: input.format, requestedBy: input.requestedBy },
          dedupeKey: `export:${input.requestKey}`,
        },
        now,
      );
      return incident;
    });
  }

  private checkIncident(incident: Incident) {
    const stream = incidentRef(incident.id);
    const events = this.store.events.stream(stream);
    return {
      events,
      verdict: checkIncidentRecord(incident, events, verifyStoredChain(stream, events, this.store.events.recordKey)),
    };
  }

  private verifyStream(stream: string): ChainVerdict | null {
    const incidentId = parseIncidentRef(stream);
    const incident = incidentId === null ? null : this.store.incidents.get(incidentId);
    if (incident) return this.checkIncident(incident).verdict;
    const events = this.store.events.stream(stream);
    return events.length === 0 ? null : verifyStoredChain(stream, events, this.store.events.recordKey);
  }

  private allStreams(): string[] {
    const incidents = this.store.incidents.ids().map(incidentRef);
    return [...new Set([...this.store.events.allStreams(), ...incidents])].sort((a, b) =>
      a.localeCompare(b, 'en', { numeric: true }),
    );
  }
}
