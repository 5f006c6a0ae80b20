-- The snapshot seq a peer was first pulled from (null: pulled from the start of its feed).
ALTER TABLE federation_peer ADD COLUMN bootstrap_seq BIGINT;
