"""The Neo4j store: settings, connection, atomic register loads, the ontology and the schema.

::

    settings.py    Neo4jSettings (checked), redact_uri, the driver's URI and encryption
    connection.py  opening a driver, waiting for a server that is not ready yet
    diagnosis.py   what a driver error means, in one line with its fix (TLS, credentials, ...)
    schema.py      the labels, their unique keys and the uniqueness constraints
    ontology.py    writing the ontology (modes, clause types, rule data) into Neo4j
    load_plan.py   a register's rows in stages, with the statements that write them
    store.py       Neo4jStore: guarded reads, atomic register loads, the load lock
    engine.py      Neo4jEngine: the analyses as the named queries, on a store

The Cypher they run is in ``queries/internal/*.cypher``.
"""

from sourcing_graph.graph.neo4j.ontology import load_ontology
from sourcing_graph.graph.neo4j.schema import ensure_constraints
from sourcing_graph.graph.neo4j.settings import Neo4jSettings, redact_uri
from sourcing_graph.graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jSettings", "Neo4jStore", "ensure_constraints", "load_ontology", "redact_uri"]
