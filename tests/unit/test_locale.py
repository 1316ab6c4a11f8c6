"""The views' two languages: the catalogs match the code both ways, words, numbers, money and dates
per language, the register's language as the default, and the Dutch and English faces of the
terminal table, Markdown and the report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sourcing_graph.errors import ViewError
from sourcing_graph.model import Contract, Register
from sourcing_graph.views.formats import render
from sourcing_graph.views.locale import LANGUAGES, Words, language_of
from sourcing_graph.views.locale.catalog import read_catalog
from sourcing_graph.views.locale.terms import term_label
from sourcing_graph.views.naming import Names
from sourcing_graph.views.report import build_report
from sourcing_graph.views.status import contract_status, months_later
from tests.support import EXAMPLES
from tests.support.catalogs import extracted


@pytest.fixture(scope="module")
def waterland() -> Register:
    from sourcing_graph.loaders import read_any

    return read_any(EXAMPLES / "gemeente-waterland")


def _catalog_ids(lang: str) -> dict[Any, Any]:
    out = {}
    for message in read_catalog(lang):
        if not message.id:
            continue  # the header
        msgid = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
        out[(message.context, msgid)] = message.string
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalog_holds_every_message_and_no_other(lang: str) -> None:
    """A message the code asks for and the catalog lacks, or one no code asks for, fails."""
    in_code = extracted()
    catalog = _catalog_ids(lang)
    missing = sorted(str(k) for k in in_code if k not in catalog)
    unused = sorted(str(k) for k in catalog if k not in in_code)
    assert missing == [], (
        f"{lang}.po lacks {missing} (asked for at {[in_code[k] for k in in_code if str(k) in missing][:3]})"
    )
    assert unused == [], f"{lang}.po has messages no code asks for: {unused}"
    untranslated = sorted(
        str(k)
        for k, string in catalog.items()
        if not (all(string) if isinstance(string, (list, tuple)) else string)
    )
    assert untranslated == [], f"{lang}.po leaves these untranslated: {untranslated}"


def test_placeholders_survive_translation() -> None:
    """Every {name} of a message is in its Dutch text too (and no other)."""
    import string

    def names(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for (context, msgid), text in _catalog_ids("nl").items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        texts = text if isinstance(text, (list, tuple)) else (text,)
        for english, dutch in zip(ids * 2, texts, strict=False):
            assert names(dutch) == names(english), (context, msgid, text)


def test_numbers_money_and_dates_per_language() -> None:
    nl, en = Words("nl"), Words("en")
    assert nl.money(1324000) == "€\xa01.324.000,00"
    assert en.money(1324000) == "€1,324,000.00"
    assert nl.date(date(2026, 3, 31)) == "31 maart 2026"
    assert en.date(date(2026, 3, 31)) == "31 March 2026"
    assert nl.number(1234567) == "1.234.567" and en.number(0.5) == "0.50"
    assert Words("nl", "USD").money(-5.5) == "US$\xa0-5,50"
    with pytest.raises(ViewError, match="unknown language 'de'; expected one of nl, en"):
        Words("de")


def test_domain_words_come_from_the_ontology() -> None:
    assert Words("nl").mode("distrust") == "wantrouwen" and Words("en").mode("trust") == "trust"
    assert Words("nl").mode(None) == "onbekend"
    assert term_label("clause", "penalty", "nl") == "boeteclausule"
    assert term_label("level", "high", "nl") == "hoog"
    assert term_label("reason", "mode_not_recorded", "nl") == "geen samenwerkingsvorm vastgelegd"


def test_the_analyses_words_come_from_the_ontology() -> None:
    """Reasons, directions and mode bases (the helper's ``clause`` too) are ontology labels."""
    assert term_label("reason", "penalty_or_bonus", "en") == "forced by a penalty or bonus clause"
    assert (
        term_label("direction", "weaker_dependent", "nl")
        == "de afhankelijke kavel heeft de zwakkere vorm"
    )
    assert term_label("mode_basis", "clause", "nl") == "afgedwongen door een clausule"
    assert term_label("mode_basis", "forced_by_clause", "en") == "forced by a clause"


def test_the_register_language_is_the_default(waterland: Register) -> None:
    from sourcing_graph.loaders import read_any

    assert waterland.language == "nl" and language_of(waterland) == "nl"
    assert read_any(EXAMPLES / "acme-retail").language == "en"
    assert language_of(waterland, "en") == "en"
    assert language_of(Register()) == "en"
    assert Words.of(Register(currency="USD")).currency == "USD"


def test_contract_status_at_the_reference_date() -> None:
    as_of = date(2026, 6, 1)
    assert contract_status(date(2026, 3, 31), as_of) == "ended"
    assert contract_status(as_of, as_of) == "ending"
    assert contract_status(date(2027, 6, 1), as_of) == "ending"
    assert contract_status(date(2027, 6, 2), as_of) is None
    assert months_later(date(2024, 2, 29), 12) == date(2025, 2, 28)


RESULT: dict[str, list[dict[str, Any]]] = {
    "mode_mismatches": [
        {"lot": "K03", "depends_on": "K01", "lot_mode": "trust", "depends_on_mode": "distrust",
         "severity": "high", "direction": "weaker_dependency"}],
    "critical_without_trust": [
        {"supplier": "acme", "function": "F-ARCH", "contracts": ["C-07"],
         "reasons": ["mode_not_recorded"]}],
    "concentration": [
        {"supplier": "acme", "critical_functions": ["F-ARCH"], "lots": ["K03"],
         "contracts": ["C-07"], "annual_value": 1324000.0}],
}  # fmt: skip
NAMES = Names({"lot": {"K03": "Netwerk", "K01": "Werkplek"}, "organisation": {"acme": "Acme B.V."}})


def test_the_dutch_terminal_table() -> None:
    text = render(RESULT, "table", words=Words("nl"), names=NAMES)
    assert "R3  Verschil in samenwerkingsvorm tussen afhankelijke kavels  — 1 bevinding" in text
    assert "K03 Netwerk" in text and "Acme B.V. (acme)" in text
    assert "vertrouwen" in text and "wantrouwen" in text and "hoog" in text
    assert "de kavel leunt op een kavel met een zwakkere vorm" in text
    assert "geen samenwerkingsvorm vastgelegd" in text
    assert "€\xa01.324.000,00" in text
    assert "ernst" in text and "jaarwaarde" in text


def test_the_dutch_markdown_and_the_machine_formats() -> None:
    text = render(RESULT, "markdown", words=Words("nl"), names=NAMES)
    assert "## R4 Kritieke functie zonder vertrouwen" in text
    assert "| leverancier | functie | contracten | redenen |" in text
    # JSON and CSV keep the keys and values
    assert '"weaker_dependency"' in render(RESULT, "json")
    assert render(RESULT, "csv").splitlines()[0].startswith("analysis,lot,depends_on")


def test_the_report_in_both_languages(waterland: Register) -> None:
    nl = build_report(waterland, lang="nl", as_of=date(2026, 6, 1), made=date(2026, 6, 2))
    assert '<html lang="nl">' in nl
    assert "Sourcingrapport: gemeente-waterland" in nl
    assert "<dt>Peildatum</dt><dd>1 juni 2026</dd>" in nl
    assert "<dt>Register</dt><dd>gemeente-waterland</dd>" in nl
    assert "<dt>Gemaakt op</dt><dd>2 juni 2026</dd>" in nl
    assert "K05 Zaaksysteem en e-formulieren" in nl
    assert "€\xa01.324.000,00" in nl  # R9: kwelder
    assert "31 maart 2026" in nl  # WL-08's end
    assert "R2 Samenwerkingsvorm per kavel" in nl and "R1 Vastgelegde en werkelijke" in nl
    # the ontology's R14 words (sg:WindowStatus), as the R14 table says them
    assert 'data-status="ended"' in nl and ">afgelopen<" in nl
    assert ">loopt af<" in nl
    en = build_report(waterland, lang="en", as_of=date(2026, 6, 1), made=date(2026, 6, 2))
    assert "Sourcing report: gemeente-waterland" in en
    assert "<dt>Reference date</dt><dd>1 June 2026</dd>" in en
    assert "€1,324,000.00" in en and "31 March 2026" in en
    assert ">expired<" in en and ">ending<" in en
    assert "afgelopen" not in en and "Kerncijfers" not in en


def test_a_contract_ended_before_the_reference_date_is_marked(waterland: Register) -> None:
    from sourcing_graph.views.network import build_view

    later = build_view(waterland, lang="en", as_of=date(2026, 6, 1)).data()["nodes"]
    wl08 = next(n for n in later if n["id"] == "contract:WL-08")
    assert wl08["status"] == "ended" and wl08["opacity"] < 1 and wl08["label"] == "WL-08 (expired)"
    earlier = build_view(waterland, lang="nl", as_of=date(2026, 1, 1)).data()["nodes"]
    wl08 = next(n for n in earlier if n["id"] == "contract:WL-08")
    assert wl08["status"] == "ending" and wl08["label"] == "WL-08 (loopt af)"
    reg = Register(contracts={"C1": Contract("C1", "acme", "K1", end_date=date(2030, 1, 1))})
    assert "status" not in build_view(reg, as_of=date(2026, 1, 1)).data()["nodes"][-1]


def test_the_fixed_words_of_validate_messages(waterland: Register) -> None:
    from sourcing_graph.errors import Problem
    from sourcing_graph.views.messages import problem_line, valid_line

    problem = Problem("contracten.csv", 4, 9, "unknown clause type", "boetje", "a clause type")
    assert problem_line(problem, Words("en")) == str(problem)  # English as before
    assert problem_line(problem, Words("nl")) == (
        "contracten.csv:4:9: fout: unknown clause type (gelezen 'boetje'; verwacht a clause type)"
    )
    dated = Problem(
        "b_02.02.csv", 17, 8, "ends first", "2010-12-31", "a later date", rule="v8816_m"
    )
    assert problem_line(dated, Words("en")) == str(dated)
    assert problem_line(dated, Words("nl")).endswith("; verwacht a later date) [v8816_m]")
    bare = Problem("b_01.01.csv", 2, 1, "no rows", None, "a row", rule="v8816_m")
    assert (
        problem_line(bare, Words("en"))
        == str(bare)
        == ("b_01.01.csv:2:1: error: no rows (expected a row) [v8816_m]")
    )
    counts = waterland.counts()
    assert valid_line("wl", counts, 1, Words("nl")) == (
        "wl: geldig — 26 contracten, 11 kavels, 11 organisaties, 12 functies, "
        "12 afhankelijkheden; 1 waarschuwing"
    )
    assert valid_line("wl", counts, 0, Words("en")).startswith("wl: valid — 26 contracts, 11 lots")
