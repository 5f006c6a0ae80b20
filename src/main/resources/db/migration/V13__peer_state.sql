-- How the last pull of a peer went: ok, refusing (its pages do not verify or do not fit),
-- unreachable, or failing (applying failed on this node).
ALTER TABLE federation_peer ADD COLUMN pull_state VARCHAR(20) DEFAULT 'ok' NOT NULL;
-- Whether the peer reads this node's feed (so it is notified of new changes).
ALTER TABLE federation_peer ADD COLUMN pulls_from_here BOOLEAN DEFAULT FALSE NOT NULL;
