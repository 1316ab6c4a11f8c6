"""The DORA face: a package without an overlay leads the report and the view with D1-D5 and the
supervisor's checks and says that modes need an overlay (nothing red for ``mode_not_recorded``);
with an overlay the mode sections are as before. The view's focus follows supply chains."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sourcing_graph.loaders import read_any
from sourcing_graph.views.network import build_view
from sourcing_graph.views.report import build_report
from tests.support.cli import cli
from tests.support.dora import OVERLAY, PACKAGE
from tests.support.dora_bank_files import write_bank_package

NOTE = {
    "en": "This DORA package records no collaboration modes",
    "nl": "Dit DORA-pakket legt geen samenwerkingsvormen vast",
}
NOT_RECORDED = {"en": "no collaboration mode recorded", "nl": "geen samenwerkingsvorm vastgelegd"}


def figures(html: str) -> dict[str, str]:
    found = re.findall(r'data-figure="([a-z_]+)"><span class="sg-value">([0-9]+)</span>', html)
    return dict(found)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_report_without_overlay_leads_with_d1_to_d5_and_the_checks(lang: str) -> None:
    html = build_report(read_any(PACKAGE), lang=lang)
    dora, key_figures = html.index('id="dora"'), html.index('id="key-figures"')
    assert dora < key_figures and NOTE[lang] in html
    section = html[dora:key_figures]
    # hand-checked (tests/data/expected/dora-bank-roi.md): 4 groups, depth 4, 2 only in a
    # chain, FibreLink shared, 3 exit-risk rows
    assert figures(section) == {
        "parent_concentration": "4",
        "supply_chains": "4",
        "indirect_concentration": "2",
        "shared_subcontractors": "1",
        "exit_risks": "3",
    }
    # the checks: 11 identifiers that are not LEIs and CTR-04 (critical F01) without B_07.01
    checks = section[section.index('id="analysis-checks"') : section.index('id="analysis-parent')]
    assert checks.count('<tr class="sg-warning"') == 12
    row = next(r for r in checks.split("<tr")[1:] if "CTR-04" in r and "B_07.01" in r)
    assert "B_02.02" in row and "c0050" in row and "F01" in row
    for key in ("parent_concentration", "supply_chains", "exit_risks"):
        assert section.index(f'id="analysis-{key}"') > section.index('id="analysis-checks"')
    # nothing that rests on modes: no mode section, no R4 or R13 figure, no mode_not_recorded
    assert 'id="modes"' not in html and 'id="review"' not in html
    assert "critical_without_trust" not in figures(html) and "contract_review" not in figures(html)
    assert NOT_RECORDED[lang] not in html
    assert 'id="analysis-critical_without_trust"' not in html


def test_the_report_with_an_overlay_keeps_the_mode_sections() -> None:
    html = build_report(read_any(PACKAGE, overlay=OVERLAY), lang="en")
    assert 'id="dora"' not in html and NOTE["en"] not in html
    assert 'id="modes"' in html and 'id="analysis-critical_without_trust"' in html
    assert html.index('id="key-figures"') < html.index('id="modes"')


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_view_without_overlay_marks_nothing_for_modes(lang: str) -> None:
    view = build_view(read_any(PACKAGE), lang=lang)
    notes = dict(view.graph.notes)
    assert notes["dora"].startswith("DORA · D1") and NOTE[lang] in notes["overlay"]
    assert view.finding_counts()["critical_without_trust"] == 0
    assert view.finding_counts()["contract_review"] == 0
    assert all(not n.finding_texts or n.kind == "contract" for n in view.graph.nodes)
    html = view.to_html()
    assert html.index('id="sg-dora-note"') < html.index('id="sg-overlay-note"')
    legend = {"en": "Supply chains (DORA)", "nl": "Toeleveringsketens (DORA)"}[lang]
    assert legend in html


def test_the_view_with_an_overlay_marks_r4_again() -> None:
    view = build_view(read_any(PACKAGE, overlay=OVERLAY), lang="en")
    assert "dora" not in dict(view.graph.notes)
    assert view.finding_counts()["critical_without_trust"] > 0


@pytest.mark.parametrize(
    "focus", ["FibreLink Backbone SE", "LEI-FIBRELINK", "supplier:LEI-FIBRELINK"]
)
def test_a_focus_on_a_subcontractor_follows_its_chains(focus: str) -> None:
    """FibreLink is at rank 4 of CTR-01 (NovaCloud EU, NovaCloud US, DataVault) and rank 3 of
    CTR-04 (NetLine, SecurOps); both deliver the critical F01 (hand-checked)."""
    view = build_view(read_any(PACKAGE), focus=focus, lang="en")
    assert sorted((n.kind, n.ref) for n in view.graph.nodes) == [
        ("contract", "CTR-01"),
        ("contract", "CTR-04"),
        ("function", "F01"),
        ("supplier", "LEI-DATAVAULT"),
        ("supplier", "LEI-FIBRELINK"),
        ("supplier", "LEI-NETLINE"),
        ("supplier", "LEI-NOVACLOUD-EU"),
        ("supplier", "LEI-NOVACLOUD-US"),
        ("supplier", "LEI-SECUROPS"),
    ]
    edges = sorted((e.source, e.target) for e in view.graph.edges if e.type == "SUBCONTRACTS_TO")
    assert edges == [
        ("org:LEI-DATAVAULT", "org:LEI-FIBRELINK"),
        ("org:LEI-NETLINE", "org:LEI-SECUROPS"),
        ("org:LEI-NOVACLOUD-EU", "org:LEI-NOVACLOUD-US"),
        ("org:LEI-NOVACLOUD-US", "org:LEI-DATAVAULT"),
        ("org:LEI-SECUROPS", "org:LEI-FIBRELINK"),
    ]
    tip = next(
        e
        for e in view.graph.edges
        if e.source == "org:LEI-SECUROPS" and e.type == "SUBCONTRACTS_TO"
    )
    assert tip.tip_title == (
        "Supply chain: SecurOps Ltd (LEI-SECUROPS) subcontracts to FibreLink "
        "Backbone SE (LEI-FIBRELINK)"
    )
    assert view.counts()["supplier"] == 6
    focus_note = view.template_context()["notes"][0]["text"]
    assert focus_note.endswith(
        "A focus on an organisation also follows the supply chains it is in."
    )


def test_a_focus_depth_0_is_the_node_alone() -> None:
    view = build_view(read_any(PACKAGE), focus="LEI-FIBRELINK", depth=0)
    assert [(n.kind, n.ref) for n in view.graph.nodes] == [("supplier", "LEI-FIBRELINK")]


def test_the_realistic_bank_focus_reaches_every_critical_function(tmp_path: Path) -> None:
    """FibreLink Backbone SE sits behind all 10 critical functions of the mid-sized bank (45
    providers, 150 arrangements): the focus shows them all, by name and by LEI."""
    bank = write_bank_package(tmp_path / "bank")
    register = read_any(tmp_path / "bank")
    lei = next(o.id for o in register.organisations.values() if o.name == "FibreLink Backbone SE")
    for focus in ("FibreLink Backbone SE", lei):
        view = build_view(register, focus=focus)
        critical = {n.ref for n in view.graph.nodes if n.kind == "function"}
        assert len(critical) == 10
        assert all(register.functions[f].critical for f in critical)
    assert len(bank.providers) >= 45


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bank") / "package"
    write_bank_package(folder)
    return folder


@pytest.mark.parametrize("fmt", ["table", "markdown"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_analyze_without_overlay_leads_with_d1_to_d5_and_lists_no_mode_rows(
    bank: Path, lang: str, fmt: str
) -> None:
    """The bank's R4 has 67 ``mode_not_recorded`` rows without an overlay: the table and the
    Markdown leave the mode rules out, lead with D1-D5 and the checks, say once why."""
    done = cli("analyze", str(bank), "--all-rows", "--format", fmt, "--lang", lang)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("DORA · ") and out.count(NOTE[lang]) == 1
    assert ("controles van de toezichthouder" if lang == "nl" else "supervisor's checks") in out
    assert NOT_RECORDED[lang] not in out
    prefix = "" if fmt == "table" else "## "
    headings = re.findall(rf"^{prefix}([RD]\d+) ", out, flags=re.MULTILINE)
    assert headings[:5] == ["D1", "D2", "D3", "D4", "D5"]
    assert set(headings) == {"D1", "D2", "D3", "D4", "D5", "R5", "R8", "R9", "R14"}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_analyze_without_overlay_keeps_the_mode_rows_in_json_and_csv(bank: Path, fmt: str) -> None:
    """The machine formats stay the spec's exact result: R4's 67 rows are there."""
    done = cli("analyze", str(bank), "--format", fmt)
    assert done.returncode == 0, done.stderr
    if fmt == "json":
        rows = json.loads(done.stdout)["critical_without_trust"]
    else:
        rows = [r for r in done.stdout.splitlines() if r.startswith("critical_without_trust,")]
    assert len(rows) == 67 and all("mode_not_recorded" in str(r) for r in rows)
    assert NOTE["en"] not in done.stdout


def test_analyze_with_an_overlay_lists_the_mode_rules() -> None:
    done = cli("analyze", str(PACKAGE), "--overlay", str(OVERLAY), "--all-rows")
    assert done.returncode == 0, done.stderr
    assert not done.stdout.startswith("DORA · ") and NOTE["en"] not in done.stdout
    assert re.search(r"^R4 ", done.stdout, flags=re.MULTILINE)
