// The statements of a register load (sourcing_graph.graph.neo4j.load_plan), run in one
// transaction after the load lock is taken. Internal: not a named query.
//
// Replacing in place: every register relationship goes, then nodes are merged by id (their
// properties replaced) and relationships created afresh, then nodes whose id is no longer in the
// register go (last: in one transaction, Neo4j seeks an index and checks a key constraint in time
// proportional to the entries removed from it earlier in the transaction).
// Merging keeps the id index untouched for ids that stay, which keeps a replacing load as fast as a
// first one (deleting and re-creating 100k nodes with the same ids in one transaction is not).
// Cypher cannot take a label as a parameter: the removal is written once per register label.
// A lot's and a contract's conclusion properties (R1, R2, R7) stay while its register properties
// are replaced: the conclusions stage then rewrites only those that changed (and EFFECTIVE_MODE,
// RUNS_IN with them), instead of every one.
// Provenance: a relationship takes the source of the row that said it (a contract's relationships
// its contract row's, read back from the node just written); a null source writes no property.

// name: remove-stale:Contract
// Parameter: $ids, the ids the new register has (a node without id, made with Cypher, goes too).
MATCH (n:Contract) WHERE n.id IS NULL OR NOT n.id IN $ids DETACH DELETE n

// name: remove-stale:Lot
MATCH (n:Lot) WHERE n.id IS NULL OR NOT n.id IN $ids DETACH DELETE n

// name: remove-stale:Function
MATCH (n:Function) WHERE n.id IS NULL OR NOT n.id IN $ids DETACH DELETE n

// name: remove-stale:Organisation
MATCH (n:Organisation) WHERE n.id IS NULL OR NOT n.id IN $ids DETACH DELETE n

// name: remove-contract-relationships
MATCH (:Contract)-[r:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|DELIVERS|SUPPLY_CHAIN]->() DELETE r

// name: remove-lot-relationships
MATCH (:Lot)-[r:DEPENDS_ON|COORDINATED_BY]->() DELETE r

// name: remove-organisation-relationships
MATCH (:Organisation)-[r:SUBCONTRACTS_TO|PART_OF_GROUP]->() DELETE r

// name: merge-organisations
// Parameter: $rows, each {id, props}.
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o = row.props

// name: create-part-of-group
// Parameter: $rows, each [organisation id, id of its ultimate parent] (Register.part_of_group:
// the parent is another organisation of the register). Source: the organisation row's.
UNWIND $rows AS row
MATCH (o:Organisation {id: row[0]})
MATCH (p:Organisation {id: row[1]})
CREATE (o)-[:PART_OF_GROUP {source: o.source}]->(p)

// name: merge-functions
// Parameter: $rows, each {id, props}.
UNWIND $rows AS row
MERGE (f:Function {id: row.id})
SET f = row.props

// name: merge-lots
// Parameter: $rows, each {id, prime, defaulted (true, or null), props}.
UNWIND $rows AS row
MERGE (l:Lot {id: row.id})
WITH l, row, l {.mode, .recommendedMode} AS concluded
SET l = row.props
SET l += concluded
WITH l, row
MATCH (p:Organisation {id: row.prime})
CREATE (l)-[:COORDINATED_BY {source: l.source, defaulted: row.defaulted}]->(p)

// name: create-dependencies
// Parameter: $rows, each [lot id, id of the lot it depends on, source or null].
UNWIND $rows AS row
MATCH (a:Lot {id: row[0]})
MATCH (b:Lot {id: row[1]})
CREATE (a)-[:DEPENDS_ON {source: row[2]}]->(b)

// name: merge-contracts
// Parameter: $rows, each {id, supplier, lot, mode, clauses ([key, words as written or null] each),
// functions, props}; the props' startDate and endDate are ISO texts (stored as dates).
UNWIND $rows AS row
MERGE (c:Contract {id: row.id})
WITH c, row, c {.effectiveMode, .modeBasis} AS concluded
SET c = row.props
SET c += concluded, c.startDate = date(row.props.startDate), c.endDate = date(row.props.endDate)
WITH c, row
MATCH (s:Organisation {id: row.supplier})
MATCH (l:Lot {id: row.lot})
CREATE (s)<-[:SUPPLIED_BY {source: c.source}]-(c)-[:PART_OF {source: c.source}]->(l)
WITH c, row
CALL (c, row) {
  MATCH (m:CollaborationMode {key: row.mode})
  CREATE (c)-[:DECLARED_MODE {source: c.source}]->(m)
}
CALL (c, row) {
  UNWIND row.clauses AS clause
  MATCH (t:ClauseType {key: clause[0]})
  CREATE (c)-[:HAS_CLAUSE {source: c.source, asWritten: clause[1]}]->(t)
}
CALL (c, row) {
  UNWIND row.functions AS fid
  MATCH (f:Function {id: fid})
  CREATE (c)-[:DELIVERS {source: c.source}]->(f)
}

// name: create-supply-chains
// Parameter: $rows, each {contract, supplier, rank, recipient, serviceType, source}.
UNWIND $rows AS row
MATCH (c:Contract {id: row.contract})
MATCH (o:Organisation {id: row.supplier})
CREATE (c)-[:SUPPLY_CHAIN {rank: row.rank, recipient: row.recipient, serviceType: row.serviceType, source: row.source}]->(o)

// name: create-subcontracts-to
// Parameter: $rows, each {provider, subcontractor, rank, arrangement, source}: a provider
// subcontracts (part of) an arrangement's ICT service to another organisation (model.subcontracts_to).
UNWIND $rows AS row
MATCH (p:Organisation {id: row.provider})
MATCH (s:Organisation {id: row.subcontractor})
CREATE (p)-[:SUBCONTRACTS_TO {rank: row.rank, arrangement: row.arrangement, source: row.source}]->(s)

// name: loaded-hashes
// What a replacing load compares its node hashes with (sourcing_graph.graph.neo4j.register_diff):
// the hashes the last single-transaction load recorded and the load id they are of, and the
// digests recorded by the last load or refresh. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
RETURN m.registerHashes AS hashes, m.registerHashesOf AS hashesOf,
       m.registerDigest AS registerDigest, m.rulesDigest AS rulesDigest

// name: record-hashes
// The node hashes of the register this load writes, and its load id. Parameters: $key,
// $hashes (register_diff.encode), $loadId.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.registerHashes = $hashes, m.registerHashesOf = $loadId

// name: lots-of-contracts
// The lots the given contracts are part of, read before a diffed load writes (their modes, R2,
// are derived again: sourcing_graph.graph.neo4j.register_diff.lots_of). Parameter: $ids.
UNWIND $ids AS id
MATCH (:Contract {id: id})-[:PART_OF]->(l:Lot)
RETURN collect(DISTINCT l.id) AS lots

// name: remove-relationships-of:Contract
// The outgoing register relationships of the contracts a diffed load writes again. Parameter: $ids.
UNWIND $ids AS id
MATCH (:Contract {id: id})-[r:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|DELIVERS|SUPPLY_CHAIN]->()
DELETE r

// name: remove-relationships-of:Lot
UNWIND $ids AS id
MATCH (:Lot {id: id})-[r:DEPENDS_ON|COORDINATED_BY]->()
DELETE r

// name: remove-relationships-of:Organisation
UNWIND $ids AS id
MATCH (:Organisation {id: id})-[r:SUBCONTRACTS_TO|PART_OF_GROUP]->()
DELETE r
