// name: unbounded-trust
// rule: R11
// kind: analysis
// answers: Which external contracts run on trust without agreeing on each other's freedom of movement?
// param: supplier (organisation, optional) — only the contracts of this supplier
// columns: contract, lot, supplier
//
// Reads the effective mode (R1, Contract.effectiveMode) stored with the register. Trust is never
// unlimited: a contract in trust needs a freedom_of_movement clause. Sorted by contract.

MATCH (lot:Lot)<-[:PART_OF]-(c:Contract {effectiveMode: 'trust'})-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  AND NOT EXISTS { MATCH (c)-[:HAS_CLAUSE]->(:ClauseType {key: 'freedom_of_movement'}) }
RETURN c.id AS contract, lot.id AS lot, supplier.id AS supplier
ORDER BY contract
