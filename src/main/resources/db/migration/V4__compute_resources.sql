-- Compute resources portals launch on, described with the compute-capabilities vocabulary.
CREATE TABLE compute_resource (
    id          VARCHAR(63)  NOT NULL PRIMARY KEY,
    facility_id VARCHAR(63)  NOT NULL REFERENCES facility (id),
    document    VARCHAR      NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(400) NOT NULL
);
