// name: renegotiation-windows
// rule: R14
// kind: analysis
// answers: Which external contracts end within the renegotiation window, or have ended already?
// param: supplier (string, optional) — only the contracts of this supplier
// param: asOf (date, optional) — the reference date (default: today)
// columns: contract, lot, supplier, end_date, days_left, status, in_review
//
// Every external contract whose end date is on or before asOf + the window (the rule parameter
// windowDays, in days), however long ago it ended; contracts without an end date are not listed.
// days_left: end date - asOf in days (negative when ended); status: expired (ended before asOf)
// or ending; in_review: the contract is on the running-contract review (R13, from the stored
// EFFECTIVE_MODE and Lot.recommendedMode). Sorted by end date, then contract.

MATCH (window:RuleParameter {key: 'windowDays'})
WITH coalesce($asOf, date()) AS asOf, window.days AS days
WITH asOf, asOf + duration({days: days}) AS last
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  AND c.endDate <= last
MATCH (recommended:CollaborationMode {key: lot.recommendedMode})
OPTIONAL MATCH (c)-[:DECLARED_MODE]->(declared:CollaborationMode)
OPTIONAL MATCH (c)-[:EFFECTIVE_MODE]->(effective:CollaborationMode)
WITH asOf, lot, c, supplier, effective,
     CASE WHEN declared.rank > recommended.rank THEN declared ELSE recommended END AS target
RETURN c.id AS contract,
       lot.id AS lot,
       supplier.id AS supplier,
       toString(c.endDate) AS end_date,
       duration.inDays(asOf, c.endDate).days AS days_left,
       CASE WHEN c.endDate < asOf THEN 'expired' ELSE 'ending' END AS status,
       effective IS NULL OR effective.rank < target.rank AS in_review
ORDER BY end_date, contract
