// name: critical-without-trust
// rule: R4
// kind: analysis
// answers: Which external suppliers deliver a critical function without any contract for it running on trust?
// param: supplier (organisation, optional) — only the findings of this supplier
// columns: supplier, function, contracts, reasons
//
// Reads the effective mode (R1) stored with the register (Contract.effectiveMode, modeBasis).
// reasons, one per contract (in contract order): penalty_or_bonus (a clause type forced the mode),
// declared_distrust, declared_reliability, or mode_not_recorded.

// Every critical function, and each contract of an external supplier that delivers it.
// With a supplier, found from its contracts; without, from the functions.
CALL () {
  MATCH (supplier:Organisation {id: $supplier})<-[:SUPPLIED_BY]-(c:Contract)-[:DELIVERS]->(function:Function)
  WHERE function.critical AND NOT supplier.internal
  RETURN function, c, supplier
  UNION ALL
  MATCH (function:Function)
  WHERE $supplier IS NULL AND function.critical
  CALL (function) {
    MATCH (function)<-[:DELIVERS]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
    WHERE NOT supplier.internal
    RETURN c, supplier
  }
  RETURN function, c, supplier
}

// Why each contract gives no trust (for an external supplier, the mode is forced or declared).
WITH supplier, function, c,
     CASE c.modeBasis
       WHEN 'forced_by_clause' THEN 'penalty_or_bonus'
       WHEN 'declared' THEN 'declared_' + c.effectiveMode
       ELSE 'mode_not_recorded'
     END AS reason

// R4: per supplier and function, a finding when none of its contracts runs on trust.
ORDER BY c.id
WITH supplier, function, collect(c.id) AS contracts, collect(reason) AS reasons,
     collect(c.effectiveMode) AS modes
WHERE NOT 'trust' IN modes

RETURN supplier.id AS supplier, function.id AS function, contracts, reasons
ORDER BY supplier, function
