-- 0006_cases: cases (办件), their tasks, materials, timeline and suspensions, and the blob
-- store index. Owned by src/cases/. Times are UTC milliseconds; dates YYYY-MM-DD (CST).
CREATE TABLE case_file (
  id                    TEXT PRIMARY KEY,
  receipt_no            TEXT UNIQUE,          -- 受理编号, set on acceptance
  kind                  TEXT NOT NULL,        -- item / bundle
  catalog_code          TEXT NOT NULL,
  catalog_version       INTEGER NOT NULL,
  title                 TEXT NOT NULL,
  applicant_party_id    TEXT NOT NULL,
  applicant_kind        TEXT NOT NULL,        -- person / enterprise
  applicant_name        TEXT NOT NULL,
  applicant_number_masked TEXT NOT NULL,
  applicant_user_id     TEXT,                 -- the applicant's own account, if they filed
  channel               TEXT NOT NULL,
  agent_user_id         TEXT,
  agent_authorisation   TEXT NOT NULL,
  answers_json          TEXT NOT NULL,
  form_json             TEXT NOT NULL,
  status                TEXT NOT NULL,
  accept_mode           TEXT,
  pledge                TEXT NOT NULL,
  intake_department_id  TEXT,
  submitted_at_ms       BIGINT,
  accepted_at_ms        BIGINT,
  finished_at_ms        BIGINT,
  deadline              TEXT,
  deadline_provisional  INTEGER NOT NULL DEFAULT 0,
  limit_value           INTEGER NOT NULL DEFAULT 0,
  limit_unit            TEXT NOT NULL,        -- working_days / natural_days
  paused_days           INTEGER NOT NULL DEFAULT 0,
  suspended_since_ms    BIGINT,               -- set while a 补正 stops the clocks
  correction_json       TEXT NOT NULL,        -- the open 一次性告知 notice, [] when none
  outcome_reason        TEXT NOT NULL,
  delivery_method       TEXT NOT NULL,
  delivery_address      TEXT NOT NULL,
  tracking_no           TEXT NOT NULL,
  created_by            TEXT NOT NULL,
  created_at_ms         BIGINT NOT NULL,
  version               BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX case_file_applicant_user ON case_file (applicant_user_id, created_at_ms);
CREATE INDEX case_file_party ON case_file (applicant_party_id);
CREATE INDEX case_file_intake ON case_file (intake_department_id, status);
CREATE INDEX case_file_status ON case_file (status, created_at_ms);

CREATE TABLE case_task (
  id                 TEXT PRIMARY KEY,
  case_id            TEXT NOT NULL REFERENCES case_file (id),
  seq                INTEGER NOT NULL,        -- order within the case (topological)
  item_code          TEXT NOT NULL,
  item_version       INTEGER NOT NULL,
  item_name          TEXT NOT NULL,
  kind               TEXT NOT NULL,           -- item / verification (告知承诺 核查)
  department_id      TEXT NOT NULL,           -- of the current step
  steps_json         TEXT NOT NULL,           -- [{name, role, departmentId, departmentName}]
  result_fields_json TEXT NOT NULL,           -- result fields required on approval
  mappings_json      TEXT NOT NULL,           -- [{fromTask, fromField, toField}]
  commitment_allowed INTEGER NOT NULL,
  status             TEXT NOT NULL,
  step_index         INTEGER NOT NULL,
  prerequisites_json TEXT NOT NULL,           -- task ids
  blocking           INTEGER NOT NULL,
  started_at_ms      BIGINT,
  finished_at_ms     BIGINT,
  limit_value        INTEGER NOT NULL,
  limit_unit         TEXT NOT NULL,
  paused_days        INTEGER NOT NULL DEFAULT 0,
  deadline           TEXT,
  deadline_provisional INTEGER NOT NULL DEFAULT 0,
  reason             TEXT NOT NULL,
  mapped_json        TEXT NOT NULL,
  result_json        TEXT NOT NULL,
  version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX case_task_case ON case_task (case_id, seq);
CREATE INDEX case_task_queue ON case_task (department_id, status, deadline);

CREATE TABLE case_material (
  case_id        TEXT NOT NULL REFERENCES case_file (id),
  material_key   TEXT NOT NULL,
  name           TEXT NOT NULL,
  need           TEXT NOT NULL,
  status         TEXT NOT NULL,               -- provided / pledged / missing
  blob_sha256    TEXT,
  file_name      TEXT NOT NULL,
  pledge_due     TEXT,
  pledge_overdue INTEGER NOT NULL DEFAULT 0,
  updated_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (case_id, material_key)
);
CREATE INDEX case_material_pledge ON case_material (status, pledge_due);

CREATE TABLE case_event (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES case_file (id),
  seq         INTEGER NOT NULL,               -- 1, 2, 3 … within the case: the timeline order
  task_id     TEXT,
  at_ms       BIGINT NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  message     TEXT NOT NULL
);
CREATE UNIQUE INDEX case_event_case ON case_event (case_id, seq);

CREATE TABLE case_suspension (                -- the suspension ledger
  id           TEXT PRIMARY KEY,
  case_id      TEXT NOT NULL REFERENCES case_file (id),
  kind         TEXT NOT NULL,                 -- correction
  reason       TEXT NOT NULL,
  started_at_ms BIGINT NOT NULL,
  ended_at_ms  BIGINT,
  paused_days  INTEGER
);
CREATE INDEX case_suspension_case ON case_suspension (case_id);

CREATE TABLE case_receipt_counter (           -- 受理编号 sequence per CST day
  day  TEXT PRIMARY KEY,
  n    BIGINT NOT NULL
);

CREATE TABLE blob (                           -- content-addressed uploads (files on disk)
  sha256         TEXT PRIMARY KEY,
  size           BIGINT NOT NULL,
  content_type   TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL
);
