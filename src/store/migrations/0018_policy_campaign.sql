-- 0018_policy_campaign: 免申即享 campaigns, 快申快享 applications and the payment ledger, owned by
-- src/policy/ (CampaignService, ledger.h). Dates are YYYY-MM-DD text; instants are UTC epoch
-- milliseconds; money is integer fen; JSON is TEXT.
CREATE TABLE policy_campaign (            -- 免申即享 兑现批次: one item, one period
  id              TEXT PRIMARY KEY,         -- ULID
  item_id         TEXT NOT NULL REFERENCES policy_item (id),
  period          TEXT NOT NULL,            -- "2026", "2026Q3", "2026-07"
  department_id   TEXT NOT NULL REFERENCES identity_department (id),
  publicity_from  TEXT NOT NULL,            -- 公示 from, '' until published
  publicity_to    TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at_ms   BIGINT NOT NULL,
  updated_at_ms   BIGINT NOT NULL,
  UNIQUE (item_id, period)
);

CREATE TABLE policy_campaign_step (       -- 数据比对 → 系统预审 → 人工初核 → 通知 → 意愿确认 → 拨付 → 公示
  campaign_id     TEXT NOT NULL REFERENCES policy_campaign (id),
  seq             INTEGER NOT NULL,         -- 1…7 in that order
  step            TEXT NOT NULL,            -- compare / prereview / review / notify / confirm / pay / publicize
  due_on          TEXT NOT NULL,            -- YYYY-MM-DD
  done_at_ms      BIGINT,                   -- NULL while not done
  PRIMARY KEY (campaign_id, seq)
);

CREATE TABLE policy_offer (               -- 兑现对象: a campaign's offer or a 快申快享 application
  id               TEXT PRIMARY KEY,        -- ULID
  campaign_id      TEXT REFERENCES policy_campaign (id),  -- NULL for a quick application
  item_id          TEXT NOT NULL REFERENCES policy_item (id),
  period           TEXT NOT NULL,
  kind             TEXT NOT NULL,           -- exempt / quick
  enterprise_id    TEXT NOT NULL,           -- 统一社会信用代码 (the neutral format's id)
  enterprise_name  TEXT NOT NULL,
  rule_version     INTEGER NOT NULL,
  snapshot_json    TEXT NOT NULL,           -- policy::SnapshotToJson: facts with source and as-of
  amount_fen       BIGINT NOT NULL,
  status           TEXT NOT NULL,           -- matched / excluded / pending_review / approved /
                                            -- rejected / notified / confirmed / declined / batched / paid
  reason_code      TEXT NOT NULL,           -- exclusion or rejection reason, '' when none
  reason           TEXT NOT NULL,
  committed        INTEGER NOT NULL,        -- 1 while its amount is committed against the budget
  account_name     TEXT NOT NULL,           -- 户名
  bank_name        TEXT NOT NULL,           -- 开户行
  account_no       TEXT NOT NULL,           -- 账号
  reviewed_by      TEXT NOT NULL,
  reviewed_at_ms   BIGINT,
  notified_at_ms   BIGINT,
  confirmed_by     TEXT NOT NULL,
  confirmed_by_name TEXT NOT NULL,
  confirmed_at_ms  BIGINT,
  created_by       TEXT NOT NULL,
  created_at_ms    BIGINT NOT NULL,
  updated_at_ms    BIGINT NOT NULL
);
CREATE INDEX policy_offer_by_campaign ON policy_offer (campaign_id, status);
CREATE INDEX policy_offer_by_enterprise ON policy_offer (enterprise_id, item_id, period);

CREATE TABLE policy_budget (              -- 预算占用: the conditional UPDATE that never over-commits
  item_id        TEXT PRIMARY KEY REFERENCES policy_item (id),
  committed_fen  BIGINT NOT NULL            -- confirmed and not released (payable + paid)
);

CREATE TABLE policy_payment_batch (       -- 拨付批次 and its 国库集中支付 instruction file
  id             TEXT PRIMARY KEY,
  item_id        TEXT NOT NULL REFERENCES policy_item (id),
  period         TEXT NOT NULL,
  campaign_id    TEXT REFERENCES policy_campaign (id),
  payments       INTEGER NOT NULL,
  total_fen      BIGINT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL            -- the file's time
);

CREATE TABLE policy_payment (             -- 拨付: one per enterprise, item and period
  id               TEXT PRIMARY KEY,
  voucher_no       TEXT NOT NULL UNIQUE,    -- 支付凭证号
  batch_id         TEXT NOT NULL REFERENCES policy_payment_batch (id),
  offer_id         TEXT NOT NULL REFERENCES policy_offer (id),
  item_id          TEXT NOT NULL REFERENCES policy_item (id),
  period           TEXT NOT NULL,
  enterprise_id    TEXT NOT NULL,
  enterprise_name  TEXT NOT NULL,
  amount_fen       BIGINT NOT NULL,
  account_name     TEXT NOT NULL,
  bank_name        TEXT NOT NULL,
  account_no       TEXT NOT NULL,
  status           TEXT NOT NULL,           -- pending / paid / failed / clawed_back
  bank_serial      TEXT NOT NULL,           -- 银行流水号
  bank_note        TEXT NOT NULL,           -- 说明
  result_at_ms     BIGINT,
  clawback_reason  TEXT NOT NULL,
  clawback_at_ms   BIGINT,
  created_at_ms    BIGINT NOT NULL
);
-- Never paid twice: one live payment per (item, period, enterprise). A failed payment stays as
-- history (its voucher and bank result) and does not block the re-batched one.
CREATE UNIQUE INDEX policy_payment_once ON policy_payment (item_id, period, enterprise_id)
  WHERE status <> 'failed';
CREATE INDEX policy_payment_by_batch ON policy_payment (batch_id);

CREATE TABLE policy_ledger_txn (          -- 记账凭证: one movement, ≥ 2 entries summing to zero
  id             TEXT PRIMARY KEY,
  item_id        TEXT NOT NULL REFERENCES policy_item (id),
  kind           TEXT NOT NULL,             -- commit / release / pay / clawback
  offer_id       TEXT NOT NULL,
  offer_seq      INTEGER NOT NULL,          -- 1, 2, … within the offer: the order of its movements
  payment_id     TEXT NOT NULL,             -- '' when not yet paid out (commit)
  memo           TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at_ms  BIGINT NOT NULL
);
CREATE INDEX policy_ledger_txn_by_offer ON policy_ledger_txn (offer_id);

CREATE TABLE policy_ledger_entry (        -- 分录
  txn_id      TEXT NOT NULL REFERENCES policy_ledger_txn (id),
  seq         INTEGER NOT NULL,
  account     TEXT NOT NULL,                -- budget 预算 / payable 应付 / paid 已付 / clawback 追回
  amount_fen  BIGINT NOT NULL,              -- signed; a transaction's entries sum to zero
  PRIMARY KEY (txn_id, seq)
);
