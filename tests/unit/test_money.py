"""Exact money: amounts are decimals from the reader through the embedded engine to every format."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from sourcing_graph.graph.analyses import analyze, run_analysis
from sourcing_graph.model import cents, money
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.formats import render
from tests.support.money import money_register

NOISE = ("0.30000000000000004", "13962610.219999999", "13,962,610.219", "13.962.610,219")


@pytest.fixture
def result(tmp_path: Path) -> dict:
    return analyze(money_register(tmp_path / "register"), load_rules())


def test_the_reader_gives_exact_amounts(tmp_path: Path) -> None:
    register = money_register(tmp_path / "register")
    assert register.contracts["C2"].annual_value == Decimal("0.20")  # "0,20": a Dutch decimal
    assert all(isinstance(c.annual_value, Decimal) for c in register.contracts.values())
    assert 0.1 + 0.2 != 0.3 and 758384.8 + 4252425.31 + 3842495.63 + 1349838.23 + 3759466.25 != (
        13962610.22
    )  # the floats these amounts would have been


def test_amounts_to_the_cent() -> None:
    assert money(0.1) + money("0.20") == money("0.3") == Decimal("0.30")
    assert money(13962610.219999999) == Decimal("13962610.22")
    assert cents(Decimal("13962610.22")) == 1396261022 and cents(None) is None
    assert cents(Decimal("-0.05")) == -5
    with pytest.raises(ValueError, match="not an amount"):
        money(float("inf"))


def test_r9_sums_exactly_and_equal_sums_go_by_supplier(result: dict) -> None:
    rows = result["concentration"]
    assert [(r["supplier"], r["annual_value"]) for r in rows] == [
        ("big", Decimal("13962610.22")),
        ("aa", Decimal("0.30")),  # equal sums (0.10 + 0.20 is 0.30): then by supplier
        ("zz", Decimal("0.30")),
    ]


def test_d1_sums_exactly_and_equal_sums_go_by_parent(tmp_path: Path) -> None:
    rows = run_analysis("parent_concentration", money_register(tmp_path / "r"), load_rules())
    assert [(r["parent"], r["annual_value"]) for r in rows] == [
        ("holding", Decimal("13962610.22")),
        ("aa", Decimal("0.30")),
        ("zz", Decimal("0.30")),
    ]


def test_json_writes_amounts_without_noise(result: dict) -> None:
    text = render(result, "json")
    assert not any(noise in text for noise in NOISE)
    assert '"annual_value": 13962610.22' in text and '"annual_value": 0.3' in text
    values = [r["annual_value"] for r in json.loads(text)["concentration"]]
    assert values == [13962610.22, 0.3, 0.3]  # JSON numbers


def test_csv_writes_the_amounts_as_in_the_json(result: dict) -> None:
    text = render(result, "csv")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["analysis"] == "concentration"]
    assert [(r["supplier"], r["annual_value"]) for r in rows] == [
        ("big", "13962610.22"),
        ("aa", "0.3"),
        ("zz", "0.3"),
    ]
    assert not any(noise in text for noise in NOISE)


@pytest.mark.parametrize("fmt", ["markdown", "table"])
def test_markdown_and_table_show_the_exact_amounts(result: dict, fmt: str) -> None:
    text = render({"concentration": result["concentration"]}, fmt)
    assert "13,962,610.22" in text and "0.30" in text
    assert not any(noise in text for noise in NOISE)
    assert text.index("aa") < text.index("zz")
