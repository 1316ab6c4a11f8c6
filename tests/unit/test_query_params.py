"""Query parameters as a person types them: typed as written, or as the named query declares them,
checked before anything runs (views/query_params.py, the header format in queries/__init__.py)."""

from __future__ import annotations

import datetime

import pytest

from sourcing_graph.errors import QueryError
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.queries import (
    SCALAR_TYPES,
    VOCABULARY_TYPES,
    get_query,
    list_queries,
    parse_query,
)
from sourcing_graph.views.query_params import parse_params, typed_value, vocabulary
from sourcing_graph.views.querying import describe_queries, prepare_query
from tests.support.cli import cli, no_neo4j_env


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2", 2),
        ("-3", -3),
        ("0", 0),
        ("2.5", 2.5),
        ("-0.5", -0.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("true", True),
        ("false", False),
        ("null", None),
        ('[1,"a"]', [1, "a"]),
        ('{"k": 1, "l": [true, null]}', {"k": 1, "l": [True, None]}),
        ("[]", []),
        ("'2'", "2"),
        ('"2"', "2"),
        ("'true'", "true"),
        ('"a\\"b"', 'a"b'),
        ("''", ""),
        ("2026-06-01", "2026-06-01"),
        ("007", "007"),
        ("K03", "K03"),
        ("True", "True"),
        ("", ""),
        ("O'Brien", "O'Brien"),
        ("9" * 30, "9" * 30),
    ],
)
def test_undeclared_values_are_typed_as_written(written: str, value: object) -> None:
    assert typed_value(written) == value
    assert type(typed_value(written)) is type(value)
    assert parse_params([f"n={written}"], {}) == {"n": value}


def test_a_broken_json_list_says_so_and_how_to_pass_text() -> None:
    with pytest.raises(QueryError, match=r"parameter n: '\[1,' is not a JSON list .*in quotes"):
        parse_params(["n=[1,"], {})


def test_a_value_keeps_everything_after_the_first_equals_sign() -> None:
    assert parse_params(["expr=a=b"], {}) == {"expr": "a=b"}
    with pytest.raises(QueryError, match="not of the form key=value"):
        parse_params(["novalue"], {})


MISMATCHES = {p.name: p for p in get_query("mode-mismatches").params}


@pytest.mark.parametrize(
    ("written", "key"),
    [("high", "high"), ("hoog", "high"), ("HOOG", "high"), (" laag ", "low"),
     ("gemiddeld", "medium"), ("medium", "medium")],
)  # fmt: skip
def test_a_severity_takes_dutch_and_english_words(written: str, key: str) -> None:
    values = parse_params([f"minSeverity={written}"], MISMATCHES, query_name="mode-mismatches")
    assert values == {"minSeverity": key, "primeContractor": None}


@pytest.mark.parametrize("written", ["bogus", "", "2", "hoogste", "severe"])
def test_a_bad_severity_is_refused_naming_parameter_value_and_allowed_ones(written: str) -> None:
    with pytest.raises(QueryError, match="^parameter minSeverity: ") as caught:
        parse_params([f"minSeverity={written}"], MISMATCHES)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"parameter minSeverity: {written!r} is not a severity; allowed: ")
    assert "low, medium, high (or " in message and "hoog" in message and "laag" in message


def test_a_declared_string_is_the_text_exactly_as_given() -> None:
    for text in ("2", "null", "'quoted'", '"}) MATCH (n) DETACH DELETE n //"', "[x", "true"):
        values = parse_params([f"primeContractor={text}"], MISMATCHES)
        assert values["primeContractor"] == text


def test_undeclared_and_missing_parameters_of_a_declared_query() -> None:
    with pytest.raises(QueryError, match=r"unknown parameter 'x'; this query takes: minSeverity"):
        parse_params(["x=1"], MISMATCHES)
    info = parse_query(
        "// param: asOf (date) — the reference date\n// param: n (integer, optional)\nRETURN 1",
        "dated",
    )
    declared = {p.name: p for p in info.params}
    with pytest.raises(QueryError, match=r"query 'dated' needs the parameter asOf \(asOf: a date"):
        parse_params([], declared, query_name="dated")
    values = parse_params(["asOf=2026-06-01", "n=12"], declared)
    assert values == {"asOf": datetime.date(2026, 6, 1), "n": 12}
    with pytest.raises(
        QueryError, match=r"parameter asOf: '01-06-2026' is not a date \(YYYY-MM-DD\)"
    ):
        parse_params(["asOf=01-06-2026"], declared)
    with pytest.raises(QueryError, match=r"parameter n: '2\.5' is not a whole number"):
        parse_params(["asOf=2026-06-01", "n=2.5"], declared)


@pytest.mark.parametrize(
    ("declared", "written", "value"),
    [
        ("integer", "12", 12),
        ("int", "-4", -4),
        ("float", "2", 2.0),
        ("number", "2.5e1", 25.0),
        ("boolean", "ja", True),
        ("boolean", "False", False),
        ("date", "2026-02-28", datetime.date(2026, 2, 28)),
        ("mode", "wantrouwen", "distrust"),
        ("mode", "Trust", "trust"),
        ("mode", "onbekend", "unknown"),
        ("clause", "boeteclausule", "penalty"),
        ("clause", "open boek", "open_book"),
        ("level", "hoog", "high"),
        ("selection-basis", "prijs", "cost"),
        ("nl|en", "NL", "nl"),
        ("list of mode", "vertrouwen, distrust", ["trust", "distrust"]),
        ("list of mode", '["betrouwbaarheid"]', ["reliability"]),
        ("list[integer]", "[1, 2]", [1, 2]),
        ("list of integer", "1,2", [1, 2]),
        ("list", '[1, "a"]', [1, "a"]),
        ("list", "a, 2", ["a", 2]),
        ("list of string", '["1", "a"]', ["1", "a"]),
        ("list of string", "1, a", ["1", "a"]),
    ],
)
def test_declared_types_convert_their_values(declared: str, written: str, value: object) -> None:
    info = parse_query(f"// param: v ({declared}) — x\nRETURN $v", "q")
    assert parse_params([f"v={written}"], {"v": info.params[0]}) == {"v": value}


@pytest.mark.parametrize(
    ("declared", "written", "allowed"),
    [
        ("integer", "x", "a whole number"),
        ("boolean", "maybe", "true or false"),
        ("mode", "chaos", "distrust, reliability, trust, unknown (or wantrouwen"),
        ("clause", "bribe", "bonus"),
        ("nl|en", "de", "nl, en"),
        ("list of mode", "trust, chaos", "a list (JSON [...] or comma-separated) of: distrust"),
        ("list of integer", "[1, true]", "a list"),
        ("list of string", "[1]", "of: text"),
    ],
)
def test_declared_types_refuse_what_does_not_fit(declared: str, written: str, allowed: str) -> None:
    info = parse_query(f"// param: v ({declared}) — x\nRETURN $v", "q")
    with pytest.raises(QueryError, match=r"^parameter v: .* allowed: ") as caught:
        parse_params([f"v={written}"], {"v": info.params[0]})
    assert allowed in str(caught.value)


def test_an_unknown_declared_type_is_an_error_naming_the_file_line_and_the_types() -> None:
    with pytest.raises(
        QueryError, match=r"^q\.cypher:2: unknown parameter type 'colour'; the types"
    ):
        parse_query("// name: q\n// param: c (colour) — x\nRETURN $c", "q", "q.cypher")


def test_every_shipped_parameter_declares_a_known_type() -> None:
    kinds = {p.kind for info in list_queries() for p in info.params}
    assert kinds <= {*SCALAR_TYPES, *VOCABULARY_TYPES, "choice"}, kinds
    assert get_query("mode-mismatches").params[0].kind == "severity"
    assert get_query("mode-characteristics").params[0].choices == ("nl", "en")
    for info in list_queries():
        assert {p.name for p in info.params} == info.used_params(), info.name


def test_every_vocabulary_type_has_words_from_the_ontology() -> None:
    vocab = vocabulary(load_rules())
    assert set(vocab) == set(VOCABULARY_TYPES)
    assert all(vocab.values())
    assert vocab["severity"]["hoog"] == "high" and vocab["level"]["laag"] == "low"


def test_prepare_query_checks_before_anything_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text, values, notices = prepare_query("mode-mismatches", ["minSeverity=hoog"])
    assert values["minSeverity"] == "high" and not notices  # shipped: its notices are known
    adhoc = prepare_query("MATCH (c:Contract) WHERE c.annualValue > $n RETURN c", ["n=2"])
    assert adhoc.params == {"n": 2} and adhoc.notices
    plain = tmp_path / "mine.cypher"
    plain.write_text("MATCH (l:Lot) WHERE l.x > $n RETURN l", encoding="utf-8")
    assert prepare_query(str(plain), ["n=2.5"]) == (plain.read_text(), {"n": 2.5}, True)


def test_query_list_shows_types_and_allowed_values() -> None:
    result = cli("query", "--list", env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    assert "--param minSeverity=...  (severity, optional)" in result.stdout
    assert "takes: low, medium, high (or laag" in result.stdout
    assert "--param lang=...  (nl|en, optional)" in result.stdout


def test_the_library_lists_the_queries_without_the_cli_option() -> None:
    listed = describe_queries()
    assert "\n    minSeverity=...  (severity, optional)" in listed
    assert "takes: low, medium, high (or laag" in listed
    assert "--" not in listed


def test_a_bad_value_fails_before_connecting_with_one_line() -> None:
    env = dict(no_neo4j_env(), NEO4J_URI="bolt://127.0.0.1:9", NEO4J_WAIT="0")
    result = cli("query", "mode-mismatches", "-p", "minSeverity=bogus", env=env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: parameter minSeverity: 'bogus' is not a severity")
    assert "127.0.0.1:9" not in result.stderr  # refused before any connection
