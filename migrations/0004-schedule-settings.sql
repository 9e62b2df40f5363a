-- The reminder settings (ROTATION_DAYS, REMINDER_OFFSETS_DAYS) that every stored keys.next_reminder_at was computed
-- with. Start-up recomputes the whole schedule only when the configured settings differ from these: with 100,000
-- keys that is seconds of work, which a restart with unchanged settings does not need.
CREATE TABLE schedule_settings (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  fingerprint TEXT    NOT NULL
) STRICT;
