// The statements the Neo4j store runs beside a user's query (sourcing-graph query), in the query's
// own transaction. Internal: not a named query.

// name: node-refs
// What names the nodes a returned relationship starts and ends at, when the query did not return
// them: their labels and the properties that identify them. Parameter: $ids (element ids).
UNWIND $ids AS elementId
MATCH (n) WHERE elementId(n) = elementId
RETURN elementId, labels(n) AS labels, n {.id, .key, .uri} AS properties

// name: schema-names
// The labels, relationship types and property keys the database has, to suggest a name for one a
// query misspelled.
CALL () { CALL db.labels() YIELD label RETURN collect(label) AS labels }
CALL () { CALL db.relationshipTypes() YIELD relationshipType RETURN collect(relationshipType) AS types }
CALL () { CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS keys }
RETURN labels, types, keys
