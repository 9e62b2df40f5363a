-- Secret keys seen in Slack (pasted in a channel, typed into the command or a modal). Never the key itself: its
-- mode, its last four characters and a keyed fingerprint (HMAC-SHA256 under the secret kept in `settings` as
-- `leak_fingerprint_secret`), so the same key seen twice is one leak.

CREATE TABLE leaks (
  id               INTEGER PRIMARY KEY,  -- the n of LEAK-n, what buttons carry instead of the key
  mode             TEXT    NOT NULL CHECK (mode IN ('live', 'test')),
  last4            TEXT    NOT NULL CHECK (length(last4) = 4),
  fingerprint      TEXT    NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
  first_channel_id TEXT    NOT NULL,
  first_message_ts TEXT,                 -- NULL when first typed into the command or a modal
  first_poster     TEXT    NOT NULL,
  first_seen_at    INTEGER NOT NULL,     -- when the bot saw it
  first_exposed_at INTEGER NOT NULL,     -- when it became visible: the message time
  incident_id      INTEGER REFERENCES incidents (id) -- the newest incident opened for it
) STRICT;

-- Every place a leaked key was seen. Slack redelivers events (X-Slack-Retry-Num) and sends an edit as a new event:
-- the UNIQUE constraints make each (message, key) and each typed payload count once, so it is warned about once.
CREATE TABLE leak_sightings (
  id         INTEGER PRIMARY KEY,
  leak_id    INTEGER NOT NULL REFERENCES leaks (id),
  source     TEXT    NOT NULL CHECK (source IN ('message', 'command', 'modal')),
  notice     TEXT    NOT NULL CHECK (notice IN ('first', 'again', 'reexposed')),
  channel_id TEXT    NOT NULL,
  message_ts TEXT,                       -- the message it is in; NULL when typed into the command or a modal
  thread_ts  TEXT,                       -- where the warning goes: the message's thread, or the message itself
  poster     TEXT    NOT NULL,
  seen_at    INTEGER NOT NULL,
  exposed_at INTEGER NOT NULL,
  event_id   TEXT,                       -- Slack's event_id, for tracing a delivery
  source_key TEXT    NOT NULL UNIQUE,    -- the payload that showed it: a typed key counts once per command or form
  UNIQUE (channel_id, message_ts, leak_id),
  CHECK ((source = 'message') = (message_ts IS NOT NULL))
) STRICT;

CREATE INDEX leak_sightings_by_leak ON leak_sightings (leak_id, exposed_at);
