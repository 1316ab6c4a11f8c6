"""The value parsers against the register format's "Precise readings" (examples and properties)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from sourcing_graph.loaders.values import (
    Vocabulary,
    default_rules,
    norm,
    parse_date,
    parse_number,
    parse_yes_no,
    split_items,
    split_list,
    stray_separator,
    thousands_readings,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("125000", 125000.0),
        ("125000.50", 125000.5),
        ("125.000,50", 125000.5),
        ("125,000.50", 125000.5),
        ("€ 125.000,50", 125000.5),
        ("$125,000", 125000.0),
        ("£ 1 250 000", 1250000.0),
        ("125.000", 125000.0),  # one mark, 3 digits after a 1-3 digit part: thousands
        ("125,000", 125000.0),
        ("1,5", 1.5),
        ("0,500", 0.5),  # integer part starts with 0: decimal
        ("1234.567", 1234.567),  # integer part of 4 digits: decimal
        ("12.5000", 12.5),  # 4 digits after: decimal
        ("1.000.000", 1000000.0),  # one kind twice: thousands
        ("1,000,000", 1000000.0),
        ("1.000.000,5", 1000000.5),
        (".5", 0.5),
        ("-1.250,00", -1250.0),
        ("0", 0.0),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == Decimal(str(value))  # exact: a Decimal, not a float
    assert isinstance(parse_number(text), Decimal)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "€",
        "abc",
        "1,000.000,5",
        "12a",
        "1..5",
        "5.",
        "1.000,",
        "1e5",
        "inf",
        "nan",
        "1_000",
        "--5",
        "ca. 5000",
    ],
)
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="a number such as"):
        parse_number(text)


def dutch(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
@example(125000, 50)
@example(999, 0)
def test_grouped_numbers_read_back_in_both_styles(whole: int, cents: int) -> None:
    value = whole + cents / 100
    exact = Decimal(whole) + Decimal(cents) / 100  # amounts are read exactly
    english = f"{value:,.2f}"
    assert parse_number(english) == exact
    assert parse_number(dutch(value, 2)) == exact
    assert parse_number("€ " + dutch(value, 2)) == exact
    assert parse_number("$" + english) == exact


@given(st.integers(min_value=1000, max_value=10**12))
def test_grouped_integers_read_back(whole: int) -> None:
    # two or more marks of one kind, or a single mark followed by three digits: thousands
    assert parse_number(f"{whole:,}") == whole
    assert parse_number(dutch(whole, 0)) == whole


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=9999))
def test_plain_decimals_read_back(whole: int, frac: int) -> None:
    digits = str(frac).rjust(4, "0")[: 1 + frac % 4].rstrip("0") or "5"
    text = f"{whole}.{digits}"
    ambiguous = 1 <= len(str(whole)) <= 3 and str(whole)[0] != "0" and len(digits) == 3
    expected = Decimal(f"{whole}{digits}") if ambiguous else Decimal(text)
    assert parse_number(text) == expected
    assert parse_number(text.replace(".", ",")) == expected


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_python_repr_of_plain_floats(value: float) -> None:
    text = repr(value)
    if "e" in text:
        return
    whole, _, frac = text.partition(".")
    ambiguous = 1 <= len(whole) <= 3 and whole[0] != "0" and len(frac) == 3
    assert parse_number(text) == (Decimal(whole + frac) if ambiguous else Decimal(text))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-01-31", date(2025, 1, 31)),
        ("31-01-2025", date(2025, 1, 31)),
        ("31/01/2025", date(2025, 1, 31)),
        ("1-2-2025", date(2025, 2, 1)),
        ("2025-2-1", date(2025, 2, 1)),
        ("29-02-2024", date(2024, 2, 29)),
    ],
)
def test_dates(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text",
    [
        "31-02-2025",
        "29-02-2025",
        "2025-13-01",
        "2025/01/31",
        "01-31-2025x",
        "31.01.2025",
        "2025-01",
        "",
        "20250131",
        "001-01-2025",
        "31-01-25",
    ],
)
def test_not_dates(text: str) -> None:
    with pytest.raises(ValueError, match="a real day"):
        parse_date(text)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_read_back_in_every_style(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == day
    assert parse_date(f"{day.day:02d}-{day.month:02d}-{day.year}") == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day
    assert parse_date(f"{day.year}-{day.month}-{day.day}") == day


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1000, 9999))
def test_a_date_reads_exactly_when_it_names_a_real_day(d: int, m: int, y: int) -> None:
    try:
        real = date(y, m, d)
    except ValueError:
        with pytest.raises(ValueError, match=r"a real day written yyyy-mm-dd"):
            parse_date(f"{d:02d}-{m:02d}-{y}")
    else:
        assert parse_date(f"{d:02d}-{m:02d}-{y}") == real


def test_vocabulary_words() -> None:
    for word in ("yes", "JA", " j ", "Y", "true", "Waar", "1"):
        assert parse_yes_no(word) is True
    for word in ("no", "Nee", "n", "N", "FALSE", "onwaar", "0"):
        assert parse_yes_no(word) is False
    with pytest.raises(ValueError, match="ja/nee"):
        parse_yes_no("misschien")
    # levels and selection bases are read by the vocabulary (the ontology's words)
    vocab = Vocabulary(default_rules())
    parse_level, parse_selection_basis = vocab.level, vocab.selection_basis
    assert parse_level("Hoog") == "high" and parse_level("laag") == "low"
    with pytest.raises(ValueError, match="laag/hoog"):
        parse_level("medium")
    assert parse_selection_basis("Prijs") == "cost"
    assert parse_selection_basis("SAMENWERKING") == "collaboration"
    with pytest.raises(ValueError, match="kosten"):
        parse_selection_basis("goedkoop")
    assert norm(" Open-Book ") == norm("open_book") == norm("open  book")


def test_lists() -> None:
    assert split_list("a|b| a ||c", ",") == ["a", "b", "c"]
    assert split_list("a;b", ",") == ["a", "b"]
    assert split_list("a;b", ";") == ["a;b"]  # ; is the file's delimiter: not a list separator
    assert split_list(" | ", ",") == []


def test_lists_split_on_a_mapping_s_separator() -> None:
    assert split_items("F-ARCH, F-SEC,, F-ARCH", (",",)) == ["F-ARCH", "F-SEC"]
    assert split_items("a / b|c", (" / ",)) == ["a", "b|c"]
    assert split_items("a\nb\r\n c", ("\n",)) == ["a", "b", "c"]
    assert split_items("a|b;c", ("|", ";")) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "separators", "stray"),
    [
        ("F-ARCH, F-SEC", ("|", ";"), ","),
        ("F-ARCH; F-SEC", ("|",), ";"),  # ';' delimits the file: no separator there
        ("F-ARCH; F-SEC", ("|", ";"), None),
        ("a|b", (",",), "|"),
        ("a\nb", ("|",), "\n"),
        ("Geo-informatie (BGT en BAG)", ("|", ";"), None),
    ],
)
def test_stray_separators(text: str, separators: tuple[str, ...], stray: str | None) -> None:
    assert stray_separator(text, separators) == stray


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("12,400", ("12400", "12.4")),
        ("125.000", ("125000", "125")),
        ("1.234", ("1234", "1.234")),
        ("€ 125.000", ("125000", "125")),
        ("-12,400", ("-12400", "-12.4")),
        ("+999.990", ("999990", "999.99")),
        ("125000", None),
        ("1,5", None),
        ("0,500", None),  # a leading 0: decimal, no doubt
        ("1234.567", None),
        ("125.000,50", None),
        ("1.000.000", None),
        ("12,40", None),
        ("12,4000", None),
        ("abc", None),
        ("1,2a4", None),
    ],
)
def test_thousands_readings(text: str, readings: tuple[str, str] | None) -> None:
    assert thousands_readings(text) == readings


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
@example(12, 400)
@example(125, 0)
def test_both_readings_of_a_doubtful_number(whole: int, frac: int) -> None:
    # the first reading is parse_number's; the second is a thousandth of it (decimals, no float)
    for mark in ".,":
        text = f"{whole}{mark}{frac:03d}"
        readings = thousands_readings(text)
        assert readings is not None
        read, other = readings
        assert parse_number(text) == float(read) == whole * 1000 + frac
        assert Decimal(other) == Decimal(read) / 1000


@given(
    whole=st.text("0123456789", min_size=1, max_size=8),
    frac=st.text("0123456789", min_size=1, max_size=4),
    spaced=st.booleans(),
)
def test_digits_dot_digits_reads_as_with_the_marks_rules(
    whole: str, frac: str, spaced: bool
) -> None:
    """``125000.50`` (the common amount, read on a fast path) is the number the marks' rules
    give: the same value and exponent as the spelling with a space the fast path does not
    take; ``1.500`` (the thousands rule) is 1500."""
    text = f"{whole}.{frac}"
    read = parse_number(text)
    assert read == parse_number(f"€ {text}" if spaced else f"{text} ")
    assert str(read) == str(parse_number(f"{text} "))
    grouping = 1 <= len(whole) <= 3 and whole[0] != "0" and len(frac) == 3
    assert read == (Decimal(whole + frac) if grouping else Decimal(text))
