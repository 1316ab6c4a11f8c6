// name: mode-fit
// rule: R7
// kind: analysis
// answers: Which lots run in a weaker collaboration mode than their complexity, dynamics or commodity call for?
// columns: lot, mode, recommended
//
// recommended: the mode of the first recommendation (by priority) whose conditions the lot meets.

// Rule data: R1's mode for the contract of an internal supplier that records no mode.
MATCH (:RuleParameter {key: 'internalSupplierMode'})-[:SETS_MODE]->(internalMode:CollaborationMode)

// Step 1 (R1): the effective mode of every contract: the lowest-ranked mode one of its clause types
// forces, else its declared mode, else (internal supplier) R1's mode.
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WITH internalMode, lot, c, supplier,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     } AS forced,
     COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m } AS declared
WITH lot, coalesce(forced[0], declared[0], CASE WHEN supplier.internal THEN internalMode END) AS effective

// Step 2 (R2): each lot's mode, the lowest-ranked of its known effective modes.
WITH lot, min(effective.rank) AS rank
WHERE rank IS NOT NULL
MATCH (lotMode:CollaborationMode {rank: rank})

// Step 3 (R7): the recommended minimum mode; a finding when the lot's mode ranks below it.
// A level not recorded (absent) reads as low, a commodity not recorded as false (register format).
WITH lot, lotMode,
     COLLECT {
       MATCH (r:ModeRecommendation)-[:RECOMMENDS]->(m:CollaborationMode)
       WHERE (r.whenComplexity IS NULL OR r.whenComplexity = coalesce(lot.complexity, 'low'))
         AND (r.whenDynamics IS NULL OR r.whenDynamics = coalesce(lot.dynamics, 'low'))
         AND (r.whenCommodity IS NULL OR r.whenCommodity = coalesce(lot.commodity, false))
       RETURN m ORDER BY r.priority LIMIT 1
     }[0] AS recommended
WHERE lotMode.rank < recommended.rank

RETURN lot.id AS lot, lotMode.key AS mode, recommended.key AS recommended
ORDER BY lot
