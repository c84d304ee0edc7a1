-- 0014_archive: the personal e-archive (个人电子档案, 材料复用), owned by src/licences/
-- (archive_service): every material file of a holder's cases, kept once per holder and file with
-- its trust level (可信等级, 国办函〔2016〕108号: A issued by a department, B checked against
-- the original by a clerk, C uploaded, D self-made with a pledge), and each reuse in a later
-- case. Instants are UTC epoch milliseconds.
CREATE TABLE archive_item (                  -- one archived material file of a holder
  id                  TEXT PRIMARY KEY,      -- ULID
  holder_party_id     TEXT NOT NULL,         -- identity_person.id / identity_enterprise.id
  holder_kind         TEXT NOT NULL,         -- person / enterprise
  material_key        TEXT NOT NULL,         -- catalogue material key, e.g. doc.householdRegister
  name                TEXT NOT NULL,         -- 材料名称 as the first case named it
  blob_sha256         TEXT NOT NULL,         -- the file (blob), shared with the cases using it
  file_name           TEXT NOT NULL,
  trust_level         TEXT NOT NULL,         -- A / B / C / D
  source_case_id      TEXT NOT NULL,         -- the case it was first uploaded in
  licence_identifier  TEXT,                  -- A: the licence it is a copy of
  verified_by         TEXT,                  -- B: the clerk who checked the original
  verified_by_name    TEXT,
  verified_department_id TEXT,
  verified_at_ms      BIGINT,
  created_at_ms       BIGINT NOT NULL,
  updated_at_ms       BIGINT NOT NULL,
  version             BIGINT NOT NULL DEFAULT 1
);
-- One item per holder and file: a file reused in later cases stays one item.
CREATE UNIQUE INDEX archive_item_holder_blob ON archive_item (holder_party_id, blob_sha256);
CREATE INDEX archive_item_holder ON archive_item (holder_party_id, created_at_ms);

CREATE TABLE archive_reuse (                 -- an archived item used as a material of a case
  id                  TEXT PRIMARY KEY,      -- ULID
  item_id             TEXT NOT NULL REFERENCES archive_item (id),
  case_id             TEXT NOT NULL,
  material_key        TEXT NOT NULL,
  consent             TEXT NOT NULL,         -- holder (the holder acting) / grant
  grant_id            TEXT,                  -- consent_grant.id when consent = grant
  reused_by           TEXT NOT NULL,         -- user id
  reused_at_ms        BIGINT NOT NULL
);
CREATE INDEX archive_reuse_item ON archive_reuse (item_id, reused_at_ms);
CREATE INDEX archive_reuse_case ON archive_reuse (case_id);
