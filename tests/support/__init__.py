"""Helpers shared by the tests (``from tests.support import ROOT``); this module: where things are,
and whether the run is CI (``CI=true``: what a test needs and lacks fails it, it never skips)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""
EXAMPLES = ROOT / "examples"
DATA = ROOT / "tests" / "data"
"""Test data: registers, DORA packages, hand-checked expected results (each with its README)."""
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
