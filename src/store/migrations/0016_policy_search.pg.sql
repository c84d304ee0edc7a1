-- 0016_policy_search (PostgreSQL): full-text search of the policy library (0015).
-- Full-text search: pg_trgm (in schema public, so every schema's tables can use its operator
-- class) with a GIN trigram index for ILIKE '%…%' over title and full text.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX policy_text_trgm ON policy
  USING gin ((title || ' ' || full_text) public.gin_trgm_ops);
