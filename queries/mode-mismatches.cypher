// name: mode-mismatches
// rule: R3
// kind: analysis
// answers: Which interdependent lots run in different collaboration modes, and how severe is it?
// param: minSeverity (severity, optional) — only findings at least this severe (by the ontology's severity ranks)
// param: primeContractor (string, optional) — only dependencies where A or B is coordinated by this organisation
// columns: lot, depends_on, lot_mode, depends_on_mode, severity, direction
//
// A finding for every dependency "lot depends on depends_on" whose lots both have a known mode (R2)
// and the modes differ. direction: weaker_dependency when depends_on runs in the lower-ranked mode.

// Rule data: R1's mode for the contract of an internal supplier that records no mode.
MATCH (:RuleParameter {key: 'internalSupplierMode'})-[:SETS_MODE]->(internalMode:CollaborationMode)

// Step 1 (R1): every lot with a dependency, and the effective mode of each of its contracts: the
// lowest-ranked mode one of its clause types forces, else its declared mode, else (internal
// supplier) R1's mode.
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE EXISTS { (lot)-[:DEPENDS_ON]-(:Lot) }
WITH internalMode, lot, c, supplier,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     } AS forced,
     COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m } AS declared
WITH lot, coalesce(forced[0], declared[0], CASE WHEN supplier.internal THEN internalMode END) AS effective

// Step 2 (R2): the rank of each lot's mode, the lowest among its known effective modes.
WITH lot, min(effective.rank) AS rank
WHERE rank IS NOT NULL

// Step 3: bring the two lots of each dependency together; one whose lot has no known mode drops out.
MATCH (lot)-[dependency:DEPENDS_ON]-(:Lot)
WITH dependency, collect({lot: lot, rank: rank}) AS ends
WHERE size(ends) = 2
WITH DISTINCT startNode(dependency) AS a, endNode(dependency) AS b,
     [e IN ends WHERE e.lot = startNode(dependency)][0].rank AS aRank,
     [e IN ends WHERE e.lot = endNode(dependency)][0].rank AS bRank
WHERE aRank <> bRank
  AND ($primeContractor IS NULL
       OR EXISTS { (a)-[:COORDINATED_BY]->(:Organisation {id: $primeContractor}) }
       OR EXISTS { (b)-[:COORDINATED_BY]->(:Organisation {id: $primeContractor}) })
MATCH (aMode:CollaborationMode {rank: aRank}), (bMode:CollaborationMode {rank: bRank})

// Step 4 (R3): the severity the ontology gives this pair of modes. With minSeverity, keep the rows
// whose severity ranks at least as high as the severity asked for (the ranks are rule data too).
OPTIONAL MATCH (aMode)<-[:BETWEEN]-(s:MismatchSeverity)-[:BETWEEN]->(bMode)
WITH a, b, aMode, bMode, s
WHERE $minSeverity IS NULL
   OR EXISTS {
        MATCH (least:MismatchSeverity {severity: $minSeverity})
        WHERE s.rank >= least.rank
      }
WITH a, b, aMode, bMode, s.severity AS severity

RETURN a.id AS lot,
       b.id AS depends_on,
       aMode.key AS lot_mode,
       bMode.key AS depends_on_mode,
       severity,
       CASE WHEN bMode.rank < aMode.rank THEN 'weaker_dependency' ELSE 'weaker_dependent' END AS direction
ORDER BY lot, depends_on
