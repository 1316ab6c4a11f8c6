// name: lot-modes
// rule: R2
// kind: helper
// answers: In which collaboration mode does each lot run, and which mode does it need?
// param: primeContractor (string, optional) — only the lots this organisation coordinates
// columns: lot, prime_contractor, mode, recommended, contracts
//
// mode: the lowest-ranked effective mode (R1) among the lot's contracts; unknown when none is known.
// recommended: the minimum mode R7 recommends for the lot's complexity, dynamics and commodity.

// Rule data: R1's mode for the contract of an internal supplier that records no mode.
MATCH (:RuleParameter {key: 'internalSupplierMode'})-[:SETS_MODE]->(internalMode:CollaborationMode)

// Step 1 (R1): every lot, and the effective mode of each of its contracts: the lowest-ranked mode
// one of its clause types forces, else its declared mode, else (internal supplier) R1's mode.
MATCH (lot:Lot)-[:COORDINATED_BY]->(prime:Organisation)
WHERE $primeContractor IS NULL OR prime.id = $primeContractor
OPTIONAL MATCH (lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WITH internalMode, lot, prime, c, supplier,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     } AS forced,
     COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m } AS declared
WITH lot, prime, c, coalesce(forced[0], declared[0], CASE WHEN supplier.internal THEN internalMode END) AS effective

// Step 2 (R2): the lowest rank among the known effective modes, and the mode with that rank.
WITH lot, prime, count(c) AS contracts, min(effective.rank) AS rank
OPTIONAL MATCH (lotMode:CollaborationMode {rank: rank})

// Step 3 (R7): the first recommendation (by priority) whose conditions the lot meets.
// A level not recorded (absent) reads as low, a commodity not recorded as false (register format).
WITH lot, prime, contracts, lotMode,
     COLLECT {
       MATCH (r:ModeRecommendation)-[:RECOMMENDS]->(m:CollaborationMode)
       WHERE (r.whenComplexity IS NULL OR r.whenComplexity = coalesce(lot.complexity, 'low'))
         AND (r.whenDynamics IS NULL OR r.whenDynamics = coalesce(lot.dynamics, 'low'))
         AND (r.whenCommodity IS NULL OR r.whenCommodity = coalesce(lot.commodity, false))
       RETURN m ORDER BY r.priority LIMIT 1
     }[0] AS recommended

RETURN lot.id AS lot,
       prime.id AS prime_contractor,
       coalesce(lotMode.key, 'unknown') AS mode,
       recommended.key AS recommended,
       contracts
ORDER BY lot
