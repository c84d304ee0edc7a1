-- 0008_appointments: appointments (预约) at service halls, owned by src/cases/ (AppointmentService).
-- Slots are computed from the hall's schedule, not stored; capacity is enforced by the per-slot
-- and per-day counter rows, updated with `booked = booked + 1 WHERE … AND booked < capacity`.
-- Instants are UTC epoch milliseconds; dates YYYY-MM-DD and times HH:MM in China Standard Time.
CREATE TABLE appt_hall (                  -- 服务大厅
  id                  TEXT PRIMARY KEY,   -- ULID
  code                TEXT NOT NULL UNIQUE,  -- e.g. HALL-431121-01
  name                TEXT NOT NULL,
  region_code         TEXT NOT NULL,      -- 行政区划代码 (county level)
  address             TEXT NOT NULL,
  phone               TEXT NOT NULL,
  active              INTEGER NOT NULL,   -- 0 = 已停用: no new bookings, hidden from the portal
  schedule_json       TEXT NOT NULL,      -- {slotMinutes, bookAheadDays, …, workday, evening, restday}
  counter_types_json  TEXT NOT NULL,      -- [{code, name, itemCodes, bundleCodes, slotCapacity, dayCapacity}]
  created_by          TEXT NOT NULL,
  created_at_ms       BIGINT NOT NULL,
  updated_at_ms       BIGINT NOT NULL,
  version             BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE appt_booking (               -- 预约
  id                  TEXT PRIMARY KEY,   -- ULID
  booking_no          TEXT NOT NULL,      -- YY<YYYYMMDD><seq>, per hall and slot date
  hall_id             TEXT NOT NULL REFERENCES appt_hall (id),
  hall_name           TEXT NOT NULL,      -- as it was when booked
  counter_type        TEXT NOT NULL,
  counter_type_name   TEXT NOT NULL,
  slot_date           TEXT NOT NULL,      -- YYYY-MM-DD
  slot_start          TEXT NOT NULL,      -- HH:MM
  slot_end            TEXT NOT NULL,      -- HH:MM
  starts_at_ms        BIGINT NOT NULL,
  ends_at_ms          BIGINT NOT NULL,
  extended            INTEGER NOT NULL,   -- 1 = 延时服务 (evening) or 周末服务 (rest day)
  item_code           TEXT NOT NULL,      -- "" when none
  bundle_code         TEXT NOT NULL,      -- "" when none
  subject_name        TEXT NOT NULL,      -- the item's or bundle's name, "" when none
  applicant_kind      TEXT NOT NULL,      -- person / enterprise
  applicant_name      TEXT NOT NULL,      -- whole; shown masked (张*三) to all but the counter
  applicant_number_masked TEXT NOT NULL,  -- 身份证号 / 统一社会信用代码, masked
  applicant_key       TEXT NOT NULL,      -- SHA-256 of the whole number: one active booking a day
  applicant_party_id  TEXT,               -- identity_person / identity_enterprise id, when known
  applicant_user_id   TEXT,               -- the citizen / enterprise account that booked
  phone               TEXT NOT NULL,      -- whole, for the SMS notices (shown masked)
  status              TEXT NOT NULL,      -- booked / cancelled / checked_in / no_show
  cancel_reason       TEXT NOT NULL,
  remind_at_ms        BIGINT,             -- when the reminder is due; NULL = no reminder
  reminded_at_ms      BIGINT,             -- when it was sent (set once)
  booked_by           TEXT NOT NULL,      -- user id of whoever booked (the applicant or staff)
  created_at_ms       BIGINT NOT NULL,
  cancelled_at_ms     BIGINT,
  checked_in_at_ms    BIGINT,
  case_id             TEXT NOT NULL,      -- 办件 linked at the counter, "" when none
  version             BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX appt_booking_no ON appt_booking (hall_id, booking_no);
-- One active booking per person per hall per day (the service checks first; this is the guard).
CREATE UNIQUE INDEX appt_booking_active ON appt_booking (hall_id, slot_date, applicant_key)
  WHERE status = 'booked';
CREATE INDEX appt_booking_day ON appt_booking (hall_id, slot_date, slot_start);
CREATE INDEX appt_booking_user ON appt_booking (applicant_user_id, created_at_ms);
CREATE INDEX appt_booking_party ON appt_booking (applicant_party_id, created_at_ms);
CREATE INDEX appt_booking_remind ON appt_booking (status, remind_at_ms);
CREATE INDEX appt_booking_ends ON appt_booking (status, ends_at_ms);

CREATE TABLE appt_slot_count (            -- seats taken in one slot of one counter type
  hall_id       TEXT NOT NULL,
  counter_type  TEXT NOT NULL,
  slot_date     TEXT NOT NULL,
  slot_start    TEXT NOT NULL,
  booked        INTEGER NOT NULL,
  PRIMARY KEY (hall_id, counter_type, slot_date, slot_start)
);

CREATE TABLE appt_day_count (             -- seats taken on one day of one counter type
  hall_id       TEXT NOT NULL,
  counter_type  TEXT NOT NULL,
  slot_date     TEXT NOT NULL,
  booked        INTEGER NOT NULL,
  PRIMARY KEY (hall_id, counter_type, slot_date)
);

CREATE TABLE appt_booking_counter (       -- booking number sequence per hall and slot date
  hall_id  TEXT NOT NULL,
  day      TEXT NOT NULL,
  n        BIGINT NOT NULL,
  PRIMARY KEY (hall_id, day)
);
