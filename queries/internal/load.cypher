// The statements of a register load (sourcing_graph.graph.neo4j.load_plan), run in one
// transaction after the load lock is taken. Internal: not a named query.
//
// Replacing in place: nodes whose id is no longer in the register go, every register relationship
// goes, then nodes are merged by id (their properties replaced) and relationships created afresh.
// Merging keeps the id index untouched for ids that stay, which keeps a replacing load as fast as a
// first one (deleting and re-creating 100k nodes with the same ids in one transaction is not).
// Cypher cannot take a label as a parameter: the removal is written once per register label.

// name: remove-stale:Contract
// Parameter: $ids, the ids the new register has.
MATCH (n:Contract) WHERE NOT n.id IN $ids DETACH DELETE n

// name: remove-stale:Lot
MATCH (n:Lot) WHERE NOT n.id IN $ids DETACH DELETE n

// name: remove-stale:Function
MATCH (n:Function) WHERE NOT n.id IN $ids DETACH DELETE n

// name: remove-stale:Organisation
MATCH (n:Organisation) WHERE NOT n.id IN $ids DETACH DELETE n

// name: remove-contract-relationships
MATCH (:Contract)-[r:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|DELIVERS|SUPPLY_CHAIN]->() DELETE r

// name: remove-lot-relationships
MATCH (:Lot)-[r:DEPENDS_ON|COORDINATED_BY]->() DELETE r

// name: merge-organisations
// Parameter: $rows, each {id, props}.
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
SET o = row.props

// name: merge-functions
// Parameter: $rows, each {id, props}.
UNWIND $rows AS row
MERGE (f:Function {id: row.id})
SET f = row.props

// name: merge-lots
// Parameter: $rows, each {id, prime, props}.
UNWIND $rows AS row
MERGE (l:Lot {id: row.id})
SET l = row.props
WITH l, row
MATCH (p:Organisation {id: row.prime})
CREATE (l)-[:COORDINATED_BY]->(p)

// name: create-dependencies
// Parameter: $rows, each [lot id, id of the lot it depends on].
UNWIND $rows AS row
MATCH (a:Lot {id: row[0]})
MATCH (b:Lot {id: row[1]})
CREATE (a)-[:DEPENDS_ON]->(b)

// name: merge-contracts
// Parameter: $rows, each {id, supplier, lot, mode, clauses, functions, props}.
UNWIND $rows AS row
MERGE (c:Contract {id: row.id})
SET c = row.props
WITH c, row
MATCH (s:Organisation {id: row.supplier})
MATCH (l:Lot {id: row.lot})
CREATE (s)<-[:SUPPLIED_BY]-(c)-[:PART_OF]->(l)
WITH c, row
CALL (c, row) {
  MATCH (m:CollaborationMode {key: row.mode})
  CREATE (c)-[:DECLARED_MODE]->(m)
}
CALL (c, row) {
  UNWIND row.clauses AS clause
  MATCH (t:ClauseType {key: clause})
  CREATE (c)-[:HAS_CLAUSE]->(t)
}
CALL (c, row) {
  UNWIND row.functions AS fid
  MATCH (f:Function {id: fid})
  CREATE (c)-[:DELIVERS]->(f)
}

// name: create-supply-chains
// Parameter: $rows, each {contract, supplier, rank, recipient, serviceType}.
UNWIND $rows AS row
MATCH (c:Contract {id: row.contract})
MATCH (o:Organisation {id: row.supplier})
CREATE (c)-[:SUPPLY_CHAIN {rank: row.rank, recipient: row.recipient, serviceType: row.serviceType}]->(o)
