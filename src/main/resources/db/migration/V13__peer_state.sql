-- A non-shareable artifact imported from its home node is known here without its reference.
ALTER TABLE artifact ALTER COLUMN reference DROP NOT NULL;

-- How the last pull of a peer went: ok, refusing (its pages do not verify or do not fit),
-- unreachable, or failing (applying failed on this node).
ALTER TABLE federation_peer ADD COLUMN pull_state VARCHAR(20) DEFAULT 'ok' NOT NULL;
-- Whether the peer reads this node's feed (so it is notified of new changes).
ALTER TABLE federation_peer ADD COLUMN pulls_from_here BOOLEAN DEFAULT FALSE NOT NULL;

-- Entries of a peer's feed whose origin this node cannot verify yet (no pinned key of it is known
-- here): kept in the peer's order, applied when the key is learnt, never dropped. Later entries
-- of the same origin wait behind them; other origins' entries go on.
CREATE TABLE federation_held_entry (
    peer_id VARCHAR(63)   NOT NULL,
    seq     BIGINT        NOT NULL,
    origin  VARCHAR(63)   NOT NULL,
    entry   VARCHAR       NOT NULL,
    reason  VARCHAR(1000) NOT NULL,
    -- the keys of the origin the relaying peer carried with the entry (JWK set JSON), if any:
    -- used once this node pins one of them
    origin_keys VARCHAR,
    held_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (peer_id, seq)
);
-- Origins this node pinned because a peer it lets vouch (vouchesForOrigins) vouched for them:
-- pinned once, with the fingerprints given then; the peers file always takes precedence.
CREATE TABLE federation_vouched_origin (
    origin       VARCHAR(63)   NOT NULL PRIMARY KEY,
    fingerprints VARCHAR(1000) NOT NULL,
    vouched_by   VARCHAR(63)   NOT NULL,
    learned_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    jwks         VARCHAR
);
CREATE INDEX federation_held_entry_origin ON federation_held_entry (peer_id, origin, seq);
