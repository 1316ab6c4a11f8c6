"""The rdflib-neo4j baseline: the register's triples streamed into Neo4j by rdflib-neo4j.

``Graph(store=Neo4jStore(Neo4jStoreConfig(..., batching=True)))`` from the PyPI package
``rdflib-neo4j``, with the ``n10s_unique_uri`` constraint its documentation asks for, fed the
triples of ``register_to_rdf(register)`` (built and grouped by subject before the clock starts).
A run longer than ``--rdflib-timeout`` is stopped and extrapolated from the share of triples done.
"""

from __future__ import annotations

import contextlib
import io
import time
from typing import Any

from rdflib import RDF, Graph, Namespace, URIRef

from bench.database import BenchDatabase
from bench.measure import timer
from bench.session import Session
from sourcing_graph.loaders.rdf import register_to_rdf

UNIQUE_URI = (
    "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE"
)


class DatabaseDriver:
    """A driver whose sessions open on a given database (rdflib-neo4j opens the default one)."""

    def __init__(self, driver: Any, database: str | None) -> None:
        self._driver = driver
        self._database = database

    def session(self, **kwargs: Any) -> Any:
        if self._database:
            kwargs.setdefault("database", self._database)
        return self._driver.session(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


def namespace(iri: str) -> str:
    """The namespace of an IRI: everything up to its last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def triples_and_prefixes(graph: Any) -> tuple[list[Any], dict[str, str]]:
    """The triples of ``graph`` grouped by subject, and a prefix for every namespace they use.

    rdflib-neo4j (``SHORTEN``, its default) needs a prefix for the namespace of every predicate
    and class; its own default prefixes are left out.
    """
    # rdflib-neo4j is optional (the bench extra): imported only when it is measured
    from rdflib_neo4j.config.const import DEFAULT_PREFIXES

    triples = sorted(graph, key=lambda spo: str(spo[0]))
    known = {str(ns): prefix for prefix, ns in graph.namespaces()}
    defaults = set(DEFAULT_PREFIXES.values())
    used: set[str] = set()
    for _, p, o in triples:
        used.add(namespace(str(p)))
        if p == RDF.type and isinstance(o, URIRef):
            used.add(namespace(str(o)))
    prefixes: dict[str, str] = {}
    taken = set(DEFAULT_PREFIXES)
    for ns in sorted(used - defaults):
        prefix = known.get(ns) or f"ns{len(prefixes)}"
        while prefix in taken or not prefix:
            prefix = f"ns{len(prefixes)}_{len(taken)}"
        taken.add(prefix)
        prefixes[prefix] = ns
    return triples, prefixes


class RdflibBaseline:
    """rdflib-neo4j at each size, within ``--rdflib-timeout`` per run and ``--rdflib-budget``."""

    def __init__(self, session: Session, db: BenchDatabase) -> None:
        self.session = session
        self.db = db
        self.spent = 0.0  # seconds used at the current size

    def build(self, size: int, register: Any) -> tuple[list[Any], dict[str, str]]:
        """The instance triples of the register, grouped by subject (built outside the timing)."""
        with timer() as t:
            graph = register_to_rdf(register)
        self.session.res.add(size, "rdf.build", t[0])
        triples, prefixes = triples_and_prefixes(graph)
        self.session.res.fact(size, "triples", len(triples))
        return triples, prefixes

    def allowed(self, size: int, rep: int) -> bool:
        """Always the first repetition; later ones while the size's rdflib budget lasts."""
        if rep == 0:
            return True
        if self.session.res.noted(size, "load.rdflib", "extrapolated"):
            return False
        return self.spent < self.session.opts.rdflib_budget

    def load(self, size: int, triples: list[Any], prefixes: dict[str, str]) -> None:
        self.db.delete_loaded()
        # the constraint rdflib-neo4j's documentation asks for, created before the timing
        self.db.write(UNIQUE_URI)
        elapsed, done, capped = self._stream(triples, prefixes)
        self.spent += elapsed
        self.db.loaded = "rdflib"
        nodes, rels = self.db.rdflib_shape()
        if capped:
            self._extrapolate(size, elapsed, done, len(triples), nodes + rels)
        else:
            self.session.res.add(size, "load.rdflib", elapsed)
            self.session.res.fact(size, "rows_rdflib", nodes + rels)
        self.session.res.fact(size, "rdflib_nodes", nodes)
        self.session.res.fact(size, "rdflib_rels", rels)
        self.db.delete_loaded()

    def _stream(self, triples: list[Any], prefixes: dict[str, str]) -> tuple[float, int, bool]:
        """The triples through rdflib-neo4j, stopped after the cap: (seconds, triples done, stopped)."""
        # rdflib-neo4j is optional (the bench extra): imported only when it is measured
        from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

        config = Neo4jStoreConfig(
            custom_prefixes={p: Namespace(ns) for p, ns in prefixes.items()},
            handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.SHORTEN,
            batching=True,
        )
        driver = DatabaseDriver(self.db.store.driver, self.db.store.database)
        cap = self.session.opts.rdflib_timeout
        done = 0
        capped = False
        with contextlib.redirect_stdout(io.StringIO()), timer() as t:
            start = time.perf_counter()
            rdf = Graph(store=Neo4jStore(config=config, neo4j_driver=driver))
            for triple in triples:
                rdf.add(triple)
                done += 1
                if done % 5000 == 0 and time.perf_counter() - start > cap:
                    capped = True
                    break
            rdf.close(True)
        return t[0], done, capped

    def _extrapolate(self, size: int, elapsed: float, done: int, total: int, rows: int) -> None:
        """The time and rows of a run stopped after ``done`` of ``total`` triples, scaled up."""
        res = self.session.res
        fraction = done / total
        res.add(size, "load.rdflib", elapsed / fraction)
        res.note(
            size,
            "load.rdflib",
            f"extrapolated: stopped after {elapsed:.0f} s at {fraction:.0%} of the triples "
            f"({done:,} of {total:,}); {elapsed:.0f} s / {fraction:.2f}",
        )
        res.fact(size, "rows_rdflib", round(rows / fraction))
