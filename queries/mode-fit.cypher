// name: mode-fit
// rule: R7
// kind: analysis
// answers: Which lots run in a weaker collaboration mode than their complexity, dynamics or commodity call for?
// columns: lot, mode, recommended
//
// Reads the lot's mode (R2, RUNS_IN) and recommended minimum mode (R7, Lot.recommendedMode)
// stored with the register: a finding when the mode ranks below the recommendation.

MATCH (lot:Lot)-[:RUNS_IN]->(mode:CollaborationMode)
MATCH (recommended:CollaborationMode {key: lot.recommendedMode})
WHERE mode.rank < recommended.rank
RETURN lot.id AS lot, mode.key AS mode, recommended.key AS recommended
ORDER BY lot
