"""The formats a result and a query's rows are shown in: the one table of their names.

The table format (``render``), query rows (``render_rows``) and the CLI's ``--format`` all use it.
It imports nothing, so the CLI can offer the names at start-up.
"""

from __future__ import annotations

__all__ = ["FORMATS"]

FORMATS = ("table", "json", "csv", "markdown")
"""The names of the result formats: a terminal table, JSON, CSV and Markdown."""
