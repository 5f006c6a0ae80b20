-- Federation: where each change came from, what this node imported, and each peer's sync state.

-- The origin of a change: NULL for this node's own changes; for an imported one the origin node,
-- its position in the origin's log and the origin's signature over it (relayed as is).
-- item names the thing a change is about when id and version do not (a signature, a provenance
-- statement), so "the latest change of a key" is well defined for snapshots and imports.
ALTER TABLE change_log ADD COLUMN origin VARCHAR(63);
ALTER TABLE change_log ADD COLUMN origin_seq BIGINT;
ALTER TABLE change_log ADD COLUMN origin_sig VARCHAR;
ALTER TABLE change_log ADD COLUMN item VARCHAR(100) DEFAULT '' NOT NULL;
CREATE INDEX change_log_origin ON change_log (origin, origin_seq);

-- Catalogue rows imported from a peer carry the origin node that owns them; NULL is local.
ALTER TABLE facility ADD COLUMN origin VARCHAR(63);
ALTER TABLE software ADD COLUMN origin VARCHAR(63);
ALTER TABLE licence ADD COLUMN origin VARCHAR(63);
-- what the origin node judged about an imported artifact, shown beside this node's own judgement
ALTER TABLE artifact ADD COLUMN origin_trust VARCHAR;

CREATE TABLE federation_peer (
    id              VARCHAR(63)  NOT NULL PRIMARY KEY,
    cursor_seq      BIGINT       NOT NULL,
    peer_head       BIGINT       NOT NULL,
    jwks            VARCHAR,
    last_success_at TIMESTAMP WITH TIME ZONE,
    last_error_at   TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(1000),
    caught_up_at    TIMESTAMP WITH TIME ZONE,
    applied         BIGINT       NOT NULL,
    skipped         BIGINT       NOT NULL,
    refused_pages   BIGINT       NOT NULL
);

-- The newest origin sequence each peer has served of each origin: a peer serving an origin's
-- entries going back (an older version after a newer one) is refused.
CREATE TABLE federation_peer_origin (
    peer_id    VARCHAR(63) NOT NULL REFERENCES federation_peer (id),
    origin     VARCHAR(63) NOT NULL,
    origin_seq BIGINT      NOT NULL,
    PRIMARY KEY (peer_id, origin)
);
