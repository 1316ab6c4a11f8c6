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
