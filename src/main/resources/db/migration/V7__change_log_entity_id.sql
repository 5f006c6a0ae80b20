-- Every query of the log by entity also names the entity id, and applying a federation page asks,
-- for the page's entity ids, which origin positions this node already holds
-- (ChangeLog.latestOriginSeqs). One index led by the entity id serves them all; the former
-- (entity, entity_id) index made that query scan every change of an origin once per page.
DROP INDEX change_log_entity;
CREATE INDEX change_log_entity_id ON change_log (entity_id, entity);
