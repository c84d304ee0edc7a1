-- 0011_licences: the licence library (电子证照库), owned by src/licences/: licence types
-- (证照目录), licences (one row per version, GB/T 36903 metadata, face data as JSON text, the
-- seal signature), the serial counter per type, issuer and day, and bulk import jobs with their
-- per-row error reports. Instants are UTC epoch milliseconds; dates YYYY-MM-DD (CST).
CREATE TABLE licences_type (                -- 证照目录
  code                   TEXT PRIMARY KEY,  -- 证照类型代码: definer USCC (18) + 3 digits
  name                   TEXT NOT NULL,     -- 证照类型名称
  definer_name           TEXT NOT NULL,     -- 证照定义机构
  holder_type            TEXT NOT NULL,     -- 111 公民身份号码 / 001 统一社会信用代码
  face_fields_json       TEXT NOT NULL,     -- [{key, label, type, required}]
  validity_years         INTEGER NOT NULL,  -- 0 = 长期
  issuing_department_id  TEXT NOT NULL REFERENCES identity_department (id),
  issuer_uscc            TEXT NOT NULL,     -- 颁发机构代码 of the issuing department
  item_codes_json        TEXT NOT NULL,     -- ["<实施编码>"] items whose result it is
  material_keys_json     TEXT NOT NULL,     -- ["doc.householdRegister"] materials it stands in for
  created_at_ms          BIGINT NOT NULL,
  updated_at_ms          BIGINT NOT NULL,
  version                BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE licences_licence (              -- 电子证照, one row per version
  identifier               TEXT PRIMARY KEY, -- 证照标识 (GB/T 36904)
  type_code                TEXT NOT NULL REFERENCES licences_type (code),
  type_name                TEXT NOT NULL,
  name                     TEXT NOT NULL,    -- 证照名称
  number                   TEXT NOT NULL,    -- 证照编号
  version                  INTEGER NOT NULL, -- 证照版本号
  serial                   TEXT NOT NULL,    -- 流水号
  issuer_name              TEXT NOT NULL,
  issuer_uscc              TEXT NOT NULL,
  issuing_department_id    TEXT NOT NULL REFERENCES identity_department (id),
  issued_by_department_id  TEXT NOT NULL,    -- the clerk's department ("" for the system)
  issue_date               TEXT NOT NULL,
  valid_from               TEXT NOT NULL,
  valid_to                 TEXT NOT NULL,    -- "" = 长期
  region_code              TEXT NOT NULL,
  holder_name              TEXT NOT NULL,
  holder_code              TEXT NOT NULL,
  holder_type              TEXT NOT NULL,    -- 111 / 001
  item_code                TEXT NOT NULL,
  item_name                TEXT NOT NULL,
  face_json                TEXT NOT NULL,    -- 照面信息, a JSON object
  status                   TEXT NOT NULL,    -- valid suspended revoked cancelled expired withdrawn superseded
  status_reason            TEXT NOT NULL,
  previous_identifier      TEXT,
  superseded_by            TEXT,
  case_id                  TEXT,
  seal_id                  TEXT NOT NULL,
  key_id                   TEXT NOT NULL,
  sign_alg                 TEXT NOT NULL,    -- SM2-SM3
  signature                TEXT NOT NULL,    -- base64 of the raw signature
  signed_at_ms             BIGINT NOT NULL,
  created_at_ms            BIGINT NOT NULL,
  updated_at_ms            BIGINT NOT NULL,
  row_version              BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX licences_licence_holder ON licences_licence (holder_code, holder_type);
CREATE INDEX licences_licence_dept ON licences_licence (issuing_department_id, created_at_ms);
-- A 证照编号 names one licence of a type; each of its versions is a row.
CREATE UNIQUE INDEX licences_licence_number ON licences_licence (type_code, number, version);

CREATE TABLE licences_serial (              -- 流水号 counter: YYYYMMDD + 6-digit sequence
  type_code    TEXT NOT NULL,
  issuer_uscc  TEXT NOT NULL,
  day          TEXT NOT NULL,               -- YYYYMMDD
  last         BIGINT NOT NULL,
  PRIMARY KEY (type_code, issuer_uscc, day)
);

CREATE TABLE licences_import_job (          -- 批量导入
  id                   TEXT PRIMARY KEY,    -- ULID
  type_code            TEXT NOT NULL REFERENCES licences_type (code),
  department_id        TEXT NOT NULL REFERENCES identity_department (id),
  file_name            TEXT NOT NULL,
  format               TEXT NOT NULL,       -- csv / jsonl
  state                TEXT NOT NULL,       -- running / done / failed
  rows_read            BIGINT NOT NULL,
  imported             BIGINT NOT NULL,
  failed               BIGINT NOT NULL,
  last_committed_line  BIGINT NOT NULL,
  total_bytes          BIGINT NOT NULL,
  committed_bytes      BIGINT NOT NULL,
  failure              TEXT NOT NULL,
  created_by           TEXT NOT NULL,
  started_at_ms        BIGINT NOT NULL,
  updated_at_ms        BIGINT NOT NULL
);

CREATE TABLE licences_import_error (        -- per-row error report of an import
  job_id   TEXT NOT NULL REFERENCES licences_import_job (id),
  line     BIGINT NOT NULL,
  field    TEXT NOT NULL,
  message  TEXT NOT NULL
);
CREATE INDEX licences_import_error_job ON licences_import_error (job_id, line);
