-- 0001_identity.sql: departments, parties, staff and citizen accounts, sessions.
-- Owned by src/identity/. Instants are UTC epoch milliseconds (*_at_ms).

CREATE TABLE identity_department (     -- 部门, in a tree that follows the administrative hierarchy
  id              TEXT PRIMARY KEY,      -- ULID
  code            TEXT NOT NULL UNIQUE,  -- e.g. "430100-SCJGJ"
  name            TEXT NOT NULL,
  parent_id       TEXT REFERENCES identity_department (id),
  region_code     TEXT NOT NULL,         -- 6-digit 行政区划代码
  level           TEXT NOT NULL,         -- province / city / county / township / village
  path            TEXT NOT NULL,         -- "/<root id>/…/<id>/": subtree = path LIKE '<path>%'
  created_at_ms   BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1  -- optimistic lock
);
CREATE INDEX identity_department_parent ON identity_department (parent_id);
CREATE INDEX identity_department_path ON identity_department (path);

CREATE TABLE identity_person (         -- 自然人
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  id_number       TEXT NOT NULL UNIQUE,  -- 公民身份号码 (GB 11643), check digit verified
  phone           TEXT NOT NULL DEFAULT '',
  gender          TEXT NOT NULL,         -- 男 / 女 (from the 顺序码)
  birth_date      TEXT NOT NULL,         -- YYYY-MM-DD
  region_code     TEXT NOT NULL,         -- 地址码 of the number
  department_id   TEXT REFERENCES identity_department (id),  -- registered by
  created_by      TEXT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX identity_person_name ON identity_person (name);
CREATE INDEX identity_person_department ON identity_person (department_id);

CREATE TABLE identity_enterprise (     -- 企业 / 法人
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL,
  uscc                  TEXT NOT NULL UNIQUE,  -- 统一社会信用代码 (GB 32100)
  legal_representative  TEXT NOT NULL,
  region_code           TEXT NOT NULL,
  industry              TEXT NOT NULL DEFAULT '',
  uscc_warning          TEXT,                  -- set when a legacy code failing the check was confirmed
  uscc_confirmed_by     TEXT,                  -- the administrator who confirmed it
  department_id         TEXT REFERENCES identity_department (id),
  created_by            TEXT NOT NULL,
  created_at_ms         BIGINT NOT NULL,
  updated_at_ms         BIGINT NOT NULL,
  version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX identity_enterprise_name ON identity_enterprise (name);
CREATE INDEX identity_enterprise_department ON identity_enterprise (department_id);

CREATE TABLE identity_user (           -- an account: staff, citizen or enterprise
  id               TEXT PRIMARY KEY,
  username         TEXT NOT NULL UNIQUE,
  password_hash    TEXT NOT NULL,       -- argon2id (libsodium crypto_pwhash_str)
  display_name     TEXT NOT NULL,
  kind             TEXT NOT NULL,       -- staff / citizen / enterprise
  department_id    TEXT REFERENCES identity_department (id),
  person_id        TEXT REFERENCES identity_person (id),
  enterprise_id    TEXT REFERENCES identity_enterprise (id),
  data_scope       TEXT NOT NULL,       -- all / custom / dept / dept_and_below / self
  status           TEXT NOT NULL,       -- active / disabled
  failed_logins    INTEGER NOT NULL DEFAULT 0,
  locked_until_ms  BIGINT,
  created_at_ms    BIGINT NOT NULL,
  updated_at_ms    BIGINT NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX identity_user_department ON identity_user (department_id);

CREATE TABLE identity_user_role (
  user_id    TEXT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  role_code  TEXT NOT NULL,             -- identity::Role code
  PRIMARY KEY (user_id, role_code)
);

CREATE TABLE identity_user_scope_department (  -- departments of a "custom" data scope
  user_id        TEXT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  department_id  TEXT NOT NULL REFERENCES identity_department (id),
  PRIMARY KEY (user_id, department_id)
);

CREATE TABLE identity_session (        -- login sessions, shared by all server nodes
  id               TEXT PRIMARY KEY,    -- SHA-256 (hex) of the cookie token; the token is not stored
  user_id          TEXT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  csrf_token       TEXT NOT NULL,
  auth_method      TEXT NOT NULL,       -- password (later: oidc)
  remote_addr      TEXT NOT NULL DEFAULT '',
  user_agent       TEXT NOT NULL DEFAULT '',
  created_at_ms    BIGINT NOT NULL,
  last_seen_at_ms  BIGINT NOT NULL,
  expires_at_ms    BIGINT NOT NULL      -- absolute expiry; idle expiry uses last_seen_at_ms
);
CREATE INDEX identity_session_user ON identity_session (user_id);

CREATE TABLE identity_external_identity (  -- links an account to an external IdP subject (OIDC)
  provider       TEXT NOT NULL,
  subject        TEXT NOT NULL,
  user_id        TEXT NOT NULL REFERENCES identity_user (id) ON DELETE CASCADE,
  created_at_ms  BIGINT NOT NULL,
  PRIMARY KEY (provider, subject)
);
