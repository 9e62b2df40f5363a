-- The key register, its rotation reminders (posted exactly once per key, cycle and stage), and planned rotations.

CREATE TABLE keys (
  id               INTEGER PRIMARY KEY,
  label            TEXT    NOT NULL COLLATE NOCASE UNIQUE, -- `API-v2` and `api-v2` read as one key in a list
  environment      TEXT    NOT NULL CHECK (environment IN ('production', 'staging', 'development')),
  kind             TEXT    NOT NULL CHECK (kind IN ('secret', 'publishable')),
  mode             TEXT    NOT NULL CHECK (mode IN ('live', 'test')),
  last4            TEXT    CHECK (last4 IS NULL OR (length(last4) = 4 AND last4 NOT GLOB '*[^A-Za-z0-9]*')),
  rotated_at       INTEGER NOT NULL,    -- start of the current cycle: last rotation, or creation
  owner_id         TEXT,
  channel_id       TEXT,                -- NULL: reminders go to REMINDER_CHANNEL
  status           TEXT    NOT NULL CHECK (status IN ('active', 'rotating', 'revoked', 'compromised')),
  cycle            INTEGER NOT NULL CHECK (cycle >= 1),
  snoozed_until    INTEGER,
  -- When the reminder ladder next has something to say; derived from the row and its claims, kept for the tick's
  -- indexed query. Only active keys are reminded.
  next_reminder_at INTEGER CHECK (next_reminder_at IS NULL OR status = 'active'),
  created_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX keys_next_reminder ON keys (next_reminder_at) WHERE next_reminder_at IS NOT NULL;

-- One row per reminder message the bot owes or has posted (the `REM-n` subject in the outbox).
CREATE TABLE reminders (
  id           INTEGER PRIMARY KEY,
  key_id       INTEGER NOT NULL REFERENCES keys (id),
  cycle        INTEGER NOT NULL CHECK (cycle >= 1),
  stage        TEXT    NOT NULL,        -- the latest stage it covers
  kind         TEXT    NOT NULL CHECK (kind IN ('upcoming', 'due', 'overdue')),
  due_at       INTEGER NOT NULL,
  overdue_days INTEGER NOT NULL CHECK (overdue_days >= 0),
  skipped      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(skipped)), -- earlier stages folded into it
  channel_id   TEXT    NOT NULL,
  decided_at   INTEGER NOT NULL,
  card_ts      TEXT,
  UNIQUE (key_id, cycle, stage)
) STRICT;

-- Every stage of the ladder, claimed once: two bot processes on one database cannot both claim a stage, so a
-- reminder is never posted twice, and a stage folded into a coalesced message is never replayed.
CREATE TABLE reminder_claims (
  key_id      INTEGER NOT NULL REFERENCES keys (id),
  cycle       INTEGER NOT NULL CHECK (cycle >= 1),
  stage       TEXT    NOT NULL CHECK (stage = 'due' OR stage GLOB 'before:[1-9]*' OR stage GLOB 'overdue:[1-9]*'),
  reminder_id INTEGER NOT NULL REFERENCES reminders (id),
  PRIMARY KEY (key_id, cycle, stage)
) STRICT, WITHOUT ROWID;

-- Planned zero-downtime rotations (`ROT-n`): create → deploy → verify → revoke the old key.
CREATE TABLE rotations (
  id         INTEGER PRIMARY KEY,       -- the n of ROT-n
  key_id     INTEGER NOT NULL REFERENCES keys (id),
  old_label  TEXT    NOT NULL,
  new_label  TEXT,
  new_key_id INTEGER REFERENCES keys (id),
  channel_id TEXT    NOT NULL,
  started_by TEXT    NOT NULL,
  started_at INTEGER NOT NULL,
  status     TEXT    NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'done', 'cancelled')),
  card_ts    TEXT,
  start_key  TEXT    NOT NULL UNIQUE,   -- idempotency: one rotation per starting payload
  CHECK (new_key_id IS NULL OR status = 'done')
) STRICT;

CREATE UNIQUE INDEX rotations_one_open_per_key ON rotations (key_id) WHERE status = 'in_progress';

CREATE TABLE rotation_steps (
  rotation_id INTEGER NOT NULL REFERENCES rotations (id),
  step        TEXT    NOT NULL CHECK (step IN ('create', 'deploy', 'verify', 'revoke_old')),
  done_at     INTEGER NOT NULL,
  done_by     TEXT    NOT NULL,
  PRIMARY KEY (rotation_id, step)       -- a double click cannot record a step twice
) STRICT;
