-- An artifact imported from a peer whose import policy is trusted-only is shown only while this
-- node judges it trusted: trusted_only records that condition, held whether it hides the artifact
-- now (kept in step with the artifact's trust, so reads filter on one column).
ALTER TABLE artifact ADD COLUMN trusted_only BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE artifact ADD COLUMN held BOOLEAN DEFAULT FALSE NOT NULL;
