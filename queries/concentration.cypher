// name: concentration
// rule: R9
// kind: analysis
// answers: How much does the client depend on each external supplier: critical functions, lots, contracts, annual value?
// param: supplier (organisation, optional) — only this supplier
// columns: supplier, critical_functions, lots, contracts, annual_value
//
// Every external supplier with at least one contract; a contract without an annual value adds 0.
// Sorted by the number of critical functions, then the annual value (both descending), then supplier.

// Every contract of an external supplier, in contract order: its identifier and annual value.
MATCH (supplier:Organisation)<-[:SUPPLIED_BY]-(c:Contract)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
WITH supplier, c ORDER BY c.id
WITH supplier, collect(c.id) AS contracts, collect(coalesce(c.annualValueCents, 0)) AS amounts

// The critical functions and the lots of those contracts, and their total annual value: an exact
// sum of integer cents, ordered on, and returned as an amount (cents / 100.0: exact below 10^13).
WITH supplier, contracts, reduce(total = 0, value IN amounts | total + value) AS cents
RETURN supplier.id AS supplier,
       COLLECT {
         MATCH (supplier)<-[:SUPPLIED_BY]-(:Contract)-[:DELIVERS]->(f:Function)
         WHERE f.critical
         RETURN DISTINCT f.id AS id ORDER BY id
       } AS critical_functions,
       COLLECT {
         MATCH (supplier)<-[:SUPPLIED_BY]-(:Contract)-[:PART_OF]->(l:Lot)
         RETURN DISTINCT l.id AS id ORDER BY id
       } AS lots,
       contracts,
       cents / 100.0 AS annual_value
ORDER BY size(critical_functions) DESC, cents DESC, supplier
