"""The Dutch and English faces of the view and the report in headless Chromium, what the view
draws (labels apart, legend counts, marks in a focus view) and the report printed on A4."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.loaders import read_any
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.legend import CRITICAL_BORDER, FINDING_RED, SEVERITY_COLOURS
from sourcing_graph.views.network import build_view
from sourcing_graph.views.report import save_report
from tests.support import EXAMPLES
from tests.support.browser import Browser, canvas_ink, require_chromium
from tests.support.printed import colour_on_pages, page_sizes, print_to_pdf

pytestmark = pytest.mark.browser

AS_OF = date(2026, 6, 1)
RED = (int(FINDING_RED[1:3], 16), int(FINDING_RED[3:5], 16), int(FINDING_RED[5:7], 16))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the pages of this module."""
    with Browser(require_chromium()) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def registers() -> dict[str, Register]:
    rules = load_rules()
    return {
        name: read_any(EXAMPLES / name, rules=rules)
        for name in ("gemeente-waterland", "acme-retail")
    }


LABEL_BOXES = """() => {
  const g = window.sourcingGraph, net = g.network;
  return g.nodes.getIds().map(id => {
    const n = net.body.nodes[id], s = n.labelModule.size, b = n.shape.boundingBox;
    return {id, label: n.options.label || '',
            text: [s.left, s.top, s.left + s.width, s.top + s.height],
            shape: [b.left, b.top, b.right, b.bottom]};
  });
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0 and min(a[3], b[3]) - max(a[1], b[1]) > 0


@pytest.mark.parametrize("example", ["gemeente-waterland", "acme-retail"])
def test_labels_do_not_overlap_at_the_default_zoom(
    browser: Browser, registers: dict[str, Register], tmp_path: Path, example: str
) -> None:
    """From the drawn positions: no label's box overlaps another label or another node's shape."""
    path = build_view(registers[example], as_of=AS_OF).save(tmp_path / "view.html")
    with browser.open(path) as (page, record):
        boxes = page.evaluate(LABEL_BOXES)
        assert record.problems() == []
    assert len(boxes) == len(build_view(registers[example]).graph.nodes)
    clashes = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a["label"] and b["label"] and _overlap(a["text"], b["text"]):
                clashes.append((a["label"], b["label"]))
            if a["label"] and _overlap(a["text"], b["shape"]):
                clashes.append((a["label"], b["id"]))
            if b["label"] and _overlap(b["text"], a["shape"]):
                clashes.append((b["label"], a["id"]))
    assert clashes == []


def test_legend_counts_agree_with_what_is_drawn(
    browser: Browser, registers: dict[str, Register], tmp_path: Path
) -> None:
    waterland = registers["gemeente-waterland"]
    path = build_view(waterland, lang="en", as_of=AS_OF).save(tmp_path / "view.html")
    with browser.open(path) as (page, record):
        drawn = page.evaluate(
            "() => sourcingGraph.nodes.get().filter(n => n.mode).map(n => [n.kind, n.mode])"
        )
        for mode in ("distrust", "reliability", "trust", "unknown"):
            text = page.inner_text(f"[data-sg-mode-count={mode}]")
            lots = sum(1 for kind, m in drawn if kind == "lot" and m == mode)
            contracts = sum(1 for kind, m in drawn if kind == "contract" and m == mode)
            lot_word = "lot" if lots == 1 else "lots"
            contract_word = "contract" if contracts == 1 else "contracts"
            assert text == f"{lots} {lot_word} · {contracts} {contract_word}"
        options = page.eval_on_selector_all(
            "#sg-finding option", "os => os.map(o => o.textContent)"
        )
        # R5: one external prime contractor, as the report says, however many nodes it marks
        assert "R5 external prime contractor (1)" in options
        assert record.problems() == []


def test_a_focus_view_keeps_every_mark(
    browser: Browser, registers: dict[str, Register], tmp_path: Path
) -> None:
    """The focus node is selected, and selected it keeps its red star (R5: external prime)."""
    view = build_view(registers["gemeente-waterland"], focus="prime:kwelder", as_of=AS_OF)
    path = view.save(tmp_path / "focus.html")
    with browser.open(path) as (page, record):
        assert page.evaluate("() => sourcingGraph.network.getSelectedNodes()") == ["org:kwelder"]
        colour = page.evaluate(
            "() => { const n = sourcingGraph.network.body.nodes['org:kwelder'];"
            " return [n.options.shape, n.options.color.border, n.options.color.highlight.border]; }"
        )
        assert colour == ["star", FINDING_RED, FINDING_RED]
        # and the pixels around the star are red when drawn selected
        red = page.evaluate(
            """() => {
              const net = sourcingGraph.network, p = net.canvasToDOM(net.getPositions(['org:kwelder'])['org:kwelder']);
              const c = document.querySelector('#sg-network canvas'), ctx = c.getContext('2d');
              const r = window.devicePixelRatio || 1, d = ctx.getImageData((p.x - 30) * r, (p.y - 30) * r, 60 * r, 60 * r).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 80 && d[i + 2] < 80) n++;
              return n;
            }"""
        )
        assert red > 20
        assert record.problems() == []


MARKS = """() => sourcingGraph.nodes.getIds().map(id => {
  const o = sourcingGraph.network.body.nodes[id].options;
  return {id, border: o.color.border, fill: o.color.background,
          selected: [o.color.highlight.border, o.color.highlight.background],
          hovered: [o.color.hover.border, o.color.hover.background]};
})"""


@pytest.mark.parametrize("focus", ["lot:K03", "function:F-REGIE", "contract:WL-08"])
def test_every_mark_survives_selection_in_a_focus_view(
    browser: Browser, registers: dict[str, Register], tmp_path: Path, focus: str
) -> None:
    """Every finding border and every critical border is the same drawn plain, selected and
    hovered (the fill only lightens): selecting (the focus node is selected) loses no mark."""
    view = build_view(registers["gemeente-waterland"], focus=focus, as_of=AS_OF)
    marks = {FINDING_RED, CRITICAL_BORDER, *SEVERITY_COLOURS.values()}
    with browser.open(view.save(tmp_path / "focus.html")) as (page, record):
        assert page.evaluate("() => sourcingGraph.network.getSelectedNodes()") == [focus]
        nodes = page.evaluate(MARKS)
        assert record.problems() == []
    marked = [n for n in nodes if n["border"] in marks]
    assert marked, nodes  # each of these foci shows a finding
    for n in marked:
        assert n["selected"][0] == n["border"] == n["hovered"][0], n


def _text(page: Any, selector: str) -> str:
    return str(page.inner_text(selector))


def test_the_dutch_report(browser: Browser, registers: dict[str, Register], tmp_path: Path) -> None:
    path = save_report(
        registers["gemeente-waterland"], tmp_path / "rapport.html", as_of=AS_OF, made=AS_OF
    )
    with browser.open(path) as (page, record):
        head = _text(page, "#report-heading")
        assert "Sourcingrapport: gemeente-waterland" in head
        assert "Peildatum" in head and "1 juni 2026" in head
        body = _text(page, "body")
        for heading in ("Kerncijfers", "Samenwerkingsvormen", "Netwerk", "Analyses"):
            assert heading in body
        assert "K05 Zaaksysteem en e-formulieren" in body  # names beside ids
        assert "€\xa01.324.000,00" in body  # R9, kwelder's contracts, in euro
        assert "31 maart 2026" in body  # WL-08 ended then
        assert "geen samenwerkingsvorm vastgelegd" in body  # a reason as words
        ended = page.eval_on_selector_all(
            "#analysis-effective_modes tr[data-status=ended] td:first-child",
            "cells => cells.map(c => c.textContent)",
        )
        assert "WL-08" in ended
        assert page.get_attribute("html", "lang") == "nl"
        assert record.problems() == []


def test_the_english_report(
    browser: Browser, registers: dict[str, Register], tmp_path: Path
) -> None:
    path = save_report(
        registers["gemeente-waterland"], tmp_path / "report.html", lang="en", as_of=AS_OF
    )
    with browser.open(path) as (page, record):
        head = _text(page, "#report-heading")
        assert "Sourcing report: gemeente-waterland" in head and "1 June 2026" in head
        body = _text(page, "body")
        for heading in ("Key figures", "Collaboration modes", "Network", "Analyses"):
            assert heading in body
        assert "Kerncijfers" not in body and "Peildatum" not in body
        assert "K05 Zaaksysteem en e-formulieren" in body
        assert "€1,324,000.00" in body and "31 March 2026" in body
        assert "no collaboration mode recorded" in body
        assert record.problems() == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_prints_on_a4(registers: dict[str, Register], tmp_path: Path, lang: str) -> None:
    """``chromium --headless --print-to-pdf`` as a user runs it (no waiting): A4 pages, and the
    network drawn in its box across the printed width (the view's panel left out). Red marks a
    finding and only the network draws it: its pixels say where the network is."""
    html = save_report(registers["gemeente-waterland"], tmp_path / "r.html", lang=lang, as_of=AS_OF)
    pdf = tmp_path / "r.pdf"
    data = print_to_pdf(html, pdf)
    sizes = page_sizes(data)
    assert 2 <= len(sizes) <= 8, sizes
    assert all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in sizes)
    inks = colour_on_pages(pdf, RED)
    assert len(inks) == len(sizes)
    drawn = [ink for ink in inks if ink.pixels]
    assert len(drawn) == 1, inks  # one page holds the network
    assert drawn[0].pixels > 100, drawn
    # drawn again at the printed size (not the screen's canvas shrunk beside a hidden panel)
    assert drawn[0].span > 0.33, drawn


def test_the_view_is_drawn_when_the_page_has_loaded(
    browser: Browser, registers: dict[str, Register], tmp_path: Path
) -> None:
    """A small view settles before the load event, when ``--print-to-pdf`` prints."""
    path = build_view(registers["acme-retail"], as_of=AS_OF).save(tmp_path / "view.html")
    with browser.open(path, wait_ready=False, init_script=AT_LOAD) as (page, record):
        page.wait_for_function("() => window.readyAtLoad !== undefined")
        assert page.evaluate("() => window.readyAtLoad") == "1"
        assert canvas_ink(page) > 1000
        assert record.problems() == []


AT_LOAD = """window.addEventListener('load', () => {
  window.readyAtLoad = document.documentElement.getAttribute('data-sg-ready');
});"""


@pytest.mark.parametrize(
    ("lang", "ending", "explained"),
    [
        ("nl", "(loopt af)", "(loopt af) in een label: het contract loopt af binnen 12 maanden"),
        ("en", "(ending)", "(ending) in a label: the contract ends within 12 months"),
    ],
)
def test_the_legend_says_what_ended_and_ending_mean(
    browser: Browser,
    registers: dict[str, Register],
    tmp_path: Path,
    lang: str,
    ending: str,
    explained: str,
) -> None:
    view = build_view(registers["gemeente-waterland"], lang=lang, as_of=AS_OF)
    with browser.open(view.save(tmp_path / "view.html")) as (page, record):
        assert explained in _text(page, "#sg-ending-legend")
        labels = page.evaluate("() => sourcingGraph.nodes.get().map(n => n.label || '')")
        assert "WL-24 " + ending in labels  # ends 31 May 2027, within 12 months of 1 June 2026
        assert record.problems() == []


DRAWN = """() => {
  const net = sourcingGraph.network;
  const nodes = Object.values(net.body.nodes).map(n => ({id: n.id, fill: n.options.color.background,
    border: n.options.color.border, selected: n.options.color.highlight.border,
    width: n.options.borderWidth, selectedWidth: n.options.borderWidthSelected}));
  const edges = Object.values(net.body.edges).map(e => ({id: e.id, colour: e.options.color.color}));
  return {nodes, edges};
}"""
RED_FINDINGS = {
    "function": {"critical_without_trust", "retained_functions"},
    "prime": {"external_prime"},
    "lot": {"mode_fit"},
    "contract": {"clause_conflicts"},
}


def _meanings(view: Any, drawn: dict[str, Any]) -> dict[str, set[str]]:
    """Each meaning the view draws -> the colours it is drawn in (from the page)."""
    nodes = {n.id: n for n in view.graph.nodes}
    edges = {e.id: e for e in view.graph.edges}
    meanings: dict[str, set[str]] = {}
    for d in drawn["nodes"]:
        n = nodes[d["id"]]
        meanings.setdefault(f"mode {n.mode}" if n.mode else "no mode", set()).add(d["fill"])
        found = set(n.findings)
        if found & RED_FINDINGS.get(n.kind, set()):
            meanings.setdefault("finding", set()).add(d["border"])
        elif n.kind == "contract" and "contract_review" in found:
            meanings.setdefault("R13 review", set()).add(d["border"])
        elif n.kind == "contract" and "renegotiation_windows" in found:
            meanings.setdefault("R14 window", set()).add(d["border"])
        elif n.kind == "function" and n.critical:
            meanings.setdefault("critical", set()).add(d["border"])
    for d in drawn["edges"]:
        severity = edges[d["id"]].severity
        if severity is not None:
            key = "finding" if severity == "high" else f"R3 {severity}"
            meanings.setdefault(key, set()).add(d["colour"])
    return meanings


def test_a_colour_never_means_two_things(
    browser: Browser, registers: dict[str, Register], tmp_path: Path
) -> None:
    """On the drawn Waterland view every meaning has one colour and no two share one: modes,
    no mode, a finding (red), R3 medium and low (edges), R13 and R14 (contract borders), a
    critical function. A selected node keeps its own border (never a meaning's colour it does
    not carry) and an unmarked one stays thinner than a critical function's border."""
    view = build_view(registers["gemeente-waterland"], as_of=AS_OF)
    with browser.open(view.save(tmp_path / "view.html")) as (page, record):
        drawn = page.evaluate(DRAWN)
        page.evaluate("() => sourcingGraph.network.selectNodes(['function:F-BI'])")
        selected = page.evaluate(
            "() => { const o = sourcingGraph.network.body.nodes['function:F-BI'];"
            " return [o.selected, o.options.color.highlight.border]; }"
        )
        assert record.problems() == []
    meanings = _meanings(view, drawn)
    assert set(meanings) >= {"finding", "R3 medium", "R3 low", "R13 review", "R14 window"}
    assert {"critical", "mode trust", "mode distrust", "no mode"} <= set(meanings)
    for meaning, colours in meanings.items():
        assert len(colours) == 1, (meaning, colours)
    by_colour: dict[str, list[str]] = {}
    for meaning, colours in meanings.items():
        by_colour.setdefault(next(iter(colours)), []).append(meaning)
    assert all(len(m) == 1 for m in by_colour.values()), by_colour
    meaning_colours = set(by_colour)
    critical_width = max(d["width"] for d in drawn["nodes"] if d["border"] == CRITICAL_BORDER)
    for d in drawn["nodes"]:
        assert d["selected"] == d["border"], d
        if d["border"] not in meaning_colours:  # no mark: selecting adds none
            assert d["selectedWidth"] < critical_width, d
    # F-BI is a function that is neither critical nor marked
    assert selected[0] is True and selected[1] not in meaning_colours
