// name: retained-functions
// rule: R8
// kind: analysis
// answers: Which functions the client should keep in-house are delivered by external suppliers?
// param: supplier (string, optional) — only the findings of this supplier
// columns: function, supplier, contracts

// Every retained function, and each contract of an external supplier that delivers it.
MATCH (function:Function)
WHERE function.retained
CALL (function) {
  MATCH (function)<-[:DELIVERS]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
  WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  RETURN c, supplier
}

// One finding per function and supplier, with its contracts in order.
ORDER BY c.id
WITH function, supplier, collect(c.id) AS contracts

RETURN function.id AS function, supplier.id AS supplier, contracts
ORDER BY function, supplier
