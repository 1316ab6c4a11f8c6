// name: clause-conflicts
// rule: R6
// kind: analysis
// answers: Which contracts declare a collaboration mode that their own clauses force down (to distrust)?
// param: supplier (organisation, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, declared_mode, effective_mode, clauses
//
// Reads the effective mode (R1) stored with the register (EFFECTIVE_MODE, Contract.modeBasis).
// clauses: the clause types of the contract that force a mode, sorted.

// The candidates: with a supplier, its contracts; without, the contracts that have a forcing
// clause type (found from the few forcing clause types, walking their incoming HAS_CLAUSE).
CALL () {
  MATCH (:Organisation {id: $supplier})<-[:SUPPLIED_BY]-(c:Contract)
  WHERE c.modeBasis = 'forced_by_clause'
  RETURN c
  UNION
  MATCH (t:ClauseType)
  WHERE $supplier IS NULL AND EXISTS { (t)-[:FORCES]->(:CollaborationMode) }
  MATCH (t)<-[:HAS_CLAUSE]-(c:Contract)
  WHERE c.modeBasis = 'forced_by_clause'
  RETURN c
}

// Every such contract whose mode a clause forced below the mode it declares.
MATCH (declared:CollaborationMode)<-[:DECLARED_MODE]-(c)-[:EFFECTIVE_MODE]->(effective:CollaborationMode)
WHERE effective.rank < declared.rank
MATCH (lot:Lot)<-[:PART_OF]-(c)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE $supplier IS NULL OR supplier.id = $supplier

RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       declared.key AS declared_mode,
       effective.key AS effective_mode,
       COLLECT {
         MATCH (c)-[:HAS_CLAUSE]->(t:ClauseType)-[:FORCES]->(:CollaborationMode)
         RETURN DISTINCT t.key ORDER BY t.key
       } AS clauses
ORDER BY contract
