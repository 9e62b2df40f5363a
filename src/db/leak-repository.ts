import type { Database, Statement } from 'better-sqlite3';
import type { SecretKeyMode } from '../domain/key-detector';
import type { Leak, LeakNotice, LeakSighting, LeakSource } from '../domain/leak';

const SECRET_SETTING = 'leak_fingerprint_secret';

interface LeakRow {
  id: number;
  mode: SecretKeyMode;
  last4: string;
  first_channel_id: string;
  first_message_ts: string | null;
  first_poster: string;
  first_seen_at: number;
  first_exposed_at: number;
  incident_id: number | null;
}

interface SightingRow {
  id: number;
  leak_id: number;
  source: LeakSource;
  notice: LeakNotice;
  channel_id: string;
  message_ts: string | null;
  thread_ts: string | null;
  poster: string;
  seen_at: number;
  exposed_at: number;
  location: string | null;
}

const toLeak = (row: LeakRow): Leak => ({
  id: row.id,
  mode: row.mode,
  last4: row.last4,
  firstChannelId: row.first_channel_id,
  firstMessageTs: row.first_message_ts,
  firstPoster: row.first_poster,
  firstSeenAt: row.first_seen_at,
  firstExposedAt: row.first_exposed_at,
  incidentId: row.incident_id,
});

const toSighting = (row: SightingRow): LeakSighting => ({
  id: row.id,
  leakId: row.leak_id,
  source: row.source,
  notice: row.notice,
  channelId: row.channel_id,
  messageTs: row.message_ts,
  threadTs: row.thread_ts,
  poster: row.poster,
  seenAt: row.seen_at,
  exposedAt: row.exposed_at,
  location: row.location,
});

export type NewLeak = Omit<Leak, 'id' | 'incidentId'> & { fingerprint: string };

export type NewSighting = Omit<LeakSighting, 'id' | 'location'> & {
  eventId: string | null;
  sourceKey: string;
  location?: string | null;
};

/** Leaks, where each was seen, and the fingerprint secret. Call inside a Store transaction. */
export class LeakRepository {
  private readonly readSecret: Statement<{ name: string }, { value: string }>;
  private readonly writeSecret: Statement;
  private readonly byFingerprint: Statement<{ fingerprint: string }, LeakRow>;
  private readonly byId: Statement<{ id: number }, LeakRow>;
  private readonly insertLeak: Statement;
  private readonly insertSighting: Statement;
  private readonly sightingById: Statement<{ id: number }, SightingRow>;
  private readonly lastSeen: Statement<{ leakId: number }, { at: number | null }>;
  private readonly firstAfter: Statement<{ leakId: number; after: number }, SightingRow>;
  private readonly inChannel: Statement<{ leakId: number; channelId: string }, { n: number }>;
  private readonly linkIncident: Statement;

  constructor(db: Database) {
    this.readSecret = db.prepare('SELECT value FROM settings WHERE name = @name');
    this.writeSecret = db.prepare('INSERT INTO settings (name, value) VALUES (@name, @value) ON CONFLICT DO NOTHING');
    this.byFingerprint = db.prepare('SELECT * FROM leaks WHERE fingerprint = @fingerprint');
    this.byId = db.prepare('SELECT * FROM leaks WHERE id = @id');
    this.insertLeak = db.prepare(
      `INSERT INTO leaks (mode, last4, fingerprint, first_channel_id, first_message_ts, first_poster, first_seen_at,
                          first_exposed_at)
       VALUES (@mode, @last4, @fingerprint, @firstChannelId, @firstMessageTs, @firstPoster, @firstSeenAt,
               @firstExposedAt)`,
    );
    // A redelivered event or a resubmitted form hits a UNIQUE constraint and inserts nothing.
    this.insertSighting = db.prepare(
      `INSERT INTO leak_sightings (leak_id, source, notice, channel_id, message_ts, thread_ts, poster, seen_at,
                                   exposed_at, event_id, source_key, location)
       VALUES (@leakId, @source, @notice, @channelId, @messageTs, @threadTs, @poster, @seenAt, @exposedAt, @eventId,
               @sourceKey, @location)
       ON CONFLICT DO NOTHING`,
    );
    this.sightingById = db.prepare('SELECT * FROM leak_sightings WHERE id = @id');
    this.lastSeen = db.prepare('SELECT max(seen_at) AS at FROM leak_sightings WHERE leak_id = @leakId');
    this.firstAfter = db.prepare(
      'SELECT * FROM leak_sightings WHERE leak_id = @leakId AND seen_at > @after ORDER BY exposed_at, id LIMIT 1',
    );
    this.inChannel = db.prepare(
      'SELECT count(*) AS n FROM leak_sightings WHERE leak_id = @leakId AND channel_id = @channelId',
    );
    this.linkIncident = db.prepare('UPDATE leaks SET incident_id = @incidentId WHERE id = @id');
  }

  /** The fingerprint secret, created by `generate` on first use. Two processes racing keep the first one written. */
  fingerprintSecret(generate: () => string): string {
    const existing = this.readSecret.get({ name: SECRET_SETTING });
    if (existing) return existing.value;
    this.writeSecret.run({ name: SECRET_SETTING, value: generate() });
    const stored = this.readSecret.get({ name: SECRET_SETTING });
    if (!stored) throw new Error('the fingerprint secret was not stored');
    return stored.value;
  }

  findByFingerprint(fingerprint: string): Leak | null {
    const row = this.byFingerprint.get({ fingerprint });
    return row ? toLeak(row) : null;
  }

  get(id: number): Leak | null {
    const row = this.byId.get({ id });
    return row ? toLeak(row) : null;
  }

  insert(leak: NewLeak): number {
    return Number(this.insertLeak.run(leak).lastInsertRowid);
  }

  /** The new sighting's id, or null when this payload already recorded it. */
  addSighting(sighting: NewSighting): number | null {
    const result = this.insertSighting.run({ ...sighting, location: sighting.location ?? null });
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  sighting(id: number): LeakSighting | null {
    const row = this.sightingById.get({ id });
    return row ? toSighting(row) : null;
  }

  lastSeenAt(leakId: number): number | null {
    return this.lastSeen.get({ leakId })?.at ?? null;
  }

  /** The earliest-exposed sighting recorded after `after`: where an exposure starts. */
  firstSightingAfter(leakId: number, after: number): LeakSighting | null {
    const row = this.firstAfter.get({ leakId, after });
    return row ? toSighting(row) : null;
  }

  seenInChannel(leakId: number, channelId: string): boolean {
    return (this.inChannel.get({ leakId, channelId })?.n ?? 0) > 0;
  }

  setIncident(leakId: number, incidentId: number): void {
    this.linkIncident.run({ id: leakId, incidentId });
  }
}
