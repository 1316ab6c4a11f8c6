// name: clause-conflicts
// rule: R6
// kind: analysis
// answers: Which contracts declare a collaboration mode that their own clauses force down (to distrust)?
// param: supplier (string, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, declared_mode, effective_mode, clauses
//
// Reads the effective mode (R1) stored with the register (EFFECTIVE_MODE, Contract.modeBasis).
// clauses: the clause types of the contract that force a mode, sorted.

// Every contract whose mode a clause forced below the mode it declares.
MATCH (declared:CollaborationMode)<-[:DECLARED_MODE]-(c:Contract)-[:EFFECTIVE_MODE]->(effective:CollaborationMode)
WHERE c.modeBasis = 'forced_by_clause' AND effective.rank < declared.rank

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
