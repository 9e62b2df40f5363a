-- What start-up last did on work it can skip when nothing changed, so a restart stays fast with a large register:
-- `schedule_settings`: the ROTATION_DAYS and REMINDER_OFFSETS_DAYS every stored keys.next_reminder_at was computed
--   with (the whole schedule is recomputed only when they differ);
-- `integrity_check`: when PRAGMA integrity_check last passed (start-up runs it again once a day at most).
CREATE TABLE maintenance (
  name  TEXT    PRIMARY KEY,
  value TEXT    NOT NULL,
  at    INTEGER NOT NULL
) STRICT;
