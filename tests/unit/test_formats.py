"""The four output formats of an analysis result: json, table, csv, markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate, write_register
from sourcing_graph.errors import QueryError
from sourcing_graph.views.formats import render
from sourcing_graph.views.locale import Words
from tests.support.cli import cli, no_neo4j_env

RESULT: dict[str, list[dict[str, Any]]] = {
    "coordination_load": [
        {"prime_contractor": "own-it", "lots": 7, "suppliers": 4, "interfaces": 5, "distrust_lots": 1,
         "mismatches": 2, "penalty_bonus_clauses": 3, "score": 30, "external": False},
        {"prime_contractor": "acme", "lots": 1, "suppliers": 1, "interfaces": 0, "distrust_lots": 0,
         "mismatches": 0, "penalty_bonus_clauses": 0, "score": 3, "external": True},
    ],
    "mode_mismatches": [
        {"lot": "K01", "depends_on": "K02", "lot_mode": "reliability", "depends_on_mode": "trust",
         "severity": "low", "direction": "weaker_dependent"},
        {"lot": "K03", "depends_on": "K01", "lot_mode": "trust", "depends_on_mode": "distrust",
         "severity": "high", "direction": "weaker_dependency"},
    ],
    "critical_without_trust": [
        {"supplier": "acme", "function": "F-ARCH", "contracts": ["C-07", "C-08"],
         "reasons": ["penalty_or_bonus", "declared_distrust"]}],
    "clause_conflicts": [],
    "mode_fit": [{"lot": "K05", "mode": "distrust", "recommended": "trust"}],
    "retained_functions": [{"function": "F|ARCH", "supplier": "acme", "contracts": ["C-07"]}],
    "concentration": [
        {"supplier": "acme", "critical_functions": ["F-ARCH"], "lots": ["K03"], "contracts": ["C-07"],
         "annual_value": 125000.0}],
}  # fmt: skip


def test_json_is_exactly_the_object() -> None:
    text = render(RESULT, "json")
    assert text == json.dumps(RESULT, indent=2, ensure_ascii=False)
    assert json.loads(text) == RESULT


def test_table_sections_worst_first_and_aligned() -> None:
    text = render(RESULT, "table")
    assert "\033[" not in text
    lines = text.splitlines()
    # English by default: the title without the Dutch term beside it (issue 16)
    assert lines[0].startswith("R5  Coordination load per prime contractor  —")
    assert lines[0].endswith("— 2 prime contractors")
    r3 = lines.index(next(line for line in lines if line.startswith("R3 ")))
    assert "2 findings" in lines[r3]
    assert lines[r3 + 3].split()[:2] == ["K03", "K01"]  # high severity before low
    assert "no findings" in next(line for line in lines if line.startswith("R6 "))
    # reasons as plain words, amounts as money (issue 16)
    assert "C-07, C-08" in text
    assert "forced by a penalty or bonus clause, declared as distrust" in text
    assert "€125,000.00" in text
    header = next(line for line in lines if "prime contractor" in line and "score" in line)
    row = next(line for line in lines if line.lstrip().startswith("own-it"))
    assert row.index("30") + 2 == header.index("score") + len("score")  # numbers right-aligned


def test_table_truncates_long_sections() -> None:
    rows = [{"lot": f"K{i:02d}", "mode": "distrust", "recommended": "trust"} for i in range(25)]
    text = render({"mode_fit": rows}, "table")
    assert "K19" in text and "K20" not in text
    assert text.splitlines()[-1].strip() == "... 5 more"
    assert "K24" in render({"mode_fit": rows}, "table", limit=None)
    # the caller words how to see them all (the CLI names its --format; the library no flag)
    hinted = render({"mode_fit": rows}, "table", more="... {n} more (use --format csv)")
    assert hinted.splitlines()[-1].strip() == "... 5 more (use --format csv)"
    dutch = render({"mode_fit": rows}, "table", words=Words("nl"))
    assert dutch.splitlines()[-1].strip() == "... nog 5"


def test_the_cli_table_says_how_to_see_every_row(tmp_path: Path) -> None:
    folder = write_register(generate(400, seed=3), tmp_path / "register")
    shown = cli("analyze", str(folder), "--engine", "embedded", "-q", env=no_neo4j_env())
    assert shown.returncode == 0, shown.stderr
    more = [line.strip() for line in shown.stdout.splitlines() if "more (use" in line]
    assert more and all(re.fullmatch(r"\.\.\. [\d,]+ more \(use --format csv\)", m) for m in more)
    every = cli(
        "analyze", str(folder), "--engine", "embedded", "-q", "--all-rows", env=no_neo4j_env()
    )
    assert every.returncode == 0 and "more (use" not in every.stdout


def test_table_colour_only_on_request() -> None:
    coloured = render(RESULT, "table", color=True)
    assert "\033[1m" in coloured and "\033[31mhigh" in coloured


def test_csv_is_one_rectangular_table() -> None:
    rows = list(csv.reader(io.StringIO(render(RESULT, "csv"))))
    header = rows[0]
    assert header[0] == "analysis"
    assert len(set(header)) == len(header)
    assert all(len(r) == len(header) for r in rows)
    assert len(rows) == 1 + sum(len(v) for v in RESULT.values())
    first = dict(zip(header, rows[1], strict=True))
    assert first["analysis"] == "coordination_load" and first["score"] == "30"
    assert first["external"] == "false" and first["lot"] == ""
    r4 = dict(zip(header, rows[5], strict=True))
    assert r4["contracts"] == "C-07|C-08"
    r9 = dict(zip(header, rows[-1], strict=True))
    assert r9["annual_value"] == "125000.0"


def test_markdown_sections_and_escaping() -> None:
    text = render(RESULT, "markdown")
    assert "## R5 Coordination load per prime contractor\n" in text
    assert "| prime contractor | lots |" in text
    assert "|---|---:|" in text
    assert "F\\|ARCH" in text
    assert "No findings." in text  # R6 is empty
    reasons = "forced by a penalty or bonus clause, declared as distrust"
    assert f"| acme | F-ARCH | C-07, C-08 | {reasons} |" in text


def test_unknown_format() -> None:
    with pytest.raises(QueryError, match="unknown format 'xml'; expected one of table, json"):
        render(RESULT, "xml")


def test_custom_keys_render_too() -> None:
    assert render({"my_rows": [{"a": 1}]}, "table").startswith("My rows")
