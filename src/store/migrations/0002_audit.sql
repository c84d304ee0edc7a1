-- 0002_audit.sql: the hash-chained audit log. Owned by src/audit/. Append-only is enforced
-- by triggers in 0003 (dialects differ).
CREATE TABLE audit_entry (
  seq                  BIGINT PRIMARY KEY,  -- 1, 2, 3 … without gaps
  at_ms                BIGINT NOT NULL,
  actor_id             TEXT NOT NULL,       -- user id, or "system"
  actor_name           TEXT NOT NULL,
  actor_department_id  TEXT,
  action               TEXT NOT NULL,       -- "identity.person.read"
  subject_type         TEXT NOT NULL,       -- "person", "user", "calendar_day" …
  subject_id           TEXT NOT NULL,
  subject_party_id     TEXT,                -- whose personal data was touched (my-access)
  purpose              TEXT NOT NULL,       -- 事由 stated by the actor
  details              TEXT NOT NULL,       -- JSON object
  request_id           TEXT NOT NULL,
  prev_hash            TEXT NOT NULL,       -- hash of entry seq-1 (64 zeros for the first)
  hash                 TEXT NOT NULL        -- SM3 over the canonical encoding (audit_log.cc)
);
CREATE INDEX audit_entry_party ON audit_entry (subject_party_id, seq);
CREATE INDEX audit_entry_actor ON audit_entry (actor_id, seq);
CREATE INDEX audit_entry_at ON audit_entry (at_ms);

CREATE TABLE audit_head (              -- one row: the chain's tip; appends lock it
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   BIGINT NOT NULL,
  hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
