-- Incident rooms, leads, drills and the stakeholder status message (PRODUCT.md section 13).

-- NULL lead: the person who declared still leads. A handover is a lead_changed event in the incident's stream.
ALTER TABLE incidents ADD COLUMN lead TEXT;
ALTER TABLE incidents ADD COLUMN drill INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1));
-- Where the incident was asked to live; the room itself is recorded in incident_rooms once Slack created it.
ALTER TABLE incidents ADD COLUMN room TEXT NOT NULL DEFAULT 'here' CHECK (room IN ('here', 'new', 'private'));

-- A channel the bot created for one incident. The primary key is the incident: one room per incident, whatever
-- retries or second processes do.
CREATE TABLE incident_rooms (
  incident_id       INTEGER PRIMARY KEY REFERENCES incidents (id),
  origin_channel_id TEXT    NOT NULL,   -- where the incident was declared (the pointer goes there)
  channel_id        TEXT    NOT NULL UNIQUE,
  name              TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  is_private        INTEGER NOT NULL CHECK (is_private IN (0, 1)),
  created_at        INTEGER NOT NULL,
  topic             TEXT,                -- the last topic set, so an unchanged one is not sent again
  archived_at       INTEGER
) STRICT;

-- The one message per incident in STATUS_CHANNEL, updated in place.
CREATE TABLE status_messages (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents (id),
  channel_id  TEXT    NOT NULL,
  ts          TEXT    NOT NULL
) STRICT;

-- The outbox gains 'task': a Slack call that is not a message (create a room, invite, set its topic, archive it),
-- sent in order with the channel's messages. SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE outbox_new (
  id          INTEGER PRIMARY KEY,
  channel_id  TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind IN ('card', 'thread', 'post', 'file', 'task')),
  subject     TEXT    NOT NULL,
  payload     TEXT    NOT NULL CHECK (json_valid(payload)),
  created_at  INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  not_before  INTEGER NOT NULL,
  sent_at     INTEGER,
  result      TEXT,
  lease_owner TEXT,
  lease_until INTEGER,
  dedupe_key  TEXT    UNIQUE
) STRICT;

INSERT INTO outbox_new (id, channel_id, kind, subject, payload, created_at, attempts, not_before, sent_at, result,
                        lease_owner, lease_until, dedupe_key)
SELECT id, channel_id, kind, subject, payload, created_at, attempts, not_before, sent_at, result,
       lease_owner, lease_until, dedupe_key
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (sent_at, channel_id, id);
