"""The rule parameters of R1-R9, read from the ontology's Turtle data (never constants in code).

Both engines (Cypher on Neo4j, the embedded networkx engine) take their parameters from here or
from the nodes the ontology loader writes into Neo4j, so changing the Turtle changes the results.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModeRecommendation:
    """One row of the R7 table: conditions (None matches anything) and the recommended minimum mode.

    Rows are tried by ascending ``priority``; the first whose conditions all hold wins.
    """

    priority: int
    mode: str
    complexity: str | None = None
    dynamics: str | None = None
    commodity: bool | None = None

    def matches(self, complexity: str, dynamics: str, commodity: bool) -> bool:
        return (
            (self.complexity is None or self.complexity == complexity)
            and (self.dynamics is None or self.dynamics == dynamics)
            and (self.commodity is None or self.commodity == commodity)
        )


@dataclass(frozen=True)
class Rules:
    """Everything the analyses need to know, as data.

    - ``mode_rank``: mode key -> rank (distrust 1 < reliability 2 < trust 3).
    - ``mode_words``: normalised word (English, Dutch, ``unknown``...) -> mode key or None.
    - ``clause_words``: normalised word (key, Dutch aliases) -> clause type key.
    - ``clause_signals``: clause type key -> mode key it signals (or None).
    - ``clause_forces``: clause type key -> mode key it forces (only forcing types appear).
    - ``internal_supplier_mode``: R1's mode for a contract of an internal supplier with no declared mode.
    - ``severity``: frozenset of two mode keys -> R3 severity (``high``/``medium``/``low``).
    - ``coordination_weights``: R5 measure name -> weight (measures as in the JSON result).
    - ``recommendations``: the R7 table, by priority.
    """

    mode_rank: dict[str, int]
    mode_words: dict[str, str | None]
    clause_words: dict[str, str]
    clause_signals: dict[str, str | None]
    clause_forces: dict[str, str]
    internal_supplier_mode: str
    severity: dict[frozenset[str], str]
    coordination_weights: dict[str, float]
    recommendations: tuple[ModeRecommendation, ...]

    def recommend(self, complexity: str, dynamics: str, commodity: bool) -> str:
        """R7: the recommended minimum mode of a lot."""
        for rec in self.recommendations:
            if rec.matches(complexity, dynamics, commodity):
                return rec.mode
        raise LookupError("no R7 recommendation matches; the ontology needs a catch-all row")
