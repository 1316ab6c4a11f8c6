// name: effective-modes
// rule: R1
// kind: helper
// answers: In which collaboration mode does each contract really run, and why?
// param: supplier (string, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, declared_mode, effective_mode, reason, forcing_clauses
//
// reason: clause (a clause type forces the mode), declared (the contract declares it),
// internal_supplier (no mode recorded, but the supplier is internal), not_recorded (unknown).

// The rule parameter of R1: the mode of an internal supplier's contract that records none.
MATCH (:RuleParameter {key: 'internalSupplierMode'})-[:SETS_MODE]->(internalMode:CollaborationMode)

// Every contract with its lot and supplier.
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE $supplier IS NULL OR supplier.id = $supplier

// R1: a clause type that forces a mode wins (the lowest-ranked one if several do),
// then the declared mode, then the internal supplier's mode.
WITH c, lot, supplier, internalMode,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     } AS forced,
     COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m } AS declared
WITH c, lot, supplier, forced[0] AS forcedMode, declared[0] AS declaredMode,
     CASE WHEN supplier.internal THEN internalMode END AS internalSupplierMode
WITH c, lot, supplier, forcedMode, declaredMode, internalSupplierMode,
     coalesce(forcedMode, declaredMode, internalSupplierMode) AS effectiveMode

RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       coalesce(declaredMode.key, 'unknown') AS declared_mode,
       coalesce(effectiveMode.key, 'unknown') AS effective_mode,
       CASE
         WHEN forcedMode IS NOT NULL THEN 'clause'
         WHEN declaredMode IS NOT NULL THEN 'declared'
         WHEN internalSupplierMode IS NOT NULL THEN 'internal_supplier'
         ELSE 'not_recorded'
       END AS reason,
       COLLECT {
         MATCH (c)-[:HAS_CLAUSE]->(t:ClauseType)-[:FORCES]->(:CollaborationMode)
         RETURN DISTINCT t.key ORDER BY t.key
       } AS forcing_clauses
ORDER BY contract
