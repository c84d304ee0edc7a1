-- 0016_policy_search (SQLite): full-text search of the policy library (0015): policy_fts, an
-- FTS5 table with the trigram tokenizer (substrings of any script, Chinese included), written by
-- PolicyService in the transaction of each change.

CREATE VIRTUAL TABLE policy_fts USING fts5 (
  policy_id UNINDEXED, title, full_text, tokenize = 'trigram');
