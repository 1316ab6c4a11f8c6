// What the digest of the register part and of the rule data is computed from
// (sourcing_graph.graph.neo4j.digest). Internal: not a named query.
//
// Each row is one item of the order-independent digest: a node with its properties and its
// outgoing relationships (type, the end's labels and key, the relationship's properties).

// name: register
// Every register node, its outgoing relationships but those in $skip (the conclusions'), and the
// end of each named by its labels and its id (register nodes) or key (vocabulary nodes).
// Parameter: $skip.
MATCH (n)
WHERE n:Organisation OR n:Lot OR n:Function OR n:Contract
RETURN labels(n) AS labels,
       properties(n) AS props,
       [(n)-[r]->(m) WHERE NOT type(r) IN $skip
        | [type(r), labels(m), coalesce(m.id, m.key, m.uri), properties(r)]] AS rels

// name: as-written
// How many nodes a load's digest computed from its rows would miss (then the register is read
// back instead): register nodes without an id or with another label, with an outgoing
// relationship a load neither writes nor removes (one made with Cypher), and mode or clause
// nodes with a label besides their own and OntologyTerm. Degrees only: nothing is returned.
MATCH (n)
WHERE n:Organisation OR n:Lot OR n:Function OR n:Contract
WITH n, COUNT { (n)-->() } AS out
WHERE n.id IS NULL OR size(labels(n)) <> 1
   OR (n:Contract AND out <> COUNT { (n)-[:SUPPLIED_BY|PART_OF|DECLARED_MODE|HAS_CLAUSE|DELIVERS|SUPPLY_CHAIN|EFFECTIVE_MODE]->() })
   OR (n:Lot AND out <> COUNT { (n)-[:DEPENDS_ON|COORDINATED_BY|RUNS_IN]->() })
   OR (n:Organisation AND out <> COUNT { (n)-[:SUBCONTRACTS_TO|PART_OF_GROUP]->() })
   OR (n:Function AND out <> 0)
WITH count(n) AS register
OPTIONAL MATCH (m) WHERE (m:CollaborationMode OR m:ClauseType) AND size(labels(m)) <> 2
WITH register, count(m) AS terms
RETURN register + terms AS odd

// name: rules
// Every ontology node and its relationships to other ontology nodes, ends named by their uri.
MATCH (n:OntologyTerm)
RETURN labels(n) AS labels,
       properties(n) AS props,
       [(n)-[r]->(m:OntologyTerm) | [type(r), labels(m), coalesce(m.uri, m.key), properties(r)]] AS rels

// name: recorded
// The digests recorded at the last load or refresh, and the transaction that recorded them.
// Parameter: $key.
OPTIONAL MATCH (m:SourcingGraphMeta {key: $key})
RETURN m.loadId AS loadId, m.registerDigest AS registerDigest, m.rulesDigest AS rulesDigest,
       m.concludedTx AS concludedTx

// name: record-transaction
// After a load or refresh committed: the id of its transaction, for the cheap freshness check.
// Parameters: $key, $tx.
MATCH (m:SourcingGraphMeta {key: $key})
SET m.concludedTx = $tx
