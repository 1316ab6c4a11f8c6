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
RETURN m.loadId AS loadId, m.stagingLoad AS staging, m.retiringLoad AS retiring

// name: adopt:Contract
// Give the visible version's nodes its load id (nodes the single-transaction load wrote carry
// none). Invisible to readers: loadId is no part of the register's digest. Parameter: $loadId.
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
// Remove every node that is not of the version $keep, in batches (its relationships with it).
MATCH (n:Contract) WHERE n.loadId IS NULL OR n.loadId <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Finding
MATCH (n:Finding) WHERE n.loadId IS NULL OR n.loadId <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Lot
MATCH (n:Lot) WHERE n.loadId IS NULL OR n.loadId <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Function
MATCH (n:Function) WHERE n.loadId IS NULL OR n.loadId <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-others:Organisation
MATCH (n:Organisation) WHERE n.loadId IS NULL OR n.loadId <> $keep
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-version:Contract
// Remove the nodes of the version $drop (an abandoned stage), in batches.
MATCH (n:Contract {loadId: $drop})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-version:Finding
MATCH (n:Finding {loadId: $drop})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-version:Lot
MATCH (n:Lot {loadId: $drop})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-version:Function
MATCH (n:Function {loadId: $drop})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: remove-version:Organisation
MATCH (n:Organisation {loadId: $drop})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS

// name: begin
// Under the load lock: mark $loadId as staging, when the visible load is still $expected (the one
// adopted) and no other stage is marked. Returns whether it was marked. Parameters: $key,
// $loadId, $expected.
MERGE (m:SourcingGraphMeta {key: $key})
WITH m, (m.loadId IS NULL AND $expected IS NULL OR m.loadId = $expected)
        AND m.stagingLoad IS NULL AND m.retiringLoad IS NULL AS free
SET m.locked = true
REMOVE m.locked
SET m.stagingLoad = CASE WHEN free THEN $loadId ELSE m.stagingLoad END
RETURN free

// name: switch
// The switch, under the load lock: the staged version becomes the visible one and the one it
// replaces is marked for removal. Returns the replaced load id, or no row when $loadId is no
// longer the stage (another load took over). Parameters: $key, $loadId.
MATCH (m:SourcingGraphMeta {key: $key})
WHERE m.stagingLoad = $loadId
WITH m, m.loadId AS previous
SET m.loadId = $loadId, m.retiringLoad = coalesce(previous, $loadId)
REMOVE m.stagingLoad
RETURN previous

// name: unmark-staging
// Under the load lock, when an abandoned stage is removed: clear the mark if it still names it.
// Parameters: $key, $loadId.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked
WITH m
WHERE m.stagingLoad = $loadId
REMOVE m.stagingLoad

// name: unmark-retiring
// Under the load lock, when every node not of the visible version $keep is removed: clear the
// removal's mark if $keep is still the visible version. Parameters: $key, $keep.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked
WITH m
WHERE m.loadId = $keep
REMOVE m.retiringLoad

// name: memory-caps
// The server's caps on transaction memory (0 or 0B: none).
SHOW SETTINGS YIELD name, value
WHERE name IN ['db.memory.transaction.max', 'db.memory.transaction.total.max', 'dbms.memory.transaction.total.max']
RETURN name, value
