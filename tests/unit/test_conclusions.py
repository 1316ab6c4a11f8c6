"""The conclusions of an analysis result (issue 14): stable unique keys, a sentence in Dutch and
English for every finding rule naming names, the entity conclusions, and the embedded carrier."""

from __future__ import annotations

import doctest
import importlib
from datetime import date
from typing import Any

import pytest

from sourcing_graph.errors import OntologyError
from sourcing_graph.graph import conclusions as conclusions_module
from sourcing_graph.graph.conclusions import (
    FINDING_RULES,
    ORGANISATION_PROPERTIES,
    Conclusions,
    finding_key,
    finding_rows,
    findings,
    named,
    sentence,
)
from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.graph.neo4j.conclusions import content_hash
from sourcing_graph.graph.registry import lookup
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Contract, Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import load_rules
from tests.support import DATA, EXAMPLES
from tests.support.ontology import SG_PREFIX


@pytest.fixture(scope="module")
def waterland() -> Register:
    return read_register(EXAMPLES / "gemeente-waterland")


@pytest.fixture(scope="module")
def concluded(waterland: Register) -> Conclusions:
    return EmbeddedEngine(waterland, load_rules(), as_of=AS_OF).conclusions()


AS_OF = date(2026, 6, 1)
"""The reference date of the Waterland conclusions (R14's findings depend on it)."""


@pytest.fixture(scope="module")
def dora() -> Conclusions:
    rules = load_rules()
    register = read_any(
        DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay", rules=rules
    )
    return EmbeddedEngine(register, rules).conclusions()


def by_key(found: Conclusions) -> dict[str, Any]:
    return {f.key: f for f in found.findings}


def test_the_modules_doctests_pass() -> None:
    annotate_module = importlib.import_module("sourcing_graph.graph.embedded.annotate")
    for module in (conclusions_module, annotate_module):
        failed, tried = doctest.testmod(module)
        assert tried and not failed, module.__name__


# -- keys ------------------------------------------------------------------------------------------


def test_keys_are_unique_and_the_same_for_every_reading(
    waterland: Register, concluded: Conclusions
) -> None:
    keys = [f.key for f in concluded.findings]
    assert len(keys) == len(set(keys)) == 27 + 51  # R10-R14: 11, 2, 7, 12, 19 at AS_OF
    again = EmbeddedEngine(
        read_register(EXAMPLES / "gemeente-waterland"), load_rules(), as_of=AS_OF
    )
    assert [f.key for f in again.conclusions().findings] == keys
    assert keys[:2] == ["R3|K01|K02", "R3|K02|K03"]
    assert {f.rule for f in concluded.findings} == {
        *("R3", "R4", "R6", "R7", "R8", "R10", "R11", "R12", "R13", "R14")
    }


def test_ids_with_separators_accents_and_emoji_keep_keys_unique() -> None:
    """Joined naively, ("a|b", "c") and ("a", "b|c") would both give R3|a|b|c."""
    modes = {
        "a|b": "trust", "c": "distrust", "a": "trust", "b|c": "distrust", "x/y": "trust",
        "x": "distrust", "y": "trust", "é": "trust", "e\u0301": "trust", "😀": "distrust",
        "😀|": "distrust",
    }  # fmt: skip
    lots = [Lot(i, prime_contractor="own-it") for i in modes]
    contracts = [
        Contract(f"C{n}", "acme", lot.id, modes[lot.id], frozenset()) for n, lot in enumerate(lots)
    ]
    dependencies = {
        ("a|b", "c"), ("a", "b|c"), ("x/y", "x"), ("x", "y"), ("é", "😀"), ("e\u0301", "😀|"),
    }  # fmt: skip
    register = Register(
        organisations={"acme": Organisation("acme", "Acme")},
        lots={lot.id: lot for lot in lots},
        contracts={c.id: c for c in contracts},
        dependencies=dependencies,
    )
    found = EmbeddedEngine(register, load_rules()).conclusions().findings
    r3 = [f.key for f in found if f.rule == "R3"]
    assert len(r3) == len(set(r3)) == 6
    assert "R3|a%7Cb|c" in r3 and "R3|a|b%7Cc" in r3
    assert "R3|x%2Fy|x" in r3
    assert "R3|%C3%A9|%F0%9F%98%80" in r3 and "R3|e%CC%81|%F0%9F%98%80%7C" in r3
    keys = [f.key for f in found]
    assert len(keys) == len(set(keys))


def test_finding_key_quotes_every_field() -> None:
    assert finding_key("R8", {"function": "F|1", "supplier": "a b"}, ("function", "supplier")) == (
        "R8|F%7C1|a%20b"
    )


def test_a_key_too_long_for_an_index_is_a_hash() -> None:
    """Two ids of 2000 emoji percent-encode into 48,000 characters; Neo4j indexes 8164 bytes."""
    fields = ("lot", "depends_on")
    long_a = finding_key("R3", {"lot": "😀" * 2000, "depends_on": "a"}, fields)
    long_b = finding_key("R3", {"lot": "😀" * 2000, "depends_on": "b"}, fields)
    assert long_a.startswith("R3|#") and len(long_a) == 4 + 64
    assert long_a != long_b
    assert long_a == finding_key("R3", {"lot": "😀" * 2000, "depends_on": "a"}, fields)


# -- sentences -------------------------------------------------------------------------------------


def test_r3_sentences_name_names_in_both_languages(concluded: Conclusions) -> None:
    found = by_key(concluded)["R3|K02|K03"]
    assert found.text_nl == (
        "Kavel K02 Hosting en datacenter draait op betrouwbaarheid en hangt af van kavel "
        "K03 Netwerk (LAN, WAN en wifi), die op wantrouwen draait: een vormverschil met ernst "
        "gemiddeld (de kavel leunt op een kavel met een zwakkere vorm)."
    )
    assert found.text_en == (
        "Lot K02 Hosting en datacenter runs on reliability and depends on lot "
        "K03 Netwerk (LAN, WAN en wifi), which runs on distrust: a mode mismatch of medium "
        "severity (the lot leans on a lot in a weaker mode)."
    )
    assert found.severity == "medium"
    assert found.about == (("lot", "Lot", "K02"), ("depends_on", "Lot", "K03"))


def test_r4_sentences_give_each_contract_its_reason(concluded: Conclusions) -> None:
    found = by_key(concluded)["R4|lisdodde|F-INFRA"]
    assert found.text_nl == (
        "Externe leverancier lisdodde Lisdodde Netwerken B.V. levert de kritieke functie "
        "F-INFRA Hosting en netwerkinfrastructuur, maar geen van de contracten daarvoor draait "
        "op vertrouwen (contracten: WL-08, WL-09; redenen: afgedwongen door een "
        "boete- of bonusclausule, geen samenwerkingsvorm vastgelegd)."
    )
    assert found.text_en.endswith(
        "(contracts: WL-08, WL-09; reasons: forced by a penalty or bonus clause, no collaboration mode recorded)."
    )
    assert found.severity is None
    assert ("contract", "Contract", "WL-09") in found.about


def test_r6_r7_r8_sentences(concluded: Conclusions) -> None:
    found = by_key(concluded)
    assert found["R6|WL-24"].text_en == (
        "Contract WL-24 with meerzicht Meerzicht Data & Analyse B.V. in lot K10 Data- en "
        "BI-platform declares trust, but the clauses bonus make it run on distrust."
    )
    assert found["R6|WL-24"].text_nl.startswith(
        "Contract WL-24 met meerzicht Meerzicht Data & Analyse B.V. in kavel K10 Data- en "
        "BI-platform legt vertrouwen vast, maar door de clausules bonusregeling draait het op "
        "wantrouwen"
    )
    assert found["R7|K03"].text_nl == (
        "Kavel K03 Netwerk (LAN, WAN en wifi) draait op wantrouwen, maar vraagt gezien "
        "complexiteit, dynamiek en standaardproduct minstens om betrouwbaarheid."
    )
    assert found["R7|K03"].text_en == (
        "Lot K03 Netwerk (LAN, WAN en wifi) runs on distrust, but given its complexity, "
        "dynamics and commodity it calls for at least reliability."
    )
    assert found["R8|F-ARCH|WTS"].text_en == (
        "The client ought to keep the function F-ARCH Architectuur in-house, but external "
        "supplier WTS De Wachttoren Security B.V. delivers it (contracts: WL-18)."
    )
    assert "hoort de opdrachtgever zelf te houden" in found["R8|F-ARCH|WTS"].text_nl


def test_dora_observations_in_both_languages(dora: Conclusions) -> None:
    found = by_key(dora)
    d1 = found["D1|LEI-NOVA-GROUP"]
    assert d1.text_nl.endswith(
        "onder de contracten CTR-01, CTR-02, CTR-06, samen 700.000 per jaar."
    )
    assert d1.text_en.endswith(
        "under the contracts CTR-01, CTR-02, CTR-06, together 700,000 a year."
    )
    assert ("supplier", "Organisation", "LEI-NOVACLOUD-EU") in d1.about
    assert d1.about[0] == ("parent", "Organisation", "LEI-NOVA-GROUP")  # an organisation here
    netline = found["D1|LEI-NETLINE-HOLD"]  # a group that is no organisation of the register
    assert netline.text_en.startswith("Group LEI-NETLINE-HOLD: the suppliers LEI-NETLINE NetLine")
    assert not any(role == "parent" for role, _, _ in netline.about)
    d2 = found["D2|F01"]
    assert d2.text_en.startswith(
        "The ICT supply chain behind the critical function F01 Payments processing reaches rank 4"
    )
    assert "reikt tot rang 4" in d2.text_nl
    assert ("provider", "Organisation", "LEI-DATAVAULT") in d2.about


def test_every_finding_rule_has_a_sentence_in_both_languages_using_its_fields() -> None:
    wording = load_rules().wording
    for spec in FINDING_RULES:
        columns = lookup(spec.result_key).query().columns
        row = {column: [] if column.endswith("s") else "x" for column in columns}
        for language in ("nl", "en"):
            assert spec.rule in wording.templates and language in wording.templates[spec.rule]
            text = sentence(spec.rule, row, {}, wording, language)
            assert "{" not in text, (spec.rule, language, text)
        assert set(spec.key_fields) <= set(columns)
        assert {field for field, _, _ in spec.about} <= set(columns)


def test_empty_lists_and_money_in_the_sentence_language() -> None:
    wording = load_rules().wording
    row = {
        "parent": "G",
        "suppliers": ["s"],
        "critical_functions": [],
        "contracts": ["c"],
        "annual_value": 1234.5,
    }
    assert "de kritieke functies geen" in sentence("D1", row, {}, wording, "nl")
    assert "samen 1.234,50 per jaar" in sentence("D1", row, {}, wording, "nl")
    assert "the critical functions none" in sentence("D1", row, {}, wording, "en")
    assert "together 1,234.50 a year" in sentence("D1", row, {}, wording, "en")


def test_a_template_naming_an_unknown_field_is_an_ontology_error() -> None:
    rules = load_rules(
        SG_PREFIX + 'sg:RuleR7 sg:findingText "Kavel {kavel}."@nl , "Lot {lot}."@en .\n'
    )
    row = {"lot": "K1", "mode": "distrust", "recommended": "trust"}
    assert sentence("R7", row, {}, rules.wording, "en") == "Lot K1."
    with pytest.raises(OntologyError, match=r"rule R7 \(nl\) names \{kavel\}"):
        sentence("R7", row, {}, rules.wording, "nl")


def test_without_a_template_the_sentence_is_the_rule_name_and_the_values() -> None:
    rules = load_rules(SG_PREFIX + 'sg:RuleR7 sg:findingText "Lot {lot}."@en .\n')
    row = {"lot": "K1", "mode": "distrust", "recommended": "trust"}
    assert sentence("R7", row, {"Lot": {"K1": "Net"}}, rules.wording, "nl") == (
        "passende samenwerkingsvorm per kavel: K1 Net; wantrouwen; vertrouwen."
    )


def test_changed_labels_change_the_sentences() -> None:
    rdfs = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    changed = 'sg:Distrust rdfs:label "argwaan"@nl , "suspicion"@en .\n'
    rules = load_rules(rdfs + SG_PREFIX + changed)
    found = findings(
        {"mode_fit": [{"lot": "K1", "mode": "distrust", "recommended": "trust"}]}, {}, rules.wording
    )
    assert "draait op argwaan" in found[0].text_nl and "runs on suspicion" in found[0].text_en


# -- entity conclusions and the embedded carrier ---------------------------------------------------


def test_entity_conclusions_on_waterland(concluded: Conclusions) -> None:
    assert concluded.contracts["WL-01"] == {
        "effectiveMode": "distrust",
        "modeBasis": "forced_by_clause",
    }
    assert concluded.contracts["WL-03"] == {
        "effectiveMode": "trust",
        "modeBasis": "internal_supplier",
    }
    assert concluded.contracts["WL-18"] == {"effectiveMode": "unknown", "modeBasis": "not_recorded"}
    assert concluded.lots["K03"] == {"mode": "distrust", "recommendedMode": "reliability"}
    assert concluded.organisations["own-it"]["coordinationScore"] == 58
    assert "concentrationLots" not in concluded.organisations["own-it"]
    kwelder = concluded.organisations["kwelder"]
    assert set(kwelder) == set(ORGANISATION_PROPERTIES)  # a prime contractor and a supplier
    assert kwelder["concentrationCriticalFunctions"] == 2
    assert kwelder["concentrationAnnualValueCents"] == 132400000  # exact: whole cents


def test_the_annotated_graph_carries_the_conclusions(waterland: Register) -> None:
    engine = EmbeddedEngine(waterland, load_rules())
    graph = engine.annotated_graph()
    assert graph.nodes["contract", "WL-08"]["effectiveMode"] == "distrust"
    assert graph.nodes["contract", "WL-08"]["modeBasis"] == "forced_by_clause"
    assert graph.nodes["lot", "K03"]["mode"] == "distrust"
    assert graph.nodes["lot", "K03"]["recommendedMode"] == "reliability"
    assert graph.nodes["organisation", "own-it"]["coordinationScore"] == 58
    assert graph.nodes["lot", "K03"]["findings"][:4] == [  # then R10-R14's, by contract
        "R3|K02|K03",
        "R3|K07|K03",
        "R6|WL-08",
        "R7|K03",
    ]
    assert graph.nodes["function", "F-ARCH"]["findings"] == ["R4|WTS|F-ARCH", "R8|F-ARCH|WTS"]
    assert "effectiveMode" not in engine.graph().nodes["contract", "WL-08"]  # a copy


def test_names_of_a_register_without_names() -> None:
    register = Register(
        functions={"F": Function("F", critical=True, retained=True)},
        contracts={"C": Contract("C", "acme", "K", "distrust", frozenset(), frozenset({"F"}))},
    )
    found = EmbeddedEngine(register, load_rules()).conclusions().findings
    assert [f.key for f in found] == ["R4|acme|F", "R7|K", "R8|F|acme", "R13|C"]
    assert found[1].text_en.startswith("Lot K runs on distrust")  # no name: the id alone
    assert found[2].text_en == (
        "The client ought to keep the function F in-house, but external supplier acme delivers "
        "it (contracts: C)."
    )


def test_a_findings_content_hash_follows_what_its_sentences_are_written_from() -> None:
    # the hash is computed before the sentences (a store writes sentences only where it changed):
    # a name the sentences use, the rule data, the row and its place all change it
    row = {"lot": "K7", "mode": "distrust", "recommended": "trust"}
    names = {"Lot": {"K7": "Netwerk"}}
    (found,) = finding_rows({"mode_fit": [row]}, names)
    assert (found.key, found.order, found.about) == ("R7|K7", 0, (("lot", "Lot", "K7"),))
    assert (
        found.finding(names, load_rules().wording)
        == findings({"mode_fit": [row]}, names, load_rules().wording)[0]
    )
    assert named(row, names) == [["Lot", "K7", "Netwerk"]]

    def digest(rules: str = "r", order: int = 0, **changes: Any) -> str:
        lots = changes.pop("lots", names["Lot"])
        fields = {**row, **changes}
        return content_hash(rules, "R7", "R7|K7", order, fields, found.about, {"Lot": lots})

    same = digest()
    assert same == digest() and len(same) == 32
    others = [
        digest(lots={"K7": "Netwerk B.V."}),
        digest(lots={}),
        digest(rules="other"),
        digest(order=1),
        digest(mode="reliability"),
    ]
    assert same not in others and len(set(others)) == len(others)
