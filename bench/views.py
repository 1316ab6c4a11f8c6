"""The view's timings: ``build_view(...).save()``, ``sourcing-graph view``, and Chromium."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from bench.browser import CHROMIUM, browser_time_to_interactive
from bench.measure import timer
from bench.session import Session
from sourcing_graph.graph.analyses import analyze


def time_views(session: Session, size: int, register: Any, rules: Any, folder: Path) -> None:
    """The view built in-process, by the command, and opened in headless Chromium."""
    try:
        from sourcing_graph.views.network import build_view  # the report says when it is missing
    except ImportError:
        session.res.note(size, "view.build", "not measured (views/network.py missing)")
        return
    res = session.res
    html = session.workdir / f"view-{size}.html"

    def build() -> None:
        result = analyze(register, rules)
        with timer() as t:
            build_view(register, rules, result).save(html)
        res.add(size, "view.build", t[0])
        res.fact(size, "view_mb", html.stat().st_size / 1e6)

    session.attempt(size, "view.build", "build_view", build)
    if not session.skipped("cli"):
        # embedded: with NEO4J_URI set, ``view`` would otherwise load the register into Neo4j
        out = session.workdir / f"cli-view-{size}.html"
        session.cli(size, "cli.view", ["view", str(folder), "--engine", "embedded", "-o", str(out)])
    if _browser_ready(session, size, html):
        session.attempt(
            size, "view.tti", "the view in Chromium", lambda: _browse(session, size, html)
        )


def _browser_ready(session: Session, size: int, html: Path) -> bool:
    """Whether to open the view in Chromium; notes why not when it cannot."""
    missing = _browser_missing(session)
    if missing is not None:
        session.res.note(size, "view.tti", f"not measured ({missing})")
        return False
    # not when the view was not written, nor after it timed out once at this size
    return html.exists() and not session.res.noted(size, "view.tti", "> ")


def _browser_missing(session: Session) -> str | None:
    if session.skipped("browser"):
        return "--skip browser"
    if not Path(CHROMIUM).exists():
        return "chromium missing"
    if importlib.util.find_spec("playwright") is None:
        return "playwright missing"
    return None


def _browse(session: Session, size: int, html: Path) -> None:
    res = session.res
    marks = browser_time_to_interactive(html, session.opts.browser_timeout)
    if marks["timeout"] is not None:
        res.note(size, "view.tti", f"> {marks['timeout']:.0f} s (not interactive in time)")
        return
    if marks["interactive_ms"] is not None:
        res.add(size, "view.tti", marks["interactive_ms"] / 1000)
    if marks["ready_ms"] is not None:
        res.add(size, "view.ready", marks["ready_ms"] / 1000)
    else:
        res.note(size, "view.ready", "window.sourcingGraph.ready not seen")
