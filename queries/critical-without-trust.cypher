// name: critical-without-trust
// rule: R4
// kind: analysis
// answers: Which external suppliers deliver a critical function without any contract for it running on trust?
// param: supplier (string, optional) — only the findings of this supplier
// columns: supplier, function, contracts, reasons
//
// reasons, one per contract (in contract order): penalty_or_bonus (a clause type forced the mode),
// declared_distrust, declared_reliability, or mode_not_recorded.

// Every critical function, and each contract of an external supplier that delivers it.
MATCH (function:Function)
WHERE function.critical
CALL (function) {
  MATCH (function)<-[:DELIVERS]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
  WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  RETURN c, supplier
}

// R1: a mode forced by a clause type wins over the declared mode (internal suppliers play no part).
WITH supplier, function, c,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     }[0] AS forcedMode,
     COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m }[0] AS declaredMode
WITH supplier, function, c, coalesce(forcedMode, declaredMode).key AS effective,
     CASE
       WHEN forcedMode IS NOT NULL THEN 'penalty_or_bonus'
       WHEN declaredMode IS NOT NULL THEN 'declared_' + declaredMode.key
       ELSE 'mode_not_recorded'
     END AS reason

// R4: per supplier and function, a finding when none of its contracts runs on trust.
ORDER BY c.id
WITH supplier, function, collect(c.id) AS contracts, collect(reason) AS reasons,
     collect(effective) AS modes
WHERE NOT 'trust' IN modes

RETURN supplier.id AS supplier, function.id AS function, contracts, reasons
ORDER BY supplier, function
