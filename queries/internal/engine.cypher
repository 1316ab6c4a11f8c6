// The statements the Neo4j engine (sourcing_graph.graph.neo4j.engine) runs besides the named
// queries. Internal: not a named query.

// name: stored-rows
// The rows of one analysis (R3-R14, D1-D5) as the last load or refresh stored them, filtered as
// its named query filters. One row: current (whether they were stored by this version and, with
// $dated, at the reference date $asOf, ISO text: R10-R14 are read at the date they were drawn
// at; when false, derive the rows instead) and rows (null unless current): each row whole, as
// the JSON text it was stored as (rowJson; R5's and R9's on the meta node, joined), in the
// analysis' order (rowOrder). One string per row is what Bolt sends and Python decodes fastest
// (json.loads of them all at once); a null among them means findings stored without that form,
// by an older version: derive then too. $dora: a DORA analysis, stored only when the register had
// supply-chain data (else derived: its named query may still give rows). Parameters: $rule
// (R3 ... R14, D1 ... D5), $dated, $dora, $asOf, and the
// filters (null: not filtered) $supplier (R4, R6, R8-R14, D1-D5), $primeContractor (R3, R5),
// $minSeverity (R3: a severity ranked at least as high); the finding's fields they test, as
// the named queries do (parameters, so that no statement names a property a rule never has):
// $supplierIs (fields equal to the supplier: supplier; D4 subcontractor), $supplierIn (list
// fields holding it: D1 suppliers, D2 providers, D3 members, D4 direct_providers), $lotFields
// (R3: lot, depends_on; either coordinated by the prime contractor), $severityField (R3).
// With a supplier, its findings are found from it (ABOUT: every finding naming it in one of
// those fields is about it), not among all of the rule's; a prime contractor is tested from
// each finding, through its ABOUT of those roles to the lot (a lot named by a finding is one it
// is about), not from the prime contractor's lots (thousands, once per finding: seconds at 100k).
// R5's and R9's rows come off the meta node in one read, as stored (their JSON texts joined by
// commas, sourcing_graph.graph.neo4j.conclusions.row_texts): with a filter, keys (each row's
// prime contractor or supplier, in the rows' order) and key (the filter's value) beside them,
// and the engine keeps the rows whose key is it.
OPTIONAL MATCH (m:SourcingGraphMeta {key: 'register'})
WITH m, m.coordinationRows IS NOT NULL
        AND (NOT $dated OR coalesce(toString(m.asOf) = $asOf, false))
        AND (NOT $dora OR coalesce(m.supplyChainData, false)) AS current
// R5's and R9's rows and keys read off the meta node once, into variables
WITH current,
     CASE WHEN current AND $rule = 'R5' THEN m.coordinationRows
          WHEN current AND $rule = 'R9' THEN m.concentrationRows END AS metaRows,
     CASE WHEN current AND $rule = 'R5' AND $primeContractor IS NOT NULL THEN m.coordinationKeys
          WHEN current AND $rule = 'R9' AND $supplier IS NOT NULL THEN m.concentrationKeys
     END AS metaKeys,
     CASE $rule WHEN 'R5' THEN $primeContractor ELSE $supplier END AS metaKey
RETURN current, metaKeys AS keys, metaKey AS key,
       CASE
         WHEN NOT current THEN null
         WHEN metaRows IS NOT NULL THEN metaRows
         ELSE COLLECT {
           CALL () {
             MATCH (f:Finding {rule: $rule})
             WHERE $supplier IS NULL
             RETURN f
             UNION ALL
             MATCH (:Organisation {id: $supplier})<-[:ABOUT]-(f:Finding {rule: $rule})
             RETURN DISTINCT f
           }
           WITH f
           WHERE ($supplier IS NULL
                  OR any(field IN $supplierIs WHERE f[field] = $supplier)
                  OR any(field IN $supplierIn WHERE $supplier IN f[field]))
             AND ($primeContractor IS NULL
                  OR EXISTS {
                       MATCH (f)-[about:ABOUT]->(:Lot)-[:COORDINATED_BY]->
                             (:Organisation {id: $primeContractor})
                       WHERE about.role IN $lotFields
                     })
             AND ($minSeverity IS NULL
                  OR EXISTS {
                       MATCH (least:MismatchSeverity {severity: $minSeverity}),
                             (s:MismatchSeverity)
                       WHERE s.severity = f[$severityField] AND s.rank >= least.rank
                     })
           RETURN f.rowJson ORDER BY f.rowOrder
         }
       END AS rows

// name: stored-posture
// R15 as the last load or refresh stored it on the meta node, when that was at the reference
// date $asOf (ISO text): one row of its properties as stored (no row when not stored at $asOf,
// or none stored): modes and amounts (external_value_by_mode as two lists in its order),
// external_prime_contractors, basis, verdict, reasons; the engine makes the row
// (engine.posture_row). The lists are returned whole: indexing a list property
// (m.postureValueModes[i]) reads the whole list again for every item.
MATCH (m:SourcingGraphMeta {key: 'register'})
WHERE toString(m.asOf) = $asOf AND m.postureVerdict IS NOT NULL
RETURN m.postureValueModes AS modes, m.postureValueAmounts AS amounts,
       m.postureExternalPrimeContractors AS external_prime_contractors,
       m.postureBasis AS basis, m.postureVerdict AS verdict, m.postureReasons AS reasons

// name: stored-all
// Every analysis as the last load or refresh stored it, for an unfiltered analyze: one row per
// rule (R3 ... R14, D1 ... D5: rule, rows: each row whole as JSON text, in the analysis' order),
// R5's and R9's rows from the meta node, and one row 'meta' with the reference date (asOf, ISO),
// whether the register had DORA supply-chain data (dora) and R15 (posture, as stored-posture
// gives it). No row 'meta' (or R5's rows null) when nothing was stored, or by an older version.
MATCH (m:SourcingGraphMeta {key: 'register'})
WHERE m.coordinationRows IS NOT NULL
RETURN 'meta' AS rule, null AS rows, toString(m.asOf) AS asOf,
       coalesce(m.supplyChainData, false) AS dora,
       CASE WHEN m.postureVerdict IS NOT NULL THEN {
         modes: m.postureValueModes, amounts: m.postureValueAmounts,
         external_prime_contractors: m.postureExternalPrimeContractors,
         basis: m.postureBasis, verdict: m.postureVerdict, reasons: m.postureReasons
       } END AS posture
UNION ALL
MATCH (m:SourcingGraphMeta {key: 'register'})
RETURN 'R5' AS rule, m.coordinationRows AS rows, null AS asOf, null AS dora, null AS posture
UNION ALL
MATCH (m:SourcingGraphMeta {key: 'register'})
RETURN 'R9' AS rule, m.concentrationRows AS rows, null AS asOf, null AS dora, null AS posture
UNION ALL
MATCH (f:Finding)
WITH f.rule AS rule, f ORDER BY f.rowOrder
RETURN rule, collect(f.rowJson) AS rows, null AS asOf, null AS dora, null AS posture

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

// name: names
// The register's lots, organisations and functions with their names, for the names shown
// beside ids (analyze --loaded, which reads no register file): kind, id and name (null when it
// has none).
MATCH (l:Lot)
RETURN 'lot' AS kind, l.id AS id, l.name AS name
UNION ALL
MATCH (o:Organisation)
RETURN 'organisation' AS kind, o.id AS id, o.name AS name
UNION ALL
MATCH (f:Function)
RETURN 'function' AS kind, f.id AS id, f.name AS name
