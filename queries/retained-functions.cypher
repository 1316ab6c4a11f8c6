// name: retained-functions
// rule: R8
// kind: analysis
// answers: Which functions the client should keep in-house are delivered by external suppliers?
// param: supplier (organisation, optional) — only the findings of this supplier
// columns: function, supplier, contracts

// Every retained function, and each contract of an external supplier that delivers it.
// With a supplier, found from its contracts; without, from the functions.
CALL () {
  MATCH (supplier:Organisation {id: $supplier})<-[:SUPPLIED_BY]-(c:Contract)-[:DELIVERS]->(function:Function)
  WHERE function.retained AND NOT supplier.internal
  RETURN function, c, supplier
  UNION ALL
  MATCH (function:Function)
  WHERE $supplier IS NULL AND function.retained
  CALL (function) {
    MATCH (function)<-[:DELIVERS]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
    WHERE NOT supplier.internal
    RETURN c, supplier
  }
  RETURN function, c, supplier
}

// One finding per function and supplier, with its contracts in order.
ORDER BY c.id
WITH function, supplier, collect(c.id) AS contracts

RETURN function.id AS function, supplier.id AS supplier, contracts
ORDER BY function, supplier
