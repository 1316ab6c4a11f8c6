"""Graph engines: the Neo4j store, the embedded (networkx) engine and the views."""
