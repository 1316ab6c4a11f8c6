// name: clause-conflicts
// rule: R6
// kind: analysis
// answers: Which contracts declare a collaboration mode that their own clauses force down (to distrust)?
// param: supplier (string, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, declared_mode, effective_mode, clauses
//
// clauses: the clause types of the contract that force a mode, sorted.

// Every contract that declares a mode.
MATCH (c:Contract)-[:DECLARED_MODE]->(declared:CollaborationMode)

// R1: the lowest-ranked mode its clause types force; a conflict when it ranks below the declared mode.
WITH c, declared,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     }[0] AS forced
WHERE forced.rank < declared.rank

MATCH (lot:Lot)<-[:PART_OF]-(c)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE $supplier IS NULL OR supplier.id = $supplier

RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       declared.key AS declared_mode,
       forced.key AS effective_mode,
       COLLECT {
         MATCH (c)-[:HAS_CLAUSE]->(t:ClauseType)-[:FORCES]->(:CollaborationMode)
         RETURN DISTINCT t.key ORDER BY t.key
       } AS clauses
ORDER BY contract
