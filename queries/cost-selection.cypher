// name: cost-selection
// rule: R10
// kind: analysis
// answers: Which external contracts were selected on cost in a lot whose recommended mode ranks above distrust?
// param: supplier (organisation, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, recommended, effective_mode
//
// Reads the lot's recommended minimum mode (R7, Lot.recommendedMode) and the contract's effective
// mode (R1, Contract.effectiveMode) stored with the register. Selecting on cost sorts towards
// distrust, which fits a commodity lot only. Sorted by contract.

// The modes ranked above distrust, read once; each lot's recommendation is then a list test.
MATCH (distrust:CollaborationMode {key: 'distrust'})
WITH COLLECT { MATCH (m:CollaborationMode) WHERE m.rank > distrust.rank RETURN m.key } AS above
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract {selectionBasis: 'cost'})-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  AND lot.recommendedMode IN above
RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       lot.recommendedMode AS recommended,
       c.effectiveMode AS effective_mode
ORDER BY contract
