// The statements the Neo4j engine (sourcing_graph.graph.neo4j.engine) runs besides the named
// queries. Internal: not a named query.

// name: stored-rows
// The rows of one review analysis (R10-R14) as its findings were stored at the last load or
// refresh, when that was at the reference date $asOf (ISO text; R14's windows depend on it). One
// row: current (whether they were stored at $asOf: when false, derive the rows instead) and rows
// (null unless current), each finding's fields $columns as a list, in that order: a list decodes
// much faster over Bolt than a map. Parameters: $rule (R10 ... R14), $columns, $supplier (null:
// every supplier).
OPTIONAL MATCH (m:SourcingGraphMeta {key: 'register'})
WITH coalesce(toString(m.asOf) = $asOf, false) AS current
RETURN current,
       CASE WHEN current THEN COLLECT {
         MATCH (f:Finding {rule: $rule})
         WHERE $supplier IS NULL OR f.supplier = $supplier
         RETURN [column IN $columns | f[column]]
       } END AS rows
