"""The registry of analyses: each one's names, rule, filters and row order, and the filter checks.

Each analysis has one name in three spellings: the key of the JSON result (``mode_mismatches``),
the named query (``queries/mode-mismatches.cypher``) and the embedded function
(:func:`sourcing_graph.graph.embedded.mode_mismatches`). Both engines run what this registry lists
(:mod:`sourcing_graph.graph.engine`); nothing here depends on an engine.

The filters are Python keywords here and ``$camelCase`` parameters in Cypher:
``prime_contractor`` (R3, R5), ``min_severity`` (R3) and ``supplier`` (R4, R6, R8-R14). Besides
filters, an analysis may need the reference date (``as_of``, R14: ``$asOf``), which the engine
gives; R15 (``posture``) is one object, not a list of rows. :func:`assemble` puts the parts of a
result in the documented order, with ``as_of`` (the ISO date used) before the R10-R15 keys.

>>> lookup("mode-mismatches").rule, camel("prime_contractor")
('R3', 'primeContractor')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sourcing_graph.errors import QueryError
from sourcing_graph.model import money
from sourcing_graph.queries import QueryInfo, get_query

Row = dict[str, Any]
"""One row of an analysis: column name -> value, as in the JSON result."""
Result = dict[str, Any]
"""The analysis result: analysis key -> its rows (R15: its one object), keys in the documented
order, and ``as_of`` (the reference date used, ISO) before the R10-R15 keys."""

FILTERS = ("prime_contractor", "min_severity", "supplier")
AS_OF = "as_of"
"""The result key (and the engines' keyword) of the reference date."""


@dataclass(frozen=True)
class Analysis:
    """One analysis (or helper): its names, its rule, how to present it and the filters it takes."""

    key: str  # the key in the JSON result and the embedded function's name
    rule: str | None
    title: str
    dutch: str
    noun: tuple[str, str]  # what one row is, singular and plural ("finding", "findings")
    filters: tuple[str, ...]
    dated: bool = False  # needs the reference date (``as_of``, ``$asOf``)
    single: bool = False  # one object in the result, not a list of rows

    @property
    def params(self) -> tuple[str, ...]:
        """What the engine passes besides the filters: ``("as_of",)`` for a dated analysis."""
        return (AS_OF,) if self.dated else ()

    @property
    def query_name(self) -> str:
        return self.key.replace("_", "-")

    def query(self) -> QueryInfo:
        return get_query(self.query_name)

    def given(self, filters: dict[str, Any]) -> dict[str, Any]:
        """The filters this analysis takes (checked: an unknown filter name is an error)."""
        check_filters(filters)
        return {k: v for k, v in filters.items() if k in self.filters}


_FINDING = ("finding", "findings")

ANALYSES: dict[str, Analysis] = {
    a.key: a
    for a in (
        Analysis(
            "coordination_load",
            "R5",
            "Coordination load per prime contractor",
            "regielast per hoofdaannemer",
            ("prime contractor", "prime contractors"),
            ("prime_contractor",),
        ),
        Analysis(
            "mode_mismatches",
            "R3",
            "Mode mismatches between interdependent lots",
            "verschil in samenwerkingsvorm tussen afhankelijke kavels",
            _FINDING,
            ("min_severity", "prime_contractor"),
        ),
        Analysis(
            "critical_without_trust",
            "R4",
            "Critical functions without a trust basis",
            "kritieke functie zonder vertrouwen",
            _FINDING,
            ("supplier",),
        ),
        Analysis(
            "clause_conflicts",
            "R6",
            "Clauses that force a contract below its declared mode",
            "clausules die de samenwerkingsvorm ondermijnen",
            _FINDING,
            ("supplier",),
        ),
        Analysis(
            "mode_fit",
            "R7",
            "Lots run in a weaker mode than they need",
            "passende samenwerkingsvorm per kavel",
            _FINDING,
            (),
        ),
        Analysis(
            "retained_functions",
            "R8",
            "Retained functions given to external suppliers",
            "uitbestede functies die je zelf hoort te doen",
            _FINDING,
            ("supplier",),
        ),
        Analysis(
            "concentration",
            "R9",
            "Supplier concentration",
            "leveranciersconcentratie",
            ("supplier", "suppliers"),
            ("supplier",),
        ),
        Analysis(
            "cost_selection",
            "R10",
            "Selected on cost where collaboration matters",
            "geselecteerd op kosten waar samenwerking telt",
            _FINDING,
            ("supplier",),
        ),
        Analysis(
            "unbounded_trust",
            "R11",
            "Trust without agreed bounds",
            "vertrouwen zonder afgesproken grenzen",
            _FINDING,
            ("supplier",),
        ),
        Analysis(
            "reliability_without_evaluation",
            "R12",
            "Reliability not designed on trust",
            "betrouwbaarheid zonder gezamenlijke evaluatie",
            _FINDING,
            ("supplier",),
        ),
        Analysis(
            "contract_review",
            "R13",
            "Running-contract review",
            "beoordeling van lopende contracten",
            ("contract", "contracts"),
            ("supplier",),
        ),
        Analysis(
            "renegotiation_windows",
            "R14",
            "Renegotiation windows",
            "heronderhandelingsvensters",
            ("contract", "contracts"),
            ("supplier",),
            dated=True,
        ),
        Analysis(
            "posture",
            "R15",
            "Sourcing posture",
            "sourcinghouding",
            ("posture", "postures"),
            (),
            single=True,
        ),
    )
}
"""The analyses of the result (R3-R15), in the order of its keys."""

REVIEW_KEYS = (
    "cost_selection",
    "unbounded_trust",
    "reliability_without_evaluation",
    "contract_review",
    "renegotiation_windows",
    "posture",
)
"""The keys of R10-R15, which follow ``as_of`` in the result."""

HELPERS: dict[str, Analysis] = {
    a.key: a
    for a in (
        Analysis(
            "effective_modes",
            "R1",
            "Declared and effective mode of each contract",
            "samenwerkingsvorm per contract",
            ("contract", "contracts"),
            ("supplier",),
        ),
        Analysis(
            "lot_modes",
            "R2",
            "Mode of each lot",
            "samenwerkingsvorm per kavel",
            ("lot", "lots"),
            ("prime_contractor",),
        ),
        Analysis(
            "supply_chain_data",
            None,
            "Whether the register has DORA supply-chain data",
            "DORA-gegevens over toeleveringsketens",
            ("row", "rows"),
            (),
        ),
    )
}
"""Rows the analyses build on: R1, R2, and whether the DORA analyses apply; not in the result."""

DORA_ANALYSES: dict[str, Analysis] = {
    a.key: a
    for a in (
        Analysis(
            "parent_concentration",
            "D1",
            "Concentration per ultimate parent (DORA)",
            "concentratie per uiteindelijke moederonderneming",
            ("group", "groups"),
            ("supplier",),
        ),
        Analysis(
            "supply_chains",
            "D2",
            "ICT supply chains of critical functions (DORA)",
            "toeleveringsketens van kritieke functies",
            ("function", "functions"),
            ("supplier",),
        ),
        Analysis(
            "indirect_concentration",
            "D3",
            "Indirect concentration per provider and group (DORA)",
            "indirecte concentratie per dienstverlener en concern",
            ("organisation", "organisations"),
            ("supplier",),
        ),
        Analysis(
            "shared_subcontractors",
            "D4",
            "Shared subcontractors behind independent providers (DORA)",
            "gedeelde onderaannemers achter onafhankelijke dienstverleners",
            ("subcontractor", "subcontractors"),
            ("supplier",),
        ),
        Analysis(
            "exit_risks",
            "D5",
            "Critical functions without a way out (DORA)",
            "kritieke functies zonder uitweg",
            ("row", "rows"),
            ("supplier",),
        ),
    )
}
"""The DORA analyses: part of the result, after R3-R15, when the register has supply-chain data
(an ultimate parent or a supply-chain link; the helper ``supply_chain_data``)."""


def assemble(parts: dict[str, Any], as_of: date) -> Result:
    """The result of ``parts`` (analysis key -> rows, or R15's object) in the documented order:
    R3-R9, ``as_of`` (ISO), R10-R15, then any other key (D1, D2) in the order given."""
    result: Result = {}
    for key in ANALYSES:
        if key == REVIEW_KEYS[0]:
            result[AS_OF] = as_of.isoformat()
        if key in parts:
            result[key] = parts[key]
    result.update((k, v) for k, v in parts.items() if k not in result)
    return result


def lookup(name: str) -> Analysis:
    """An analysis or helper by any of its names (``mode_mismatches``, ``mode-mismatches``)."""
    key = name.strip().replace("-", "_")
    found = ANALYSES.get(key) or DORA_ANALYSES.get(key) or HELPERS.get(key)
    if found is None:
        known = ", ".join([*ANALYSES, *DORA_ANALYSES, *HELPERS])
        raise QueryError(f"unknown analysis {name!r}; the analyses are: {known}")
    return found


def camel(name: str) -> str:
    """``prime_contractor`` -> ``primeContractor`` (a filter as a Cypher parameter)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def check_filters(filters: dict[str, Any]) -> None:
    """Raise :class:`QueryError` for a filter name that is not one of :data:`FILTERS`."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise QueryError(
            f"unknown filter {', '.join(unknown)}; the filters are: {', '.join(FILTERS)}"
        )


def check_severity(min_severity: str | None, severity_rank: dict[str, int]) -> None:
    """Raise :class:`QueryError` unless ``min_severity`` is None or a ranked R3 severity.

    ``severity_rank`` is the rule data's order (``sg:severityRank``; higher is more severe): the
    embedded engine's ``Rules.severity_rank``, or the ranks of Neo4j's ``MismatchSeverity`` nodes.
    """
    if min_severity is not None and min_severity not in severity_rank:
        accepted = sorted(severity_rank, key=lambda s: (severity_rank[s], s))
        raise QueryError(
            f"unknown severity {min_severity!r}; expected one of "
            f"{', '.join(accepted) or '(none: the rule data ranks no R3 severity)'}"
        )


# -- the documented row order ---------------------------------------------------------------------


def _by(*fields: str) -> Callable[[Row], tuple[Any, ...]]:
    """A sort key: ``-name`` descending (numbers and list lengths), else ascending as is."""

    def key(row: Row) -> tuple[Any, ...]:
        out: list[Any] = []
        for f in fields:
            if f.startswith("-"):
                value = row[f[1:]]
                out.append(-(len(value) if isinstance(value, list) else value))
            else:
                out.append(row[f])
        return tuple(out)

    return key


_ROW_ORDER: dict[str, Callable[[Row], tuple[Any, ...]]] = {
    "coordination_load": _by("-score", "prime_contractor"),
    "mode_mismatches": _by("lot", "depends_on"),
    "critical_without_trust": _by("supplier", "function"),
    "clause_conflicts": _by("contract"),
    "mode_fit": _by("lot"),
    "retained_functions": _by("function", "supplier"),
    "concentration": _by("-critical_functions", "-annual_value", "supplier"),
    "cost_selection": _by("contract"),
    "unbounded_trust": _by("contract"),
    "reliability_without_evaluation": _by("contract"),
    "contract_review": _by("contract"),
    "renegotiation_windows": _by("end_date", "contract"),
    "parent_concentration": _by("-critical_functions", "-annual_value", "parent"),
    "supply_chains": _by("-depth", "function"),
    "indirect_concentration": _by("-critical_functions", "level", "organisation"),
    "shared_subcontractors": _by("-groups", "-critical_functions", "subcontractor"),
    "exit_risks": _by("-reasons", "function", "contract"),
    "effective_modes": _by("contract"),
    "lot_modes": _by("lot"),
}
_SORTED_LISTS = (
    "contracts",
    "lots",
    "critical_functions",
    "suppliers",
    "providers",
    "direct_functions",
    "direct_providers",
    "members",
    "groups",
    "external_prime_contractors",
)


def _posture_row(row: Row) -> None:
    """R15 from Cypher: the ``[mode, amount]`` pairs as a map (in their order), the prime
    contractors by code point."""
    values = row["external_value_by_mode"]
    if isinstance(values, list):
        row["external_value_by_mode"] = {mode: amount for mode, amount in values}
    row["external_prime_contractors"] = sorted(row["external_prime_contractors"])


MONEY_FIELDS = ("annual_value",)
"""The row fields that are amounts: exact :class:`~decimal.Decimal` values on every engine."""


def exact_amounts(rows: list[Row]) -> list[Row]:
    """Neo4j's amounts (``cents / 100.0``, a float) as the exact decimals they stand for.

    The Cypher sums whole cents exactly and divides once; below 10^13 the float's shortest
    spelling is the amount itself (``0.3``, ``13962610.22``), which :func:`money` reads.
    """
    for row in rows:
        for name in MONEY_FIELDS:
            if row.get(name) is not None:
                row[name] = money(row[name])
    return rows


def in_code_point_order(key: str, rows: list[Row], *, lists: bool = True) -> list[Row]:
    """Neo4j's rows in the documented order, identifiers compared by code point.

    Neo4j 5 compares stored property values by code point, but strings it computed or got as a
    parameter (which an index seek may hand back in place of the property) by UTF-16 code unit
    (U+1F4A3 before U+FF01), so its ``ORDER BY`` is not guaranteed to follow the domain spec (and
    the embedded engine) for identifiers beyond U+FFFF.
    Rows and the identifier lists in them are sorted again here (stable: ties keep Neo4j's order;
    R4's ``reasons`` stay aligned with their contracts). ``lists=False``: the lists in the rows
    are in that order already (stored from rows sorted here), only the rows are sorted.
    """
    order = _ROW_ORDER.get(key)
    if order is None:
        if key == "posture":
            for row in rows:
                _posture_row(row)
        return rows
    for row in rows if lists else ():
        if key == "critical_without_trust" and "reasons" in row:
            pairs = sorted(zip(row["contracts"], row["reasons"], strict=True))
            row["contracts"] = [c for c, _ in pairs]
            row["reasons"] = [r for _, r in pairs]
            continue
        for name in _SORTED_LISTS:
            if isinstance(row.get(name), list):
                row[name] = sorted(row[name])
    rows.sort(key=order)
    return rows
