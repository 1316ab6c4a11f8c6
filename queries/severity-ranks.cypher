// name: severity-ranks
// rule: R3
// kind: ontology
// answers: Which severities of a mode mismatch does the rule data rank, and in which order?
// columns: severity, rank
//
// The ranks (sg:severityRank) of the MismatchSeverity nodes, least severe first: the values the
// minSeverity parameter of mode-mismatches accepts, in their order.

MATCH (s:MismatchSeverity)
WHERE s.rank IS NOT NULL
RETURN s.severity AS severity, min(s.rank) AS rank
ORDER BY rank, severity
