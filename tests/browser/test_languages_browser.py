"""The Dutch and English faces of the view and the report in headless Chromium, what the view
draws (labels apart, legend counts, marks in a focus view) and the report printed on A4."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.browser import CHROMIUM_FLAGS
from sourcing_graph.loaders import read_any
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.legend import FINDING_RED
from sourcing_graph.views.network import build_view
from sourcing_graph.views.report import save_report
from tests.support import EXAMPLES
from tests.support.browser import Browser, require_chromium

pytestmark = pytest.mark.browser

AS_OF = date(2026, 6, 1)


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


def test_the_report_prints_on_a4(registers: dict[str, Register], tmp_path: Path) -> None:
    """Chromium's own --print-to-pdf: A4 pages, the view's panel left out."""
    chromium = require_chromium()
    html = save_report(registers["gemeente-waterland"], tmp_path / "r.html", as_of=AS_OF)
    pdf = tmp_path / "r.pdf"
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            "--no-pdf-header-footer",
            "--virtual-time-budget=20000",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    data = pdf.read_bytes()
    sizes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert 2 <= pages <= 8, pages
    assert sizes and all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes)
