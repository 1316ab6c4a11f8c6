"""Benchmarks of sourcing-graph: a seeded register generator and the benchmark command.

``python -m bench.run`` measures reading, loading, the analyses and the views at several register
sizes, side by side with a hand-written ``LOAD CSV`` import and with rdflib-neo4j; see
``bench/README.md``.
"""
