// The statements that write the ontology into Neo4j (sourcing_graph.graph.neo4j.ontology), in
// the caller's transaction. Internal: not a named query.
//
// Cypher cannot take a label or a relationship type as a parameter, so each statement is written
// once per ontology label (merged on its key: uri, key or measure) and relationship type; the
// label or type is the end of its name. The writer runs, in this order: stale:* (nodes the data
// no longer has go), unrelate (every ontology relationship goes), strip:* (each node keeps only
// its key, so that values moving between nodes never meet a uniqueness constraint half-way),
// merge:* (nodes merged on their key, properties replaced, each also labelled OntologyTerm) and
// relate:* (relationships created).
// Parameters: $keys (stale:*, the keys the data has); $rows (merge:*, each {key, props};
// relate:*, each {from, to, props}).

// name: stale:Ontology
MATCH (n:Ontology) WHERE n.uri IS NULL OR NOT n.uri IN $keys DETACH DELETE n

// name: strip:Ontology
MATCH (n:Ontology) SET n = {uri: n.uri}

// name: merge:Ontology
UNWIND $rows AS row MERGE (n:Ontology {uri: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:CollaborationMode
MATCH (n:CollaborationMode) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:CollaborationMode
MATCH (n:CollaborationMode) SET n = {key: n.key}

// name: merge:CollaborationMode
UNWIND $rows AS row MERGE (n:CollaborationMode {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:ModeCharacteristic
MATCH (n:ModeCharacteristic) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:ModeCharacteristic
MATCH (n:ModeCharacteristic) SET n = {key: n.key}

// name: merge:ModeCharacteristic
UNWIND $rows AS row MERGE (n:ModeCharacteristic {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:ClauseType
MATCH (n:ClauseType) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:ClauseType
MATCH (n:ClauseType) SET n = {key: n.key}

// name: merge:ClauseType
UNWIND $rows AS row MERGE (n:ClauseType {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:RetainedFunctionType
MATCH (n:RetainedFunctionType) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:RetainedFunctionType
MATCH (n:RetainedFunctionType) SET n = {key: n.key}

// name: merge:RetainedFunctionType
UNWIND $rows AS row MERGE (n:RetainedFunctionType {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:RuleParameter
MATCH (n:RuleParameter) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:RuleParameter
MATCH (n:RuleParameter) SET n = {key: n.key}

// name: merge:RuleParameter
UNWIND $rows AS row MERGE (n:RuleParameter {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:MismatchSeverity
MATCH (n:MismatchSeverity) WHERE n.uri IS NULL OR NOT n.uri IN $keys DETACH DELETE n

// name: strip:MismatchSeverity
MATCH (n:MismatchSeverity) SET n = {uri: n.uri}

// name: merge:MismatchSeverity
UNWIND $rows AS row MERGE (n:MismatchSeverity {uri: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:CoordinationWeight
MATCH (n:CoordinationWeight) WHERE n.measure IS NULL OR NOT n.measure IN $keys DETACH DELETE n

// name: strip:CoordinationWeight
MATCH (n:CoordinationWeight) SET n = {measure: n.measure}

// name: merge:CoordinationWeight
UNWIND $rows AS row MERGE (n:CoordinationWeight {measure: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:ModeRecommendation
MATCH (n:ModeRecommendation) WHERE n.uri IS NULL OR NOT n.uri IN $keys DETACH DELETE n

// name: strip:ModeRecommendation
MATCH (n:ModeRecommendation) SET n = {uri: n.uri}

// name: merge:ModeRecommendation
UNWIND $rows AS row MERGE (n:ModeRecommendation {uri: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:Level
MATCH (n:Level) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:Level
MATCH (n:Level) SET n = {key: n.key}

// name: merge:Level
UNWIND $rows AS row MERGE (n:Level {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:SeverityLevel
MATCH (n:SeverityLevel) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:SeverityLevel
MATCH (n:SeverityLevel) SET n = {key: n.key}

// name: merge:SeverityLevel
UNWIND $rows AS row MERGE (n:SeverityLevel {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:MismatchDirection
MATCH (n:MismatchDirection) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:MismatchDirection
MATCH (n:MismatchDirection) SET n = {key: n.key}

// name: merge:MismatchDirection
UNWIND $rows AS row MERGE (n:MismatchDirection {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:FindingReason
MATCH (n:FindingReason) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:FindingReason
MATCH (n:FindingReason) SET n = {key: n.key}

// name: merge:FindingReason
UNWIND $rows AS row MERGE (n:FindingReason {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:ModeBasis
MATCH (n:ModeBasis) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:ModeBasis
MATCH (n:ModeBasis) SET n = {key: n.key}

// name: merge:ModeBasis
UNWIND $rows AS row MERGE (n:ModeBasis {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:Rule
MATCH (n:Rule) WHERE n.key IS NULL OR NOT n.key IN $keys DETACH DELETE n

// name: strip:Rule
MATCH (n:Rule) SET n = {key: n.key}

// name: merge:Rule
UNWIND $rows AS row MERGE (n:Rule {key: row.key}) SET n = row.props, n:OntologyTerm

// name: stale:ClauseSet
MATCH (n:ClauseSet) WHERE n.uri IS NULL OR NOT n.uri IN $keys DETACH DELETE n

// name: strip:ClauseSet
MATCH (n:ClauseSet) SET n = {uri: n.uri}

// name: merge:ClauseSet
UNWIND $rows AS row MERGE (n:ClauseSet {uri: row.key}) SET n = row.props, n:OntologyTerm

// name: unrelate
MATCH ()-[r:HAS_CHARACTERISTIC|SIGNALS|FORCES|SETS_MODE|BETWEEN|RECOMMENDS|FOR_TARGET|INCLUDES]->() DELETE r

// name: relate:HAS_CHARACTERISTIC
UNWIND $rows AS row
MATCH (a:CollaborationMode {key: row.from})
MATCH (b:ModeCharacteristic {key: row.to})
CREATE (a)-[r:HAS_CHARACTERISTIC]->(b) SET r = row.props

// name: relate:SIGNALS
UNWIND $rows AS row
MATCH (a:ClauseType {key: row.from})
MATCH (b:CollaborationMode {key: row.to})
CREATE (a)-[r:SIGNALS]->(b) SET r = row.props

// name: relate:FORCES
UNWIND $rows AS row
MATCH (a:ClauseType {key: row.from})
MATCH (b:CollaborationMode {key: row.to})
CREATE (a)-[r:FORCES]->(b) SET r = row.props

// name: relate:SETS_MODE
UNWIND $rows AS row
MATCH (a:RuleParameter {key: row.from})
MATCH (b:CollaborationMode {key: row.to})
CREATE (a)-[r:SETS_MODE]->(b) SET r = row.props

// name: relate:BETWEEN
UNWIND $rows AS row
MATCH (a:MismatchSeverity {uri: row.from})
MATCH (b:CollaborationMode {key: row.to})
CREATE (a)-[r:BETWEEN]->(b) SET r = row.props

// name: relate:RECOMMENDS
UNWIND $rows AS row
MATCH (a:ModeRecommendation {uri: row.from})
MATCH (b:CollaborationMode {key: row.to})
CREATE (a)-[r:RECOMMENDS]->(b) SET r = row.props

// name: relate:FOR_TARGET
UNWIND $rows AS row
MATCH (a:ClauseSet {uri: row.from})
MATCH (b:CollaborationMode {key: row.to})
CREATE (a)-[r:FOR_TARGET]->(b) SET r = row.props

// name: relate:INCLUDES
UNWIND $rows AS row
MATCH (a:ClauseSet {uri: row.from})
MATCH (b:ClauseType {key: row.to})
CREATE (a)-[r:INCLUDES]->(b) SET r = row.props
