"""The engine interface: what the embedded and the Neo4j engine both offer, and their shared driver.

An :class:`Engine` runs the analyses of :mod:`sourcing_graph.graph.registry` on one register at
one reference date (``as_of``, for R14): ``analyze(**filters)`` gives the whole analysis result,
``run(name, **filters)`` the rows of one analysis or helper (``effective_modes``, ``lot_modes``,
R3-R15, the DORA ones; R15's one object as a one-row list). Two implement
it: :class:`~sourcing_graph.graph.embedded.EmbeddedEngine` (networkx, in this process) and
:class:`~sourcing_graph.graph.neo4j.engine.Neo4jEngine` (the named queries on a Neo4j store);
:func:`sourcing_graph.graph.analyses.open_engine` chooses one by name.

Both build on :class:`EngineBase`, which checks the filters and the severity and picks the analyses
of the result; an engine adds how it gets the rows of one analysis, the severity ranks of its rule
data, and (optionally) how it keeps several queries on one and the same register.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from sourcing_graph.graph.registry import (
    ANALYSES,
    DORA_ANALYSES,
    Analysis,
    Result,
    Row,
    assemble,
    check_filters,
    check_severity,
    lookup,
)

__all__ = ["Engine", "EngineBase", "Notice", "Result", "Row"]

T = TypeVar("T")


@dataclass(frozen=True)
class Notice:
    """What an engine says about a query besides its rows: one of Neo4j's notifications (read by
    :mod:`sourcing_graph.graph.neo4j.notices`). Its severity (``warning``, ``information``),
    category (``unrecognized``, ``performance``, ``deprecation``...), code, the server's
    description, where in the query it points (1-based line and column, when given), and for an
    unknown name its kind (``label``, ``relationship type``, ``property``), the name and close
    names the database has. Here, in the interface, so that what shows it (the views) needs no
    engine's internals."""

    severity: str
    category: str
    code: str
    description: str
    line: int | None = None
    column: int | None = None
    unknown_kind: str | None = None
    name: str | None = None
    suggestions: tuple[str, ...] = ()


class Engine(Protocol):
    """An analysis engine holding one register and its rule data."""

    name: str
    """``"embedded"`` or ``"neo4j"``."""
    as_of: date
    """The reference date of R14 (and the result's ``as_of``)."""

    def analyze(self, **filters: Any) -> Result:
        """The analysis result: R3-R9, ``as_of``, R10-R15, then D1 and D2 when the register has
        DORA supply-chain data; keys in the documented order. ``filters``: ``prime_contractor``,
        ``min_severity``, ``supplier`` (None or absent: no filter)."""
        ...

    def run(self, name: str, **filters: Any) -> list[Row]:
        """The rows of one analysis or helper, by any of its names; filters it does not take are
        ignored, so one set of filters serves every analysis."""
        ...

    def has_supply_chain_data(self) -> bool:
        """Whether the register knows ultimate parents or ICT supply chains (DORA)."""
        ...

    def names(self) -> list[dict[str, Any]]:
        """The register's lots, organisations and functions as rows of ``kind`` (``lot``,
        ``organisation``, ``function``), ``id`` and ``name`` (None when it has none): the names
        shown beside ids when the caller read no register."""
        ...


class EngineBase(ABC):
    """``run`` and ``analyze`` on top of three things an engine provides (see the module)."""

    name: str
    as_of: date

    @abstractmethod
    def rows(self, analysis: Analysis, filters: dict[str, Any]) -> list[Row]:
        """The rows of ``analysis``, in the documented order; ``filters`` are checked and the
        analysis takes every one of them. A dated analysis gets :attr:`as_of` as well."""

    @abstractmethod
    def severity_ranks(self) -> dict[str, int]:
        """The R3 severities the rule data ranks, and their ranks (higher is more severe)."""

    def consistent(self, work: Callable[[], T]) -> T:
        """Run ``work`` so that all its queries see one and the same register (here: just run it)."""
        return work()

    def check_severity(self, min_severity: str | None) -> None:
        """Refuse a ``min_severity`` the rule data does not rank."""
        if min_severity is not None:
            check_severity(min_severity, self.severity_ranks())

    def run(self, name: str, **filters: Any) -> list[Row]:
        analysis = lookup(name)
        given = analysis.given(filters)
        self.check_severity(given.get("min_severity"))
        return self.rows(analysis, given)

    def has_supply_chain_data(self) -> bool:
        found = self.rows(lookup("supply_chain_data"), {})
        return bool(found and found[0].get("dora"))

    def analyze(self, **filters: Any) -> Result:
        check_filters(filters)

        def run_all() -> Result:
            self.check_severity(filters.get("min_severity"))
            chosen = dict(ANALYSES)
            if self.has_supply_chain_data():
                chosen.update(DORA_ANALYSES)
            parts = {key: self.part(a, a.given(filters)) for key, a in chosen.items()}
            return assemble(parts, self.as_of)

        return self.consistent(run_all)

    def part(self, analysis: Analysis, filters: dict[str, Any]) -> Any:
        """What ``analysis`` adds to the result: its rows, or (R15) its one object (None when a
        store gives no row at all)."""
        rows = self.rows(analysis, filters)
        if analysis.single:
            return rows[0] if rows else None
        return rows
