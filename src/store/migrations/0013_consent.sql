-- 0013_consent: holders' grants (授权) to retrieve their licences (免证办), the one-time
-- identity tokens of the dynamic QR code (动态二维码) and their burn rows, the server's token
-- signing key (encrypted under the seal master key), and which case material came from which
-- licence. Owned by src/licences/ (grant_service, identity_token). Instants are UTC epoch ms.
CREATE TABLE consent_grant (                 -- 授权
  id                 TEXT PRIMARY KEY,       -- ULID
  holder_party_id    TEXT NOT NULL,          -- identity_person.id / identity_enterprise.id
  holder_kind        TEXT NOT NULL,          -- person / enterprise
  holder_name        TEXT NOT NULL,
  holder_code        TEXT NOT NULL,          -- 身份证号 / 统一社会信用代码 (licences' holder code)
  department_id      TEXT NOT NULL REFERENCES identity_department (id),  -- relying department
  item_code          TEXT NOT NULL,          -- "" = any item of the department
  case_id            TEXT,                   -- NULL = any case
  type_codes_json    TEXT NOT NULL,          -- ["<证照类型代码>", …], at least one
  purpose            TEXT NOT NULL,          -- 申请事由, 1–200 characters
  mode               TEXT NOT NULL,          -- single_use / until_case_closes
  source             TEXT NOT NULL,          -- holder (given on 我的授权) / token (scanned QR)
  token_id           TEXT,                   -- the identity token it came from
  created_by         TEXT NOT NULL,
  created_at_ms      BIGINT NOT NULL,
  expires_at_ms      BIGINT NOT NULL,
  revoked_at_ms      BIGINT,
  used_at_ms         BIGINT,                 -- single_use: the retrieval that consumed it
  version            BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX consent_grant_holder ON consent_grant (holder_party_id, created_at_ms);
CREATE INDEX consent_grant_department ON consent_grant (department_id, holder_party_id);

CREATE TABLE consent_token (                 -- 动态二维码 one-time identity tokens, as issued
  id                 TEXT PRIMARY KEY,       -- ULID, also inside the signed token text
  holder_party_id    TEXT NOT NULL,
  holder_kind        TEXT NOT NULL,
  type_codes_json    TEXT NOT NULL,          -- the types the holder chose to share ([] = all)
  issued_by          TEXT NOT NULL,          -- the holder's user id
  issued_at_ms       BIGINT NOT NULL,
  expires_at_ms      BIGINT NOT NULL
);
CREATE INDEX consent_token_expiry ON consent_token (expires_at_ms);

CREATE TABLE consent_token_use (             -- a burnt token: the primary key refuses a replay
  token_id           TEXT PRIMARY KEY,
  used_by            TEXT NOT NULL,          -- the clerk's user id
  department_id      TEXT NOT NULL,
  grant_id           TEXT NOT NULL,
  used_at_ms         BIGINT NOT NULL
);

CREATE TABLE consent_token_key (             -- the HMAC-SHA256 key that signs identity tokens
  id                 INTEGER PRIMARY KEY,    -- always 1: one key per installation
  key_enc            TEXT NOT NULL,          -- base64(MasterKey::Encrypt(32 random bytes))
  created_at_ms      BIGINT NOT NULL
);

CREATE TABLE consent_case_material (         -- a case material attached from a licence
  case_id            TEXT NOT NULL,
  material_key       TEXT NOT NULL,
  licence_identifier TEXT NOT NULL,          -- 证照标识
  grant_id           TEXT NOT NULL REFERENCES consent_grant (id),
  blob_sha256        TEXT NOT NULL,          -- the purpose-bound PDF copy
  attached_by        TEXT NOT NULL,
  attached_at_ms     BIGINT NOT NULL,
  PRIMARY KEY (case_id, material_key, attached_at_ms)
);
CREATE INDEX consent_case_material_licence ON consent_case_material (licence_identifier);
