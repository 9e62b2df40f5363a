import type { Database, Statement } from 'better-sqlite3';
import type { Spike, SpikeSource } from '../domain/signals/spike';
import type { Environment, KeyMode } from '../domain/types';

interface SpikeRow {
  id: number;
  source: SpikeSource;
  source_key: string;
  key_label: string;
  key_known: number;
  environment: Environment | null;
  key_mode: KeyMode;
  channel_id: string;
  started_at: number;
  detected_at: number;
  window_seconds: number | null;
  count: number | null;
  rate_per_minute: number | null;
  normal_per_minute: number | null;
  alert_name: string | null;
  summary: string;
  ended_at: number | null;
  dismissed_at: number | null;
  dismissed_by: string | null;
  dismiss_reason: string | null;
  incident_id: number | null;
  routed_incident_id: number | null;
  card_ts: string | null;
}

const toSpike = (row: SpikeRow): Spike => ({
  id: row.id,
  source: row.source,
  keyLabel: row.key_label,
  keyKnown: row.key_known === 1,
  environment: row.environment,
  keyMode: row.key_mode,
  channelId: row.channel_id,
  startedAt: row.started_at,
  detectedAt: row.detected_at,
  windowSeconds: row.window_seconds,
  count: row.count,
  ratePerMinute: row.rate_per_minute,
  normalPerMinute: row.normal_per_minute,
  alertName: row.alert_name,
  summary: row.summary,
  endedAt: row.ended_at,
  dismissedAt: row.dismissed_at,
  dismissedBy: row.dismissed_by,
  dismissReason: row.dismiss_reason,
  incidentId: row.incident_id,
  routedIncidentId: row.routed_incident_id,
  cardTs: row.card_ts,
});

export type NewSpike = Omit<
  Spike,
  'id' | 'endedAt' | 'dismissedAt' | 'dismissedBy' | 'dismissReason' | 'incidentId' | 'cardTs'
> & { sourceKey: string };

export interface SignalKeyState {
  keyLabel: string;
  firstWindowAt: number;
  lastWindowAt: number;
  openSpikeId: number | null;
}

export interface NewWindow {
  keyLabel: string;
  windowStart: number;
  windowSeconds: number;
  count: number;
  total: number | null;
  ratePerMinute: number;
  /** False for a spike judged against the normal: it must not become the normal. */
  inNormal: boolean;
  receivedAt: number;
}

/** Signal keys, their recent windows and the spikes judged from them. Call inside a Store transaction. */
export class SignalRepository {
  private readonly keyState: Statement<
    { keyLabel: string },
    {
      key_label: string;
      first_window_at: number;
      last_window_at: number;
      open_spike_id: number | null;
    }
  >;
  private readonly insertKey: Statement;
  private readonly updateKey: Statement;
  private readonly insertWindow: Statement;
  private readonly normalRates: Statement<{ keyLabel: string; limit: number }, { rate_per_minute: number }>;
  private readonly prune: Statement;
  private readonly insertSpike: Statement;
  private readonly byId: Statement<{ id: number }, SpikeRow>;
  private readonly bySourceKey: Statement<{ sourceKey: string }, SpikeRow>;
  private readonly end: Statement;
  private readonly dismiss: Statement;
  private readonly linkIncident: Statement;
  private readonly saveCardTs: Statement;

  constructor(db: Database) {
    this.keyState = db.prepare('SELECT * FROM signal_keys WHERE key_label = @keyLabel');
    this.insertKey = db.prepare(
      `INSERT INTO signal_keys (key_label, first_window_at, last_window_at) VALUES (@keyLabel, @at, @at)
       ON CONFLICT DO NOTHING`,
    );
    this.updateKey = db.prepare(
      `UPDATE signal_keys SET last_window_at = max(last_window_at, @lastWindowAt), open_spike_id = @openSpikeId
       WHERE key_label = @keyLabel`,
    );
    this.insertWindow = db.prepare(
      `INSERT INTO signal_windows (key_label, window_start, window_seconds, count, total, rate_per_minute, in_normal,
                                   received_at)
       VALUES (@keyLabel, @windowStart, @windowSeconds, @count, @total, @ratePerMinute, @inNormal, @receivedAt)
       ON CONFLICT DO NOTHING`,
    );
    this.normalRates = db.prepare(
      `SELECT rate_per_minute FROM signal_windows WHERE key_label = @keyLabel AND in_normal = 1
       ORDER BY window_start DESC LIMIT @limit`,
    );
    // Both sides walk the (key_label, window_start) index: pruning costs a few index steps per window.
    this.prune = db.prepare(
      `DELETE FROM signal_windows WHERE key_label = @keyLabel AND window_start <= (
         SELECT window_start FROM signal_windows WHERE key_label = @keyLabel
         ORDER BY window_start DESC LIMIT 1 OFFSET @keep)`,
    );
    this.insertSpike = db.prepare(
      `INSERT INTO signal_spikes (source, source_key, key_label, key_known, environment, key_mode, channel_id,
                                  started_at, detected_at, window_seconds, count, rate_per_minute, normal_per_minute,
                                  alert_name, summary, routed_incident_id)
       VALUES (@source, @sourceKey, @keyLabel, @keyKnown, @environment, @keyMode, @channelId, @startedAt,
               @detectedAt, @windowSeconds, @count, @ratePerMinute, @normalPerMinute, @alertName, @summary,
               @routedIncidentId)
       ON CONFLICT (source_key) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM signal_spikes WHERE id = @id');
    this.bySourceKey = db.prepare('SELECT * FROM signal_spikes WHERE source_key = @sourceKey');
    this.end = db.prepare('UPDATE signal_spikes SET ended_at = @at WHERE id = @id AND ended_at IS NULL');
    this.dismiss = db.prepare(
      `UPDATE signal_spikes SET dismissed_at = @at, dismissed_by = @by, dismiss_reason = @reason
       WHERE id = @id AND dismissed_at IS NULL`,
    );
    this.linkIncident = db.prepare('UPDATE signal_spikes SET incident_id = @incidentId WHERE id = @id');
    this.saveCardTs = db.prepare('UPDATE signal_spikes SET card_ts = @ts WHERE id = @id');
  }

  /** The key's state, created at its first window. */
  keyFor(keyLabel: string, firstAt: number): SignalKeyState {
    this.insertKey.run({ keyLabel, at: firstAt });
    const row = this.keyState.get({ keyLabel });
    if (!row) throw new Error(`signal key ${keyLabel} was not stored`);
    return {
      keyLabel: row.key_label,
      firstWindowAt: row.first_window_at,
      lastWindowAt: row.last_window_at,
      openSpikeId: row.open_spike_id,
    };
  }

  saveKey(keyLabel: string, lastWindowAt: number, openSpikeId: number | null): void {
    this.updateKey.run({ keyLabel, lastWindowAt, openSpikeId });
  }

  /** The key's recent normal rates, oldest first. */
  normalHistory(keyLabel: string, limit: number): number[] {
    return this.normalRates
      .all({ keyLabel, limit })
      .map((row) => row.rate_per_minute)
      .reverse();
  }

  /** False when this window of this key was already recorded. */
  addWindow(window: NewWindow, keep: number): boolean {
    const inserted = this.insertWindow.run({ ...window, inNormal: window.inNormal ? 1 : 0 }).changes === 1;
    if (inserted) this.prune.run({ keyLabel: window.keyLabel, keep });
    return inserted;
  }

  /** The new spike, or null when its source (a window, an alert's fingerprint and start) was already recorded. */
  addSpike(spike: NewSpike): Spike | null {
    const result = this.insertSpike.run({ ...spike, keyKnown: spike.keyKnown ? 1 : 0 });
    if (result.changes !== 1) return null;
    return this.get(Number(result.lastInsertRowid));
  }

  get(id: number): Spike | null {
    const row = this.byId.get({ id });
    return row ? toSpike(row) : null;
  }

  findBySourceKey(sourceKey: string): Spike | null {
    const row = this.bySourceKey.get({ sourceKey });
    return row ? toSpike(row) : null;
  }

  markEnded(id: number, at: number): boolean {
    return this.end.run({ id, at }).changes === 1;
  }

  markDismissed(id: number, at: number, by: string, reason: string): boolean {
    return this.dismiss.run({ id, at, by, reason }).changes === 1;
  }

  setIncident(id: number, incidentId: number): void {
    this.linkIncident.run({ id, incidentId });
  }

  setCardTs(id: number, ts: string): void {
    this.saveCardTs.run({ id, ts });
  }
}
