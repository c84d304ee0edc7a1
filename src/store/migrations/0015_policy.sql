-- 0015_policy: the policy library (政策库), owned by src/policy/ (PolicyService).
-- Policies, their declarable items (申报事项) and the versioned rule and formula of each item.
-- Dates are YYYY-MM-DD text ('' when not set); instants are UTC epoch milliseconds; JSON is TEXT.
-- The full-text search is 0016_policy_search (one file per database).
CREATE TABLE policy (                     -- 政策
  id             TEXT PRIMARY KEY,          -- ULID
  title          TEXT NOT NULL,
  doc_no         TEXT NOT NULL,             -- 文号, free text, ≤ 60 characters, may be ''
  issuer         TEXT NOT NULL,             -- 发文机关
  level          TEXT NOT NULL,             -- central / province / city / county
  published_on   TEXT NOT NULL,             -- 发布日期
  effective_on   TEXT NOT NULL,             -- 施行日期
  expires_on     TEXT NOT NULL,             -- 失效日期, '' = no end
  category       TEXT NOT NULL,             -- tax / cost / grant / finance / factor
  tags_json      TEXT NOT NULL,             -- JSON array of strings
  full_text      TEXT NOT NULL,
  department_id  TEXT NOT NULL REFERENCES identity_department (id),  -- 责任部门
  status         TEXT NOT NULL,             -- draft / published / retired
  version        BIGINT NOT NULL,
  created_at_ms  BIGINT NOT NULL,
  updated_at_ms  BIGINT NOT NULL
);
CREATE INDEX policy_by_status ON policy (status, published_on);

CREATE TABLE policy_item (                -- 申报事项
  id              TEXT PRIMARY KEY,         -- ULID
  policy_id       TEXT NOT NULL REFERENCES policy (id),
  title           TEXT NOT NULL,
  mode            TEXT NOT NULL,            -- exempt 免申即享 / quick 快申快享
  budget_fen      BIGINT NOT NULL,
  window_from     TEXT NOT NULL,            -- 申报期 from, '' = open
  window_to       TEXT NOT NULL,            -- 申报期 to, '' = open
  publicity_days  INTEGER NOT NULL,         -- 公示天数
  department_id   TEXT NOT NULL REFERENCES identity_department (id),
  status          TEXT NOT NULL,            -- draft / open / closed
  version         BIGINT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL
);
CREATE INDEX policy_item_by_policy ON policy_item (policy_id);

CREATE TABLE policy_item_rule (           -- 资格条件与测算公式, one row per version, never changed
  item_id         TEXT NOT NULL REFERENCES policy_item (id),
  version         INTEGER NOT NULL,         -- 1, 2, …
  cond_json       TEXT NOT NULL,            -- neutral JSON condition (policy/rule.h)
  formula_json    TEXT NOT NULL,            -- formula JSON form (policy/formula.h)
  effective_from  TEXT NOT NULL,            -- YYYY-MM-DD
  created_by      TEXT NOT NULL,            -- user id
  created_at_ms   BIGINT NOT NULL,
  PRIMARY KEY (item_id, version)
);
