-- Incidents, their playbook steps, the append-only event log, and the outbox of Slack messages.

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE incidents (
  id             INTEGER PRIMARY KEY,  -- the n of INC-n
  channel_id     TEXT    NOT NULL,
  key_label      TEXT    NOT NULL,
  environment    TEXT    NOT NULL CHECK (environment IN ('production', 'staging', 'development')),
  key_mode       TEXT    NOT NULL CHECK (key_mode IN ('live', 'test', 'unknown')),
  severity       TEXT    NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3')),
  how            TEXT    NOT NULL DEFAULT '',
  opened_by      TEXT    NOT NULL,
  opened_at      INTEGER NOT NULL,
  exposure_start INTEGER,             -- NULL: unknown, the window starts at opened_at
  status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution     TEXT    CHECK (resolution IN ('revoked', 'false_positive', 'used_in_tests', 'wont_fix')),
  resolved_at    INTEGER,
  resolved_by    TEXT,
  summary        TEXT    NOT NULL DEFAULT '',
  card_ts        TEXT,
  open_key       TEXT    NOT NULL UNIQUE, -- idempotency: one incident per declaring payload
  CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
) STRICT;

CREATE INDEX incidents_open_by_channel ON incidents (channel_id, status);

CREATE TABLE incident_steps (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  step        TEXT    NOT NULL CHECK (step IN ('revoke', 'review', 'support', 'redeploy')),
  done_at     INTEGER NOT NULL,
  done_by     TEXT    NOT NULL,
  details     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
  PRIMARY KEY (incident_id, step)      -- a double click cannot record a step twice
) STRICT;

-- The append-only record. One hash chain per stream (INC-n, ROT-n, KEYS, LEAKS).
CREATE TABLE events (
  id              INTEGER PRIMARY KEY,
  stream          TEXT    NOT NULL,
  seq             INTEGER NOT NULL CHECK (seq >= 1),
  at              INTEGER NOT NULL,
  actor           TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  details         TEXT    NOT NULL CHECK (json_valid(details)),
  prev_hash       TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  idempotency_key TEXT    UNIQUE,      -- the Slack payload that caused it, where one could arrive twice
  UNIQUE (stream, seq)
) STRICT;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: record a correction as a new event');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only: record a correction as a new event');
END;

-- Slack messages owed, written in the same transaction as the change they report, sent after commit, in order.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  channel_id  TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('card', 'thread', 'post', 'file')),
  subject     TEXT    NOT NULL,        -- INC-n, ROT-n, KEY-n: what the message is about
  payload     TEXT    NOT NULL CHECK (json_valid(payload)),
  created_at  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  not_before  INTEGER NOT NULL,
  sent_at     INTEGER,
  result      TEXT,                    -- Slack ts of the posted message, or the last error code
  lease_owner TEXT,                    -- the process sending it now: two bots on one database never both send
  lease_until INTEGER,
  dedupe_key  TEXT    UNIQUE
) STRICT;

CREATE INDEX outbox_pending ON outbox (sent_at, channel_id, id);
