// name: mode-mismatches
// rule: R3
// kind: analysis
// answers: Which interdependent lots run in different collaboration modes, and how severe is it?
// param: minSeverity (severity, optional) — only findings at least this severe (by the ontology's severity ranks)
// param: primeContractor (organisation, optional) — only dependencies where A or B is coordinated by this organisation
// columns: lot, depends_on, lot_mode, depends_on_mode, severity, direction
//
// Reads the lots' modes (R2, RUNS_IN) stored with the register. A finding for every dependency
// "lot depends on depends_on" whose lots both have a known mode and the modes differ.
// direction: weaker_dependency when depends_on runs in the lower-ranked mode.

// Every distinct dependency between two lots of known and different modes.
MATCH (aMode:CollaborationMode)<-[:RUNS_IN]-(a:Lot)-[:DEPENDS_ON]->(b:Lot)-[:RUNS_IN]->(bMode:CollaborationMode)
WHERE aMode.rank <> bMode.rank
  AND ($primeContractor IS NULL
       OR EXISTS { (a)-[:COORDINATED_BY]->(:Organisation {id: $primeContractor}) }
       OR EXISTS { (b)-[:COORDINATED_BY]->(:Organisation {id: $primeContractor}) })
WITH DISTINCT a, b, aMode, bMode

// R3: the severity the ontology gives this pair of modes. With minSeverity, keep the rows whose
// severity ranks at least as high as the severity asked for (the ranks are rule data too).
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
