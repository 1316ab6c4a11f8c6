// name: indirect-concentration
// rule: D3
// kind: analysis
// answers: For each external provider and each group of companies, which critical functions does it support, directly or anywhere in an ICT supply chain?
// param: supplier (organisation, optional) — only the rows this organisation is a member of
// columns: organisation, level, members, direct_functions, critical_functions
//
// DORA: an organisation supports a critical function directly when it is the supplier of a
// contract that delivers it, and in a chain when it is a provider of D2 for it: the supplier of
// such a contract, a provider linked in its supply chain, or a recipient a link names. One
// 'provider' row per external organisation that supports a critical function; one 'group' row
// per group (coalesce(parent, id)) with a member that names an ultimate parent other than itself:
// its members and the union of their functions. Sorted by critical functions (desc), level, organisation.

// Every organisation in the chain of a contract delivering a critical function.
MATCH (f:Function)<-[:DELIVERS]-(c:Contract)
WHERE f.critical
MATCH (c)-[r:SUPPLIED_BY|SUPPLY_CHAIN]->(o:Organisation)
UNWIND [[o.id, type(r) = 'SUPPLIED_BY'], [r.recipient, false]] AS member
WITH f.id AS function, member[0] AS id, member[1] AS direct
WHERE id IS NOT NULL
MATCH (p:Organisation {id: id})
WHERE NOT p.internal
WITH p, collect(DISTINCT function) AS functions,
     collect(DISTINCT CASE WHEN direct THEN function END) AS directs
WITH collect({id: p.id, group: coalesce(p.parent, p.id), named: coalesce(p.parent, p.id) <> p.id,
              functions: functions, directs: directs}) AS providers

// The provider rows, then the group rows.
CALL (providers) {
  UNWIND providers AS p
  RETURN p.id AS organisation, 'provider' AS level, [p.id] AS members,
         p.directs AS direct_functions, p.functions AS critical_functions
  UNION ALL
  UNWIND providers AS p
  WITH p.group AS group, collect(p) AS members
  WHERE any(m IN members WHERE m.named)
  RETURN group AS organisation, 'group' AS level,
         COLLECT { UNWIND members AS m RETURN m.id AS id ORDER BY id } AS members,
         COLLECT { UNWIND members AS m UNWIND m.directs AS d RETURN DISTINCT d ORDER BY d }
           AS direct_functions,
         COLLECT { UNWIND members AS m UNWIND m.functions AS d RETURN DISTINCT d ORDER BY d }
           AS critical_functions
}
WITH organisation, level, members, direct_functions, critical_functions
WHERE $supplier IS NULL OR $supplier IN members
RETURN organisation, level, members,
       COLLECT { UNWIND direct_functions AS d RETURN d ORDER BY d } AS direct_functions,
       COLLECT { UNWIND critical_functions AS d RETURN d ORDER BY d } AS critical_functions
ORDER BY size(critical_functions) DESC, level, organisation
