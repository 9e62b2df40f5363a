import type { Database, Statement } from 'better-sqlite3';

export interface IncidentRoom {
  incidentId: number;
  originChannelId: string;
  channelId: string;
  name: string;
  isPrivate: boolean;
  createdAt: number;
  topic: string | null;
  archivedAt: number | null;
}

interface RoomRow {
  incident_id: number;
  origin_channel_id: string;
  channel_id: string;
  name: string;
  is_private: number;
  created_at: number;
  topic: string | null;
  archived_at: number | null;
}

const toRoom = (row: RoomRow): IncidentRoom => ({
  incidentId: row.incident_id,
  originChannelId: row.origin_channel_id,
  channelId: row.channel_id,
  name: row.name,
  isPrivate: row.is_private === 1,
  createdAt: row.created_at,
  topic: row.topic,
  archivedAt: row.archived_at,
});

/** Rooms the bot created for incidents, and the one status message per incident in STATUS_CHANNEL. */
export class RoomRepository {
  private readonly insertRoom: Statement;
  private readonly byIncident: Statement<{ incidentId: number }, RoomRow>;
  private readonly topicRow: Statement;
  private readonly archivedRow: Statement;
  private readonly statusTs: Statement<{ incidentId: number }, { ts: string }>;
  private readonly saveStatus: Statement;

  constructor(db: Database) {
    this.insertRoom = db.prepare(
      `INSERT INTO incident_rooms (incident_id, origin_channel_id, channel_id, name, is_private, created_at)
       VALUES (@incidentId, @originChannelId, @channelId, @name, @isPrivate, @createdAt)`,
    );
    this.byIncident = db.prepare('SELECT * FROM incident_rooms WHERE incident_id = @incidentId');
    this.topicRow = db.prepare('UPDATE incident_rooms SET topic = @topic WHERE incident_id = @incidentId');
    this.archivedRow = db.prepare('UPDATE incident_rooms SET archived_at = @at WHERE incident_id = @incidentId');
    this.statusTs = db.prepare('SELECT ts FROM status_messages WHERE incident_id = @incidentId');
    this.saveStatus = db.prepare(
      `INSERT INTO status_messages (incident_id, channel_id, ts) VALUES (@incidentId, @channelId, @ts)
       ON CONFLICT (incident_id) DO UPDATE SET channel_id = excluded.channel_id, ts = excluded.ts`,
    );
  }

  /** Throws on a second room for the same incident (the primary key): the caller's transaction rolls back. */
  insert(room: Omit<IncidentRoom, 'topic' | 'archivedAt'>): void {
    this.insertRoom.run({ ...room, isPrivate: room.isPrivate ? 1 : 0 });
  }

  get(incidentId: number): IncidentRoom | null {
    const row = this.byIncident.get({ incidentId });
    return row ? toRoom(row) : null;
  }

  setTopic(incidentId: number, topic: string): void {
    this.topicRow.run({ incidentId, topic });
  }

  markArchived(incidentId: number, at: number): void {
    this.archivedRow.run({ incidentId, at });
  }

  statusMessageTs(incidentId: number): string | null {
    return this.statusTs.get({ incidentId })?.ts ?? null;
  }

  saveStatusMessage(incidentId: number, channelId: string, ts: string): void {
    this.saveStatus.run({ incidentId, channelId, ts });
  }
}
