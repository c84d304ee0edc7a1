-- 0019_loans: 融资一件事 — banks' loan products and enterprises' financing requests, owned by
-- src/policy/ (LoanService). A product's eligibility is a neutral JSON condition read by the same
-- matcher as the policy items. Money in integer fen, rates in basis points (365 = 年化 3.65%),
-- instants in UTC epoch milliseconds.
CREATE TABLE policy_loan_product (        -- 贷款产品
  id               TEXT PRIMARY KEY,        -- ULID
  department_id    TEXT NOT NULL REFERENCES identity_department (id),  -- the bank (its branch)
  bank_name        TEXT NOT NULL,           -- 银行名称 as shown to enterprises
  name             TEXT NOT NULL,           -- 产品名称
  rate_bp          INTEGER NOT NULL,        -- 年化利率（参考）, basis points
  min_amount_fen   BIGINT NOT NULL,
  max_amount_fen   BIGINT NOT NULL,
  max_term_months  INTEGER NOT NULL,        -- 最长期限
  guarantee        TEXT NOT NULL,           -- credit 信用 / mortgage 抵押 / guarantee 担保 / pledge 质押
  description      TEXT NOT NULL,
  cond_json        TEXT NOT NULL,           -- 准入条件, neutral JSON (policy/rule.h)
  status           TEXT NOT NULL,           -- draft / published / withdrawn
  version          BIGINT NOT NULL,
  created_at_ms    BIGINT NOT NULL,
  updated_at_ms    BIGINT NOT NULL
);
CREATE INDEX policy_loan_product_by_status ON policy_loan_product (status);

CREATE TABLE policy_loan_request (        -- 融资需求 (一键申请)
  id                   TEXT PRIMARY KEY,    -- ULID
  product_id           TEXT NOT NULL REFERENCES policy_loan_product (id),
  enterprise_id        TEXT NOT NULL,       -- 统一社会信用代码
  enterprise_name      TEXT NOT NULL,
  party_id             TEXT NOT NULL,       -- identity_enterprise.id (for notices)
  amount_fen           BIGINT NOT NULL,     -- 申请金额
  term_months          INTEGER NOT NULL,
  purpose              TEXT NOT NULL,       -- 用途
  contact_name         TEXT NOT NULL,
  contact_phone        TEXT NOT NULL,
  snapshot_json        TEXT NOT NULL,       -- the facts the eligibility was checked on
  status               TEXT NOT NULL,       -- submitted / accepted / approved / rejected / withdrawn
  answer               TEXT NOT NULL,       -- the bank's message, '' until answered
  approved_amount_fen  BIGINT NOT NULL,     -- 0 unless approved
  approved_rate_bp     INTEGER NOT NULL,    -- 0 unless approved
  answered_by          TEXT NOT NULL,       -- user id, '' until answered
  answered_at_ms       BIGINT NOT NULL,     -- 0 until answered
  created_by           TEXT NOT NULL,       -- user id
  created_at_ms        BIGINT NOT NULL,
  updated_at_ms        BIGINT NOT NULL,
  version              BIGINT NOT NULL
);
-- One open request per enterprise and product, enforced by the database (a double click or a
-- retry cannot file two).
CREATE UNIQUE INDEX policy_loan_request_open
  ON policy_loan_request (product_id, enterprise_id) WHERE status IN ('submitted', 'accepted');
CREATE INDEX policy_loan_request_by_enterprise ON policy_loan_request (enterprise_id, created_at_ms);
CREATE INDEX policy_loan_request_by_product ON policy_loan_request (product_id, status);
