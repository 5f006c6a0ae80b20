-- Concept schemes: the Turtle as installed, with the node's revision counter.
CREATE TABLE vocab_scheme (
    id             VARCHAR(40)  NOT NULL PRIMARY KEY,
    iri            VARCHAR(300) NOT NULL,
    revision       INTEGER      NOT NULL,
    source_version VARCHAR(100) NOT NULL,
    origin         VARCHAR(20)  NOT NULL,
    turtle         VARCHAR      NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by     VARCHAR(400) NOT NULL
);

-- Identifies this change log, so derived data (the search index) can tell that it was built
-- from another database and must be rebuilt rather than caught up.
ALTER TABLE change_log_head ADD COLUMN log_id VARCHAR(36);
