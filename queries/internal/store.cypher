// The statements the Neo4j store (sourcing_graph.graph.neo4j.store) runs around a load: the
// connection check, the counts, and the load lock. Internal: not a named query.
//
// The load lock is the one (:SourcingGraphMeta {key: $key}) node: the first statement of every
// load (and of an ontology-only write) sets a property of it, which takes its exclusive lock until
// the transaction ends. It also records the last committed load (loadId, loadedAt, the counts).

// name: probe
// Does the server answer (with these credentials, for this database)?
RETURN 1

// name: counts
// How many nodes of each register label and relationships the database holds.
CALL () { MATCH (c:Contract) RETURN count(c) AS contracts }
CALL () { MATCH (l:Lot) RETURN count(l) AS lots }
CALL () { MATCH (f:Function) RETURN count(f) AS functions }
CALL () { MATCH (o:Organisation) RETURN count(o) AS organisations }
CALL () { MATCH (:Lot)-[d:DEPENDS_ON]->(:Lot) RETURN count(d) AS dependencies }
CALL () { MATCH (:Contract)-[s:SUPPLY_CHAIN]->(:Organisation) RETURN count(s) AS subcontracting }
RETURN contracts, lots, functions, organisations, dependencies, subcontracting

// name: load-info
// The last committed load. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
WHERE m.loadId IS NOT NULL
RETURN properties(m) AS meta

// name: tag-load
// Take the load lock for a load and tag it with the load's id; return the id it replaces (the
// last committed load's; null before any). Parameters: $key, $loadId.
// (Touching `locked` here makes its property key exist after a load: otherwise the first guarded
// read would create it, and a new property key commits a transaction of its own.)
MERGE (m:SourcingGraphMeta {key: $key})
WITH m, m.loadId AS previous
SET m.loadId = $loadId, m.locked = true
REMOVE m.locked
RETURN previous

// name: take-lock
// Take the load lock without changing anything (an ontology-only write). Parameter: $key.
MERGE (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked

// name: locked-load-id
// Take the load lock (a guarded read; rolled back) and return the load id then committed, and
// whether a batched load left another version beside it (sourcing_graph.graph.neo4j.batched).
// Parameter: $key.
MERGE (m:SourcingGraphMeta {key: $key})
SET m.locked = true
REMOVE m.locked
RETURN m.loadId AS loadId, m.stagingLoad IS NOT NULL OR m.retiringLoad IS NOT NULL AS mixed

// name: finish-load
// Record the load's counts and time, the last statement of a load. Parameters: $key, $counts.
MATCH (m:SourcingGraphMeta {key: $key})
SET m += $counts, m.loadedAt = datetime()

// name: previous-load
// Under the load lock, before a load writes: what the last committed load left (its contract
// count, register digest and rule data digest; null when no register was loaded). Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
RETURN m.contracts AS contracts, m.registerDigest AS registerDigest, m.rulesDigest AS rulesDigest
