// name: contract-review
// rule: R13
// kind: analysis
// answers: Which running external contracts fall short of their target mode, which clauses block it and which are missing?
// param: supplier (organisation, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, effective_mode, target_mode, blocking, missing
//
// Reads the effective mode (R1, EFFECTIVE_MODE) and the lot's recommendation (R7,
// Lot.recommendedMode) stored with the register. The target is the higher-ranked of the declared
// mode (when recorded) and the recommendation; a row when the effective mode is unknown or ranks
// below it. blocking: the clause types the contract carries that the rule data's blocking set of
// the target holds; missing: the target's enabling clause types it lacks (both sorted; the sets
// are ClauseSet nodes). Sorted by contract.

// The modes with their rank and the target's clause sets, read once (a handful of nodes).
CALL () {
  MATCH (m:CollaborationMode)
  RETURN collect({
           key: m.key,
           rank: m.rank,
           blocking: COLLECT {
             MATCH (m)<-[:FOR_TARGET]-(:ClauseSet {kind: 'blocking'})-[:INCLUDES]->(t:ClauseType)
             RETURN DISTINCT t.key AS key ORDER BY key
           },
           enabling: COLLECT {
             MATCH (m)<-[:FOR_TARGET]-(:ClauseSet {kind: 'enabling'})-[:INCLUDES]->(t:ClauseType)
             RETURN DISTINCT t.key AS key ORDER BY key
           }
         }) AS modes
}
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
WITH modes, lot, c, supplier,
     [m IN modes WHERE m.key = lot.recommendedMode][0] AS recommended,
     [(c)-[r:DECLARED_MODE|EFFECTIVE_MODE|HAS_CLAUSE]->(x)
       WHERE (type(r) = 'HAS_CLAUSE' AND x:ClauseType)
          OR (type(r) <> 'HAS_CLAUSE' AND x:CollaborationMode)
       | [type(r), x.key]] AS links
WHERE recommended IS NOT NULL
// one pass over the contract's relationships; several declared or effective modes (never, by the
// register's shape) would each make a row, as an OPTIONAL MATCH does
WITH modes, lot, c, supplier, recommended,
     [l IN links WHERE l[0] = 'HAS_CLAUSE' | l[1]] AS clauses,
     [l IN links WHERE l[0] = 'DECLARED_MODE' | l[1]] AS declared,
     [l IN links WHERE l[0] = 'EFFECTIVE_MODE' | l[1]] AS effective
UNWIND CASE declared WHEN [] THEN [null] ELSE declared END AS declaredKey
UNWIND CASE effective WHEN [] THEN [null] ELSE effective END AS effectiveKey
WITH lot, c, supplier, recommended, clauses,
     [m IN modes WHERE m.key = declaredKey][0] AS declared,
     [m IN modes WHERE m.key = effectiveKey][0] AS effective
WITH lot, c, supplier, effective, clauses,
     CASE WHEN declared.rank > recommended.rank THEN declared ELSE recommended END AS target
WHERE effective IS NULL OR effective.rank < target.rank
RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       coalesce(effective.key, 'unknown') AS effective_mode,
       target.key AS target_mode,
       [key IN target.blocking WHERE key IN clauses] AS blocking,
       [key IN target.enabling WHERE NOT key IN clauses] AS missing
ORDER BY contract
