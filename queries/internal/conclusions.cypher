// The conclusions stage of a load or refresh (sourcing_graph.graph.neo4j.conclusions), run in the
// same transaction as the register writes. Internal: not a named query.
//
// contract-modes is the one place R1 is written in Cypher; lot-modes derives R2 and R7 from what
// it stored. The named analysis queries (queries/*.cypher) then read the stored modes, their rows
// become findings (sourcing_graph.graph.conclusions) and the statements below write them.
// Scope parameters ($contracts, $lots) are lists of ids, or null for all: a later incremental
// load passes only what changed.

// name: contract-modes
// R1: a clause type that forces a mode wins (the lowest-ranked one if several do), then the
// declared mode, then (internal supplier) the rule parameter's mode; else unknown. Sets
// c.effectiveMode (a mode key or 'unknown') and c.modeBasis (forced_by_clause, declared,
// internal_supplier, not_recorded) and (re)creates EFFECTIVE_MODE when the mode is known; a
// contract whose stored mode, basis and EFFECTIVE_MODE are already these is not written (a
// reload or refresh writes only what changed).
// Parameter: $contracts.
OPTIONAL MATCH (:RuleParameter {key: 'internalSupplierMode'})-[:SETS_MODE]->(internalMode:CollaborationMode)
WITH internalMode
MATCH (c:Contract)
WHERE $contracts IS NULL OR c.id IN $contracts
WITH c, internalMode,
     COLLECT {
       MATCH (c)-[:HAS_CLAUSE]->(:ClauseType)-[:FORCES]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     }[0] AS forced,
     COLLECT { MATCH (c)-[:DECLARED_MODE]->(m:CollaborationMode) RETURN m LIMIT 1 }[0] AS declared,
     EXISTS { MATCH (c)-[:SUPPLIED_BY]->(s:Organisation) WHERE s.internal } AS internal,
     COLLECT { MATCH (c)-[:EFFECTIVE_MODE]->(m) RETURN m } AS stored
WITH c, forced, declared, CASE WHEN internal THEN internalMode END AS byInternal, stored
WITH c, coalesce(forced, declared, byInternal) AS mode, stored,
     CASE
       WHEN forced IS NOT NULL THEN 'forced_by_clause'
       WHEN declared IS NOT NULL THEN 'declared'
       WHEN byInternal IS NOT NULL THEN 'internal_supplier'
       ELSE 'not_recorded'
     END AS basis
WHERE NOT (coalesce(c.effectiveMode = coalesce(mode.key, 'unknown'), false)
           AND coalesce(c.modeBasis = basis, false)
           AND stored = CASE WHEN mode IS NULL THEN [] ELSE [mode] END)
CALL (c) {
  MATCH (c)-[old:EFFECTIVE_MODE]->()
  DELETE old
}
SET c.effectiveMode = coalesce(mode.key, 'unknown'), c.modeBasis = basis
WITH c, mode
WHERE mode IS NOT NULL
CREATE (c)-[:EFFECTIVE_MODE]->(mode)

// name: lot-modes
// R2: the lowest-ranked effective mode among the lot's contracts ('unknown' when none is known),
// as l.mode and RUNS_IN; R7: the mode of the first recommendation (by priority) whose conditions
// the lot meets, as l.recommendedMode (a level not recorded reads as low, a commodity as no). A
// lot whose stored modes and RUNS_IN are already these is not written.
// Parameter: $lots.
MATCH (l:Lot)
WHERE $lots IS NULL OR l.id IN $lots
WITH l,
     COLLECT {
       MATCH (l)<-[:PART_OF]-(:Contract)-[:EFFECTIVE_MODE]->(m:CollaborationMode)
       RETURN m ORDER BY m.rank, m.key LIMIT 1
     }[0] AS mode,
     COLLECT {
       MATCH (r:ModeRecommendation)-[:RECOMMENDS]->(m:CollaborationMode)
       WHERE (r.whenComplexity IS NULL OR r.whenComplexity = coalesce(l.complexity, 'low'))
         AND (r.whenDynamics IS NULL OR r.whenDynamics = coalesce(l.dynamics, 'low'))
         AND (r.whenCommodity IS NULL OR r.whenCommodity = coalesce(l.commodity, false))
       RETURN m ORDER BY r.priority LIMIT 1
     }[0] AS recommended,
     COLLECT { MATCH (l)-[:RUNS_IN]->(m) RETURN m } AS stored
WHERE NOT (coalesce(l.mode = coalesce(mode.key, 'unknown'), false)
           AND coalesce(l.recommendedMode = recommended.key,
                        l.recommendedMode IS NULL AND recommended IS NULL)
           AND stored = CASE WHEN mode IS NULL THEN [] ELSE [mode] END)
CALL (l) {
  MATCH (l)-[old:RUNS_IN]->()
  DELETE old
}
SET l.mode = coalesce(mode.key, 'unknown'), l.recommendedMode = recommended.key
WITH l, mode
WHERE mode IS NOT NULL
CREATE (l)-[:RUNS_IN]->(mode)

// name: wording
// The labels of the words findings are written in, and the rules' names. kind: mode, clause,
// level, severity, direction, reason, basis or rule; 'unknown' (mode) is the not-recorded word.
CALL () {
  MATCH (n:CollaborationMode) RETURN 'mode' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:RuleParameter {key: 'modeNotRecorded'})
  RETURN 'mode' AS kind, 'unknown' AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:ClauseType) RETURN 'clause' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:Level) RETURN 'level' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:SeverityLevel) RETURN 'severity' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:MismatchDirection) RETURN 'direction' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:FindingReason) RETURN 'reason' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:ModeBasis) RETURN 'basis' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
  UNION ALL
  MATCH (n:Rule) RETURN 'rule' AS kind, n.key AS key, n.labelNl AS nl, n.labelEn AS en
}
RETURN kind, key, nl, en

// name: templates
// The finding sentence templates of the rules.
MATCH (r:Rule)
RETURN r.key AS rule, r.findingTextNl AS nl, r.findingTextEn AS en

// name: names:Lot
// The names of the entities findings may name. Parameter: $ids.
UNWIND $ids AS id
MATCH (n:Lot {id: id})
RETURN n.id AS id, n.name AS name

// name: names:Contract
UNWIND $ids AS id
MATCH (n:Contract {id: id})
RETURN n.id AS id, n.name AS name

// name: names:Organisation
UNWIND $ids AS id
MATCH (n:Organisation {id: id})
RETURN n.id AS id, n.name AS name

// name: names:Function
UNWIND $ids AS id
MATCH (n:Function {id: id})
RETURN n.id AS id, n.name AS name

// name: finding-hashes
// The keys of the findings stored now, with the hash of what each was written from ('' for
// none), as two lists in the same order (one row: a row per finding costs the driver far more).
MATCH (f:Finding)
RETURN collect(coalesce(f.key, '')) AS keys, collect(coalesce(f.contentHash, '')) AS hashes

// name: findings-as-written
// Every stored finding whole, for the check of its node against its writtenHash after a commit
// not our own (sourcing_graph.graph.neo4j.finding_check): lists in the same order, in one row.
// Parameter: $ends, the labels a relationship's end is named by (the first it has).
MATCH (f:Finding)
WITH f, [(f)-[r]->(n) | [type(r), properties(r), [l IN labels(n) WHERE l IN $ends][0],
                         coalesce(n.id, n.key)]] AS rels
RETURN collect(coalesce(f.key, '')) AS keys, collect(coalesce(f.contentHash, '')) AS hashes,
       collect(coalesce(f.writtenHash, '')) AS written, collect(properties(f)) AS props,
       collect(labels(f)) AS labels, collect(rels) AS rels

// name: finding-nodes
// The stored nodes (element ids) of the findings $keys (changed or no longer derived), read
// before anything is written: in one transaction an index seek costs in proportion to the entries
// removed from the index earlier in it. Parameter: $keys.
UNWIND $keys AS key
MATCH (f:Finding {key: key})
RETURN collect(elementId(f)) AS nodes

// name: all-finding-nodes
// Every stored finding's node (element id): a load or refresh that rewrites every finding.
MATCH (f:Finding)
RETURN collect(elementId(f)) AS nodes

// name: remove-findings
// The stored findings that changed or are no longer derived, by element id. Parameter: $nodes.
UNWIND $nodes AS node
MATCH (f:Finding)
WHERE elementId(f) = node
DETACH DELETE f

// name: create-findings
// The findings of a batch, created with their properties (none is looked up); relate-findings follows in the same statement (conclusions.py joins them). New and
// changed findings alike: remove-findings then deletes the changed ones' old nodes.
// Parameter: $rows, each {key, rule, props, lots, contracts, organisations, functions}: the last
// four [role, id] per entity of that label the finding is about.
UNWIND $rows AS row
CREATE (f:Finding)
SET f = row.props

// name: relate-findings
// The end of create-findings: each finding's BY_RULE and ABOUT relationships created.
WITH f, row
CALL (f, row) {
  MATCH (r:Rule {key: row.rule})
  CREATE (f)-[:BY_RULE]->(r)
}
CALL (f, row) {
  UNWIND row.lots AS about
  MATCH (n:Lot {id: about[1]})
  CREATE (f)-[:ABOUT {role: about[0]}]->(n)
}
CALL (f, row) {
  UNWIND row.contracts AS about
  MATCH (n:Contract {id: about[1]})
  CREATE (f)-[:ABOUT {role: about[0]}]->(n)
}
CALL (f, row) {
  UNWIND row.organisations AS about
  MATCH (n:Organisation {id: about[1]})
  CREATE (f)-[:ABOUT {role: about[0]}]->(n)
}
CALL (f, row) {
  UNWIND row.functions AS about
  MATCH (n:Function {id: about[1]})
  CREATE (f)-[:ABOUT {role: about[0]}]->(n)
}

// name: clear-organisations
// R5 and R9 properties removed from organisations that no longer have them. Parameters: $ids
// (the organisations that keep some), $cleared (every such property mapped to null).
MATCH (o:Organisation)
WHERE NOT o.id IN $ids AND any(k IN keys(o) WHERE k IN keys($cleared))
SET o += $cleared

// name: set-organisations
// R5 and R9 properties set (null removes one the organisation no longer has). Parameter: $rows,
// each {id, props}.
UNWIND $rows AS row
MATCH (o:Organisation {id: row.id})
SET o += row.props

// name: stored-as-of
// The reference date the stored conclusions were drawn at (ISO; none before the first load).
// Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
WHERE m.asOf IS NOT NULL
RETURN toString(m.asOf) AS asOf

// name: stored-record
// What the last load or refresh recorded, for a refresh with nothing changed since: the
// reference date (ISO), the register digest and how many findings are stored. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
WHERE m.registerDigest IS NOT NULL AND m.asOf IS NOT NULL
RETURN toString(m.asOf) AS asOf, m.registerDigest AS digest, COUNT { (:Finding) } AS findings

// name: stored-digest
// The register digest recorded at the last load or refresh. Parameter: $key.
MATCH (m:SourcingGraphMeta {key: $key})
RETURN m.registerDigest AS digest

// name: record
// The digests of what the conclusions were drawn from, when, and at which reference date; R15;
// R5's and R9's rows whole. Parameters: $key, $registerDigest, $rulesDigest, $supplyChainData,
// $asOf (a date), $posture (the R15 properties, sourcing_graph.graph.neo4j.conclusions.
// POSTURE_PROPERTIES), $rows (the ROW_PROPERTIES there: the rows' JSON texts, in the analysis'
// order, joined in one text (conclusions.row_texts), and each row's prime contractor or supplier).
MATCH (m:SourcingGraphMeta {key: $key})
SET m.registerDigest = $registerDigest,
    m.rulesDigest = $rulesDigest,
    m.supplyChainData = $supplyChainData,
    m.asOf = $asOf,
    m.concludedAt = datetime(),
    m += $posture,
    m += $rows
REMOVE m.concludedTx
