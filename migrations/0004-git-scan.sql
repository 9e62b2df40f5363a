-- Keys found in Git history (PRODUCT.md section 12). A Git find is a sighting of the same leak as a key seen in
-- Slack (same fingerprint), so leak_sightings learns the source 'git' and where the key was found (repository,
-- commit, path: never the key). SQLite cannot change a CHECK in place: the table is rebuilt with its rows.

CREATE TABLE leak_sightings_new (
  id         INTEGER PRIMARY KEY,
  leak_id    INTEGER NOT NULL REFERENCES leaks (id),
  source     TEXT    NOT NULL CHECK (source IN ('message', 'command', 'modal', 'git')),
  notice     TEXT    NOT NULL CHECK (notice IN ('first', 'again', 'reexposed')),
  channel_id TEXT    NOT NULL,
  message_ts TEXT,
  thread_ts  TEXT,
  poster     TEXT    NOT NULL,
  seen_at    INTEGER NOT NULL,
  exposed_at INTEGER NOT NULL,           -- for a Git find: the first commit's author date
  event_id   TEXT,
  source_key TEXT    NOT NULL UNIQUE,
  location   TEXT,                       -- a Git find: "repository @ commit: path"; NULL for Slack sightings
  UNIQUE (channel_id, message_ts, leak_id),
  CHECK ((source = 'message') = (message_ts IS NOT NULL)),
  CHECK ((source = 'git') = (location IS NOT NULL))
) STRICT;

INSERT INTO leak_sightings_new (id, leak_id, source, notice, channel_id, message_ts, thread_ts, poster, seen_at,
                                exposed_at, event_id, source_key)
SELECT id, leak_id, source, notice, channel_id, message_ts, thread_ts, poster, seen_at, exposed_at, event_id, source_key
FROM leak_sightings;

DROP TABLE leak_sightings;
ALTER TABLE leak_sightings_new RENAME TO leak_sightings;
CREATE INDEX leak_sightings_by_leak ON leak_sightings (leak_id, exposed_at);

-- The commits each scanned repository's refs pointed at after its last scan: the next scan skips them and their
-- ancestors, so a scheduled scan reads only what is new.
CREATE TABLE git_scan_tips (
  repository TEXT    NOT NULL,
  tip        TEXT    NOT NULL CHECK (length(tip) IN (40, 64)),
  scanned_at INTEGER NOT NULL,
  PRIMARY KEY (repository, tip)
) STRICT;
