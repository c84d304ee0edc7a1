-- 0017_enterprise_facts: enterprise data (企业数据) for the policy matcher, owned by src/policy/
-- (EnterpriseService). One row per enterprise, one row per declared fact with the department it
-- came from and its as-of date, and the bulk import jobs (progress polled by the import page).
-- Dates are YYYY-MM-DD text; instants are UTC epoch milliseconds; JSON is TEXT.
CREATE TABLE policy_enterprise (           -- 企业（数据比对对象）
  id             TEXT PRIMARY KEY,           -- 统一社会信用代码 (the neutral format's id)
  name           TEXT NOT NULL,              -- 企业名称, '' when not given
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL
);

CREATE TABLE policy_enterprise_fact (      -- 企业数据项
  enterprise_id  TEXT NOT NULL REFERENCES policy_enterprise (id),
  fact           TEXT NOT NULL,              -- key of the FactSchema ("employees")
  value_json     TEXT NOT NULL,              -- the JSON scalar as text: 45, "C3911", true
  source         TEXT NOT NULL,              -- 市场监管 / 税务 / 人社 / 科技 / 信用 …
  as_of          TEXT NOT NULL,              -- YYYY-MM-DD the data describes
  updated_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (enterprise_id, fact)
);

CREATE TABLE policy_enterprise_import (    -- 企业数据导入任务
  id              TEXT PRIMARY KEY,          -- ULID
  actor_id        TEXT NOT NULL,             -- user id, or "system"
  file_name       TEXT NOT NULL,
  format          TEXT NOT NULL,             -- csv / jsonl
  source          TEXT NOT NULL,             -- '' = each fact's declared source
  as_of           TEXT NOT NULL,
  status          TEXT NOT NULL,             -- running / done / failed
  lines           BIGINT NOT NULL,           -- lines read (header and blank lines included)
  rows_ok         BIGINT NOT NULL,
  added           BIGINT NOT NULL,
  changed         BIGINT NOT NULL,
  unchanged       BIGINT NOT NULL,
  error_count     BIGINT NOT NULL,           -- rows skipped
  errors_json     TEXT NOT NULL,             -- first 1,000: [{"line":N,"message":"…"}]
  failure         TEXT NOT NULL,             -- why a failed job stopped, '' otherwise
  started_at_ms   BIGINT NOT NULL,
  finished_at_ms  BIGINT                     -- NULL while running
);
CREATE INDEX policy_enterprise_import_by_start ON policy_enterprise_import (started_at_ms);
