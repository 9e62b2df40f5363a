-- Rate-limit signals (PRODUCT.md section 11): each key's recent windows of 429 counts, and the spikes judged from
-- them or announced by an alert. Counts are not chained events (a busy key sends one a minute); every decision
-- made from them (a spike, its end, a dismissal, an incident) is, in the SIGNALS stream.

-- One row per key that has sent counts: when its data began (the first hour is judged by the floor alone).
CREATE TABLE signal_keys (
  key_label      TEXT    PRIMARY KEY,
  first_window_at INTEGER NOT NULL,
  last_window_at  INTEGER NOT NULL,
  open_spike_id   INTEGER REFERENCES signal_spikes (id)  -- the spike its counts are in now, if any
) STRICT;

-- The most recent windows of each key, pruned to SIGNALS_HISTORY_WINDOWS: memory per key is bounded.
CREATE TABLE signal_windows (
  id              INTEGER PRIMARY KEY,
  key_label       TEXT    NOT NULL REFERENCES signal_keys (key_label),
  window_start    INTEGER NOT NULL,
  window_seconds  INTEGER NOT NULL CHECK (window_seconds BETWEEN 1 AND 86400),
  count           INTEGER NOT NULL CHECK (count >= 0),
  total           INTEGER CHECK (total IS NULL OR total >= count),
  rate_per_minute REAL    NOT NULL CHECK (rate_per_minute >= 0),
  in_normal       INTEGER NOT NULL CHECK (in_normal IN (0, 1)),  -- spikes judged against the normal stay out of it
  received_at     INTEGER NOT NULL,
  UNIQUE (key_label, window_start)     -- the same window sent twice counts once
) STRICT;

CREATE TABLE signal_spikes (
  id                 INTEGER PRIMARY KEY,  -- the n of SIG-n
  source             TEXT    NOT NULL CHECK (source IN ('counts', 'alertmanager', 'grafana')),
  source_key         TEXT    NOT NULL UNIQUE,  -- counts:<label>:<window start>, alert:<fingerprint>:<startsAt>
  key_label          TEXT    NOT NULL,
  key_known          INTEGER NOT NULL CHECK (key_known IN (0, 1)),
  environment        TEXT    CHECK (environment IN ('production', 'staging', 'development')),
  key_mode           TEXT    NOT NULL CHECK (key_mode IN ('live', 'test', 'unknown')),
  channel_id         TEXT    NOT NULL,
  started_at         INTEGER NOT NULL,
  detected_at        INTEGER NOT NULL,
  window_seconds     INTEGER CHECK (window_seconds IS NULL OR window_seconds BETWEEN 1 AND 86400),
  count              INTEGER CHECK (count IS NULL OR count >= 0),
  rate_per_minute    REAL,
  normal_per_minute  REAL,
  alert_name         TEXT,
  summary            TEXT    NOT NULL DEFAULT '',
  ended_at           INTEGER,
  dismissed_at       INTEGER,
  dismissed_by       TEXT,
  dismiss_reason     TEXT,
  incident_id        INTEGER REFERENCES incidents (id),
  routed_incident_id INTEGER REFERENCES incidents (id),
  card_ts            TEXT,
  CHECK ((dismissed_at IS NULL) = (dismissed_by IS NULL)),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
) STRICT;

CREATE INDEX signal_spikes_by_key ON signal_spikes (key_label, id);

-- A secret key sent to the bot inside a signal is a leak like one pasted in chat: the leak's sightings learn a
-- new source ('signal'). SQLite cannot change a CHECK in place, so the table is rebuilt with its rows.
CREATE TABLE leak_sightings_new (
  id         INTEGER PRIMARY KEY,
  leak_id    INTEGER NOT NULL REFERENCES leaks (id),
  source     TEXT    NOT NULL CHECK (source IN ('message', 'command', 'modal', 'git', 'signal')),
  notice     TEXT    NOT NULL CHECK (notice IN ('first', 'again', 'reexposed')),
  channel_id TEXT    NOT NULL,
  message_ts TEXT,
  thread_ts  TEXT,
  poster     TEXT    NOT NULL,
  seen_at    INTEGER NOT NULL,
  exposed_at INTEGER NOT NULL,
  event_id   TEXT,
  source_key TEXT    NOT NULL UNIQUE,
  location   TEXT,
  UNIQUE (channel_id, message_ts, leak_id),
  CHECK ((source = 'message') = (message_ts IS NOT NULL)),
  CHECK ((source = 'git') = (location IS NOT NULL))
) STRICT;

INSERT INTO leak_sightings_new (id, leak_id, source, notice, channel_id, message_ts, thread_ts, poster, seen_at,
                                exposed_at, event_id, source_key, location)
SELECT id, leak_id, source, notice, channel_id, message_ts, thread_ts, poster, seen_at, exposed_at, event_id,
       source_key, location
FROM leak_sightings;
DROP TABLE leak_sightings;
ALTER TABLE leak_sightings_new RENAME TO leak_sightings;
CREATE INDEX leak_sightings_by_leak ON leak_sightings (leak_id, exposed_at);
