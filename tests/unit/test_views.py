"""The network views and the report, without a browser: content, focus, scale, escaping, offline.

The browser tests (``test_views_browser.py``) open the same pages in headless Chromium. The
registers here are built in code: the two examples under ``examples/``, a hostile register whose
names are markup and script, and synthetic registers of any size (:func:`synthetic_register`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.errors import QueryError, ViewError
from sourcing_graph.graph.analyses import Neo4jEngine, open_engine
from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Function,
    Lot,
    Register,
)
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.network import (
    View,
    build_view,
    content_security_policy,
    script_json,
    write_view,
)
from sourcing_graph.views.report import build_report, save_report, write_report
from tests.support import EXAMPLES
from tests.support.views import HOSTILE, expected_nodes, hostile_register, synthetic_register


@pytest.fixture(scope="module")
def rules() -> Any:
    return load_rules()


@pytest.fixture(scope="module")
def waterland(rules: Any) -> Register:
    from sourcing_graph.loaders import read_any

    return read_any(EXAMPLES / "gemeente-waterland", rules=rules)


@pytest.fixture(scope="module")
def acme(rules: Any) -> Register:
    from sourcing_graph.loaders import read_any

    return read_any(EXAMPLES / "acme-retail", rules=rules)


class _Page(HTMLParser):
    """The parts of a page the offline and CSP checks look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def data_block(page: str) -> dict[str, Any]:
    blocks = [
        text for attrs, text in parse(page).scripts if attrs.get("type") == "application/json"
    ]
    assert len(blocks) == 1
    return json.loads(blocks[0])


# -- content ---------------------------------------------------------------------------------------


def test_full_view_holds_every_entity(waterland: Register, rules: Any) -> None:
    view = build_view(waterland, rules)
    counts = view.counts()
    assert counts["lot"] == 11 and counts["contract"] == 26 and counts["function"] == 12
    assert counts["supplier"] + counts["prime"] == 11
    assert sum(counts[k] for k in ("supplier", "prime", "lot", "contract", "function")) == (
        expected_nodes(waterland)
    )
    assert not view.aggregated and not view.graph.positioned
    data = view.data()
    assert len(data["nodes"]) == expected_nodes(waterland)
    assert data["options"]["physics"]["enabled"] is True
    assert data["options"]["layout"]["randomSeed"] == 7


@pytest.mark.parametrize("example", ["gemeente-waterland", "acme-retail"])
def test_every_example_renders(example: str, rules: Any, tmp_path: Path) -> None:
    view = write_view(EXAMPLES / example, tmp_path / "view.html", rules=rules)
    page = (tmp_path / "view.html").read_text(encoding="utf-8")
    assert len(data_block(page)["nodes"]) == sum(
        v for k, v in view.counts().items() if k != "edges"
    )


def test_the_view_is_built_with_pyvis(waterland: Register, rules: Any) -> None:
    from pyvis.network import Network

    view = build_view(waterland, rules)
    assert isinstance(view.network, Network)
    assert len(view.network.nodes) == len(view.graph.nodes)
    assert len(view.network.edges) == len(view.graph.edges)


def test_kinds_have_distinct_shapes_and_modes_colours(waterland: Register, rules: Any) -> None:
    nodes = build_view(waterland, rules).data()["nodes"]
    shapes = {n["kind"]: n["shape"] for n in nodes}
    assert set(shapes) == {"supplier", "prime", "lot", "contract", "function"}
    assert len(set(shapes.values())) == 5
    colours = {n["mode"]: n["color"]["background"] for n in nodes if n["mode"]}
    assert set(colours) == {"distrust", "reliability", "trust", "unknown"}
    assert len(set(colours.values())) == 4


def test_findings_are_marked(waterland: Register, rules: Any) -> None:
    from sourcing_graph.graph.analyses import analyze

    result = analyze(waterland, rules)
    view = build_view(waterland, rules, result)
    data = view.data()
    nodes = {n["id"]: n for n in data["nodes"]}
    for row in result["clause_conflicts"]:
        node = nodes[f"contract:{row['contract']}"]
        assert "clause_conflicts" in node["findings"]
        assert node["shapeProperties"]["borderDashes"]
    for row in result["critical_without_trust"]:
        assert nodes[f"function:{row['function']}"]["color"]["border"] == "#e3261f"
    for row in result["coordination_load"]:
        if row["external"]:
            assert "external_prime" in nodes[f"org:{row['prime_contractor']}"]["findings"]
    marked = {
        (e["from"], e["to"]): e
        for e in data["edges"]
        if e["type"] == "DEPENDS_ON" and e.get("findings")
    }
    assert len(marked) == len(result["mode_mismatches"])
    for row in result["mode_mismatches"]:
        edge = marked[(f"lot:{row['lot']}", f"lot:{row['depends_on']}")]
        assert edge["width"] == {"high": 5, "medium": 4, "low": 3}[row["severity"]]
    counts = {key: count for key, _, count in data["findings"]}
    assert counts["clause_conflicts"] >= len(result["clause_conflicts"])


def test_findings_come_from_the_result_given(waterland: Register, rules: Any) -> None:
    """A result from another engine (here: an empty one) is what the view marks."""
    from sourcing_graph.graph.analyses import ANALYSES

    empty: dict[str, list[dict[str, Any]]] = {key: [] for key in ANALYSES}
    data = build_view(waterland, rules, empty).data()
    assert all(not n["findings"] for n in data["nodes"])
    assert all(count == 0 for _, _, count in data["findings"])


def test_tooltips_are_data_not_markup(waterland: Register, rules: Any) -> None:
    nodes = build_view(waterland, rules, lang="en").data()["nodes"]
    lot = next(n for n in nodes if n["id"] == "lot:K01")
    assert lot["tip"]["t"] == "Lot: K01 Werkplek en servicedesk"
    rows = dict((k, v) for k, v in lot["tip"]["r"] if k != "finding")
    # the register names no prime contractor for K01: own-it stands in, and the tooltip says so
    assert rows["prime contractor"] == (
        "I&A Waterland (eigen IT-organisatie) (own-it) (not recorded: the default)"
    )
    assert rows["kaveleigenaar"] == "M. Visser"  # extra register columns are shown too
    assert (rows["complexity / dynamics"], rows["commodity"]) == ("low / high", "no")
    k06 = next(n for n in nodes if n["id"] == "lot:K06")
    k06_rows = dict(k06["tip"]["r"])
    assert k06_rows["complexity / dynamics"] == "not recorded / low"  # an empty cell
    assert k06_rows["prime contractor"].endswith("(not recorded: the default)")
    k02 = dict(next(n for n in nodes if n["id"] == "lot:K02")["tip"]["r"])
    assert "not recorded" not in k02["prime contractor"]
    assert "title" not in lot  # the page builds the tooltip element from "tip"
    # the register's language (Dutch) by default
    dutch = build_view(waterland, rules).data()["nodes"]
    lot = next(n for n in dutch if n["id"] == "lot:K01")
    assert lot["tip"]["t"] == "Kavel: K01 Werkplek en servicedesk"
    rows = dict((k, v) for k, v in lot["tip"]["r"] if k != "bevinding")
    assert rows["hoofdaannemer"] == (
        "I&A Waterland (eigen IT-organisatie) (own-it) (niet vastgelegd: de standaard)"
    )


def test_an_empty_register_gives_an_empty_view_that_says_so(rules: Any) -> None:
    view = build_view(Register(source="empty"), rules)
    assert view.graph.nodes == [] and view.graph.edges == []
    assert "The register is empty" in view.to_html()
    assert (
        "Het register is leeg" in build_view(Register(source="empty"), rules, lang="nl").to_html()
    )


# -- focus -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("focus", "node"),
    [
        ("lot:K03", "lot:K03"),
        ("kavel:K03", "lot:K03"),
        ("K03", "lot:K03"),
        ("supplier:kwelder", "org:kwelder"),
        ("prime:kwelder", "org:kwelder"),
        ("kwelder", "org:kwelder"),
        ("function:F-ARCH", "function:F-ARCH"),
        ("F-ARCH", "function:F-ARCH"),
        ("WL-07", "contract:WL-07"),
        ("architectuur", "function:F-ARCH"),  # a name, any case
    ],
)
def test_focus_resolves(focus: str, node: str, waterland: Register, rules: Any) -> None:
    view = build_view(waterland, rules, focus=focus)
    assert view.graph.focus == node
    assert [n.id for n in view.graph.nodes if n.focus] == [node]


def test_focus_on_an_unknown_node_names_close_ones(waterland: Register, rules: Any) -> None:
    with pytest.raises(ViewError, match=r"unknown focus 'K3O'.*did you mean lot:K03\?"):
        build_view(waterland, rules, focus="K3O")


def test_ambiguous_focus_lists_the_candidates(rules: Any) -> None:
    reg = Register(
        lots={"X1": Lot("X1")},
        functions={"X1": Function("X1")},
        contracts={"C1": Contract("C1", "acme", "X1", "trust", functions=frozenset({"X1"}))},
    )
    with pytest.raises(ViewError, match=r"ambiguous.*lot:X1.*function:X1"):
        build_view(reg, rules, focus="X1")
    assert build_view(reg, rules, focus="function:X1").graph.focus == "function:X1"


def test_focus_depth(waterland: Register, rules: Any) -> None:
    assert [n.id for n in build_view(waterland, rules, focus="lot:K03", depth=0).graph.nodes] == [
        "lot:K03"
    ]
    one = {n.id for n in build_view(waterland, rules, focus="lot:K03", depth=1).graph.nodes}
    contracts = {f"contract:{c.id}" for c in waterland.contracts.values() if c.lot == "K03"}
    deps = {f"lot:{b}" for a, b in waterland.dependencies if a == "K03"}
    deps |= {f"lot:{a}" for a, b in waterland.dependencies if b == "K03"}
    assert one == {"lot:K03", "org:kwelder"} | contracts | deps
    two = {n.id for n in build_view(waterland, rules, focus="lot:K03", depth=2).graph.nodes}
    assert one < two
    with pytest.raises(ViewError, match="depth"):
        build_view(waterland, rules, focus="lot:K03", depth=-1)


def test_a_prime_contractor_on_the_way_is_not_expanded(rules: Any) -> None:
    """own-it coordinates every lot; a focus on one lot must not pull in all of them."""
    reg = synthetic_register(2000)
    view = build_view(reg, rules, focus="lot:K0003", depth=2)
    lots = {n.ref for n in view.graph.nodes if n.kind == "lot"}
    assert len(lots) < len(reg.lots) / 2
    own = build_view(reg, rules, focus="prime:own-it", depth=1)
    coordinated = {lot.id for lot in reg.lots.values() if lot.prime_contractor == OWN_IT}
    assert {n.ref for n in own.graph.nodes if n.kind == "lot"} == coordinated


# -- scale -----------------------------------------------------------------------------------------


def test_large_views_are_positioned_without_physics(rules: Any) -> None:
    reg = synthetic_register(1000)
    view = build_view(reg, rules)
    assert view.graph.positioned and not view.aggregated
    data = view.data()
    assert len(data["nodes"]) == expected_nodes(reg)
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    again = build_view(reg, rules).data()["nodes"]
    assert [(n["x"], n["y"]) for n in again] == [(n["x"], n["y"]) for n in data["nodes"]]


def test_very_large_views_are_aggregated(rules: Any) -> None:
    reg = synthetic_register(3000)
    view = build_view(reg, rules)
    assert view.aggregated
    counts = view.counts()
    assert counts["contract"] == counts["function"] == 0
    assert counts["lot"] == len(reg.lots)
    data = view.data()
    weights = [e["weight"] for e in data["edges"] if e["type"] == "CONTRACTS"]
    assert sum(weights) == len(reg.contracts)
    page = view.to_html()
    assert "Aggregated overview" in page and "make a focus view (focus lot:ID" in page
    assert "Samengevat overzicht" in build_view(reg, rules, lang="nl").to_html()


def test_thresholds_are_settings(waterland: Register, rules: Any) -> None:
    assert build_view(waterland, rules, physics_threshold=10).graph.positioned
    small = build_view(waterland, rules, max_nodes=20)
    assert small.aggregated
    assert {n.kind for n in small.graph.nodes} <= {"supplier", "prime", "lot"}


# -- one self-contained, offline, script-safe page ------------------------------------------------


def test_the_page_loads_nothing(waterland: Register, rules: Any) -> None:
    page = build_view(waterland, rules).to_html()
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, (tag, attrs)
        assert "href" not in attrs, (tag, attrs)
        assert tag not in ("link", "iframe", "object", "embed", "img", "base"), tag
    for pattern in (
        r"@import",
        r"url\(\s*['\"]?(https?:|//)",
        r"@font-face",
        r"cdn\.",
        r"bootstrap",
    ):
        assert not re.search(pattern, page), pattern


def test_the_policy_allows_exactly_our_scripts(waterland: Register, rules: Any) -> None:
    page = build_view(waterland, rules).to_html()
    parsed = parse(page)
    metas = [
        a
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(metas) == 1
    policy = metas[0]["content"] or ""
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert "unsafe-eval" not in policy
    scripts = [text for attrs, text in parsed.scripts if attrs.get("type") != "application/json"]
    assert len(scripts) == 2  # vis-network and the view
    hashes = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", policy))
    for text in scripts:
        assert base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() in hashes
    assert len(hashes) == len(scripts)


def test_hostile_names_never_reach_the_page_as_markup(rules: Any) -> None:
    reg = hostile_register()
    page = build_view(reg, rules).to_html()
    for name in HOSTILE:
        assert name not in page
    assert page.count("</script>") == 3  # the data block and our two scripts close, nothing else
    assert "\u2028" not in page and "\u2029" not in page
    data = data_block(page)
    names = {n["name"] for n in data["nodes"]}
    assert set(HOSTILE) <= names  # carried as data, intact
    assert "<b>L9</b>" in {n["ref"] for n in data["nodes"]}
    assert "<title>hostile &lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt; — " in page


def test_script_json_escapes_what_could_end_a_script() -> None:
    value = {"a": "</script><!--<script>&\u2028\u2029", "b": [1.5, None, True]}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_policy_lists_one_hash_per_script() -> None:
    policy = content_security_policy(["a", "b"])
    assert policy.count("'sha256-") == 2
    assert "img-src data:" in policy and "default-src 'none'" in policy


def test_vendored_stylesheet_is_inside_the_standalone_script() -> None:
    """The page inlines only vis-network.min.js: the standalone build injects the same CSS."""
    from sourcing_graph.views.network import asset_text

    script = asset_text("vis-network.min.js")
    css = asset_text("vis-network.min.css")
    rules_ = re.findall(r"[^{}]+\{[^{}]*\}", css)
    assert len(rules_) > 50
    assert all(rule in script for rule in rules_)
    assert "@version 9.1." in script


def test_jupyter_shows_the_page_in_a_sandboxed_iframe(waterland: Register, rules: Any) -> None:
    view = build_view(waterland, rules, focus="lot:K03")
    out = view._repr_html_()
    assert out.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in out
    assert "allow-same-origin" not in out
    srcdoc = out.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0]
    assert "<" not in srcdoc and '"' not in srcdoc
    import html as html_module

    assert html_module.unescape(srcdoc) == view.to_html()


def test_save_and_write_view(waterland: Register, rules: Any, tmp_path: Path) -> None:
    view = build_view(waterland, rules, focus="supplier:kwelder")
    path = view.save(tmp_path / "kwelder.html")
    assert path.read_text(encoding="utf-8") == view.to_html()
    out = write_view(waterland, tmp_path / "k.html", focus="lot:K03", depth=1, rules=rules)
    assert isinstance(out, View) and out.graph.depth == 1
    assert "Focusweergave: kavel K03 Netwerk" in (tmp_path / "k.html").read_text(encoding="utf-8")
    write_view(waterland, tmp_path / "e.html", focus="lot:K03", rules=rules, lang="en")
    assert "Focus view: lot" in (tmp_path / "e.html").read_text(encoding="utf-8")


def test_write_view_on_a_neo4j_style_store(waterland: Register, rules: Any, tmp_path: Path) -> None:
    """With a store as engine the findings come from its query results (here: none)."""

    class Store:
        queries = 0

        def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            Store.queries += 1
            return []

    view = write_view(waterland, tmp_path / "v.html", engine=Neo4jEngine(Store()), rules=rules)
    # the stored rows whole (stored-all) and then field by field (stored-result: a store that
    # stored none, as an older version); R10-R15 look for what is stored at the as-of date (none
    # here), then run live
    assert Store.queries == 2 + 6 + 6
    assert all(not n.findings for n in view.graph.nodes)
    with pytest.raises(QueryError, match="unknown engine"):
        open_engine("postgres", register=waterland, rules=rules)


# -- the report ------------------------------------------------------------------------------------

AS_OF = date(2026, 6, 1)
"""The reference date of the reports here."""


def test_report_holds_figures_tables_and_the_view(waterland: Register, rules: Any) -> None:
    from sourcing_graph.graph.analyses import ANALYSES, analyze

    result = analyze(waterland, rules, as_of=AS_OF)
    page = build_report(waterland, rules, result, lang="en", as_of=AS_OF)
    parsed = parse(page)
    for english in ("Key figures", "Network", "Analyses", "Findings per rule"):
        assert f">{english}<" in page
    from sourcing_graph.views.columns import analysis_title
    from sourcing_graph.views.locale import Words

    for (
        key
    ) in ANALYSES:  # the rule and its title (the ontology's label of the rule, when it has one)
        assert " ".join(analysis_title(key, Words("en"))) in page
    tables = [a for t, a in parsed.tags if t == "table"]
    # the analyses' tables (R15 is a list of facts), the modes of lots (R2) and contracts (R1),
    # and the review worklist (R13 by R14)
    listed = [key for key in ANALYSES if isinstance(result[key], list) and result[key]]
    assert len(tables) == len(listed) + 3
    rows = page.count("<tr>") + page.count('<tr class="sg-')
    lots, contracts = len(waterland.lots), len(waterland.contracts)
    review = len(result["contract_review"]) + 1
    assert rows == sum(len(result[k]) + 1 for k in listed) + lots + contracts + 2 + review
    top = result["coordination_load"][0]
    assert f'<span class="sg-value">{top["score"]}</span>' in page
    assert "top coordination load (R5): I&amp;A Waterland (eigen IT-organisatie) (own-it)" in page
    dutch = build_report(waterland, rules, result)  # the register's language
    for word in ("Kerncijfers", "Netwerk", "Analyses", "Bevindingen per regel"):
        assert f">{word}<" in dutch
    for key in ANALYSES:
        assert " ".join(analysis_title(key, Words("nl"))) in dutch
    assert "hoogste regielast (R5): I&amp;A Waterland (eigen IT-organisatie) (own-it)" in dutch
    assert 'id="sg-network"' in page and len(data_block(page)["nodes"]) == expected_nodes(waterland)
    scripts = [text for attrs, text in parsed.scripts if attrs.get("type") != "application/json"]
    assert len(scripts) == 3
    for _tag, attrs in parsed.tags:
        assert "src" not in attrs and "href" not in attrs


def test_report_escapes_hostile_names(rules: Any, tmp_path: Path) -> None:
    path = save_report(hostile_register(), tmp_path / "r.html", rules)
    page = path.read_text(encoding="utf-8")
    for name in HOSTILE:
        assert name not in page
    assert "&lt;i&gt;C5&lt;/i&gt;" in page  # a contract id in a table cell, as text


def test_write_report_reads_a_register_folder(rules: Any, tmp_path: Path) -> None:
    path = write_report(EXAMPLES / "acme-retail", tmp_path / "report.html", rules=rules)
    assert "Sourcing report: acme-retail" in path.read_text(encoding="utf-8")
    path = write_report(EXAMPLES / "acme-retail", tmp_path / "rapport.html", rules=rules, lang="nl")
    assert "Sourcingrapport: acme-retail" in path.read_text(encoding="utf-8")
