"""The ontology: Turtle that parses, is OWL-RL consistent, is fully labelled in Dutch and English,
and holds the rule parameters of domain.md as data that load_rules reads (and users can change)."""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sourcing_graph.errors import OntologyError
from sourcing_graph.ontology.rules import (
    ONTOLOGY_FILES,
    SG,
    SHAPES_FILE,
    ModeRecommendation,
    load_rules,
    normalise_word,
    ontology_graph,
    read_ontology,
)
from tests.support.ontology import CHARACTERISTICS, CLAUSE_TABLE, DEFAULT_WEIGHTS, SG_PREFIX

ONTOLOGY_DIR = resources.files("sourcing_graph.ontology")
TTL_FILES = sorted(p.name for p in ONTOLOGY_DIR.iterdir() if p.name.endswith(".ttl"))
DECLARATIONS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


def sg_subjects(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(SG))}


# ------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------


def test_the_package_holds_the_ontology_rules_and_shapes() -> None:
    assert set(TTL_FILES) >= {*ONTOLOGY_FILES, SHAPES_FILE}


@pytest.mark.parametrize("name", TTL_FILES)
def test_every_ontology_file_parses(name: str) -> None:
    graph = Graph()
    graph.parse(data=ONTOLOGY_DIR.joinpath(name).read_text(encoding="utf-8"), format="turtle")
    assert len(graph) > 50


def test_ontology_header_has_a_version() -> None:
    graph = ontology_graph()
    onto = URIRef("https://w3id.org/sourcing-graph/ontology")
    assert (onto, RDF.type, OWL.Ontology) in graph
    assert graph.value(onto, OWL.versionInfo) is not None
    assert isinstance(graph.value(onto, OWL.versionIRI), URIRef)


def test_ontology_graph_is_a_fresh_copy() -> None:
    first = ontology_graph()
    first.remove((None, None, None))
    assert len(ontology_graph()) > 500


# ------------------------------------------------------------------------------------------------
# OWL RL consistency
# ------------------------------------------------------------------------------------------------


def owlrl_errors(graph: Graph) -> list[str]:
    """Run the OWL 2 RL closure; return the inconsistencies owlrl reports.

    owlrl records each inconsistency it derives (a member of owl:Nothing, a violated
    disjointness, a functional property with two distinct values, an irreflexive property used
    reflexively...) as a node typed ``ERRNS:ErrorMessage`` with the text in ``ERRNS:error``.
    """
    owlrl = pytest.importorskip("owlrl")
    from owlrl.Namespaces import ERRNS

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    messages = [
        str(message)
        for node in graph.subjects(RDF.type, ERRNS.ErrorMessage)
        for message in graph.objects(node, ERRNS.error)
    ]
    nothing = [str(s) for s in graph.subjects(RDF.type, OWL.Nothing)]
    return messages + [f"member of owl:Nothing: {s}" for s in nothing]


def test_owl_rl_closure_finds_no_inconsistency() -> None:
    graph = ontology_graph()
    assert owlrl_errors(graph) == []
    # the closure did run: inferred super-classes are there
    assert (SG.Trust, RDF.type, SG.VocabularyItem) in graph


def test_owl_rl_closure_of_a_register_finds_no_inconsistency() -> None:
    from sourcing_graph.loaders.rdf import register_to_rdf
    from tests.support.ontology import rich_register

    register = rich_register()
    # owlrl 7 wrongly reports the double 0.0 as ill-typed (it checks 1e-330 < |v|)
    register.contracts["C09"].annual_value = 1.0
    graph = ontology_graph() + register_to_rdf(register)
    assert owlrl_errors(graph) == []
    own_it = URIRef("https://w3id.org/sourcing-graph/id/org/own-it")
    assert (own_it, RDF.type, SG.PrimeContractor) in graph  # the role is inferred


@pytest.mark.parametrize(
    "triples",
    [
        # a contract declaring two (different) modes: sg:declaredMode is functional. (owlrl 7's
        # eq-diff2 skips the last member of an owl:AllDifferent list, so use the first two.)
        "sg:C a sg:Contract ; sg:declaredMode sg:Reliability , sg:Distrust .",
        # a lot that depends on itself: sg:dependsOn is irreflexive
        "sg:L a sg:Lot ; sg:dependsOn sg:L .",
        # a supplier both internal and external: disjoint classes
        "sg:S a sg:InternalSupplier , sg:ExternalSupplier .",
    ],
    ids=["two modes", "self dependency", "internal and external"],
)
def test_owl_rl_check_detects_inconsistent_data(triples: str) -> None:
    graph = ontology_graph()
    graph.parse(data=SG_PREFIX + triples, format="turtle")
    assert owlrl_errors(graph) != []


# ------------------------------------------------------------------------------------------------
# Labels, definitions, declarations
# ------------------------------------------------------------------------------------------------


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {
        o.language or ""
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and str(o).strip()
    }


def test_every_class_property_and_individual_has_dutch_and_english_label_and_definition() -> None:
    graph = ontology_graph()
    subjects = sg_subjects(graph)
    assert len(subjects) > 80
    missing = []
    for subject in sorted(subjects):
        if not {"nl", "en"} <= languages(graph, subject, RDFS.label):
            missing.append(f"{subject}: rdfs:label @nl and @en")
        if not {"nl", "en"} <= languages(graph, subject, SKOS.definition):
            missing.append(f"{subject}: skos:definition @nl and @en")
    assert missing == []


def test_every_sg_term_used_is_declared_exactly_once_without_punning() -> None:
    graph = ontology_graph()
    used = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node.startswith(str(SG))
    }
    declared = sg_subjects(graph)
    assert used - declared == set(), "terms used but never described"
    for subject in sorted(declared):
        kinds = {t for t in graph.objects(subject, RDF.type) if t in DECLARATIONS}
        assert len(kinds) == 1, f"{subject} is declared as {kinds or 'nothing'}"
        if OWL.NamedIndividual in kinds:
            classes = set(graph.objects(subject, RDF.type)) - {OWL.NamedIndividual}
            assert classes and all((c, RDF.type, OWL.Class) in graph for c in classes), subject


def test_every_property_has_a_domain_and_a_range() -> None:
    graph = ontology_graph()
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in graph.subjects(RDF.type, kind):
            if not (isinstance(prop, URIRef) and prop.startswith(str(SG))):
                continue
            assert graph.value(prop, RDFS.domain) is not None, prop
            assert graph.value(prop, RDFS.range) is not None, prop
    for prop in graph.subjects(RDF.type, OWL.AnnotationProperty):
        if isinstance(prop, URIRef) and prop.startswith(str(SG)):
            assert graph.value(prop, RDFS.range) is not None, prop


def test_the_concepts_of_domain_md_are_classes_and_the_schema_properties_exist() -> None:
    graph = ontology_graph()
    for name in [
        "Organisation",
        "Client",
        "OwnITOrganisation",
        "Supplier",
        "InternalSupplier",
        "ExternalSupplier",
        "Lot",
        "Contract",
        "ClauseType",
        "Function",
        "PrimeContractor",
        "CollaborationMode",
        "Level",
        "SelectionBasis",
        "RetainedFunctionType",
        "RuleParameter",
        "MismatchSeverity",
        "CoordinationWeight",
        "ModeRecommendation",
    ]:
        assert (SG[name], RDF.type, OWL.Class) in graph, name
    for name in [
        "supplier",
        "lot",
        "declaredMode",
        "hasClause",
        "delivers",
        "dependsOn",
        "primeContractor",
    ]:
        assert (SG[name], RDF.type, OWL.ObjectProperty) in graph, name
    for name in [
        "identifier",
        "name",
        "internal",
        "critical",
        "retained",
        "commodity",
        "startDate",
        "endDate",
        "annualValue",
        "key",
    ]:
        assert (SG[name], RDF.type, OWL.DatatypeProperty) in graph, name
    for name in ("complexity", "dynamics", "selectionBasis"):
        assert (SG[name], RDF.type, OWL.ObjectProperty) in graph, name
    assert (SG.supplier, RDF.type, OWL.FunctionalProperty) in graph
    assert (SG.lot, RDF.type, OWL.FunctionalProperty) in graph
    assert (SG.dependsOn, RDF.type, OWL.IrreflexiveProperty) in graph


def test_retained_functions_of_the_article_are_individuals() -> None:
    keys = {f.key: f.labels["nl"] for f in read_ontology().retained_function_types}
    assert keys == {
        "information_management": "informatiemanagement",
        "information_analysis": "informatieanalyse",
        "architecture": "architectuur",
        "supplier_orchestration": "regievoering",
        "business_design": "businessontwerp",
        "business_process_innovation": "business(proces)innovatie",
    }


def test_the_rules_are_individuals_with_names_and_finding_sentences() -> None:
    data = read_ontology()
    rules = {r.key: r for r in data.rules}
    assert list(rules) == [
        *("D1", "D2", "D3", "D4", "D5"),
        *("R1", "R10", "R11", "R12", "R13", "R14", "R15"),
        *("R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9"),
    ]
    for rule in rules.values():
        assert {"nl", "en"} <= set(rule.labels) and {"nl", "en"} <= set(rule.definitions)
    with_sentences = {k for k, r in rules.items() if r.templates}
    assert with_sentences == {
        *("R3", "R4", "R6", "R7", "R8", "R10", "R11", "R12", "R13", "R14"),
        *("D1", "D2", "D3", "D4", "D5"),
    }
    for key in with_sentences:
        assert set(rules[key].templates) == {"nl", "en"}, key
    assert rules["R5"].labels["nl"] == "regielast per hoofdaannemer"
    wording = load_rules().wording
    assert wording.templates["R7"]["nl"].startswith("Kavel {lot} draait op {mode}")
    assert wording.rules["R3"]["en"] == "mode mismatches between interdependent lots"


def test_the_words_of_the_conclusions_are_vocabulary_individuals() -> None:
    from sourcing_graph.graph.conclusions import BASIS_OF_REASON

    data = read_ontology()

    def labels(items: object) -> dict[str, tuple[str, str]]:
        return {i.key: (i.labels["nl"], i.labels["en"]) for i in items}  # type: ignore[attr-defined]

    assert labels(data.severity_levels) == {
        "high": ("hoog", "high"),
        "medium": ("gemiddeld", "medium"),
        "low": ("laag", "low"),
    }
    assert set(labels(data.mismatch_directions)) == {"weaker_dependency", "weaker_dependent"}
    assert set(labels(data.finding_reasons)) == {
        "penalty_or_bonus",
        "declared_distrust",
        "declared_reliability",
        "mode_not_recorded",
        "not_substitutable",
        "no_exit_plan",
        "no_alternative",
    }
    assert set(labels(data.mode_bases)) == set(BASIS_OF_REASON.values())
    assert labels(data.mode_bases)["forced_by_clause"] == (
        "afgedwongen door een clausule",
        "forced by a clause",
    )
    wording = load_rules().wording
    assert wording.label("mode", "unknown", "nl") == "vorm niet vastgelegd"
    assert wording.label("severity", "high", "nl") == "hoog"
    assert wording.label("severity", "critical", "nl") == "critical"  # no label: the key
    graph = ontology_graph()
    for name in ("Rule", "SeverityLevel", "MismatchDirection", "FindingReason", "ModeBasis"):
        assert (SG[name], RDFS.subClassOf, SG.VocabularyItem) in graph, name
    assert (SG.Finding, RDF.type, OWL.Class) in graph
    for name in ("effectiveMode", "modeBasis", "lotMode", "recommendedMode", "rule", "about"):
        assert (SG[name], RDF.type, OWL.ObjectProperty) in graph, name
    for name in ("findingText", "findingKey", "findingSeverity", "statement", "findingData"):
        assert (SG[name], RDF.type, OWL.DatatypeProperty) in graph, name


# ------------------------------------------------------------------------------------------------
# Modes and their characteristics
# ------------------------------------------------------------------------------------------------


def test_modes_carry_rank_labels_and_all_nine_characteristics_in_both_languages() -> None:
    data = read_ontology()
    assert [(m.key, m.rank) for m in data.modes] == [
        ("distrust", 1),
        ("reliability", 2),
        ("trust", 3),
    ]
    assert {m.key: m.labels["nl"] for m in data.modes} == {
        "distrust": "wantrouwen",
        "reliability": "betrouwbaarheid",
        "trust": "vertrouwen",
    }
    assert [c.key for c in data.characteristics] == list(CHARACTERISTICS)
    assert [c.order for c in data.characteristics] == list(range(1, 10))
    for characteristic in data.characteristics:
        assert {"nl", "en"} <= set(characteristic.labels)
    for mode in data.modes:
        for key, by_mode in CHARACTERISTICS.items():
            nl, en = by_mode[mode.key]
            assert mode.characteristics[key] == {"nl": nl, "en": en}, (mode.key, key)


def test_characteristics_are_generic_sub_properties() -> None:
    graph = ontology_graph()
    props = set(graph.subjects(RDFS.subPropertyOf, SG.characteristic))
    assert len(props) == 9
    for prop in props:
        assert (prop, RDF.type, OWL.DatatypeProperty) in graph
        assert graph.value(prop, SG.characteristicKey) is not None


# ------------------------------------------------------------------------------------------------
# load_rules: the defaults of domain.md
# ------------------------------------------------------------------------------------------------


def test_load_rules_gives_the_domain_defaults() -> None:
    rules = load_rules()
    assert rules.mode_rank == {"distrust": 1, "reliability": 2, "trust": 3}
    assert rules.internal_supplier_mode == "trust"
    assert rules.clause_signals == {k: signals for k, (_, signals, _) in CLAUSE_TABLE.items()}
    assert rules.clause_forces == {"penalty": "distrust", "bonus": "distrust"}
    assert rules.severity == {
        frozenset({"distrust", "trust"}): "high",
        frozenset({"distrust", "reliability"}): "medium",
        frozenset({"reliability", "trust"}): "low",
    }
    assert rules.coordination_weights == DEFAULT_WEIGHTS
    assert rules.recommendations == (
        ModeRecommendation(1, "trust", complexity="high"),
        ModeRecommendation(2, "trust", dynamics="high"),
        ModeRecommendation(3, "distrust", commodity=True),
        ModeRecommendation(4, "reliability"),
    )


def test_mode_words_cover_english_dutch_and_not_recorded() -> None:
    words = load_rules().mode_words
    expected = {
        "distrust": "distrust",
        "wantrouwen": "distrust",
        "reliability": "reliability",
        "betrouwbaarheid": "reliability",
        "trust": "trust",
        "vertrouwen": "trust",
        "unknown": None,
        "onbekend": None,
        "": None,
    }
    for word, mode in expected.items():
        assert normalise_word(word) in words
        assert words[normalise_word(word)] == mode
    assert all(word == normalise_word(word) for word in words)


def test_clause_words_cover_keys_and_every_dutch_alias() -> None:
    words = load_rules().clause_words
    for key, (aliases, _, _) in CLAUSE_TABLE.items():
        assert words[normalise_word(key)] == key
        for alias in aliases:
            assert words[normalise_word(alias)] == key, alias
    assert words[normalise_word("Open Book")] == "open_book"
    assert words[normalise_word(" OPENHEID-van_zaken ")] == "open_book"
    assert words[normalise_word("Beëindiging")] == "exit"


def test_level_and_selection_words() -> None:
    rules = load_rules()
    assert rules.level_words == {"low": "low", "laag": "low", "high": "high", "hoog": "high"}
    assert rules.selection_basis_words == {
        "cost": "cost",
        "kosten": "cost",
        "prijs": "cost",
        "collaboration": "collaboration",
        "samenwerking": "collaboration",
    }


@pytest.mark.parametrize(
    ("complexity", "dynamics", "commodity", "expected"),
    [
        ("high", "low", False, "trust"),
        ("low", "high", True, "trust"),
        ("high", "high", True, "trust"),
        ("low", "low", True, "distrust"),
        ("low", "low", False, "reliability"),
    ],
)
def test_recommend_follows_r7(
    complexity: str, dynamics: str, commodity: bool, expected: str
) -> None:
    assert load_rules().recommend(complexity, dynamics, commodity) == expected


@pytest.mark.parametrize(
    ("word", "normal"),
    [
        ("open_book", "open_book"),
        (" Open Book ", "open_book"),
        ("open-book", "open_book"),
        ("OPEN -  BOOK", "open_book"),
        ("Service Level Agreement", "service_level_agreement"),
        ("beëindiging", "beëindiging"),
        ("bee\u0308indiging", "beëindiging"),  # decomposed umlaut
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise_word(word: str, normal: str) -> None:
    assert normalise_word(word) == normal


def test_default_rules_are_cached() -> None:
    assert load_rules() is load_rules()


# ------------------------------------------------------------------------------------------------
# Changed rule data
# ------------------------------------------------------------------------------------------------

CHANGES = (
    SG_PREFIX
    + """
sg:SlaClause sg:forcesMode sg:Reliability .
sg:WeightLots sg:weight 5 .
sg:WeightSuppliers sg:weight 0.5 .
sg:InternalSupplierMode sg:setsMode sg:Reliability .
sg:SeverityReliabilityTrust sg:severity "medium" ; sg:severityRank 2 .
sg:RecommendDistrustForCommodity sg:recommendsMode sg:Reliability .
sg:PenaltyClause sg:alias "strafbeding"@nl .
"""
)


def _check_changed(rules_changed: object) -> None:
    from sourcing_graph.ontology.rules import Rules

    assert isinstance(rules_changed, Rules)
    assert rules_changed.clause_forces == {
        "penalty": "distrust",
        "bonus": "distrust",
        "sla": "reliability",
    }
    assert rules_changed.coordination_weights["lots"] == 5.0
    assert rules_changed.coordination_weights["suppliers"] == 0.5
    assert rules_changed.coordination_weights["mismatches"] == 2.0  # untouched
    assert rules_changed.internal_supplier_mode == "reliability"
    assert rules_changed.severity[frozenset({"reliability", "trust"})] == "medium"
    assert rules_changed.recommend("low", "low", True) == "reliability"
    assert rules_changed.clause_words["strafbeding"] == "penalty"
    assert "boete" not in rules_changed.clause_words  # the override replaced penalty's aliases
    assert rules_changed.clause_words["penalty"] == "penalty"  # keys always count


def test_changed_turtle_text_gives_changed_rules() -> None:
    _check_changed(load_rules(CHANGES))
    assert load_rules().clause_forces == {"penalty": "distrust", "bonus": "distrust"}


def test_changed_turtle_file_gives_changed_rules(tmp_path: Path) -> None:
    path = tmp_path / "my-rules.ttl"
    path.write_text(CHANGES, encoding="utf-8")
    _check_changed(load_rules(path))
    _check_changed(load_rules(str(path)))


def test_changed_graph_gives_changed_rules() -> None:
    graph = Graph()
    graph.parse(data=CHANGES, format="turtle")
    _check_changed(load_rules(graph))


def test_replacing_the_whole_ontology(tmp_path: Path) -> None:
    full = ontology_graph()
    full.set((SG.WeightInterfaces, SG.weight, Literal(7)))
    full.remove((SG.BonusClause, SG.forcesMode, None))
    rules = load_rules(full, replace=True)
    assert rules.coordination_weights["interfaces"] == 7.0
    assert rules.clause_forces == {"penalty": "distrust"}
    path = tmp_path / "full.ttl"
    full.serialize(path, format="turtle")
    assert load_rules(path, replace=True) == rules


def test_a_mode_can_be_renamed_and_reranked() -> None:
    rules = load_rules(SG_PREFIX + 'sg:Trust sg:rank 9 ; sg:alias "partnerschap"@nl .\n')
    assert rules.mode_rank["trust"] == 9
    assert rules.mode_words["partnerschap"] == "trust"
    assert "vertrouwen" not in rules.mode_words


@pytest.mark.parametrize(
    ("turtle", "message"),
    [
        ("sg:SlaClause sg:forcesMode sg:Maybe .", "not a collaboration mode"),
        ('sg:WeightLots sg:weight "veel" .', "must be a float"),
        ('sg:WeightLots sg:measure "laps" .', "unknown R5 measure"),
        ("sg:Trust sg:rank 2 .", "share a rank"),
        ("sg:InternalSupplierMode sg:setsMode sg:Trust , sg:Distrust .", "at most one"),
        ("sg:RecommendReliabilityOtherwise sg:whenComplexity sg:High .", "no R7 recommendation"),
        ("sg:RecommendTrustForDynamics sg:priority 1 .", "share a priority"),
        ("sg:SeverityDistrustTrust sg:betweenMode sg:Trust .", "exactly two"),
        (
            "sg:SeverityDistrustTrust sg:betweenMode sg:Trust , sg:Reliability .",
            "two R3 severities",
        ),
        ('sg:OpenBookClause sg:alias "boete"@nl .', "means both"),
        ("sg:Distrust sg:key 5 .", "must be a str"),
    ],
)
def test_bad_rule_data_raises_ontology_error(turtle: str, message: str) -> None:
    with pytest.raises(OntologyError, match=message):
        load_rules(SG_PREFIX + turtle + "\n")


def test_missing_rule_data_raises_ontology_error() -> None:
    full = ontology_graph()
    full.remove((SG.WeightMismatches, None, None))
    with pytest.raises(OntologyError, match="no R5 weight .* mismatches"):
        load_rules(full, replace=True)
    full = ontology_graph()
    full.remove((SG.InternalSupplierMode, None, None))
    with pytest.raises(OntologyError, match="internalSupplierMode"):
        load_rules(full, replace=True)
    full = ontology_graph()
    full.remove((SG.SeverityDistrustTrust, None, None))
    with pytest.raises(OntologyError, match="no R3 severity"):
        load_rules(full, replace=True)
    with pytest.raises(OntologyError, match="no collaboration modes"):
        load_rules(Graph(), replace=True)


def test_unreadable_rule_files_raise_ontology_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="cannot read"):
        load_rules(tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("sg:Trust sg:rank .", encoding="utf-8")
    with pytest.raises(OntologyError, match="cannot parse"):
        load_rules(bad)
    with pytest.raises(OntologyError, match=r"replace=True needs the ontology data"):
        load_rules(replace=True)


def test_individuals_need_iris() -> None:
    graph = Graph()
    graph.add((BNode(), RDF.type, SG.CollaborationMode))
    with pytest.raises(OntologyError, match="needs an IRI"):
        read_ontology(graph)


def test_every_pair_of_modes_has_a_severity_in_the_default_data() -> None:
    rules = load_rules()
    for a, b in itertools.combinations(rules.mode_rank, 2):
        assert frozenset((a, b)) in rules.severity
