"""Helpers for the ontology, SHACL, RDF and ontology-in-Neo4j tests: sample registers, SHACL runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH

from sourcing_graph.model import OWN_IT, Contract, Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import SG, ontology_graph, shapes_graph

SGSH = Namespace("https://w3id.org/sourcing-graph/shapes#")

# The table of domain.md section 1: characteristic key -> mode -> (Dutch, English).
CHARACTERISTICS: dict[str, dict[str, tuple[str, str]]] = {
    "types": {
        "distrust": ("eenmalige transacties; wedstrijden", "one-off transactions; competitions"),
        "reliability": ("ketens en processen; herhaling", "chains and processes; repetition"),
        "trust": ("co-creatie; lokaal ondernemerschap", "co-creation; local entrepreneurship"),
    },
    "driver": {
        "distrust": ("eigenbelang", "self-interest"),
        "reliability": ("afspraken", "agreements"),
        "trust": ("gezamenlijk succes", "joint success"),
    },
    "precondition": {
        "distrust": ("overkoepelend gezag", "overarching authority"),
        "reliability": ("duidelijke afspraken", "clear agreements"),
        "trust": ("gezamenlijk beeld van succes", "shared picture of success"),
    },
    "loyalty": {
        "distrust": ("niet", "none"),
        "reliability": ("naar afspraken", "as agreed"),
        "trust": ("hoog", "high"),
    },
    "maturity_needed": {
        "distrust": ("niet", "none"),
        "reliability": ("beetje", "a little"),
        "trust": ("veel", "much"),
    },
    "transparency": {
        "distrust": ("geen", "none"),
        "reliability": ("afsprakentransparantie", "transparency about agreements"),
        "trust": ("hoog", "high"),
    },
    "focus": {
        "distrust": ("verleden", "the past"),
        "reliability": ("heden", "the present"),
        "trust": ("toekomst", "the future"),
    },
    "atmosphere": {
        "distrust": ("escalaties", "escalations"),
        "reliability": ("afspraak = afspraak", "an agreement is an agreement"),
        "trust": ("gezamenlijke ambitie", "joint ambition"),
    },
    "when_to_choose": {
        "distrust": ("als je precies weet wat je wilt", "you know exactly what you want"),
        "reliability": ("eenvoudige dynamiek", "simple dynamics"),
        "trust": ("complexe dynamiek", "complex dynamics"),
    },
}

# domain.md section 2: clause type -> (Dutch aliases, signals, forces)
CLAUSE_TABLE: dict[str, tuple[tuple[str, ...], str | None, str | None]] = {
    "penalty": (("boete", "boeteclausule"), "distrust", "distrust"),
    "bonus": (("bonus", "bonusregeling"), "distrust", "distrust"),
    "sla": (("SLA", "service level agreement", "dienstverleningsniveau"), "reliability", None),
    "reporting": (("rapportage",), "reliability", None),
    "obligation": (
        ("verplichting", "resultaatverplichting", "inspanningsverplichting"),
        "reliability",
        None,
    ),
    "open_book": (("open boek", "openheid van zaken"), "trust", None),
    "joint_evaluation": (("gezamenlijke evaluatie", "continue verbetering"), "trust", None),
    "innovation": (("innovatie", "co-creatie"), "trust", None),
    "freedom_of_movement": (("bewegingsvrijheid",), "trust", None),
    "exit": (("exit", "beëindiging"), None, None),
}

DEFAULT_WEIGHTS = {
    "lots": 1.0,
    "suppliers": 2.0,
    "interfaces": 1.0,
    "distrust_lots": 3.0,
    "mismatches": 2.0,
    "penalty_bonus_clauses": 1.0,
}

SG_PREFIX = "@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .\n"


def rich_register() -> Register:
    """A register using every feature: odd identifiers, extra columns, absent optional values."""
    reg = Register(source="hand-made")
    reg.organisations["acme"] = Organisation("acme", "Acme B.V.", False, {"KvK nummer": "12345678"})
    reg.organisations["ssc/hr #1"] = Organisation("ssc/hr #1", "Shared Service Centre", True)
    reg.organisations["Zürich IT"] = Organisation("Zürich IT", None, False, {"land": "CH"})
    reg.organisations[OWN_IT] = Organisation(OWN_IT, "Eigen IT", True, {"afdeling": "CIO"})
    reg.lots["K01"] = Lot("K01", "Werkplek", OWN_IT, "low", "low", True)
    reg.lots["K 02/net#x"] = Lot(
        "K 02/net#x", 'Netwerk & "WAN"', "acme", "high", "low", False, {"budget~code": "N.1."}
    )
    reg.lots["K03"] = Lot("K03", None, OWN_IT, "high", "high", False)
    reg.lots["K04 ∅"] = Lot("K04 ∅")
    reg.functions["F-ARCH"] = Function("F-ARCH", "Architectuur", True, True)
    reg.functions["F 2/β"] = Function("F 2/β", None, True, False, {"eigenaar": "CIO\nkantoor"})
    reg.functions["F3"] = Function("F3")
    reg.contracts["C-07"] = Contract(
        "C-07",
        "acme",
        "K 02/net#x",
        "trust",
        frozenset({"penalty", "bonus", "open_book"}),
        frozenset({"F-ARCH", "F 2/β"}),
        date(2024, 1, 1),
        date(2026, 12, 31),
        125000.5,
        "cost",
        {"kostenplaats": "4711", "opmerking": 'zegt "ja"; \\ daarna'},
    )
    reg.contracts["C 08/ü#"] = Contract("C 08/ü#", "ssc/hr #1", "K01")
    reg.contracts["C09"] = Contract(
        "C09",
        "Zürich IT",
        "K03",
        "reliability",
        frozenset({"sla", "reporting", "exit"}),
        frozenset({"F3"}),
        None,
        date(2025, 6, 30),
        0.0,
        "collaboration",
    )
    reg.contracts["C10"] = Contract(
        "C10", OWN_IT, "K03", None, frozenset(), frozenset(), annual_value=1e20
    )
    reg.dependencies |= {("K03", "K01"), ("K 02/net#x", "K03"), ("K01", "K04 ∅")}
    return reg


def minimal_register() -> Register:
    """One contract, its lot and supplier; nothing optional."""
    reg = Register()
    reg.organisations["acme"] = Organisation("acme")
    reg.lots["K1"] = Lot("K1")
    reg.contracts["C1"] = Contract("C1", "acme", "K1")
    return reg


def empty_register() -> Register:
    return Register()


@dataclass(frozen=True)
class ShaclResult:
    focus: object
    path: object
    component: object
    source_shape: object
    value: object
    severity: object


def shacl_validate(data: Graph) -> tuple[bool, list[ShaclResult]]:
    """Validate a register graph against shapes.ttl with the ontology mixed in."""
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    results = []
    if not isinstance(report, Graph):
        raise AssertionError(f"SHACL could not run: {report}")
    for result in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            ShaclResult(
                focus=report.value(result, SH.focusNode),
                path=report.value(result, SH.resultPath),
                component=report.value(result, SH.sourceConstraintComponent),
                source_shape=report.value(result, SH.sourceShape),
                value=report.value(result, SH.value),
                severity=report.value(result, SH.resultSeverity),
            )
        )
    return bool(conforms), results


def sg(local: str) -> URIRef:
    return SG[local]
