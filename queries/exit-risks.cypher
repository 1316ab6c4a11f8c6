// name: exit-risks
// rule: D5
// kind: analysis
// answers: Which critical functions rest on a contract whose provider is not substitutable, has no exit plan, or has no alternative identified?
// param: supplier (string, optional) — only this supplier's contracts
// columns: function, contract, supplier, reasons
//
// DORA: the B_07.01 assessment of the contract (its properties substitutability_code, c0050;
// exit_plan_code, c0080; alternative_providers_code, c0110; several assessments joined by ' | ',
// any of them counts) gives the reasons, in this order: not_substitutable (eba_ZZ:x959),
// no_exit_plan (eba_BT:x29), no_alternative (eba_BT:x29). One row per critical function and
// contract with a reason. Sorted by the number of reasons (desc), function, contract.

MATCH (f:Function)<-[:DELIVERS]-(c:Contract)-[:SUPPLIED_BY]->(s:Organisation)
WHERE f.critical AND ($supplier IS NULL OR s.id = $supplier)
WITH f, c, s,
     [reason IN [
        ['not_substitutable', c.substitutability_code, 'eba_ZZ:x959'],
        ['no_exit_plan', c.exit_plan_code, 'eba_BT:x29'],
        ['no_alternative', c.alternative_providers_code, 'eba_BT:x29']
      ] WHERE reason[1] IS NOT NULL AND reason[2] IN split(reason[1], ' | ') | reason[0]] AS reasons
WHERE size(reasons) > 0
RETURN f.id AS function, c.id AS contract, s.id AS supplier, reasons
ORDER BY size(reasons) DESC, function, contract
