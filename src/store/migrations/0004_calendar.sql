-- 0004_calendar: administrators' overrides of the published working-day calendar.
-- Owned by src/calendar/. The published calendar itself is shipped data (core/working_days).
CREATE TABLE calendar_override (
  date           TEXT PRIMARY KEY,      -- YYYY-MM-DD (China Standard Time)
  workday        INTEGER NOT NULL,      -- 1 = working day, 0 = day off
  name           TEXT NOT NULL,         -- e.g. "国庆节" or "防汛调休上班"
  reason         TEXT NOT NULL,         -- why it was changed (also in the audit log)
  updated_by     TEXT NOT NULL,
  updated_at_ms  BIGINT NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);
