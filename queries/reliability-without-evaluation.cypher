// name: reliability-without-evaluation
// rule: R12
// kind: analysis
// answers: Which external contracts run on reliability without evaluating it together?
// param: supplier (organisation, optional) — only the contracts of this supplier
// columns: contract, lot, supplier
//
// Reads the effective mode (R1, Contract.effectiveMode) stored with the register. Reliability
// must be designed, evaluated and improved together: a contract in reliability needs a
// joint_evaluation clause. Sorted by contract.

MATCH (lot:Lot)<-[:PART_OF]-(c:Contract {effectiveMode: 'reliability'})-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  AND NOT EXISTS { MATCH (c)-[:HAS_CLAUSE]->(:ClauseType {key: 'joint_evaluation'}) }
RETURN c.id AS contract, lot.id AS lot, supplier.id AS supplier
ORDER BY contract
