"""The DORA face in headless Chromium, as a person sees it: a package without an overlay leads
the report with D1-D5 and the supervisor's checks and says, in Dutch and English, that modes need
an overlay; nothing is red for a mode not recorded; a focus on a subcontractor shows its chain."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.loaders import read_any
from sourcing_graph.model import Register
from sourcing_graph.views.legend import FINDING_RED
from sourcing_graph.views.network import build_view
from sourcing_graph.views.report import save_report
from tests.support.browser import Browser, require_chromium
from tests.support.dora import OVERLAY, PACKAGE

pytestmark = pytest.mark.browser

AS_OF = date(2026, 6, 1)
WORDS = {
    "en": {
        "heading": "DORA: concentration, supply chains and exit",
        "note": "This DORA package records no collaboration modes",
        "checks": "The supervisor's checks",
        "d5": "D5 critical functions without a way out",
        "not_recorded": "no collaboration mode recorded",
        "legend": "Supply chains (DORA)",
        "subcontracts": "provider subcontracts to a subcontractor",
        "no_assessment": "supports the critical function 'F01 (Payments processing)' and has no assessment in B_07.01",
    },
    "nl": {
        "heading": "DORA: concentratie, toeleveringsketens en exit",
        "note": "Dit DORA-pakket legt geen samenwerkingsvormen vast",
        "checks": "De controles van de toezichthouder",
        "d5": "D5 kritieke functies zonder uitweg",
        "not_recorded": "geen samenwerkingsvorm vastgelegd",
        "legend": "Toeleveringsketens (DORA)",
        "subcontracts": "dienstverlener besteedt uit aan een onderaannemer",
        "no_assessment": "ondersteunt de kritieke functie 'F01 (Payments processing)' en heeft geen beoordeling in B_07.01",
    },
}
RED_NODES = (
    "() => sourcingGraph.nodes.get().filter(n => { const c = n.color || {};"
    " return c.border === RED || (c.highlight && c.highlight.border === RED); })"
    ".map(n => n.id)"
).replace("RED", repr(FINDING_RED))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser(require_chromium()) as chromium:
        yield chromium


@pytest.fixture
def package() -> Register:
    """The example package, read without an overlay (a few milliseconds)."""
    return read_any(PACKAGE)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_report_leads_with_dora_and_the_checks(
    browser: Browser, package: Register, tmp_path: Path, lang: str
) -> None:
    words = WORDS[lang]
    path = save_report(package, tmp_path / "roi.html", lang=lang, as_of=AS_OF, made=AS_OF)
    with browser.open(path) as (page, record):
        headings = page.eval_on_selector_all("h2.sg-rh2", "hs => hs.map(h => h.textContent)")
        assert headings[0] == words["heading"]
        dora = str(page.inner_text("#dora"))
        assert words["note"] in dora and words["d5"] in dora and words["checks"] in dora
        assert page.is_visible("#sg-overlay-note")
        # the checks: template, row key, column and message as separate cells
        row = page.eval_on_selector_all(
            "#analysis-checks tbody tr",
            "rs => rs.map(r => Array.from(r.cells).map(c => c.textContent))"
            ".filter(cs => cs.includes('B_02.02') && cs[2].startsWith('CTR-04'))",
        )
        assert len(row) == 1 and row[0][3] == "c0050"
        assert words["no_assessment"] in row[0][5]  # the check's sentence in the report's language
        # D1-D5 come before the rest; nothing rests on modes
        order = page.eval_on_selector_all("section[id]", "ss => ss.map(s => s.id)")
        assert order.index("dora") < order.index("key-figures")
        assert "modes" not in order and "review" not in order
        body = str(page.inner_text("body"))
        assert words["not_recorded"] not in body
        assert page.evaluate(RED_NODES) == []
        assert record.problems() == []


def test_with_an_overlay_the_mode_sections_return(browser: Browser, tmp_path: Path) -> None:
    register = read_any(PACKAGE, overlay=OVERLAY)
    path = save_report(register, tmp_path / "roi.html", lang="en", as_of=AS_OF, made=AS_OF)
    with browser.open(path) as (page, record):
        order = page.eval_on_selector_all("section[id]", "ss => ss.map(s => s.id)")
        assert "dora" not in order and "modes" in order and "review" in order
        assert not page.is_visible("#sg-overlay-note")
        assert page.evaluate(RED_NODES) != []  # R4 marks return with the overlay's modes
        assert record.problems() == []


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_view_says_modes_need_an_overlay(
    browser: Browser, package: Register, tmp_path: Path, lang: str
) -> None:
    words = WORDS[lang]
    path = build_view(package, lang=lang, as_of=AS_OF).save(tmp_path / "view.html")
    with browser.open(path) as (page, record):
        banners = page.eval_on_selector_all(".sg-banner", "bs => bs.map(b => b.id)")
        assert banners[:2] == ["sg-dora-note", "sg-overlay-note"]
        assert str(page.inner_text("#sg-dora-note")).startswith("DORA · D1")
        assert words["note"] in str(page.inner_text("#sg-overlay-note"))
        legend = str(page.inner_text("#sg-legend")).casefold()  # headings are set in capitals
        assert words["legend"].casefold() in legend
        assert words["subcontracts"].casefold() in legend
        assert page.evaluate(RED_NODES) == []
        assert record.problems() == []


def _drawn(page: Any) -> tuple[list[str], list[list[str]]]:
    nodes = page.evaluate("() => sourcingGraph.nodes.getIds().sort()")
    edges = page.evaluate(
        "() => sourcingGraph.edges.get().filter(e => e.type === 'SUBCONTRACTS_TO')"
        ".map(e => [e.from, e.to]).sort()"
    )
    return nodes, edges


def test_a_focus_on_a_subcontractor_shows_its_chain(
    browser: Browser, package: Register, tmp_path: Path
) -> None:
    """FibreLink (rank 4 of CTR-01, rank 3 of CTR-04): the providers it serves, both
    arrangements, the critical F01 behind them, and the chain drawn as provider->subcontractor."""
    view = build_view(package, focus="FibreLink Backbone SE", as_of=AS_OF)
    path = view.save(tmp_path / "focus.html")
    with browser.open(path) as (page, record):
        nodes, edges = _drawn(page)
        assert nodes == [
            "contract:CTR-01",
            "contract:CTR-04",
            "function:F01",
            "org:LEI-DATAVAULT",
            "org:LEI-FIBRELINK",
            "org:LEI-NETLINE",
            "org:LEI-NOVACLOUD-EU",
            "org:LEI-NOVACLOUD-US",
            "org:LEI-SECUROPS",
        ]
        assert ["org:LEI-SECUROPS", "org:LEI-FIBRELINK"] in edges
        assert ["org:LEI-DATAVAULT", "org:LEI-FIBRELINK"] in edges and len(edges) == 5
        assert page.evaluate("() => sourcingGraph.network.getSelectedNodes()") == [
            "org:LEI-FIBRELINK"
        ]
        assert "FibreLink Backbone SE" in str(page.inner_text("#sg-focus-note"))
        assert record.problems() == []
