"""The JSON texts hashed for the digests and the findings' content hashes: made by an encoder
built once (:func:`~sourcing_graph.graph.neo4j.digest.compact_json`), the same as ``json.dumps``."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest

from sourcing_graph.graph.neo4j.digest import compact_json

VALUES = [
    None,
    0,
    -1.5,
    1e300,
    float("inf"),
    "",
    'Ñandú \u200b \u2028 "quoted" \\ back\nline\t\x00',
    ["HAS_CLAUSE", ["ClauseType", "OntologyTerm"], "penalty", {"source": "c.csv:12"}],
    {"b": 1, "a": [True, False, None], "é": {"z": date(2026, 6, 1), "y": Decimal("12.30")}},
    [[], {}, [[]], {"": ""}],
]


@pytest.mark.parametrize("sort_keys", [True, False])
@pytest.mark.parametrize("value", VALUES)
def test_the_text_is_json_dumps_own(value: object, sort_keys: bool) -> None:
    made = compact_json(sort_keys=sort_keys, default=str)
    expected = json.dumps(
        value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False, default=str
    )
    assert made(value) == expected


def test_a_value_json_cannot_take_goes_to_default() -> None:
    made = compact_json(sort_keys=True, default=lambda value: f"<{value}>")
    assert made({"d": date(2026, 1, 2)}) == '{"d":"<2026-01-02>"}'


def test_the_encoder_is_made_once_and_used_from_threads() -> None:
    made = compact_json(sort_keys=True, default=str)
    values = [{"i": i, "s": "x" * (i % 7)} for i in range(2000)]
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(made, values))
    assert texts == [json.dumps(v, sort_keys=True, separators=(",", ":")) for v in values]
