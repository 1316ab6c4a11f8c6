"""Query rows with nodes, relationships and paths, written in the four formats (views/querying.py,
views/graph_values.py); the rows have the shape the Neo4j store gives (graph/neo4j/values.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sourcing_graph.views.graph_values import literal, value_text
from sourcing_graph.views.querying import notice_line, render_rows
from tests.support.markdown import markdown_tables

LOT_K06 = {"_labels": ["Lot"], "id": "K06", "name": "GIS en geo-informatie", "complexity": "low",
           "uri": "https://w3id.org/sourcing-graph/id/lot/K06"}  # fmt: skip
LOT_K02 = {"_labels": ["Lot"], "id": "K02", "name": "Hosting en datacenter"}
WL_05 = {"_labels": ["Contract"], "id": "WL-05"}
DEPENDS = {"_type": "DEPENDS_ON", "_start": {"_labels": ["Lot"], "id": "K06"},
           "_end": {"_labels": ["Lot"], "id": "K02"}, "source": "afhankelijkheden.csv:9"}  # fmt: skip
PART_OF = {"_type": "PART_OF", "_start": {"_labels": ["Contract"], "id": "WL-05"},
           "_end": {"_labels": ["Lot"], "id": "K02"}}  # fmt: skip
PATH = {"_nodes": [LOT_K06, LOT_K02, WL_05], "_relationships": [DEPENDS, PART_OF]}
ROW = {"lot": LOT_K06, "dependency": DEPENDS, "path": PATH, "n": 3}


def test_a_node_is_written_in_cypher_notation_with_every_property() -> None:
    assert value_text(LOT_K06) == (
        "(:Lot {id: 'K06', name: 'GIS en geo-informatie', complexity: 'low', "
        "uri: 'https://w3id.org/sourcing-graph/id/lot/K06'})"
    )
    assert value_text({"_labels": ["CollaborationMode", "OntologyTerm"], "key": "trust"}) == (
        "(:CollaborationMode:OntologyTerm {key: 'trust'})"
    )
    assert value_text({"_labels": []}) == "()"


def test_a_relationship_is_written_with_its_endpoints_and_properties() -> None:
    assert value_text(DEPENDS) == (
        "(:Lot {id: 'K06'})-[:DEPENDS_ON {source: 'afhankelijkheden.csv:9'}]->(:Lot {id: 'K02'})"
    )


def test_a_path_is_written_with_names_and_directions() -> None:
    assert value_text(PATH) == (
        "(:Lot {id: 'K06', name: 'GIS en geo-informatie'})-[:DEPENDS_ON]->"
        "(:Lot {id: 'K02', name: 'Hosting en datacenter'})<-[:PART_OF]-(:Contract {id: 'WL-05'})"
    )
    unnamed = {"_nodes": [{"_labels": ["X"]}, {"_labels": ["X"]}],
               "_relationships": [{"_type": "R", "_start": {"_labels": ["X"], "_elementId": "4:a:1"},
                                   "_end": {"_labels": ["X"], "_elementId": "4:a:2"}}]}  # fmt: skip
    assert value_text(unnamed) == "(:X)-[:R]-(:X)"  # direction unknown: not guessed


def test_text_inside_a_graph_value_is_a_cypher_literal_and_odd_names_are_quoted() -> None:
    node = {"_labels": ["Odd label"], "id": "O'Brien\\x", "odd key": [1, 2.5, None, True]}
    assert (
        value_text(node) == "(:`Odd label` {id: 'O\\'Brien\\\\x', `odd key`: [1, 2.5, null, true]})"
    )
    assert literal({"a": "b"}) == "{a: 'b'}" and literal("`") == "'`'"


def test_table_json_csv_and_markdown_of_a_node_a_relationship_and_a_path() -> None:
    table = render_rows([ROW], "table")
    assert table.splitlines()[2].startswith("(:Lot {id: 'K06', name: 'GIS en geo-informatie'")
    assert "(:Lot {id: 'K06'})-[:DEPENDS_ON {source: 'afhankelijkheden.csv:9'}]->(:Lot" in table
    assert table.endswith("(1 row)\n")
    assert json.loads(render_rows([ROW], "json")) == [ROW]
    (header, body) = list(csv.reader(io.StringIO(render_rows([ROW], "csv"))))
    assert header == ["lot", "dependency", "path", "n"]
    assert body == [value_text(LOT_K06), value_text(DEPENDS), value_text(PATH), "3"]
    [md] = markdown_tables(render_rows([ROW], "markdown"))
    assert md == [["lot", "dependency", "path", "n"],
                  [value_text(LOT_K06), value_text(DEPENDS), value_text(PATH), "3"]]  # fmt: skip


HOSTILE = {
    "_labels": ["Lot"],
    "id": '=HYPERLINK("http://evil.example")',
    "name": "<script>alert(1)</script> [x](javascript:alert(1)) | pipe",
    "note": "bell\x07esc\x1b[31mred\u202eevil\nline",
}


def test_hostile_values_stay_safe_in_every_format() -> None:
    rel = {"_type": "DEPENDS_ON", "_start": {"_labels": ["Lot"], "id": "@SUM(A1)"},
           "_end": {"_labels": ["Lot"], "id": "-2+3"}}  # fmt: skip
    rows = [{"=col": HOSTILE["id"], "node": HOSTILE, "rel": rel, "text": HOSTILE["name"]}]
    table = render_rows(rows, "table")
    assert "\x1b" not in table and "\x07" not in table and "\u202e" not in table
    assert "bell\\x07esc\\x1b[31mred\\u202eevil\\nline" in table
    (header, body) = list(csv.reader(io.StringIO(render_rows(rows, "csv"), newline="")))
    assert header[0] == "'=col"
    assert body[0] == "'" + HOSTILE["id"]
    assert body[1].startswith("(:Lot") and "\x1b[31m" in body[1]  # CSV keeps the exact text
    assert body[2].startswith("(:Lot {id: '@SUM(A1)'})")
    markdown = render_rows(rows, "markdown")
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    assert "<script" not in html and "<a " not in html and "\x1b" not in html
    [md] = markdown_tables(markdown)
    assert md[1][3] == HOSTILE["name"]
    assert md[0][0] == "=col"
    assert json.loads(render_rows(rows, "json")) == rows
    assert "\u202e" not in render_rows(rows, "json")


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_no_rows_keeps_the_columns_where_the_format_can(fmt: str) -> None:
    out = render_rows([], fmt, ["lot", "name"])
    expected = {"table": "(no rows)\n", "json": "[]\n", "csv": "lot,name\n",
                "markdown": "| lot | name |\n|---|---|\n"}  # fmt: skip
    assert out == expected[fmt]
    assert render_rows([], "markdown") == "No rows.\n"


def test_a_notice_is_one_readable_line() -> None:
    from sourcing_graph.graph.neo4j.notices import Notice

    unknown = Notice("warning", "unrecognized", "01N50", "label does not exist.", 1, 10,
                     "label", "Lott", ("Lot",))  # fmt: skip
    assert (
        notice_line(unknown)
        == "warning: unknown label 'Lott' (line 1, column 10); did you mean 'Lot'?"
    )
    product = Notice("information", "performance", "03N90", "cartesian product.\x1b[2J", 2, 1)
    assert notice_line(product) == "note: cartesian product.\\x1b[2J (line 2, column 1)"


def test_the_fixed_words_speak_dutch_with_lang_nl() -> None:
    """``query --lang nl``: the words around the rows and the notices in Dutch; the columns, the
    values and the server's own description as they are; JSON and CSV the same in both."""
    from sourcing_graph.graph.neo4j.notices import Notice
    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.querying import written_line

    nl, en = Words("nl"), Words("en")
    rows = [{"lot": "K06", "n": 2}, {"lot": "K02", "n": 1}]
    table = render_rows(rows, "table", (), nl)
    assert table.splitlines()[0].split() == ["lot", "n"]
    assert table.splitlines()[-1] == "(2 rijen)"
    assert render_rows(rows[:1], "table", (), nl).splitlines()[-1] == "(1 rij)"
    assert render_rows([], "table", ["lot"], nl) == "(geen rijen)\n"
    assert render_rows([], "markdown", (), nl) == "Geen rijen.\n"
    for fmt in ("json", "csv"):
        assert render_rows(rows, fmt, (), nl) == render_rows(rows, fmt, (), en)
    unknown = Notice("warning", "unrecognized", "01N52", "property does not exist.", 3, 7,
                     "property", "nam", ("name", "id"))  # fmt: skip
    assert notice_line(unknown, nl) == (
        "waarschuwing: onbekende eigenschap 'nam' (regel 3, kolom 7); bedoelde u 'name' of 'id'?"
    )
    alone = Notice("warning", "unrecognized", "01N51", "x", None, None, "relationship type", "X")
    assert notice_line(alone, nl) == (
        "waarschuwing: onbekend relatietype 'X'; de database heeft geen relatietype met die naam"
    )
    assert notice_line(alone) == (
        "warning: unknown relationship type 'X'; the database has no relationship type of that name"
    )
    product = Notice("information", "performance", "03N90", "cartesian product.", 2, 1)
    assert notice_line(product, nl) == "opmerking: cartesian product. (regel 2, kolom 1)"
    changed = {"nodes_created": 2, "properties_set": 4}
    assert written_line(changed, nl) == (
        "schrijftransactie vastgelegd: 2 knopen gemaakt, 4 eigenschappen gezet"
    )
    assert written_line({}) == "write transaction committed: nothing changed"


def test_a_named_query_reads_in_the_chosen_language() -> None:
    """``query effective-modes --lang nl``: a shipped query's table and Markdown show the headers
    and words ``analyze`` shows (modes, reasons, clauses, money, dates); ids, numbers and columns
    the analyses do not know stay; JSON and CSV keep the keys; ad-hoc Cypher keeps its names."""
    from datetime import date

    from sourcing_graph.views.locale import Words
    from sourcing_graph.views.querying import is_named

    nl, en = Words("nl"), Words("en")
    rows = [
        {"contract": "WL-01", "declared_mode": "reliability", "effective_mode": "distrust",
         "reason": "clause", "forcing_clauses": ["penalty"], "annual_value": 1324000.0,
         "end_date": date(2026, 3, 31), "days_left": -251, "note": "x_y"},
    ]  # fmt: skip
    table = render_rows(rows, "table", (), nl, named=True).splitlines()
    assert table[0].split("  ")[0:2] == ["contract", "vastgelegde vorm"]
    for word in ("werkelijke vorm", "grond", "afdwingende clausules", "jaarwaarde", "einddatum"):
        assert word in table[0]
    for text in ("betrouwbaarheid", "wantrouwen", "afgedwongen door een clausule",
                 "boeteclausule", "€\xa01.324.000,00", "31 maart 2026", "-251", "x_y"):  # fmt: skip
        assert text in table[2], text
    english = render_rows(rows, "markdown", (), en, named=True)
    assert english.splitlines()[0].startswith("| contract | declared mode | effective mode |")
    assert "forced by a clause" in english and "€1,324,000.00" in english
    assert "31 March 2026" in english
    for fmt in ("json", "csv"):
        assert render_rows(rows, fmt, (), nl, named=True) == render_rows(rows, fmt, (), en)
    assert render_rows(rows, "table", (), nl).splitlines()[0].split()[:2] == [
        "contract",
        "declared_mode",
    ]
    assert is_named("effective-modes") and not is_named("MATCH (n) RETURN n")
