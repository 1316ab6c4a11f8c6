// name: effective-modes
// rule: R1
// kind: helper
// answers: In which collaboration mode does each contract really run, and why?
// param: supplier (organisation, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, declared_mode, effective_mode, reason, forcing_clauses
//
// Reads what the last load or refresh stored (Contract.effectiveMode, Contract.modeBasis).
// reason: clause (a clause type forces the mode: modeBasis forced_by_clause), declared (the
// contract declares it), internal_supplier (no mode recorded, but the supplier is internal),
// not_recorded (unknown).

MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE $supplier IS NULL OR supplier.id = $supplier
RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       coalesce(COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m.key }[0], 'unknown')
         AS declared_mode,
       coalesce(c.effectiveMode, 'unknown') AS effective_mode,
       CASE c.modeBasis WHEN 'forced_by_clause' THEN 'clause' ELSE c.modeBasis END AS reason,
       COLLECT {
         MATCH (c)-[:HAS_CLAUSE]->(t:ClauseType)-[:FORCES]->(:CollaborationMode)
         RETURN DISTINCT t.key ORDER BY t.key
       } AS forcing_clauses
ORDER BY contract
