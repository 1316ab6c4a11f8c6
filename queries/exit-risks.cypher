// name: exit-risks
// rule: D5
// kind: analysis
// answers: Which critical functions rest on a contract whose provider is not substitutable, has no exit plan, or has no alternative identified?
// param: supplier (organisation, optional) — only this supplier's contracts
// columns: function, contract, supplier, reasons
//
// DORA: the B_07.01 assessment of the contract gives the reasons. Which reasons, and the column,
// contract property and code of each, are ontology data: the :FindingReason nodes with an
// exitRiskCode (packaged: not_substitutable, c0050 substitutability_code eba_ZZ:x959;
// no_exit_plan, c0080 exit_plan_code eba_BT:x29; no_alternative, c0110
// alternative_providers_code eba_BT:x29), in the order of their column. Several assessments
// joined by ' | ': any of them counts. One row per critical function and contract with a
// reason. Sorted by the number of reasons (desc), function, contract.

MATCH (reason:FindingReason)
WHERE reason.exitRiskCode IS NOT NULL
WITH reason ORDER BY reason.exitRiskColumn, reason.key
WITH collect([reason.key, reason.exitRiskProperty, reason.exitRiskCode]) AS risks
MATCH (f:Function)<-[:DELIVERS]-(c:Contract)-[:SUPPLIED_BY]->(s:Organisation)
WHERE f.critical AND ($supplier IS NULL OR s.id = $supplier)
WITH f, c, s,
     [risk IN risks
      WHERE c[risk[1]] IS NOT NULL AND risk[2] IN split(toString(c[risk[1]]), ' | ')
      | risk[0]] AS reasons
WHERE size(reasons) > 0
RETURN f.id AS function, c.id AS contract, s.id AS supplier, reasons
ORDER BY size(reasons) DESC, function, contract
