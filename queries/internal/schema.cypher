// The schema statements of the Neo4j store (sourcing_graph.graph.neo4j.schema). Internal: not a
// named query. The uniqueness constraints themselves are made in schema.py: a constraint names its
// label and property in the statement, and Cypher takes neither as a parameter.

// name: constraints
// Every constraint's labels (or relationship types), properties and type, under any name; the
// store picks the uniqueness ones (schema.UNIQUE_KINDS: 5.x and newer type names alike).
SHOW CONSTRAINTS YIELD labelsOrTypes AS labels, properties AS props, type
RETURN labels, props, type

// name: range-indexes
// Every node range index's labels and properties, under any name (the store makes those of
// schema.PROPERTY_INDEXES that are missing: creating one that exists is a write a read-only
// database refuses, even with IF NOT EXISTS).
SHOW RANGE INDEXES YIELD entityType, labelsOrTypes AS labels, properties AS props
WHERE entityType = 'NODE'
RETURN labels, props
