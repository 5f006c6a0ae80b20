-- Trust: what each signature proved when it was verified on attach, each facility's trust policy
-- (versioned), and each artifact's computed trust result.
ALTER TABLE artifact_signature ADD COLUMN signer_identity VARCHAR(1000);
ALTER TABLE artifact_signature ADD COLUMN signer_issuer VARCHAR(1000);
ALTER TABLE artifact_signature ADD COLUMN signed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE artifact_signature ADD COLUMN verified_at TIMESTAMP WITH TIME ZONE;
-- provenance that came in a Sigstore bundle: who signed it (verified on attach)
ALTER TABLE artifact_provenance ADD COLUMN signed_by VARCHAR(1000);

CREATE TABLE trust_policy (
    facility_id VARCHAR(63)  NOT NULL PRIMARY KEY REFERENCES facility (id),
    version     INTEGER      NOT NULL,
    document    VARCHAR      NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(400) NOT NULL
);

CREATE TABLE artifact_trust (
    artifact_id    VARCHAR(24) NOT NULL PRIMARY KEY REFERENCES artifact (id),
    trust_class    VARCHAR(20) NOT NULL,
    policy_version INTEGER,
    document       VARCHAR     NOT NULL,
    evaluated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
