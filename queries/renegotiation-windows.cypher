// name: renegotiation-windows
// rule: R14
// kind: analysis
// answers: Which external contracts end within the renegotiation window, or have ended already?
// param: supplier (organisation, optional) — only the contracts of this supplier
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
WITH asOf, asOf + duration({days: days}) AS last,
     COLLECT { MATCH (m:CollaborationMode) RETURN {key: m.key, rank: m.rank} AS mode } AS modes
MATCH (lot:Lot)<-[:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(supplier:Organisation)
WHERE NOT supplier.internal AND ($supplier IS NULL OR supplier.id = $supplier)
  AND c.endDate <= last
WITH asOf, modes, lot, c, supplier,
     [m IN modes WHERE m.key = lot.recommendedMode][0] AS recommended,
     [(c)-[r:DECLARED_MODE|EFFECTIVE_MODE]->(x:CollaborationMode) | [type(r), x.key]] AS links
WHERE recommended IS NOT NULL
// one pass over the contract's relationships; several declared or effective modes (never, by the
// register's shape) would each make a row, as an OPTIONAL MATCH does
WITH asOf, modes, lot, c, supplier, recommended,
     [l IN links WHERE l[0] = 'DECLARED_MODE' | l[1]] AS declared,
     [l IN links WHERE l[0] = 'EFFECTIVE_MODE' | l[1]] AS effective
UNWIND CASE declared WHEN [] THEN [null] ELSE declared END AS declaredKey
UNWIND CASE effective WHEN [] THEN [null] ELSE effective END AS effectiveKey
WITH asOf, lot, c, supplier, recommended,
     [m IN modes WHERE m.key = declaredKey][0] AS declared,
     [m IN modes WHERE m.key = effectiveKey][0] AS effective
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
