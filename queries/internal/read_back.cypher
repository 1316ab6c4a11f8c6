// The register part of the graph read back into the model (sourcing_graph.graph.neo4j.read_back),
// for a refresh that draws its conclusions in memory. Internal: not a named query.
//
// One statement per register label, each returning ONE record: a list with, per node, its
// properties, its number of labels and its outgoing relationships but those in $skip (the
// conclusions'), each [type, the end's labels, the end's id or key, its properties], as the
// register digest (digest.cypher: register) reads them. One record instead of one per node: the
// Python driver spends tens of microseconds on each record it decodes.
// Parameter: $skip.

// name: nodes:Organisation
MATCH (n:Organisation)
RETURN collect([properties(n), size(labels(n)),
  [(n)-[r]->(m) WHERE NOT type(r) IN $skip
   | [type(r), labels(m), coalesce(m.id, m.key, m.uri), properties(r)]]]) AS nodes

// name: nodes:Function
MATCH (n:Function)
RETURN collect([properties(n), size(labels(n)),
  [(n)-[r]->(m) WHERE NOT type(r) IN $skip
   | [type(r), labels(m), coalesce(m.id, m.key, m.uri), properties(r)]]]) AS nodes

// name: nodes:Lot
MATCH (n:Lot)
RETURN collect([properties(n), size(labels(n)),
  [(n)-[r]->(m) WHERE NOT type(r) IN $skip
   | [type(r), labels(m), coalesce(m.id, m.key, m.uri), properties(r)]]]) AS nodes

// name: nodes:Contract
MATCH (n:Contract)
RETURN collect([properties(n), size(labels(n)),
  [(n)-[r]->(m) WHERE NOT type(r) IN $skip
   | [type(r), labels(m), coalesce(m.id, m.key, m.uri), properties(r)]]]) AS nodes
