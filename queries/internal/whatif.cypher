// The statements of a what-if scenario on Neo4j (sourcing_graph.graph.neo4j.whatif), run in one
// transaction that is always rolled back. Internal: not a named query.
//
// One statement per kind of change (sourcing_graph.model.CHANGE_TARGETS), each changing one
// target: $id (a contract, lot or organisation id) and $value (a mode key or null, a clause type
// key, a selection basis key or null, an organisation id, a boolean). Then affected gives the
// contracts and lots whose stored modes (R1, R2, R7) must be derived again.

// name: set_mode
MATCH (c:Contract {id: $id})
CALL (c) {
  MATCH (c)-[old:DECLARED_MODE]->()
  DELETE old
}
WITH c
OPTIONAL MATCH (m:CollaborationMode {key: $value})
FOREACH (mode IN CASE WHEN m IS NULL THEN [] ELSE [m] END | CREATE (c)-[:DECLARED_MODE]->(mode))
REMOVE c.modeAsWritten

// name: add_clause
MATCH (c:Contract {id: $id})
MATCH (t:ClauseType {key: $value})
MERGE (c)-[:HAS_CLAUSE]->(t)

// name: drop_clause
MATCH (:Contract {id: $id})-[r:HAS_CLAUSE]->(:ClauseType {key: $value})
DELETE r

// name: set_selection_basis
MATCH (c:Contract {id: $id})
SET c.selectionBasis = $value

// name: set_prime_contractor
MATCH (l:Lot {id: $id})
MATCH (p:Organisation {id: $value})
CALL (l) {
  MATCH (l)-[old:COORDINATED_BY]->()
  DELETE old
}
CREATE (l)-[:COORDINATED_BY]->(p)
REMOVE l.primeContractorDefaulted

// name: set_internal
MATCH (o:Organisation {id: $id})
SET o.internal = $value

// name: affected
// The contracts changed ($contracts) or supplied by a changed organisation ($suppliers), and
// the lots of those contracts or changed themselves ($lots).
CALL () {
  UNWIND $suppliers AS supplier
  MATCH (:Organisation {id: supplier})<-[:SUPPLIED_BY]-(c:Contract)
  RETURN c.id AS contract
  UNION
  UNWIND $contracts AS contract
  RETURN contract
}
WITH collect(contract) AS contracts
CALL (contracts) {
  UNWIND contracts AS contract
  MATCH (:Contract {id: contract})-[:PART_OF]->(l:Lot)
  RETURN l.id AS lot
  UNION
  UNWIND $lots AS lot
  RETURN lot
}
RETURN contracts, collect(lot) AS lots
