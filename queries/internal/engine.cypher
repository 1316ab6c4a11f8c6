// The statements the Neo4j engine (sourcing_graph.graph.neo4j.engine) runs besides the named
// queries. Internal: not a named query.

// name: stored-rows
// The rows of one review analysis (R10-R14) as its findings were stored at the last load or
// refresh, when that was at the reference date $asOf (ISO text; R14's windows depend on it). One
// row: current (whether they were stored at $asOf: when false, derive the rows instead) and rows
// (null unless current): each finding's row whole, as the JSON text it was stored as (rowJson),
// in the analysis' order (rowOrder). One string per row is what Bolt sends and Python decodes
// fastest (json.loads of them all at once); a null among them means findings stored without
// that form, by an older version: derive then too. Parameters: $rule (R10 ... R14), $supplier
// (null: every supplier).
OPTIONAL MATCH (m:SourcingGraphMeta {key: 'register'})
WITH coalesce(toString(m.asOf) = $asOf, false) AS current
RETURN current,
       CASE WHEN current THEN COLLECT {
         MATCH (f:Finding {rule: $rule})
         WHERE $supplier IS NULL OR f.supplier = $supplier
         RETURN f.rowJson ORDER BY f.rowOrder
       } END AS rows

// name: stored-as-of
// The reference date (ISO text) the stored conclusions were drawn at; no row without a register.
MATCH (m:SourcingGraphMeta {key: 'register'})
RETURN toString(m.asOf) AS asOf

// The named queries of R10-R14 as sourcing-graph query runs them when the stored conclusions are
// fresh (and, for R14, were drawn at the query's asOf): the stored findings, the same columns in
// the same order as the named query. Parameter: $supplier (null: every supplier).

// name: stored:cost-selection
MATCH (f:Finding {rule: 'R10'})
WHERE $supplier IS NULL OR f.supplier = $supplier
RETURN f.contract AS contract, f.lot AS lot, f.supplier AS supplier,
       f.recommended AS recommended, f.effective_mode AS effective_mode
ORDER BY contract

// name: stored:unbounded-trust
MATCH (f:Finding {rule: 'R11'})
WHERE $supplier IS NULL OR f.supplier = $supplier
RETURN f.contract AS contract, f.lot AS lot, f.supplier AS supplier
ORDER BY contract

// name: stored:reliability-without-evaluation
MATCH (f:Finding {rule: 'R12'})
WHERE $supplier IS NULL OR f.supplier = $supplier
RETURN f.contract AS contract, f.lot AS lot, f.supplier AS supplier
ORDER BY contract

// name: stored:contract-review
MATCH (f:Finding {rule: 'R13'})
WHERE $supplier IS NULL OR f.supplier = $supplier
RETURN f.contract AS contract, f.lot AS lot, f.supplier AS supplier,
       f.effective_mode AS effective_mode, f.target_mode AS target_mode,
       f.blocking AS blocking, f.missing AS missing
ORDER BY contract

// name: stored:renegotiation-windows
MATCH (f:Finding {rule: 'R14'})
WHERE $supplier IS NULL OR f.supplier = $supplier
RETURN f.contract AS contract, f.lot AS lot, f.supplier AS supplier, f.end_date AS end_date,
       f.days_left AS days_left, f.status AS status, f.in_review AS in_review
ORDER BY end_date, contract
