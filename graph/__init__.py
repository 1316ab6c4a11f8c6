"""The engines: one interface (engine), the analyses registry, the embedded (networkx) engine and
the Neo4j store and engine; what a person looks at is in :mod:`sourcing_graph.views`."""
