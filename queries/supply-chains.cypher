// name: supply-chains
// rule: D2
// kind: analysis
// answers: For each critical function, how deep does the ICT supply chain behind it run, and which providers are in it?
// param: supplier (organisation, optional) — only the functions this organisation is a provider for
// columns: function, depth, providers, contracts
//
// DORA: a contract's supply chain is its SUPPLY_CHAIN links (B_05.02): rank 1 is the direct
// provider, rank 2 its subcontractor, and so on. The depth of a critical function is the highest
// rank among the links of the contracts that deliver it, or 1 when they list none. Its providers
// are the contracts' suppliers, the linked providers and the recipients the links name.
// Sorted by depth (descending), then function.

// The critical functions to look at: with a supplier, those of the contracts it supplies, is
// linked to or is named the recipient in; without, all of them.
CALL () {
  MATCH (:Organisation {id: $supplier})<-[:SUPPLIED_BY|SUPPLY_CHAIN]-(:Contract)-[:DELIVERS]->(f:Function)
  WHERE f.critical
  RETURN f
  UNION
  MATCH (c:Contract)-[link:SUPPLY_CHAIN]->(:Organisation)
  WHERE $supplier IS NOT NULL AND link.recipient = $supplier
  MATCH (c)-[:DELIVERS]->(f:Function)
  WHERE f.critical
  RETURN f
  UNION
  MATCH (f:Function)
  WHERE $supplier IS NULL AND f.critical
  RETURN f
}

// Each with the contracts that deliver it, in contract order.
MATCH (f)<-[:DELIVERS]-(c:Contract)
WITH f, c ORDER BY c.id
WITH f, collect(c) AS members, collect(c.id) AS contracts

// The deepest rank and every organisation named in those contracts' chains.
WITH f, contracts,
     COLLECT {
       UNWIND members AS m
       MATCH (m)-[link:SUPPLY_CHAIN]->(:Organisation)
       RETURN link.rank AS rank
     } AS ranks,
     COLLECT {
       UNWIND members AS m
       MATCH (m)-[r:SUPPLIED_BY|SUPPLY_CHAIN]->(o:Organisation)
       UNWIND [o.id, r.recipient] AS id
       WITH id WHERE id IS NOT NULL
       RETURN DISTINCT id ORDER BY id
     } AS providers
WHERE $supplier IS NULL OR $supplier IN providers
RETURN f.id AS function,
       reduce(depth = 1, rank IN ranks | CASE WHEN rank > depth THEN rank ELSE depth END) AS depth,
       providers,
       contracts
ORDER BY depth DESC, function
