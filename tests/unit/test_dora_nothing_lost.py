"""Nothing a DORA package says is lost: the register holds exactly what the templates say (by the
mapping of docs/dora.md, worked out apart from the reader in tests/support/dora_facts.py), with
every optional cell of the example package emptied in turn; an empty or 0 amount is no reason to
drop a row."""

from __future__ import annotations

import shutil
from pathlib import Path

from sourcing_graph.loaders.dora import read_dora
from sourcing_graph.loaders.dora.tables import REQUIRED
from sourcing_graph.views.network import build_view
from tests.support.dora import PACKAGE, copy_package, replace_in
from tests.support.dora_facts import (
    header_of,
    package_facts,
    read_rows,
    register_facts,
    write_rows,
)

READ = ("b_01.02", "b_05.01", "b_06.01", "b_02.01", "b_02.02", "b_05.02", "b_07.01")
"""The templates the reader reads (B_01.02 for its keys only: its other cells change nothing)."""
ENTITY = {"b_05.01": "org", "b_06.01": "function", "b_05.02": "link", "b_01.02": "-"}
"""The kind of entity a row of a template describes (arrangement templates: the contract)."""


def test_the_register_holds_what_the_package_says() -> None:
    register = read_dora(PACKAGE)
    assert register_facts(register) == package_facts(read_rows(PACKAGE))


def test_every_optional_cell_emptied_in_turn_loses_that_cell_only(tmp_path: Path) -> None:
    """Empty each filled optional cell of each read template, one at a time: the register holds
    exactly what the package then says — the full register minus that cell's information (and
    what follows from it: a name from c0060 when c0050 is gone), nothing else."""
    package = copy_package(tmp_path)
    full = read_rows(package)
    full_facts = package_facts(full)
    checked = changed = 0
    for template in READ:
        header = header_of(package, template)
        original = (package / "reports" / f"{template}.csv").read_bytes()
        for index, row in enumerate(full[template]):
            for code in header:
                if code in REQUIRED[template] or not row.get(code):
                    continue
                rows = [dict(r) for r in full[template]]
                rows[index][code] = ""
                write_rows(package, template, rows, header)
                expected = package_facts({**full, template: rows})
                got = register_facts(read_dora(package))
                assert got == expected, (template, index + 2, code, got ^ expected)
                # what changed is about the row's own entity, nothing else
                entity = (ENTITY.get(template, "contract"), row["c0010"])
                assert {fact[:2] for fact in got ^ full_facts} <= {entity}, (template, code)
                checked += 1
                changed += expected != full_facts
        (package / "reports" / f"{template}.csv").write_bytes(original)
    assert checked > 300  # every filled optional cell of the example, at least
    # most cells carry information of their own (B_01.02's other columns are not read;
    # a reliance level or country repeated on another row of the same arrangement stays known)
    assert changed > 200


def test_an_empty_or_0_expense_keeps_the_provider_and_every_field(tmp_path: Path) -> None:
    register = read_dora(PACKAGE)
    orgs = register.organisations
    vault = orgs["LEI-DATAVAULT"]  # B_05.01 c0100 empty: a subcontractor without expense
    assert vault.name == "DataVault Storage AB" and vault.source == "b_05.01.csv:7"
    assert vault.extra["headquarters_country"] == "SE"
    fibre = orgs["LEI-FIBRELINK"]  # c0100 is 0
    assert fibre.name == "FibreLink Backbone SE" and fibre.extra["total_annual_expense"] == "0"
    group = orgs["LEI-NOVA-GROUP"]  # a parent whose own row has no expense stays
    assert (group.name, group.parent) == ("Nova Cloud Group Holdings Inc.", "LEI-NOVA-GROUP")
    rows = read_rows(PACKAGE)["b_05.01"]
    assert {r["c0010"] for r in rows} <= set(orgs) and len(rows) == 9


def test_a_0_annual_expense_is_an_amount(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    replace_in(
        package, "b_02.01", "CTR-05,eba_CO:x1,,eba_CU:EUR,120000", "CTR-05,eba_CO:x1,,eba_CU:EUR,0"
    )
    register = read_dora(package)
    assert register.contracts["CTR-05"].annual_value == 0.0
    assert not [w for w in register.warnings if w.template == "B_02.01"]


def test_sources_name_the_row_each_entity_was_read_from(tmp_path: Path) -> None:
    register = read_dora(PACKAGE)
    assert register.organisations["LEI-NOVACLOUD-EU"].source == "b_05.01.csv:2"
    assert register.functions["F03"].source == "b_06.01.csv:4"
    assert register.contracts["CTR-03"].source == "b_02.01.csv:4"
    assert register.lots["eba_TA:S13"].source == "b_02.02.csv:5"
    links = {(link.supplier, link.rank): link.source for link in register.subcontracting}
    assert links[("LEI-FIBRELINK", 4)] == "b_05.02.csv:8"
    # made from a reference when a template is missing: where the reference is
    bare = copy_package(tmp_path, "bare")
    for template in ("b_05.01", "b_06.01", "b_02.01"):
        (bare / "reports" / f"{template}.csv").unlink()
    made = read_dora(bare)
    assert made.organisations["LEI-CORESYS"].source == "b_02.02.csv:5"
    assert made.functions["F02"].source == "b_02.02.csv:3"
    assert made.contracts["CTR-03"].source == "b_02.02.csv:5"
    assert made.organisations["LEI-DATAVAULT"].source == "b_05.02.csv:4"
    shutil.rmtree(bare)


def test_the_view_names_a_subcontractor_without_expense() -> None:
    """The network view of the example names DataVault (no expense) and FibreLink (0) by name."""
    html = build_view(read_dora(PACKAGE)).to_html()
    assert "DataVault Storage AB" in html and "FibreLink Backbone SE" in html
