"""The conclusions in the RDF export (issue 14): modes and sg:Finding resources typed by the
ontology, conforming to the shapes; reading RDF back ignores them and recomputes."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from sourcing_graph.graph.embedded import EmbeddedEngine
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.rdf import instance_iri, read_rdf, register_to_rdf, write_rdf
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import SG, load_rules, ontology_graph
from tests.support import EXAMPLES
from tests.support.ontology import shacl_validate

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

FORMATS = ["turtle", "nt", "xml", "json-ld"]


@pytest.fixture(scope="module")
def waterland() -> Register:
    return read_register(EXAMPLES / "gemeente-waterland")


@pytest.fixture(scope="module")
def conclusions(waterland: Register) -> dict:
    return EmbeddedEngine(waterland, load_rules(), as_of=date(2026, 6, 1)).conclusions().as_data()


def same_register(read: Register, original: Register) -> bool:
    return dataclasses.replace(read, source=original.source, warnings=original.warnings) == original


def test_the_export_carries_modes_and_findings(waterland: Register, conclusions: dict) -> None:
    graph = register_to_rdf(waterland, conclusions=conclusions)
    wl01 = instance_iri("contract", "WL-01")
    assert (wl01, SG.effectiveMode, SG.Distrust) in graph
    assert (wl01, SG.modeBasis, SG.BasisForcedByClause) in graph
    k03 = instance_iri("lot", "K03")
    assert (k03, SG.lotMode, SG.Distrust) in graph
    assert (k03, SG.recommendedMode, SG.Reliability) in graph
    finding = URIRef("https://w3id.org/sourcing-graph/id/finding/R3%7CK02%7CK03")
    assert (finding, RDF.type, SG.Finding) in graph
    assert (finding, SG.rule, SG.RuleR3) in graph
    assert (finding, SG.findingKey, Literal("R3|K02|K03")) in graph
    assert (finding, SG.about, k03) in graph
    assert (finding, SG.findingSeverity, Literal("medium")) in graph
    texts = {lit.language: str(lit) for lit in graph.objects(finding, SG.statement)}
    assert texts["en"].startswith("Lot K02 Hosting en datacenter runs on reliability")
    assert texts["nl"].startswith("Kavel K02 Hosting en datacenter draait op betrouwbaarheid")
    findings = set(graph.subjects(RDF.type, SG.Finding))
    assert len(findings) == len(conclusions["findings"]) == 27 + 51  # R10-R14 at 2026-06-01


def test_the_export_with_conclusions_conforms_to_the_shapes_and_the_ontology(
    waterland: Register, conclusions: dict
) -> None:
    pytest.importorskip("pyshacl")
    graph = register_to_rdf(waterland, conclusions=conclusions)
    conforms, results = shacl_validate(graph)
    assert conforms, results
    owlrl = pytest.importorskip("owlrl")
    from owlrl.Namespaces import ERRNS

    closure = ontology_graph() + graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    assert list(closure.subjects(RDF.type, ERRNS.ErrorMessage)) == []


def test_a_finding_about_two_modes_breaks_the_shapes(
    waterland: Register, conclusions: dict
) -> None:
    pytest.importorskip("pyshacl")
    graph = register_to_rdf(waterland, conclusions=conclusions)
    graph.add((instance_iri("contract", "WL-01"), SG.effectiveMode, SG.Trust))
    conforms, results = shacl_validate(graph)
    assert not conforms
    assert any("EffectiveModeShape" in str(r) for r in results), results


@pytest.mark.parametrize("fmt", FORMATS)
def test_reading_back_ignores_the_conclusions(
    waterland: Register, conclusions: dict, fmt: str
) -> None:
    out = io.BytesIO()
    write_rdf(waterland, out, format=fmt, conclusions=conclusions)
    assert same_register(read_rdf(io.BytesIO(out.getvalue()), format=fmt), waterland)


def test_tampered_conclusion_triples_change_nothing(waterland: Register, conclusions: dict) -> None:
    """Conclusions edited in the RDF (a mode, a basis, a finding added or changed) are not read:
    the register and the conclusions recomputed from it are those of the original."""
    graph = register_to_rdf(waterland, conclusions=conclusions)
    wl01, k03 = instance_iri("contract", "WL-01"), instance_iri("lot", "K03")
    graph.set((wl01, SG.effectiveMode, SG.Trust))
    graph.set((wl01, SG.modeBasis, SG.BasisDeclared))
    graph.set((k03, SG.lotMode, SG.Trust))
    graph.set((k03, SG.recommendedMode, SG.Distrust))
    bogus = URIRef("https://w3id.org/sourcing-graph/id/finding/R7%7CK99")
    graph.add((bogus, RDF.type, SG.Finding))
    graph.add((bogus, SG.about, k03))
    graph.add((bogus, SG.findingKey, Literal("R7|K99")))
    for finding in graph.subjects(RDF.type, SG.Finding):
        graph.set((finding, SG.findingData, Literal("{}")))
    text = graph.serialize(format="turtle")
    again = read_rdf(io.BytesIO(text.encode("utf-8")), format="turtle")
    assert same_register(again, waterland)
    recomputed = EmbeddedEngine(again, load_rules(), as_of=date(2026, 6, 1)).conclusions().as_data()
    assert recomputed == conclusions


def test_without_conclusions_the_export_is_the_register_alone(waterland: Register) -> None:
    graph = register_to_rdf(waterland)
    assert not list(graph.subjects(RDF.type, SG.Finding))
    assert not list(graph.triples((None, SG.effectiveMode, None)))
