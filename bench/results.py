"""The benchmark's results: samples per size and measure, notes, facts, and derived rows."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Results:
    """Samples per (size, key), notes, and facts about each size."""

    sizes: list[int]
    repeat: int
    samples: dict[tuple[int, str], list[float]] = field(default_factory=dict)
    notes: dict[tuple[int, str], str] = field(default_factory=dict)
    facts: dict[int, dict[str, Any]] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, size: int, key: str, value: float) -> None:
        self.samples.setdefault((size, key), []).append(value)

    def note(self, size: int, key: str, text: str) -> None:
        self.notes[(size, key)] = text

    def noted(self, size: int, key: str, start: str) -> bool:
        """Whether the note of (size, key) starts with ``start`` ("> " for stopped, ...)."""
        return self.notes.get((size, key), "").startswith(start)

    def median(self, size: int, key: str) -> float | None:
        values = self.samples.get((size, key))
        return statistics.median(values) if values else None

    def count(self, size: int, key: str) -> int:
        return len(self.samples.get((size, key), []))

    def fact(self, size: int, key: str, value: Any) -> None:
        self.facts.setdefault(size, {})[key] = value

    def failed(self, size: int, key: str, problem: str, note: str) -> None:
        """Note a failure on the row (size, key) and list it among the problems."""
        self.note(size, key, f"failed ({note})")
        self.problems.append(f"{size:,} contracts, {problem}")


Derived = Callable[[Results, int], float | None]


# Units: s (seconds), MB, rate (rows/s), x (a ratio), n (a count), text.
@dataclass(frozen=True)
class Row:
    """One row of the table: a measure's key, its label, its unit, how to derive it if it is."""

    key: str
    label: str
    unit: str
    derived: Derived | None = None


def ratio(num: str, den: str) -> Derived:
    """The median of ``num`` over the median of ``den`` at a size."""

    def compute(res: Results, size: int) -> float | None:
        a, b = res.median(size, num), res.median(size, den)
        return a / b if a is not None and b else None

    return compute


def rate(rows_fact: str, seconds: str) -> Derived:
    """Rows written (a fact) per second of the median of ``seconds`` at a size."""

    def compute(res: Results, size: int) -> float | None:
        rows = res.facts.get(size, {}).get(rows_fact)
        t = res.median(size, seconds)
        return rows / t if rows and t else None

    return compute
