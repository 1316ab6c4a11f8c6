"""Indented JSON (``json_text(value, indent=N)``, every ``--format json``): written row by row by
the C encoder, it is the very text ``json.dumps(..., indent=N)`` writes, for any JSON value."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcing_graph.text import json_text

PLAIN = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
)
VALUES = st.recursive(
    PLAIN,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
        | st.dictionaries(st.integers() | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=30,
)


def reference(value: object, indent: int) -> str:
    """What ``json_text`` wrote before: ``json.dumps`` itself (any other option takes that path;
    these separators are the ones ``indent`` implies)."""
    return json_text(value, indent=indent, separators=(",", ": "))


@settings(max_examples=400, deadline=None)
@given(value=VALUES, indent=st.sampled_from([0, 1, 2, 4]))
def test_indented_json_is_json_dumps_text(value: object, indent: int) -> None:
    assert json_text(value, indent=indent) == reference(value, indent)


def test_a_result_with_rows_and_accents_reads_back() -> None:
    result = {
        "as_of": "2026-06-01",
        "contract_review": [
            {"contract": f"C{i}", "supplier": "Zuiderzée\u202e", "blocking": [], "missing": ["a"]}
            for i in range(300)
        ],
        "posture": {"external_value_by_mode": {"trust": 0.3, "unknown": 0.0}, "reasons": []},
        "amounts": [Decimal("0.10") + Decimal("0.20"), None, 0],
        "empty": {},
    }
    text = json_text(result, indent=2)
    assert text == reference(result, 2)
    assert "\\u202e" in text and '"amounts": [\n    0.3,' in text
    assert json.loads(text)["contract_review"][299]["missing"] == ["a"]


def test_a_value_only_default_knows_fails_as_before() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_text({"rows": [{"when": object()}]}, indent=2)
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_text([Decimal("NaN")], indent=2)


def test_equal_lists_in_rows_are_written_as_json_dumps_writes_each() -> None:
    """A list of strings is written once per rows list and given again for an equal one; lists
    whose items are equal but of other types (1, 1.0, True) keep their own text."""
    rows = [{"k": [1], "c": ["x", "y"]}, {"k": [1.0], "c": ["x", "y"]}, {"k": [True], "c": []}]
    rows += [{"k": [-0.0], "c": ["x", "y"]}, {"k": [0.0], "c": ["x"]}, {"k": [], "c": []}]
    value = {"rows": rows, "more": [dict(r) for r in rows]}
    for indent in (0, 1, 2):
        assert json_text(value, indent=indent) == json.dumps(
            value, ensure_ascii=False, indent=indent
        )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("a\x7fb", '"a\\u007fb"'),  # DEL is ASCII: the text is checked for it
        ("plain ascii", '"plain ascii"'),
        ("é\x85", '"é\\u0085"'),
        (
            {"rows": [{"a": "x\u2028"}]},
            '{\n  "rows": [\n    {\n      "a": "x\\u2028"\n    }\n  ]\n}',
        ),
    ],
)
def test_invisible_characters_are_escaped_in_ascii_and_other_text(value: object, text: str) -> None:
    assert json_text(value, indent=2) == text


CELLS = (
    st.sampled_from(["", "Zuiderzée", "Ærø", "naïve\u202e", "C-000001", "0", " "])
    | st.sampled_from([0, 0.0, -0.0, 1, True, False, None, 1e16, 12345678901234567890])
    | st.sampled_from([Decimal("0"), Decimal("0.00"), Decimal("-5"), Decimal("123456789012.34")])
    | st.lists(st.sampled_from(["penalty", "bonus", "Boeteclausule", "é"]), max_size=3)
    | st.lists(st.sampled_from([1, 1.0, True, None, "1"]), max_size=2)
    | st.dictionaries(st.sampled_from(["a", "b"]), st.integers(-2, 2), max_size=2)
)


@st.composite
def result_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    """A result's rows: the same keys in the same order (one row, maybe, with its own order),
    each column of realistic cells (accents, empty strings and lists, zeros, big amounts)."""
    keys = draw(
        st.lists(
            st.sampled_from(["contract", "lot", "clauses", "value", "x"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    rows = [{k: draw(CELLS) for k in keys} for _ in range(draw(st.integers(1, 6)))]
    if len(keys) > 1 and draw(st.booleans()):
        rows.append({k: draw(CELLS) for k in reversed(keys)})
    return rows


@settings(max_examples=300, deadline=None)
@given(rows=result_rows(), indent=st.sampled_from([0, 2, 4]))
def test_result_rows_column_by_column_are_json_dumps_text(
    rows: list[dict[str, object]], indent: int
) -> None:
    """Rows written column by column (lists of strings looked up once, markers put back in
    order) give the very text of ``json.dumps``, Decimals as exact numbers."""
    value = {"before": {"rows": rows, "n": len(rows)}, "delta": {"rows": {"added": rows}}}
    assert json_text(value, indent=indent) == reference(value, indent)


def test_a_large_result_is_json_dumps_text() -> None:
    """Many rows sharing few distinct lists of strings, Decimal amounts and empty lists."""
    clause_sets = [[], ["penalty"], ["penalty", "bonus"], ["Boeteclausule", "ë"]]
    rows = [
        {
            "contract": f"C-{i:06d}",
            "supplier": "Zuiderzée" if i % 3 else "",
            "blocking": clause_sets[i % 4],
            "missing": clause_sets[(i + 1) % 4],
            "annual_value": Decimal(i * 1234567) / 100,
            "score": i % 7 * 0.5,
        }
        for i in range(2000)
    ]
    value = {"before": {"contract_review": rows}, "after": {"contract_review": rows[::-1]}}
    text = json_text(value, indent=2)
    assert text == reference(value, 2)
    assert json.loads(text)["before"]["contract_review"][1999]["annual_value"] == float(
        Decimal(1999 * 1234567) / 100
    )
