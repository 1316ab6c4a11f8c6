"""The running-contract review in the browser: the view shows which contracts are on the R13 review
list and which are in their R14 renegotiation window (finding filter, border, tooltip), and the
report's review section lists the worklist by window, offline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.graph.analyses import analyze
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.legend import REVIEW_MAGENTA, WINDOW_TEAL
from sourcing_graph.views.network import build_view
from sourcing_graph.views.report import save_report
from tests.support import EXAMPLES
from tests.support.browser import Browser, require_chromium

pytestmark = pytest.mark.browser

AS_OF = date(2026, 6, 1)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with Browser() as b:
        yield b


def no_problems(record: Any) -> None:
    assert record.problems() == []


@pytest.fixture(scope="module")
def waterland() -> Register:
    from sourcing_graph.loaders import read_any

    return read_any(EXAMPLES / "gemeente-waterland")


@pytest.fixture(scope="module")
def result(waterland: Register) -> dict[str, Any]:
    return analyze(waterland, load_rules(), as_of=AS_OF)


def shown(page: Any) -> set[str]:
    return set(
        page.evaluate("() => sourcingGraph.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    )


def test_the_view_marks_review_and_window_contracts(
    browser: Browser, waterland: Register, result: dict[str, Any], tmp_path: Path
) -> None:
    path = build_view(waterland, lang="nl", as_of=AS_OF).save(tmp_path / "view.html")
    review = {f"contract:{r['contract']}" for r in result["contract_review"]}
    window = {f"contract:{r['contract']}" for r in result["renegotiation_windows"]}
    with browser.open(path) as (page, record):
        options = page.inner_text("#sg-finding")
        assert "R13 lopend contract op de werklijst" in options
        assert "R14 contract in zijn heronderhandelingsvenster" in options
        page.select_option("#sg-finding", "contract_review")
        assert shown(page) == review
        page.select_option("#sg-finding", "renegotiation_windows")
        assert shown(page) == window
        page.click("#sg-reset")
        borders = page.evaluate(
            "() => Object.fromEntries(sourcingGraph.nodes.get().map(n => [n.id, n.color && n.color.border]))"
        )
        # WL-09 is on the list (orange); WL-05 only in its window (yellow); WL-13 in neither
        assert borders["contract:WL-09"] == REVIEW_MAGENTA
        assert borders["contract:WL-05"] == WINDOW_TEAL
        assert borders["contract:WL-13"] not in (REVIEW_MAGENTA, WINDOW_TEAL)
        # the tooltip is built as DOM when first hovered; its words are in the view's data
        tip = page.evaluate(
            "() => JSON.stringify(sourcingGraph.data.nodes.find(n => n.id === 'contract:WL-09').tip)"
        )
        assert "R13: WL-09 draait op onbekend en moet naar betrouwbaarheid" in tip
        assert "R14: WL-09 loopt af op 14 juni 2026, over 13 dagen" in tip
        no_problems(record)


def test_the_report_lists_the_worklist_by_window(
    browser: Browser, waterland: Register, tmp_path: Path
) -> None:
    path = save_report(waterland, tmp_path / "report.html", lang="en", as_of=AS_OF, made=AS_OF)
    with browser.open(path) as (page, record):
        posture = page.inner_text("#posture")
        assert "The sourcing follows none of the three sound options" in posture
        assert "option B: trust, with the own IT organisation as prime contractor" in posture
        rows = page.evaluate(
            "() => [...document.querySelectorAll('#analysis-review_worklist tbody tr')]"
            ".map(r => [r.cells[0].textContent.trim(), r.className])"
        )
        contracts = [c for c, _ in rows]
        # those with a window first, by end date (WL-21 ended first), WL-24..26 last among them
        assert contracts[:3] == ["WL-21", "WL-01", "WL-10"]
        assert len(contracts) == 12
        assert dict(rows)["WL-09"] == "sg-window" and dict(rows)["WL-21"] == "sg-expired"
        no_problems(record)
