-- 0012_proofs: proofs (证明), owned by src/proofs/ (ProofService). Data registers the platform
-- holds (sample sources for instant proofs), proof types, proofs, and counters for proof numbers
-- and status-list slots. Instants are UTC epoch milliseconds; JSON is TEXT.
CREATE TABLE proof_register_record (      -- 数据登记簿: one subject's record in one register
  id                    TEXT PRIMARY KEY,   -- ULID
  register_code         TEXT NOT NULL,      -- property / housing_fund / blood_donation …
  register_name         TEXT NOT NULL,      -- 不动产登记 …
  subject_code_type     TEXT NOT NULL,      -- GB/T 36903: 111 身份证, 001 统一社会信用代码
  subject_code          TEXT NOT NULL,      -- 身份证号 / 统一社会信用代码, whole
  data_json             TEXT NOT NULL,      -- a JSON object
  source_department_id  TEXT NOT NULL REFERENCES identity_department (id),
  source_name           TEXT NOT NULL,      -- the department's name when written
  as_of                 TEXT NOT NULL,      -- YYYY-MM-DD: true as of this day
  updated_at_ms         BIGINT NOT NULL
);
CREATE UNIQUE INDEX proof_register_subject
  ON proof_register_record (register_code, subject_code_type, subject_code);
CREATE INDEX proof_register_by_subject ON proof_register_record (subject_code);

CREATE TABLE proof_type (                 -- 证明类型
  code            TEXT PRIMARY KEY,         -- e.g. no_property
  name            TEXT NOT NULL,
  department_id   TEXT NOT NULL REFERENCES identity_department (id),  -- 出具部门
  mode            TEXT NOT NULL,            -- instant / online
  register_code   TEXT NOT NULL,            -- instant: the register read; '' for online
  holder_kind     TEXT NOT NULL,            -- person / enterprise
  body_template   TEXT NOT NULL,            -- {{placeholders}}, paragraphs split by newlines
  fields_json     TEXT NOT NULL,            -- [{label, value}] templates
  inputs_json     TEXT NOT NULL,            -- online: [{key, label, required}]
  validity_days   INTEGER NOT NULL,
  seal_title      TEXT NOT NULL,            -- text under the star of the seal, 证明专用章
  active          INTEGER NOT NULL,
  updated_at_ms   BIGINT NOT NULL
);

CREATE TABLE proof (                      -- 证明: applied for, issued, rejected or revoked
  id                 TEXT PRIMARY KEY,      -- ULID
  proof_no           TEXT UNIQUE,           -- ZM<YYYYMMDD><seq>; NULL until issued
  type_code          TEXT NOT NULL REFERENCES proof_type (code),
  type_name          TEXT NOT NULL,
  mode               TEXT NOT NULL,
  department_id      TEXT NOT NULL REFERENCES identity_department (id),
  issuer_name        TEXT NOT NULL,
  holder_kind        TEXT NOT NULL,         -- person / enterprise
  holder_party_id    TEXT NOT NULL,
  holder_user_id     TEXT NOT NULL,
  holder_name        TEXT NOT NULL,
  holder_code_type   TEXT NOT NULL,         -- 111 / 001
  holder_code        TEXT NOT NULL,         -- whole; masked wherever shown publicly
  purpose            TEXT NOT NULL,         -- 事由, 1–200 characters
  inputs_json        TEXT NOT NULL,         -- online application values {key: value}
  fields_json        TEXT NOT NULL,         -- [{label, value}] as issued
  body               TEXT NOT NULL,
  sources_json       TEXT NOT NULL,         -- [{register, registerName, source, asOf}]
  status             TEXT NOT NULL,         -- pending / valid / rejected / revoked / superseded
  reason             TEXT NOT NULL,         -- why rejected or revoked
  verification_code  TEXT UNIQUE,           -- 16 characters; NULL until issued
  status_index       BIGINT,                -- bit in the issuer's status list; NULL until issued
  seal_id            TEXT NOT NULL,
  key_id             TEXT NOT NULL,
  sign_alg           TEXT NOT NULL,
  signature          TEXT NOT NULL,         -- base64
  signed_json        TEXT NOT NULL,         -- RFC 8785 canonical JSON that was signed
  qr_payload         TEXT NOT NULL,         -- OSP1.<claims>.<signature>
  applied_at_ms      BIGINT NOT NULL,
  issued_at_ms       BIGINT,
  valid_until_ms     BIGINT,
  decided_by         TEXT NOT NULL,
  decided_at_ms      BIGINT,
  superseded_by      TEXT NOT NULL,
  version            BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX proof_status_slot ON proof (department_id, status_index);
CREATE INDEX proof_holder ON proof (holder_party_id, applied_at_ms);
CREATE INDEX proof_queue ON proof (department_id, status, applied_at_ms);

CREATE TABLE proof_counter (              -- "no:<YYYYMMDD>" proof numbers, "slot:<dept>" status indices
  name   TEXT PRIMARY KEY,
  value  BIGINT NOT NULL
);
