"""The analyses on Neo4j: every named query (planned once, then timed warm) and ``analyze()``."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from bench.database import BenchDatabase
from bench.measure import timer
from bench.session import Session
from bench.whatif import AS_OF, what_if_neo4j
from sourcing_graph.graph.analyses import Neo4jEngine, analyze

SAMPLE_IDS = (
    "CALL () { MATCH (c:Contract)-[:SUPPLIED_BY]->(s:Organisation) WHERE NOT s.internal "
    "RETURN s.id AS supplier, c.id AS contract ORDER BY c.id LIMIT 1 } "
    "CALL () { MATCH (l:Lot) RETURN l.id AS lot ORDER BY l.id LIMIT 1 } "
    "CALL () { MATCH (f:Function) RETURN f.id AS function ORDER BY f.id LIMIT 1 } "
    "RETURN supplier, contract, lot, function"
)


def sample_ids(db: BenchDatabase) -> dict[str, str]:
    """One identifier of each kind in the loaded register, for the queries that need one."""
    rows = db.store.read(SAMPLE_IDS)
    found = dict(rows[0]) if rows else {}
    found["prime_contractor"] = "own-it"
    return {k: v for k, v in found.items() if v is not None}


def bind(query: Any, ids: dict[str, str]) -> dict[str, Any] | None:
    """Parameters for a named query: optional ones null, required ones a sample identifier."""
    params: dict[str, Any] = {}
    for p in query.params:
        if p.optional:
            params[p.name] = None
            continue
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", p.name).lower()
        value = ids.get(snake) or ids.get(snake.removesuffix("_id"))
        if value is None:
            return None
        params[p.name] = value
    return params


def time_neo4j_analyses(
    session: Session,
    db: BenchDatabase,
    queries: list[Any],
    size: int,
    warm_up: bool = False,
    register: Any = None,
) -> None:
    """Every named query on the loaded register (each planned once first when ``warm_up``),
    ``analyze()`` on Neo4j, and (given the ``register`` loaded) a what-if of ten changes."""
    res = session.res
    store = db.store
    ids = sample_ids(db)
    if warm_up:  # plan every query once (Neo4j caches plans), untimed
        for query in queries:
            params = bind(query, ids)
            if params is not None:
                with contextlib.suppress(Exception):
                    store.read(query.text, params)
    for query in queries:
        key = f"neo.{query.name}"
        params = bind(query, ids)
        if params is None:
            res.note(size, key, "not run (needs a parameter the benchmark cannot supply)")
            continue

        def run(q: Any = query, p: dict[str, Any] = params, k: str = key) -> None:
            with timer() as t:
                store.read(q.text, p)
            res.add(size, k, t[0])

        session.attempt(size, key, f"query {query.name} on Neo4j", run)

    def all_of_them() -> None:
        with timer() as t:
            analyze(None, None, engine=Neo4jEngine(store, as_of=AS_OF))
        res.add(size, "neo.analyze", t[0])

    session.attempt(size, "neo.analyze", "analyze() on Neo4j", all_of_them)
    if register is None:
        return

    def what_if() -> None:
        with timer() as t:
            what_if_neo4j(store, register)
        res.add(size, "neo.whatif", t[0])

    session.attempt(size, "neo.whatif", "a what-if of ten changes on Neo4j", what_if)
