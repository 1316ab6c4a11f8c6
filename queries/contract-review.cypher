// name: contract-review
// rule: R13
// kind: analysis
// answers: Which running external contracts fall short of their target mode, which clauses block it and which are missing?
// param: supplier (string, optional) — only the contracts of this supplier
// columns: contract, lot, supplier, effective_mode, target_mode, blocking, missing
//
// Reads the effective mode (R1, EFFECTIVE_MODE) and the lot's recommendation (R7,
// Lot.recommendedMode) stored with the register. The target is the higher-ranked of the declared
// mode (when recorded) and the recommendation; a row when the effective mode is unknown or ranks
// below it. blocking: the clause types the contract carries that the rule data's blocking set of
// the target holds; missing: the target's enabling clause types it lacks (both sorted; the sets
// are ClauseSet nodes). Sorted by contract.

MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
MATCH (recommended:CollaborationMode {key: lot.recommendedMode})
OPTIONAL MATCH (c)-[:DECLARED_MODE]->(declared:CollaborationMode)
OPTIONAL MATCH (c)-[:EFFECTIVE_MODE]->(effective:CollaborationMode)
WITH lot, c, supplier, effective,
     CASE WHEN declared.rank > recommended.rank THEN declared ELSE recommended END AS target
WHERE effective IS NULL OR effective.rank < target.rank

RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       coalesce(effective.key, 'unknown') AS effective_mode,
       target.key AS target_mode,
       COLLECT {
         MATCH (c)-[:HAS_CLAUSE]->(t:ClauseType)<-[:INCLUDES]-(:ClauseSet {kind: 'blocking'})-[:FOR_TARGET]->(target)
         RETURN DISTINCT t.key AS key ORDER BY key
       } AS blocking,
       COLLECT {
         MATCH (target)<-[:FOR_TARGET]-(:ClauseSet {kind: 'enabling'})-[:INCLUDES]->(t:ClauseType)
         WHERE NOT EXISTS { MATCH (c)-[:HAS_CLAUSE]->(t) }
         RETURN DISTINCT t.key AS key ORDER BY key
       } AS missing
ORDER BY contract
