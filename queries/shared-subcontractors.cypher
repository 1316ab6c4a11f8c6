// name: shared-subcontractors
// rule: D4
// kind: analysis
// answers: Which subcontractors sit behind direct providers that look independent (of two or more groups of companies)?
// param: supplier (organisation, optional) — only the rows this organisation is the subcontractor or a direct provider in
// columns: subcontractor, direct_providers, groups, contracts, critical_functions
//
// DORA: a subcontractor is an organisation linked at rank 2 or more in the supply chain of a
// contract of an external supplier (not that supplier itself). One row per subcontractor whose
// contracts' suppliers belong to two or more groups (coalesce(parent, id)): those direct
// providers, their groups, the contracts and the critical functions they deliver. Sorted by
// groups (desc), critical functions (desc), subcontractor.

MATCH (d:Organisation)<-[:SUPPLIED_BY]-(c:Contract)-[link:SUPPLY_CHAIN]->(s:Organisation)
WHERE NOT d.internal AND link.rank >= 2 AND s <> d
WITH DISTINCT s, d, c
WITH s, collect(d) AS ds, collect(c) AS cs
WITH s, cs,
     COLLECT { UNWIND ds AS d RETURN DISTINCT d.id AS id ORDER BY id } AS direct_providers,
     COLLECT { UNWIND ds AS d RETURN DISTINCT coalesce(d.parent, d.id) AS g ORDER BY g } AS groups
WHERE size(groups) >= 2
  AND ($supplier IS NULL OR $supplier = s.id OR $supplier IN direct_providers)
RETURN s.id AS subcontractor,
       direct_providers,
       groups,
       COLLECT { UNWIND cs AS c RETURN DISTINCT c.id AS id ORDER BY id } AS contracts,
       COLLECT {
         UNWIND cs AS c
         MATCH (c)-[:DELIVERS]->(f:Function)
         WHERE f.critical
         RETURN DISTINCT f.id AS id ORDER BY id
       } AS critical_functions
ORDER BY size(groups) DESC, size(critical_functions) DESC, subcontractor
