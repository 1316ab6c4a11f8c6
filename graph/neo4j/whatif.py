"""A what-if scenario on Neo4j: the register's analysis before and after its changes, in one
transaction that is rolled back.

The transaction takes the load lock first (so no load lands between "before" and "after"), runs
the analyses, applies the changes (``queries/internal/whatif.cypher``, one statement per change,
in order), derives the stored modes of what they touch again (R1, R2, R7: the conclusions'
``contract-modes`` and ``lot-modes`` statements, scoped), runs the analyses again and rolls back.
Other sessions never see the changes (they read what is committed), and the graph is as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sourcing_graph.graph.neo4j.batched import kept_to_visible
from sourcing_graph.graph.neo4j.conclusions import TransactionReader
from sourcing_graph.graph.neo4j.engine import Neo4jEngine
from sourcing_graph.graph.neo4j.store import META_KEY, open_transaction
from sourcing_graph.graph.registry import Result
from sourcing_graph.model import CHANGE_TARGETS, Change
from sourcing_graph.queries.statements import statements

__all__ = ["apply_in", "before_and_after"]


def apply_in(tx: Any, changes: Sequence[Change]) -> None:
    """Apply ``changes`` in the transaction ``tx``, in order, and derive the stored modes of the
    contracts and lots they touch again."""
    cypher = statements("whatif")
    scope: dict[str, set[str]] = {"contract": set(), "supplier": set(), "lot": set()}
    for change in changes:
        tx.run(cypher[change.kind], {"id": change.target, "value": change.value}).consume()
        scope[CHANGE_TARGETS[change.kind]].add(change.target)
    found = tx.run(
        cypher["affected"],
        {
            "contracts": sorted(scope["contract"]),
            "suppliers": sorted(scope["supplier"]),
            "lots": sorted(scope["lot"]),
        },
    ).single() or {"contracts": [], "lots": []}  # no row: nothing touched (no contracts)
    derive = statements("conclusions")
    tx.run(derive["contract-modes"], {"contracts": found["contracts"]}).consume()
    tx.run(derive["lot-modes"], {"lots": found["lots"]}).consume()


def before_and_after(
    store: Any,
    changes: Sequence[Change],
    *,
    as_of: date,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[Result, Result]:
    """The analysis results of the register in ``store`` before and after ``changes``, at the
    reference date ``as_of``; nothing is committed. ``meanwhile`` (for tests) is called while the
    changes are applied but not yet rolled back."""
    with (
        store.driver.session(database=store.database) as session,
        open_transaction(session) as tx,
    ):
        tx.run(statements("store")["take-lock"], {"key": META_KEY}).consume()
        kept = kept_to_visible(tx, META_KEY)  # while a batched load runs: the loaded register
        engine = Neo4jEngine(TransactionReader(kept), stored=False, as_of=as_of)
        before = engine.analyze()
        apply_in(kept, changes)
        after = engine.analyze()
        if meanwhile is not None:
            meanwhile()
        tx.rollback()
    return before, after
