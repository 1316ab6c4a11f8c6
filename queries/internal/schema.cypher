// The schema statements of the Neo4j store (sourcing_graph.graph.neo4j.schema). Internal: not a
// named query. The uniqueness constraints themselves are made in schema.py: a constraint names its
// label and property in the statement, and Cypher takes neither as a parameter.

// name: unique-constraints
// The labels and properties that have a uniqueness constraint (or a node key), under any name.
SHOW CONSTRAINTS YIELD labelsOrTypes AS labels, properties AS props, type
WHERE type IN ['UNIQUENESS', 'NODE_KEY']
RETURN labels, props
