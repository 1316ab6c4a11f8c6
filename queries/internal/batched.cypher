// The statements of a batched load (sourcing_graph.graph.neo4j.batched): a new version of the
// register staged beside the visible one under its own load id, switched to in one small
// transaction, the old version then removed in batches. Internal: not a named query.
//
// Versions: every register node and finding of a version carries its load id (loadId); the
// SourcingGraphMeta node names the visible one (loadId), the one being staged (stagingLoad) and
// the one being removed (retiringLoad). While either mark is set, the store's reads keep to the
// visible version (batched.versioned). Cypher takes no label as a parameter: the statements per
// label are written once per label. The batches are CALL ... IN TRANSACTIONS (auto-commit).

// name: marks
// The visible load and the marks of a batched load in progress. Parameter: $key.
OPTIONAL MATCH (m:SourcingGraphMeta {key: $key})
RETURN m.loadId AS loadId, m.stagingLoad AS staging, m.retiringLoad AS retiring,
       m.stages AS stages

// name: adopt:Contract
// Give the visible version's nodes its load id: a single-transaction load or a refresh leaves the
// nodes it does not write with the load id of the one that wrote them (an earlier one's, or none);
// every staged node has one. Invisible to readers: loadId is no part of the register's digest.
// Parameter: $loadId.
MATCH (n:Contract) WHERE n.loadId IS NULL OR n.loadId <> $loadId
CALL (n) { SET n.loadId = $loadId } IN TRANSACTIONS OF 5000 ROWS

// name: adopt:Lot
MATCH (n:Lot) WHERE n.loadId IS NULL OR n.loadId <> $loadId
CALL (n) { SET n.loadId = $loadId } IN TRANSACTIONS OF 5000 ROWS

// name: adopt:Function
MATCH (n:Function) WHERE n.loadId IS NULL OR n.loadId <> $loadId
CALL (n) { SET n.loadId = $loadId } IN TRANSACTIONS OF 5000 ROWS

// name: adopt:Organisation
MATCH (n:Organisation) WHERE n.loadId IS NULL OR n.loadId <> $loadId
CALL (n) { SET n.loadId = $loadId } IN TRANSACTIONS OF 5000 ROWS

// name: adopt:Finding
MATCH (n:Finding) WHERE n.loadId IS NULL OR n.loadId <> $loadId
CALL (n) { SET n.loadId = $loadId } IN TRANSACTIONS OF 5000 ROWS

// name: remove-others:Contract
// Remove the nodes of the versions $drop (retiring-versions) and those without a load id, in
// batches (their relationships with them).
MATCH (n:Contract) WHERE n.loadId IS NULL OR n.loadId IN $drop
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Finding
MATCH (n:Finding) WHERE n.loadId IS NULL OR n.loadId IN $drop
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Lot
MATCH (n:Lot) WHERE n.loadId IS NULL OR n.loadId IN $drop
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Function
MATCH (n:Function) WHERE n.loadId IS NULL OR n.loadId IN $drop
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Organisation
MATCH (n:Organisation) WHERE n.loadId IS NULL OR n.loadId IN $drop
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: begin
// Under the load lock: mark $loadId as staging, with its stage token (a node every staging
// transaction locks first: removing it stops the stage), when the visible load is still
// $expected (the one adopted) and no other load is marked. Returns whether it was marked.
// stages counts the stages begun (a reader outside the lock compares it before and after).
// Parameters: $key, $loadId, $expected, $token.
MERGE (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked
WITH m, (m.loadId IS NULL AND $expected IS NULL OR m.loadId = $expected)
        AND m.stagingLoad IS NULL AND m.retiringLoad IS NULL AS free
CALL (m, free) {
  WITH m, free WHERE free
  SET m.stagingLoad = $loadId, m.stages = coalesce(m.stages, 0) + 1
  CREATE (:SourcingGraphMeta {key: $token})
}
RETURN free

// name: touch-stage
// The first statement of every staging transaction: lock the stage token; no row when the
// stage was stopped (its token removed). Parameter: $token.
MATCH (t:SourcingGraphMeta {key: $token})
SET t.batches = coalesce(t.batches, 0) + 1
RETURN t.batches AS batches

// name: drop-stage-tokens
// Stop every stage: remove the tokens (waiting for a staging transaction in flight to end).
// Parameter: $prefix (the meta key and ':stage:').
MATCH (t:SourcingGraphMeta)
WHERE t.key STARTS WITH $prefix
DELETE t

// name: switch
// The switch, under the load lock: the staged version becomes the visible one and the ones
// beside it are marked for removal. Returns the replaced load id, or no row when $loadId is no
// longer the stage (its stage was stopped). Parameters: $key, $loadId.
MATCH (m:SourcingGraphMeta {key: $key})
WHERE m.stagingLoad = $loadId
WITH m, m.loadId AS previous
SET m.loadId = $loadId, m.retiringLoad = coalesce(previous, $loadId)
REMOVE m.stagingLoad
RETURN previous

// name: abandon
// Under the load lock: a stage that will not be switched to (interrupted, or the same register
// as the loaded one) is marked for removal instead; no stage can begin until the removal is
// done. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked
WITH m
WHERE m.stagingLoad IS NOT NULL
SET m.retiringLoad = m.stagingLoad
REMOVE m.stagingLoad

// name: retiring
// Under the load lock: whether a removal is marked, and the visible load id. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked
RETURN m.retiringLoad IS NOT NULL AS retiring, m.loadId AS visible

// name: retiring-versions
// The load ids of every version but the visible one $keep (run under the load lock while a
// removal is marked, so no new stage can be among them).
CALL () {
  MATCH (n:Contract) RETURN DISTINCT n.loadId AS version
  UNION
  MATCH (n:Lot) RETURN DISTINCT n.loadId AS version
  UNION
  MATCH (n:Function) RETURN DISTINCT n.loadId AS version
  UNION
  MATCH (n:Organisation) RETURN DISTINCT n.loadId AS version
  UNION
  MATCH (n:Finding) RETURN DISTINCT n.loadId AS version
}
WITH version WHERE version IS NOT NULL AND version <> $keep
RETURN collect(version) AS versions

// name: unmark-retiring
// Under the load lock, when the removal is done. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked, m.retiringLoad

// name: settle
// In a single-transaction load, under its load lock, when a batched load left marks: whether it
// did. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
RETURN m.stagingLoad IS NOT NULL OR m.retiringLoad IS NOT NULL AS mixed

// name: settle:Contract
// Remove, in the load's transaction, every node of another version than $keep.
MATCH (n:Contract) WHERE n.loadId IS NOT NULL AND n.loadId <> $keep DETACH DELETE n

// name: settle:Lot
MATCH (n:Lot) WHERE n.loadId IS NOT NULL AND n.loadId <> $keep DETACH DELETE n

// name: settle:Function
MATCH (n:Function) WHERE n.loadId IS NOT NULL AND n.loadId <> $keep DETACH DELETE n

// name: settle:Organisation
MATCH (n:Organisation) WHERE n.loadId IS NOT NULL AND n.loadId <> $keep DETACH DELETE n

// name: settle:Finding
MATCH (n:Finding) WHERE n.loadId IS NOT NULL AND n.loadId <> $keep DETACH DELETE n

// name: clear-marks
// The end of settle. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
REMOVE m.stagingLoad, m.retiringLoad

// name: memory-caps
// The server's caps on transaction memory (0 or 0B: none).
SHOW SETTINGS YIELD name, value
WHERE name IN ['db.memory.transaction.max', 'db.memory.transaction.total.max', 'dbms.memory.transaction.total.max']
RETURN name, value
