"""Helpers shared by the tests (``from tests.support import ROOT``); this module: where things are,
and whether the run is CI (``CI=true``: what a test needs and lacks fails it, it never skips)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""
EXAMPLES = ROOT / "examples"
DATA = ROOT / "tests" / "data"
"""Test data: registers, DORA packages, hand-checked expected results (each with its README)."""
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
AS_OF = date(2026, 6, 1)
"""The reference date (R10-R14 depend on it) of a test that compares results computed at
different moments (a fixture's and a test's, another process's): pinned, so that the comparison
holds when the suite crosses midnight."""
AS_OF_ARGS = ("--as-of", AS_OF.isoformat())
"""The CLI's option for :data:`AS_OF`."""


def days_of(run: Callable[[], T]) -> tuple[T, list[date]]:
    """``run()`` (something that uses today's date and cannot be told another, e.g. ``export``)
    and the days it may have used: today before it ran and, when midnight passed, today after."""
    before = date.today()
    result = run()
    return result, sorted({before, date.today()})


def codes_only(result: dict[str, Any]) -> dict[str, Any]:
    """An analysis result as ``analyze --format json`` prints it, without the names it puts
    beside ids (``supplier_name`` after ``supplier``, ``providers_names`` after ``providers``):
    the result the library returns, to compare with hand-checked codes."""

    def plain(row: Any) -> Any:
        if not isinstance(row, dict):
            return row
        return {
            k: v
            for k, v in row.items()
            if not (k.endswith("_name") and k[:-5] in row)
            and not (k.endswith("_names") and k[:-6] in row)
        }

    return {
        key: [plain(r) for r in value] if isinstance(value, list) else plain(value)
        for key, value in result.items()
    }
