-- 0007_notify: notifications (通知), owned by src/notify/. Instants are UTC epoch milliseconds.
-- One message id (a ULID) names the outbox row, the inbox row and the SMS: it is the
-- idempotency key the SMS gateway de-duplicates retries by. Both rows are written in the
-- transaction of the event they report (notify::Enqueue).
CREATE TABLE notify_outbox (         -- every message, the SMS ones are sent by DeliveryWorker
  id                  TEXT PRIMARY KEY,
  template_code       TEXT NOT NULL,   -- what kind of message, e.g. "case.accepted"
  subject_type        TEXT NOT NULL,   -- what it is about, e.g. "case", may be ""
  subject_id          TEXT NOT NULL,
  recipient_user_id   TEXT,            -- identity_user.id, or NULL
  recipient_party_id  TEXT,            -- identity_person.id / identity_enterprise.id, or NULL
  phone               TEXT NOT NULL,   -- whole until sent or failed, then masked, "" = no SMS
  sms_text            TEXT NOT NULL,
  status              TEXT NOT NULL,   -- pending / sending / sent / failed / skipped
  attempts            INTEGER NOT NULL DEFAULT 0,  -- claims so far
  next_attempt_at_ms  BIGINT NOT NULL, -- pending: not before this instant
  lease_owner         TEXT,            -- sending: node id of the worker that claimed it
  lease_until_ms      BIGINT,          -- sending: after this another worker may take it over
  last_error          TEXT NOT NULL DEFAULT '',
  created_at_ms       BIGINT NOT NULL,
  finished_at_ms      BIGINT,          -- when it was sent or given up
  version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX notify_outbox_due ON notify_outbox (status, next_attempt_at_ms);
CREATE INDEX notify_outbox_lease ON notify_outbox (status, lease_until_ms);
CREATE INDEX notify_outbox_subject ON notify_outbox (subject_type, subject_id);

CREATE TABLE notify_inbox (          -- in-app messages (站内消息)
  id                  TEXT PRIMARY KEY,  -- the message id (= notify_outbox.id)
  recipient_user_id   TEXT,              -- seen by this account
  recipient_party_id  TEXT,              -- seen by every citizen/enterprise account of the party
  title               TEXT NOT NULL,
  body                TEXT NOT NULL,
  template_code       TEXT NOT NULL,
  subject_type        TEXT NOT NULL,
  subject_id          TEXT NOT NULL,
  created_at_ms       BIGINT NOT NULL,
  read_at_ms          BIGINT,            -- NULL while unread
  version             INTEGER NOT NULL DEFAULT 1,
  CHECK (recipient_user_id IS NOT NULL OR recipient_party_id IS NOT NULL)
);
CREATE INDEX notify_inbox_user ON notify_inbox (recipient_user_id, created_at_ms);
CREATE INDEX notify_inbox_party ON notify_inbox (recipient_party_id, created_at_ms);
