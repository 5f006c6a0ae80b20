-- Applying a federation page asks, for the page's entity ids, which origin positions this node
-- already holds (ChangeLog.latestOriginSeqs). Without an index led by entity_id that query scans
-- every change of the origin once per page, which grows with the log.
CREATE INDEX change_log_entity_id ON change_log (entity_id, origin);
