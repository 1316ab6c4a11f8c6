"""SHACL: shapes.ttl accepts register graphs written by register_to_rdf and rejects broken ones,
each for the intended reason (source shape, constraint component and path)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from sourcing_graph.loaders.rdf import instance_iri, register_to_rdf
from sourcing_graph.model import Contract, Register
from sourcing_graph.ontology.rules import shapes_graph
from tests.support.ontology import (
    SGSH,
    empty_register,
    minimal_register,
    rich_register,
    sg,
    shacl_validate,
)

pytest.importorskip("pyshacl")

XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
C1 = instance_iri("contract", "C1")
K1 = instance_iri("lot", "K1")
ACME = instance_iri("org", "acme")


def _base() -> Graph:
    return register_to_rdf(minimal_register())


def test_shapes_file_parses_and_names_its_shapes() -> None:
    shapes = shapes_graph()
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert {
        SGSH.ContractShape,
        SGSH.LotShape,
        SGSH.FunctionShape,
        SGSH.OrganisationShape,
    } <= node_shapes
    assert all(isinstance(s, URIRef) for s in node_shapes)


@pytest.mark.parametrize(
    "make",
    [rich_register, minimal_register, empty_register],
    ids=["rich", "minimal", "empty"],
)
def test_valid_registers_conform(make: Callable[[], Register]) -> None:
    conforms, results = shacl_validate(register_to_rdf(make()))
    assert conforms, results
    assert results == []


def test_the_provenance_of_the_examples_conforms() -> None:
    """Sources, the words as written (clause wordings), defaulted prime contractors, levels not
    recorded: the examples as read, written as RDF, meet the shapes."""
    from sourcing_graph.loaders.csv_reader import read_register
    from tests.support import EXAMPLES

    for name in ("gemeente-waterland", "acme-retail"):
        conforms, results = shacl_validate(register_to_rdf(read_register(EXAMPLES / name)))
        assert conforms, (name, results)


def test_a_register_with_every_optional_value_absent_conforms() -> None:
    reg = minimal_register()
    reg.contracts["C2"] = Contract("C2", "own-it", "K1", start_date=date(2025, 1, 31))
    conforms, results = shacl_validate(register_to_rdf(reg))
    assert conforms, results


def _no_supplier(g: Graph) -> None:
    g.remove((C1, sg("supplier"), None))


def _two_lots(g: Graph) -> None:
    other = instance_iri("lot", "K2")
    g.add((other, RDF.type, sg("Lot")))
    g.add((other, sg("identifier"), Literal("K2")))
    g.add((other, sg("primeContractor"), instance_iri("org", "own-it")))
    g.add((C1, sg("lot"), other))


def _mode_not_a_mode(g: Graph) -> None:
    g.add((C1, sg("declaredMode"), sg("High")))


def _two_modes(g: Graph) -> None:
    g.add((C1, sg("declaredMode"), sg("Trust")))
    g.add((C1, sg("declaredMode"), sg("Distrust")))


def _clause_not_a_clause_type(g: Graph) -> None:
    g.add((C1, sg("hasClause"), sg("Trust")))


def _identifier_not_a_string(g: Graph) -> None:
    g.remove((C1, sg("identifier"), None))
    g.add((C1, sg("identifier"), Literal(7)))


def _two_identifiers(g: Graph) -> None:
    g.add((K1, sg("identifier"), Literal("K1-bis")))


def _duplicate_identifier(g: Graph) -> None:
    twin = instance_iri("contract", "C1-twin")
    for p, o in list(g.predicate_objects(C1)):
        g.add((twin, p, o))


def _complexity_as_text(g: Graph) -> None:
    g.remove((K1, sg("complexity"), None))
    g.add((K1, sg("complexity"), Literal("high")))


def _self_dependency(g: Graph) -> None:
    g.add((K1, sg("dependsOn"), K1))


def _no_prime_contractor(g: Graph) -> None:
    g.remove((K1, sg("primeContractor"), None))


def _critical_not_boolean(g: Graph) -> None:
    function = instance_iri("function", "F1")
    g.add((function, RDF.type, sg("Function")))
    g.add((function, sg("identifier"), Literal("F1")))
    g.add((function, sg("critical"), Literal("yes")))


def _date_as_string(g: Graph) -> None:
    g.add((C1, sg("startDate"), Literal("2025-01-31", datatype=XSD_STRING)))


def _negative_annual_value(g: Graph) -> None:
    g.add((C1, sg("annualValue"), Literal(-5.0)))


def _annual_value_as_text(g: Graph) -> None:
    g.add((C1, sg("annualValue"), Literal("125.000,50")))


def _selection_basis_as_text(g: Graph) -> None:
    g.add((C1, sg("selectionBasis"), Literal("cost")))


def _external_but_internal(g: Graph) -> None:
    g.set((ACME, sg("internal"), Literal(True)))


def _internal_and_external(g: Graph) -> None:
    ssc = instance_iri("org", "ssc")
    g.add((ssc, RDF.type, sg("InternalSupplier")))
    g.add((ssc, RDF.type, sg("ExternalSupplier")))
    g.add((ssc, sg("identifier"), Literal("ssc")))


def _supplier_is_a_lot(g: Graph) -> None:
    g.set((C1, sg("supplier"), K1))


def _two_sources(g: Graph) -> None:
    g.add((K1, sg("source"), Literal("kavels.csv:2")))
    g.add((K1, sg("source"), Literal("kavels.csv:3")))


def _defaulted_as_text(g: Graph) -> None:
    g.set((K1, sg("primeContractorDefaulted"), Literal("ja")))


def _words_for_a_clause_the_contract_lacks(g: Graph) -> None:
    wording = URIRef("https://w3id.org/sourcing-graph/id/wording/C1/bonus")
    g.add((C1, sg("clauseWording"), wording))
    g.add((wording, RDF.type, sg("ClauseWording")))
    g.add((wording, sg("wordingOf"), sg("BonusClause")))
    g.add((wording, sg("clauseWord"), Literal("bonusregeling")))


BROKEN: list[tuple[str, Callable[[Graph], None], URIRef, URIRef, URIRef | None]] = [
    (
        "no supplier",
        _no_supplier,
        SGSH.ContractSupplierShape,
        SH.MinCountConstraintComponent,
        sg("supplier"),
    ),
    ("two lots", _two_lots, SGSH.ContractLotShape, SH.MaxCountConstraintComponent, sg("lot")),
    (
        "mode not a mode",
        _mode_not_a_mode,
        SGSH.ContractModeShape,
        SH.InConstraintComponent,
        sg("declaredMode"),
    ),
    (
        "two modes",
        _two_modes,
        SGSH.ContractModeShape,
        SH.MaxCountConstraintComponent,
        sg("declaredMode"),
    ),
    (
        "clause not a clause type",
        _clause_not_a_clause_type,
        SGSH.ContractClauseShape,
        SH.ClassConstraintComponent,
        sg("hasClause"),
    ),
    (
        "identifier not a string",
        _identifier_not_a_string,
        SGSH.IdentifierShape,
        SH.DatatypeConstraintComponent,
        sg("identifier"),
    ),
    (
        "two identifiers",
        _two_identifiers,
        SGSH.IdentifierShape,
        SH.MaxCountConstraintComponent,
        sg("identifier"),
    ),
    (
        "duplicate identifier",
        _duplicate_identifier,
        SGSH.RegisterEntityShape,
        SH.SPARQLConstraintComponent,
        sg("identifier"),
    ),
    (
        "complexity as text",
        _complexity_as_text,
        SGSH.LotComplexityShape,
        SH.InConstraintComponent,
        sg("complexity"),
    ),
    (
        "self dependency",
        _self_dependency,
        SGSH.LotDependsOnShape,
        SH.SPARQLConstraintComponent,
        sg("dependsOn"),
    ),
    (
        "no prime contractor",
        _no_prime_contractor,
        SGSH.LotPrimeContractorShape,
        SH.MinCountConstraintComponent,
        sg("primeContractor"),
    ),
    (
        "critical not boolean",
        _critical_not_boolean,
        SGSH.FunctionCriticalShape,
        SH.DatatypeConstraintComponent,
        sg("critical"),
    ),
    (
        "date as string",
        _date_as_string,
        SGSH.ContractStartDateShape,
        SH.DatatypeConstraintComponent,
        sg("startDate"),
    ),
    (
        "negative annual value",
        _negative_annual_value,
        SGSH.ContractAnnualValueShape,
        SH.MinInclusiveConstraintComponent,
        sg("annualValue"),
    ),
    (
        "annual value as text",
        _annual_value_as_text,
        SGSH.ContractAnnualValueShape,
        SH.DatatypeConstraintComponent,
        sg("annualValue"),
    ),
    (
        "selection basis as text",
        _selection_basis_as_text,
        SGSH.ContractSelectionBasisShape,
        SH.InConstraintComponent,
        sg("selectionBasis"),
    ),
    (
        "external but internal",
        _external_but_internal,
        SGSH.ExternalSupplierInternalShape,
        SH.InConstraintComponent,
        sg("internal"),
    ),
    (
        "internal and external",
        _internal_and_external,
        SGSH.InternalSupplierShape,
        SH.NotConstraintComponent,
        None,
    ),
    (
        "supplier is a lot",
        _supplier_is_a_lot,
        SGSH.ContractSupplierShape,
        SH.ClassConstraintComponent,
        sg("supplier"),
    ),
    ("two sources", _two_sources, SGSH.SourceShape, SH.MaxCountConstraintComponent, sg("source")),
    (
        "defaulted as text",
        _defaulted_as_text,
        SGSH.LotPrimeContractorDefaultedShape,
        SH.DatatypeConstraintComponent,
        sg("primeContractorDefaulted"),
    ),
    (
        "words for a clause the contract lacks",
        _words_for_a_clause_the_contract_lacks,
        SGSH.ClauseWordingShape,
        SH.SPARQLConstraintComponent,
        None,
    ),
]


@pytest.mark.parametrize(
    ("break_it", "shape", "component", "path"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_graph_is_rejected_for_the_intended_reason(
    break_it: Callable[[Graph], None], shape: URIRef, component: URIRef, path: URIRef | None
) -> None:
    graph = _base()
    conforms, results = shacl_validate(graph)
    assert conforms, results  # the base is valid, so the violation comes from the change
    break_it(graph)
    conforms, results = shacl_validate(graph)
    assert not conforms
    reasons = {(r.source_shape, r.component, r.path) for r in results}
    assert (shape, component, path) in reasons, results
    # nothing else is wrong: every result comes from the intended shape
    assert {r.source_shape for r in results} == {shape}, results
    assert all(r.severity == SH.Violation for r in results)
