-- 0009_case_phone: the applicant's mobile number at filing, for SMS notices about the case
-- (accepted, correction needed, completed, rejected). Owned by src/cases/.
ALTER TABLE case_file ADD COLUMN applicant_phone TEXT NOT NULL DEFAULT '';
