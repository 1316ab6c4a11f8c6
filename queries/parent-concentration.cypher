// name: parent-concentration
// rule: D1
// kind: analysis
// answers: How much does the client depend on each group of companies (ultimate parent undertaking): its suppliers, critical functions, contracts and annual value?
// param: supplier (organisation, optional) — only the group this supplier belongs to
// columns: parent, suppliers, critical_functions, contracts, annual_value
//
// DORA: R9 (concentration) per ultimate parent. A supplier whose parent is not known stands for
// itself. Every external supplier with at least one contract counts; a contract without an annual
// value adds 0. Sorted by the number of critical functions, then the annual value (both
// descending), then parent.

// The external suppliers to group: with a supplier, those of its group (the parent of the
// external supplier of each of its contracts); without, all of them.
CALL () {
  MATCH (:Organisation {id: $supplier})<-[:SUPPLIED_BY]-(c:Contract)
  MATCH (c)-[:SUPPLIED_BY]->(member:Organisation)
  WHERE NOT member.internal
  WITH DISTINCT coalesce(member.parent, member.id) AS group
  MATCH (supplier:Organisation)
  WHERE NOT supplier.internal AND coalesce(supplier.parent, supplier.id) = group
  RETURN supplier
  UNION
  MATCH (supplier:Organisation)
  WHERE $supplier IS NULL AND NOT supplier.internal
  RETURN supplier
}

// Every contract of those suppliers, in contract order, grouped by the supplier's parent; the
// annual values summed exactly as integer cents (returned as cents / 100.0: exact below 10^13).
MATCH (supplier)<-[:SUPPLIED_BY]-(c:Contract)
WITH coalesce(supplier.parent, supplier.id) AS parent, c ORDER BY c.id
WITH parent,
     collect(c) AS members,
     collect(c.id) AS contracts,
     reduce(total = 0, value IN collect(coalesce(c.annualValueCents, 0)) | total + value) AS cents

// The group's suppliers and the critical functions its contracts deliver.
WITH parent, contracts, cents,
     COLLECT {
       UNWIND members AS m
       MATCH (m)-[:SUPPLIED_BY]->(s:Organisation)
       RETURN DISTINCT s.id AS id ORDER BY id
     } AS suppliers,
     COLLECT {
       UNWIND members AS m
       MATCH (m)-[:DELIVERS]->(f:Function)
       WHERE f.critical
       RETURN DISTINCT f.id AS id ORDER BY id
     } AS critical_functions
WHERE $supplier IS NULL OR $supplier IN suppliers
RETURN parent,
       suppliers,
       critical_functions,
       contracts,
       cents / 100.0 AS annual_value
ORDER BY size(critical_functions) DESC, cents DESC, parent
