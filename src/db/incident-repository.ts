import type { Database, Statement } from 'better-sqlite3';
import type { Incident, Resolution, RoomChoice, Step, StepRecord } from '../domain/types';

interface IncidentRow {
  id: number;
  channel_id: string;
  key_label: string;
  environment: Incident['environment'];
  key_mode: Incident['keyMode'];
  severity: Incident['severity'];
  how: string;
  opened_by: string;
  opened_at: number;
  exposure_start: number | null;
  status: Incident['status'];
  resolution: Resolution | null;
  resolved_at: number | null;
  resolved_by: string | null;
  summary: string;
  card_ts: string | null;
  lead: string | null;
  drill: number;
  room: RoomChoice;
}

interface StepRow {
  step: Step;
  done_at: number;
  done_by: string;
  details: string;
}

export type NewIncident = Omit<
  Incident,
  'id' | 'status' | 'resolution' | 'resolvedAt' | 'resolvedBy' | 'summary' | 'cardTs' | 'steps' | 'lead'
>;

/** Incidents and their steps: the one place rows become domain objects. */
export class IncidentRepository {
  private readonly insertRow: Statement;
  private readonly byId: Statement<{ id: number }, IncidentRow>;
  private readonly byOpenKey: Statement<{ openKey: string }, IncidentRow>;
  private readonly stepsOf: Statement<{ id: number }, StepRow>;
  private readonly insertStep: Statement;
  private readonly resolveRow: Statement;
  private readonly cardTs: Statement;
  private readonly openInChannel: Statement<{ channelId: string }, IncidentRow>;
  private readonly allOpen: Statement<[], IncidentRow>;
  private readonly allIds: Statement<[], { id: number }>;
  private readonly leadRow: Statement;
  private readonly channelRow: Statement;
  private readonly resolvedDrills: Statement<{ before: number; limit: number }, IncidentRow>;

  constructor(db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO incidents (channel_id, key_label, environment, key_mode, severity, how, opened_by, opened_at, exposure_start, open_key, drill, room)
       VALUES (@channelId, @keyLabel, @environment, @keyMode, @severity, @how, @openedBy, @openedAt, @exposureStart, @openKey, @drill, @room)`,
    );
    this.byId = db.prepare('SELECT * FROM incidents WHERE id = @id');
    this.byOpenKey = db.prepare('SELECT * FROM incidents WHERE open_key = @openKey');
    this.stepsOf = db.prepare('SELECT step, done_at, done_by, details FROM incident_steps WHERE incident_id = @id');
    this.insertStep = db.prepare(
      'INSERT INTO incident_steps (incident_id, step, done_at, done_by, details) VALUES (@id, @step, @at, @by, @details)',
    );
    this.resolveRow = db.prepare(
      `UPDATE incidents SET status = 'resolved', resolution = @resolution, resolved_at = @at, resolved_by = @by, summary = @summary
       WHERE id = @id AND status = 'open'`,
    );
    this.cardTs = db.prepare('UPDATE incidents SET card_ts = @ts WHERE id = @id');
    this.openInChannel = db.prepare(
      "SELECT * FROM incidents WHERE channel_id = @channelId AND status = 'open' ORDER BY id DESC",
    );
    this.allOpen = db.prepare("SELECT * FROM incidents WHERE status = 'open' ORDER BY id");
    this.allIds = db.prepare('SELECT id FROM incidents ORDER BY id');
    this.leadRow = db.prepare('UPDATE incidents SET lead = @lead WHERE id = @id');
    this.channelRow = db.prepare('UPDATE incidents SET channel_id = @channelId WHERE id = @id');
    this.resolvedDrills = db.prepare(
      "SELECT * FROM incidents WHERE drill = 1 AND status = 'resolved' AND id < @before ORDER BY id DESC LIMIT @limit",
    );
  }

  insert(incident: NewIncident, openKey: string): number {
    const { drill, room, ...rest } = incident;
    return Number(this.insertRow.run({ ...rest, openKey, drill: drill ? 1 : 0, room: room ?? 'here' }).lastInsertRowid);
  }

  get(id: number): Incident | null {
    const row = this.byId.get({ id });
    return row ? this.toIncident(row) : null;
  }

  findByOpenKey(openKey: string): Incident | null {
    const row = this.byOpenKey.get({ openKey });
    return row ? this.toIncident(row) : null;
  }

  /** Open incidents in a channel, newest first. */
  openInChannelOf(channelId: string): Incident[] {
    return this.openInChannel.all({ channelId }).map((row) => this.toIncident(row));
  }

  listOpen(): Incident[] {
    return this.allOpen.all().map((row) => this.toIncident(row));
  }

  /** Every incident's id, open or resolved (verification checks each one's stream). */
  ids(): number[] {
    return this.allIds.all().map((row) => row.id);
  }

  recordStep(id: number, record: StepRecord): void {
    this.insertStep.run({
      id,
      step: record.step,
      at: record.at,
      by: record.by,
      details: JSON.stringify(record.details),
    });
  }

  resolve(id: number, resolution: Resolution, at: number, by: string, summary: string): void {
    this.resolveRow.run({ id, resolution, at, by, summary });
  }

  setLead(id: number, lead: string): void {
    this.leadRow.run({ id, lead });
  }

  /** The incident moved to its own room: everything it posts from now on goes there. */
  moveToChannel(id: number, channelId: string): void {
    this.channelRow.run({ id, channelId });
  }

  /** Resolved drills before `before`, newest first (a drill's resolve compares the team with them). */
  drillsBefore(before: number, limit: number): Incident[] {
    return this.resolvedDrills.all({ before, limit }).map((row) => this.toIncident(row));
  }

  setCardTs(id: number, ts: string): void {
    this.cardTs.run({ id, ts });
  }

  private toIncident(row: IncidentRow): Incident {
    const steps: Incident['steps'] = {};
    for (const step of this.stepsOf.all({ id: row.id })) {
      steps[step.step] = {
        step: step.step,
        at: step.done_at,
        by: step.done_by,
        details: JSON.parse(step.details) as Record<string, unknown>,
      };
    }
    return {
      id: row.id,
      channelId: row.channel_id,
      keyLabel: row.key_label,
      environment: row.environment,
      keyMode: row.key_mode,
      severity: row.severity,
      how: row.how,
      openedBy: row.opened_by,
      openedAt: row.opened_at,
      exposureStart: row.exposure_start,
      status: row.status,
      resolution: row.resolution,
      resolvedAt: row.resolved_at,
      resolvedBy: row.resolved_by,
      summary: row.summary,
      cardTs: row.card_ts,
      steps,
      lead: row.lead ?? row.opened_by,
      drill: row.drill === 1,
      room: row.room,
    };
  }
}
