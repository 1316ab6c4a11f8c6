"""What the tool writes from a hostile register (tests/support/payloads.py): CSV that no spreadsheet
runs as a formula, Markdown that renders as text (no HTML, links or images), terminal tables without
raw control characters; the HTML report, which runs nothing and asks the network for nothing, is
opened in Chromium by tests/browser/test_hostile_report.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.views.columns import section_rows
from sourcing_graph.views.formats import render
from tests.support import AS_OF, AS_OF_ARGS, ROOT
from tests.support.cli import cli, neo4j_env, no_neo4j_env
from tests.support.markdown import Tags, rendered
from tests.support.payloads import PAYLOADS, Written, write_register

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Characters that must not reach a terminal raw (everything invisible but the line feed)."""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write_register(tmp_path_factory.mktemp("outputs") / "hostile")


@pytest.fixture(scope="module")
def result(hostile: Written) -> dict[str, list[dict[str, Any]]]:
    run = cli("analyze", str(hostile.folder), *AS_OF_ARGS, "--format", "json", env=no_neo4j_env())
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def exact(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI and read its output byte for byte (no newline translation)."""
    run = subprocess.run(
        [sys.executable, "-m", "sourcing_graph", *args], capture_output=True, env=env, cwd=ROOT,
        timeout=300,
    )  # fmt: skip
    return run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8")


def text_of(value: Any, sep: str, yes: str = "yes", no: str = "no") -> str:
    """A value as the formats spell it (independently of the code under test)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, list):
        return sep.join(text_of(v, sep, yes, no) for v in value)
    return str(value)


def safe(value: Any) -> str:
    text = text_of(value, "|", "true", "false")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return "'" + text if not is_number and text.startswith(TRIGGERS) else text


def shown(text: str) -> str:
    """How the table and Markdown show invisible characters."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return re.sub(
        "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]",
        lambda m: (
            named.get(m.group())
            or (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}")
        ),
        text,
    )


# -- CSV -------------------------------------------------------------------------------------------


def test_analyze_csv_is_exact_and_runs_no_formula(hostile: Written, result: dict[str, Any]) -> None:
    code, out, err = exact(
        "analyze", str(hostile.folder), *AS_OF_ARGS, "--format", "csv", env=no_neo4j_env()
    )
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out, newline="")))
    header, body = table[0], table[1:]
    columns = header[1:]
    expected = [
        [key, *(safe(row.get(c)) for c in columns)]
        for key, value in result.items()
        for row in section_rows(key, value)  # R15 one flat row, the reference date one row
    ]
    assert body == expected
    starts = {cell[:1] for line in body for cell in line}
    assert not starts & set(TRIGGERS)
    # every formula-like identifier was there to be neutralised
    formulas = {p for p in PAYLOADS if p.startswith(TRIGGERS)}
    assert {cell[1:] for line in body for cell in line if cell[:1] == "'"} & formulas == formulas


def test_csv_keeps_numbers_numbers_and_neutralises_text() -> None:
    result = {
        "custom": [
            {"lot": "-3", "score": -3, "annual_value": -0.5, "note": "@SUM(A1)", "ok": "C-07"},
            {"lot": "+1", "score": 0, "annual_value": 1e21, "note": "\tx", "ok": ["=a", "b"]},
        ]
    }
    rows = list(csv.reader(io.StringIO(render(result, "csv"))))
    assert rows[1] == ["custom", "'-3", "-3", "-0.5", "'@SUM(A1)", "C-07"]
    assert rows[2] == ["custom", "'+1", "0", "1e+21", "'\tx", "'=a|b"]


@pytest.mark.neo4j
def test_query_csv_is_exact_and_runs_no_formula(neo4j_store, hostile: Written) -> None:  # type: ignore[no-untyped-def]
    from sourcing_graph.loaders.csv_reader import read_register

    neo4j_store.load_register(read_register(hostile.folder))
    cypher = (
        "MATCH (s:Organisation) RETURN s.id AS `=id`, s.name AS name, -3 AS n, -0.5 AS f, "
        "s.internal AS internal ORDER BY s.id"
    )
    rows = neo4j_store.read(cypher)
    code, out, err = exact("query", cypher, "--format", "csv", env=neo4j_env(neo4j_store))
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out, newline="")))
    assert table[0] == ["'=id", "name", "n", "f", "internal"]
    assert table[1:] == [
        [safe(r["=id"]), safe(r["name"]), "-3", "-0.5", text_of(r["internal"], "", "true", "false")]
        for r in rows
    ]
    assert len(rows) == len(PAYLOADS) + 1


@pytest.mark.neo4j
def test_query_graph_values_stay_safe_in_every_format(neo4j_store, hostile: Written) -> None:  # type: ignore[no-untyped-def]
    from sourcing_graph.loaders.csv_reader import read_register

    neo4j_store.load_register(read_register(hostile.folder))
    cypher = (
        "MATCH p = (l:Lot)<-[r:PART_OF]-(c:Contract)-[:SUPPLIED_BY]->(s:Organisation) "
        "RETURN l AS `=lot`, r, p, s.name AS name ORDER BY c.id"
    )
    env = neo4j_env(neo4j_store)
    outputs = {}
    for fmt in ("json", "csv", "markdown", "table"):
        code, outputs[fmt], err = exact("query", cypher, "--format", fmt, env=env)
        assert code == 0, err
    rows = json.loads(outputs["json"])
    assert rows == neo4j_store.query(cypher).rows and len(rows) >= len(PAYLOADS)
    assert all(r["r"]["_start"].get("id") is not None for r in rows)
    table = list(csv.reader(io.StringIO(outputs["csv"], newline="")))
    assert table[0] == ["'=lot", "r", "p", "name"]
    assert [cell[:1] for line in table[1:] for cell in line[:3]] == ["("] * 3 * len(rows)
    assert not {cell[:1] for line in table[1:] for cell in line} & set(TRIGGERS)
    assert [line[3] for line in table[1:]] == [safe(r["name"]) for r in rows]
    html = rendered(outputs["markdown"])
    assert html.tags <= {"table", "thead", "tbody", "tr", "th", "td"}, html.tags
    [cells] = html.tables
    assert cells[0] == ["=lot", "r", "p", "name"]
    assert cells[1:] == [[shown(c) for c in line[:3]] + [shown(text_of(r["name"], ""))]
                         for line, r in zip(table[1:], rows, strict=True)]  # fmt: skip
    assert not RAW_CONTROL.search(outputs["table"])
    assert len(outputs["table"].splitlines()) == len(rows) + 3


# -- Markdown --------------------------------------------------------------------------------------


def test_markdown_renders_as_text(hostile: Written, result: dict[str, Any]) -> None:
    from markdown_it import MarkdownIt

    run = cli(
        "analyze",
        str(hostile.folder),
        *AS_OF_ARGS,
        "--format",
        "markdown",
        "--lang",
        "en",
        env=no_neo4j_env(),
    )
    assert run.returncode == 0, run.stderr
    # html=True: a renderer that passes raw HTML through, the worst case
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(run.stdout)
    parsed = Tags()
    parsed.feed(html)
    assert parsed.tags <= {"h2", "p", "table", "thead", "tbody", "tr", "th", "td"}, parsed.tags
    non_empty = [  # the reference date is a line of text, not a table
        (key, rows)
        for key, value in result.items()
        if key != "as_of" and (rows := section_rows(key, value))
    ]
    assert len(parsed.tables) == len(non_empty)
    # the headers and cells a person reads (issue 16: words of the chosen language, names
    # beside ids); the Markdown must render exactly that text, whatever the register holds
    from sourcing_graph.loaders import read_any
    from sourcing_graph.views.columns import cell_text, header
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.naming import Names

    words, names = Words("en"), Names.of(read_any(hostile.folder))
    for table, (key, rows) in zip(parsed.tables, non_empty, strict=True):
        columns = list(rows[0])
        if isinstance(result[key], dict):  # R15: one object, a table of field and value
            assert table[0] == ["", ""]
            fields = {
                header(c, words): shown(cell_text(c, rows[0][c], words, names)) for c in columns
            }
            assert all(fields.get(name) == value for name, value in table[1:]), table
            assert len(table) > 2
            continue
        assert table[0] == [header(c, words) for c in columns]
        assert table[1:] == [
            [shown(cell_text(c, row.get(c), words, names)) for c in columns] for row in rows
        ]


# -- the terminal ----------------------------------------------------------------------------------


def test_tables_send_no_control_characters_to_the_terminal(
    hostile: Written, result: dict[str, Any]
) -> None:
    run = cli("analyze", str(hostile.folder), *AS_OF_ARGS, "--all-rows", env=no_neo4j_env())
    assert run.returncode == 0, run.stderr
    assert not RAW_CONTROL.search(run.stdout)
    assert "bell\\x07esc\\x1b[31mred\\x1b[0m" in run.stdout
    assert "line1\\r\\nline2" in run.stdout and "\\u202eevil\\u202c gnp.exe" in run.stdout
    lines = run.stdout.splitlines()
    # a table per analysis (title, header, rule, rows, blank line; title and blank line when it
    # has no rows), the reference date one line and a blank one, R15 its title and a line per field
    # but the verdict (which the title says), then a blank line; the last blank line not written
    expected = sum(
        2
        if key == "as_of"
        else len(section_rows(key, value)[0]) + 1
        if isinstance(value, dict)
        else len(value) + 4
        if value
        else 2
        for key, value in result.items()
    )
    assert len(lines) == expected - 1


@pytest.mark.neo4j
def test_query_table_sends_no_control_characters(neo4j_store, hostile: Written) -> None:  # type: ignore[no-untyped-def]
    from sourcing_graph.loaders.csv_reader import read_register

    neo4j_store.load_register(read_register(hostile.folder))
    run = cli(
        "query",
        "MATCH (l:Lot) RETURN l.id AS `lot\u001b[2J`, l.name AS name",
        env=neo4j_env(neo4j_store),
    )
    assert run.returncode == 0, run.stderr
    assert not RAW_CONTROL.search(run.stdout)
    assert run.stdout.startswith("lot\\x1b[2J")
    assert len(run.stdout.splitlines()) == len(PAYLOADS) + 3


# -- the HTML report in a browser ------------------------------------------------------------------


@pytest.mark.neo4j
def test_error_messages_quote_user_text_escaped(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    code, _, err = exact("query", "RETURN '\x1b[2J\u202e' AS x x", env=neo4j_env(neo4j_store))
    assert code == 1
    assert "RETURN '\\x1b[2J\\u202e' AS x x" in err
    assert not RAW_CONTROL.search(err)


def test_the_starter_mapping_of_hostile_headers_is_valid_toml(tmp_path: Path) -> None:
    import tomllib

    headers = ["Kavel\x7f\u202e", "Leverancier\u2028x", "Boete\nx\x1b[2J", 'Contract "nr" `$x`']
    export = tmp_path / "export.csv"
    with open(export, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([headers, ["K1\n[evil]", "acme", "ja", "C1"]])
    code, out, err = exact("mapping", str(export), env=no_neo4j_env())
    assert code == 0, err
    assert not RAW_CONTROL.search(out)
    assert "[evil]" not in out.replace("\\n[evil]", "")  # a sample value stays inside its comment
    columns = tomllib.loads(out)["contracts"]["columns"]
    assert set(columns) == set(headers)


def test_json_is_exact_and_spells_invisible_characters_as_escapes(
    hostile: Written, result: dict[str, Any]
) -> None:
    from sourcing_graph.graph.analyses import analyze
    from sourcing_graph.loaders.csv_reader import read_register
    from sourcing_graph.ontology.rules import load_rules

    code, out, err = exact(
        "analyze", str(hostile.folder), *AS_OF_ARGS, "--format", "json", env=no_neo4j_env()
    )
    assert code == 0, err
    assert not RAW_CONTROL.search(out)
    assert "\\u202e" in out and "\\u2028" in out
    assert json.loads(out) == analyze(read_register(hostile.folder), load_rules(), as_of=AS_OF)
    code, out, err = exact("validate", str(hostile.folder), "--format", "json", env=no_neo4j_env())
    assert code == 0, err
    assert not RAW_CONTROL.search(out)
