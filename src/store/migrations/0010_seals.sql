-- 0010_seals: electronic seals (电子印章) of issuing departments and their key pairs.
-- Owned by src/seal/. Private keys are PKCS#8 DER encrypted under the operator's master key
-- (AES-256-GCM, see seal/seal_service.h MasterKey); public keys are SubjectPublicKeyInfo PEM.
CREATE TABLE seal (
  id              TEXT PRIMARY KEY,      -- esID 印章唯一标识, "ES" + 6-digit region + 6-digit serial
  department_id   TEXT NOT NULL REFERENCES identity_department (id),
  name            TEXT NOT NULL,         -- 印章名称
  maker           TEXT NOT NULL,         -- 制章者
  valid_from_ms   BIGINT NOT NULL,
  valid_to_ms     BIGINT NOT NULL,
  status          TEXT NOT NULL,         -- active / revoked
  created_by      TEXT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
);
-- One active seal per department.
CREATE UNIQUE INDEX seal_one_active_per_department ON seal (department_id) WHERE status = 'active';

CREATE TABLE seal_key (
  id               TEXT PRIMARY KEY,     -- "<seal id>-k<n>"
  seal_id          TEXT NOT NULL REFERENCES seal (id),
  seq              INTEGER NOT NULL,     -- n of the key id, 1, 2, …
  alg              TEXT NOT NULL,        -- SM2-SM3 / Ed25519
  public_key_pem   TEXT NOT NULL,
  private_key_enc  TEXT NOT NULL,        -- base64(MasterKey::Encrypt(PKCS#8 DER))
  created_at_ms    BIGINT NOT NULL,
  retired_at_ms    BIGINT                -- set by rotation: verifies, never signs again
);
CREATE UNIQUE INDEX seal_key_seq ON seal_key (seal_id, seq);
