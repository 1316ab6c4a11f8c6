"""Registers as RDF: register -> RDF -> Register -> RDF round trips (Turtle, JSON-LD, N-Triples),
the fast Turtle reader against rdflib's, and the errors read_rdf reports for bad RDF."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from sourcing_graph.errors import RegisterError
from sourcing_graph.loaders import rdf
from sourcing_graph.loaders.rdf import (
    extra_property,
    instance_iri,
    rdf_to_register,
    read_rdf,
    register_to_rdf,
    write_rdf,
)
from sourcing_graph.loaders.rdf_terms import to_rdflib
from sourcing_graph.model import OWN_IT, Contract, Function, Lot, Organisation, Register
from sourcing_graph.ontology.rules import SG, load_rules, read_ontology
from tests.support.ontology import empty_register, minimal_register, rich_register
from tests.support.rdf_cases import BAD, GOOD, SG_TTL

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

FORMATS = [("turtle", "ttl"), ("json-ld", "jsonld"), ("nt", "nt")]
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


def same_register(read: Register, original: Register) -> bool:
    return dataclasses.replace(read, source=original.source, warnings=original.warnings) == original


# ------------------------------------------------------------------------------------------------
# Shape of the RDF
# ------------------------------------------------------------------------------------------------


def test_instance_iris_are_percent_encoded() -> None:
    assert (
        str(instance_iri("contract", "C-07")) == "https://w3id.org/sourcing-graph/id/contract/C-07"
    )
    assert str(instance_iri("lot", "K 02/net#x")) == (
        "https://w3id.org/sourcing-graph/id/lot/K%2002%2Fnet%23x"
    )
    assert (
        str(instance_iri("org", "Zürich")) == "https://w3id.org/sourcing-graph/id/org/Z%C3%BCrich"
    )
    assert str(extra_property("KvK nummer")) == "https://w3id.org/sourcing-graph/extra/KvK%20nummer"


def test_register_graph_uses_the_ontology() -> None:
    graph = register_to_rdf(rich_register())
    c07 = instance_iri("contract", "C-07")
    assert (c07, URIRef(str(SG) + "declaredMode"), SG.Trust) in graph
    assert (c07, SG.hasClause, SG.PenaltyClause) in graph
    assert (c07, SG.hasClause, SG.OpenBookClause) in graph
    assert (c07, SG.selectionBasis, SG.SelectionOnCost) in graph
    assert graph.value(c07, SG.startDate) == Literal(date(2024, 1, 1))
    assert graph.value(c07, SG.annualValue).datatype == URIRef(XSD_NS + "decimal")  # exact
    assert graph.value(c07, SG.identifier) == Literal("C-07")
    assert graph.value(c07, extra_property("kostenplaats")) == Literal("4711")
    own_it = instance_iri("org", OWN_IT)
    assert (own_it, SG.internal, Literal(True)) in graph
    assert graph.value(own_it, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")) == (
        SG.OwnITOrganisation
    )
    assert graph.value(instance_iri("org", "acme"), SG.internal) == Literal(False)
    k3 = instance_iri("lot", "K03")
    assert (k3, SG.complexity, SG.High) in graph
    assert (k3, SG.dependsOn, instance_iri("lot", "K01")) in graph
    assert (k3, SG.primeContractor, own_it) in graph
    # absent optional values are absent triples
    c08 = instance_iri("contract", "C 08/ü#")
    assert graph.value(c08, SG.declaredMode) is None
    assert graph.value(c08, SG.annualValue) is None
    assert graph.value(instance_iri("lot", "K03"), SG.name) is None


# ------------------------------------------------------------------------------------------------
# Round trips
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), FORMATS)
@pytest.mark.parametrize(
    "make", [rich_register, minimal_register, empty_register], ids=["rich", "minimal", "empty"]
)
def test_round_trip_through_a_file(
    tmp_path: Path, make: Callable[[], Register], fmt: str, suffix: str
) -> None:
    original = make()
    graph = register_to_rdf(original)
    path = tmp_path / f"register.{suffix}"
    write_rdf(original, path, format=fmt)

    # the file holds exactly the graph (checked with rdflib's own parser)
    parsed = Graph().parse(path, format=fmt)
    assert isomorphic(parsed, graph)

    again = read_rdf(path)  # format guessed from the suffix
    assert again.source == str(path)
    assert same_register(again, original)
    assert isomorphic(register_to_rdf(again), graph)
    assert same_register(read_rdf(path, format=fmt), original)


def test_round_trip_through_streams() -> None:
    original = rich_register()
    text = io.StringIO()
    write_rdf(original, text, "turtle")
    binary = io.BytesIO()
    write_rdf(original, binary, "json-ld")
    assert same_register(read_rdf(io.BytesIO(text.getvalue().encode("utf-8")), "turtle"), original)
    binary.seek(0)
    assert same_register(read_rdf(binary, "json-ld"), original)


def test_rdf_to_register_reads_a_graph() -> None:
    original = rich_register()
    graph = register_to_rdf(original)
    graph += read_ontology_graph_sample()  # other triples (the ontology) are ignored
    assert same_register(rdf_to_register(graph), original)


def read_ontology_graph_sample() -> Graph:
    from sourcing_graph.ontology.rules import ontology_graph

    return ontology_graph()


def test_the_turtle_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "r.ttl"
    write_rdf(rich_register(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .")
    assert "sg:declaredMode sg:Trust" in text
    assert "sg:critical true" in text
    assert '"2024-01-01"^^xsd:date' in text
    # pyoxigraph writes the '%' of a percent-encoded local name escaped: the same IRI
    assert "sgx:KvK\\%20nummer" in text


# ------------------------------------------------------------------------------------------------
# Random registers
# ------------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=0, max_size=12)
IDS = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=10)
RULES = load_rules()


@st.composite
def registers(draw: st.DrawFn) -> Register:
    reg = Register(source="random")
    extras = st.dictionaries(TEXT, TEXT, max_size=2)
    for oid in draw(st.lists(IDS, max_size=4, unique=True)):
        reg.organisations[oid] = Organisation(
            oid,
            draw(st.none() | TEXT),
            oid == OWN_IT or draw(st.booleans()),
            draw(extras),
        )
    orgs = sorted(reg.organisations)
    for fid in draw(st.lists(IDS, max_size=3, unique=True)):
        reg.functions[fid] = Function(
            fid, draw(st.none() | TEXT), draw(st.booleans()), draw(st.booleans()), draw(extras)
        )
    for lid in draw(st.lists(IDS, min_size=1, max_size=4, unique=True)):
        reg.lots[lid] = Lot(
            lid,
            draw(st.none() | TEXT),
            draw(st.sampled_from(orgs)),
            draw(st.sampled_from(["low", "high"])),
            draw(st.sampled_from(["low", "high"])),
            draw(st.booleans()),
            draw(extras),
        )
    lots = sorted(reg.lots)
    for a, b in draw(st.lists(st.tuples(st.sampled_from(lots), st.sampled_from(lots)), max_size=4)):
        if a != b:
            reg.dependencies.add((a, b))
    functions = sorted(reg.functions)
    for cid in draw(st.lists(IDS, max_size=5, unique=True)):
        reg.contracts[cid] = Contract(
            cid,
            draw(st.sampled_from(orgs)),
            draw(st.sampled_from(lots)),
            draw(st.none() | st.sampled_from(sorted(RULES.mode_rank))),
            frozenset(draw(st.lists(st.sampled_from(sorted(RULES.clause_signals)), max_size=3))),
            frozenset(draw(st.lists(st.sampled_from(functions), max_size=2)))
            if functions
            else frozenset(),
            draw(st.none() | st.dates()),
            draw(st.none() | st.dates()),
            draw(st.none() | st.floats(allow_nan=False, allow_infinity=False)),
            draw(st.none() | st.sampled_from(["cost", "collaboration"])),
            draw(extras),
        )
    return reg


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.sampled_from(["turtle", "nt", "json-ld"]))
def test_random_registers_round_trip(register: Register, fmt: str) -> None:
    buffer = io.BytesIO()
    write_rdf(register, buffer, fmt)
    data = buffer.getvalue()
    again = read_rdf(io.BytesIO(data), fmt)
    assert same_register(again, register)
    assert isomorphic(register_to_rdf(again), register_to_rdf(register))
    if fmt != "json-ld":  # the fast reader agrees with rdflib's parser
        assert isomorphic(Graph().parse(data=data, format=fmt), register_to_rdf(register))


# ------------------------------------------------------------------------------------------------
# The Turtle reader (pyoxigraph) against rdflib's
# ------------------------------------------------------------------------------------------------

TURTLE_DOCS = [
    SG_TTL + "sg:a sg:b sg:c .",
    SG_TTL + "sg:a sg:b sg:c ; sg:d sg:e , sg:f ; .",
    SG_TTL + "sg:a sg:b sg:c ;; sg:d sg:e .\nsg:x a sg:Y.",
    'PREFIX sg: <https://w3id.org/sourcing-graph/ontology#>\nsg:a sg:b \'single\' , """long\n"quoted" text""" .',
    # a language tag in lower case: pyoxigraph lowers "nl-BE" (RDF 1.1 allows it), rdflib keeps it
    '@prefix : <http://example.org/> .\n:a :b :c . # comment\n# another\n:a :b2 "x"@nl-be .',
    "@prefix ex: <http://example.org/> .\nex:a ex:int 12 , -7 , +3 ; ex:dec 1.50 , -.5 ; ex:dbl 1.25e5 , 1E0 ; ex:bool true , false .",
    '@prefix ex: <http://example.org/> .\nex:a ex:s "tab\\there\\nnewline \\"q\\" \\\\ \\u00e9 \\U0001F600" .',
    '@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\nex:a ex:d "2025-01-31"^^xsd:date , "x"^^<http://example.org/dt> .',
    "@prefix ex: <http://example.org/> .\n_:b1 ex:p _:b2 .\n_:b2 ex:p _:b1 .",
    "<http://example.org/a%20b> <http://example.org/p> <http://example.org/\\u00e9> .",
    "@prefix ex: <http://example.org/> .\nex:a%20b ex:p\\~q ex:c\\.d .",
    '<http://a.example/s> <http://a.example/p> "x" .\n<http://a.example/s> <http://a.example/p> "x" .',
    "",
]


def parsed(doc: str) -> Graph:
    """The triples :func:`rdf.parse_triples` reads, as an rdflib graph."""
    graph = Graph()
    for triple in rdf.parse_triples(doc):
        graph.add(tuple(to_rdflib(term) for term in triple))  # type: ignore[arg-type]
    return graph


@pytest.mark.parametrize("doc", TURTLE_DOCS)
def test_fast_reader_agrees_with_rdflib(doc: str) -> None:
    assert isomorphic(parsed(doc), Graph().parse(data=doc, format="turtle"))


# beyond the subset the hand-made reader (before pyoxigraph) read itself; now read the same way
UNSUPPORTED = [
    "@prefix ex: <http://example.org/> .\nex:a ex:p [ ex:q 1 ] .",
    "@prefix ex: <http://example.org/> .\nex:a ex:p ( 1 2 ) .",
    "@base <http://example.org/> .\n<a> <b> <c> .",
    "@prefix ex: <http://example.org/> .\nex:a ex:p ex:ünicode .",
]


@pytest.mark.parametrize("doc", UNSUPPORTED)
def test_fast_reader_hands_other_turtle_to_rdflib(doc: str) -> None:
    assert isomorphic(parsed(doc), Graph().parse(data=doc, format="turtle"))


def test_turtle_beyond_the_fast_reader_still_reads(tmp_path: Path) -> None:
    original = rich_register()
    path = tmp_path / "r.ttl"
    write_rdf(original, path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(
            '\n<http://example.org/note> <http://example.org/p> ( 1 [ <http://example.org/q> "x" ] ) .\n'
        )
    assert same_register(read_rdf(path), original)


# ------------------------------------------------------------------------------------------------
# Bad RDF
# ------------------------------------------------------------------------------------------------


def read_text(tmp_path: Path, text: str, name: str = "bad.ttl") -> Register:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_rdf(path)


def test_the_good_base_reads_with_defaults(tmp_path: Path) -> None:
    reg = read_text(tmp_path, GOOD, "good.ttl")
    assert reg.contracts["C1"] == Contract("C1", "acme", "K1")
    assert reg.lots["K1"] == Lot("K1")
    assert reg.organisations[OWN_IT].internal  # referenced, created with defaults


@pytest.mark.parametrize(
    ("old", "new", "message", "value"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_rdf_is_reported_with_file_position_value_and_expectation(
    tmp_path: Path, old: str, new: str, message: str, value: str | None
) -> None:
    if old:
        assert GOOD.count(old) == 1
        text = GOOD.replace(old, new)
    else:
        text = GOOD + new + "\n"
    with pytest.raises(RegisterError, match=re.escape(message)) as info:
        read_text(tmp_path, text)
    problems = info.value.problems
    assert problems, "a RegisterError carries its problems"
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert (problem.file, problem.line, problem.column) == (str(tmp_path / "bad.ttl"), 1, 1)
    assert problem.severity == "error"
    if value is not None:
        assert problem.value == value
    assert problem.expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD + (
        "contract:C1 sg:declaredMode sg:Maybe ; sg:hasClause sg:Nope ; "
        'sg:annualValue "veel" .\nlot:K1 sg:dependsOn lot:K1 .\n'
    )
    with pytest.raises(
        RegisterError, match=r"the register has 4 error\(s\)\n.*lot 'K1' depends on itself"
    ) as info:
        read_text(tmp_path, text)
    assert len(info.value.problems) == 4


def test_unparsable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match=r"bad\.ttl:1:1: error: not valid RDF") as info:
        read_text(tmp_path, SG_TTL + "sg:a sg:b .")
    assert "not valid RDF" in info.value.problems[0].message
    assert info.value.problems[0].line == 1
    with pytest.raises(
        RegisterError, match=r"absent\.ttl:1:1: error: cannot read the file"
    ) as info:
        read_rdf(tmp_path / "absent.ttl")
    assert "cannot read" in info.value.problems[0].message
    bad_json = tmp_path / "bad.jsonld"
    bad_json.write_text("{ not json", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"bad\.jsonld:1:1: error: not valid RDF"):
        read_rdf(bad_json)


def test_a_literal_where_a_resource_belongs_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="refers to something that is not a org"):
        read_text(tmp_path, GOOD.replace("sg:supplier org:acme", 'sg:supplier "acme"'))


def test_entities_without_identifier_take_it_from_their_iri(tmp_path: Path) -> None:
    reg = read_text(
        tmp_path,
        GOOD.replace('lot:K1 a sg:Lot ; sg:identifier "K1" ;', "lot:K1 a sg:Lot ;"),
    )
    assert "K1" in reg.lots
    with pytest.raises(RegisterError, match="has no identifier"):
        read_text(tmp_path, GOOD + "<http://example.org/x> a sg:Function .\n")


def test_unknown_keys_in_a_register_are_refused_when_writing() -> None:
    reg = minimal_register()
    reg.contracts["C1"].clauses = frozenset({"handshake"})
    with pytest.raises(RegisterError, match=r"unknown clause type \(read 'handshake'") as info:
        register_to_rdf(reg)
    assert info.value.problems[0].value == "handshake"
    with pytest.raises(ValueError, match="unknown RDF format"):
        write_rdf(minimal_register(), io.StringIO(), format="csv")


def test_a_changed_ontology_gives_its_own_individuals() -> None:
    from sourcing_graph.ontology.rules import ontology_graph

    graph = ontology_graph(SG_TTL + 'sg:HandshakeClause a sg:ClauseType ; sg:key "handshake" .\n')
    data = read_ontology(graph)
    reg = minimal_register()
    reg.contracts["C1"].clauses = frozenset({"handshake"})
    out = register_to_rdf(reg, data)
    assert (instance_iri("contract", "C1"), SG.hasClause, SG.HandshakeClause) in out
    assert rdf_to_register(out, ontology=data).contracts["C1"].clauses == {"handshake"}


def test_blank_node_entities_are_read(tmp_path: Path) -> None:
    graph = register_to_rdf(minimal_register())
    node = BNode()
    graph.add((node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SG.Function))
    graph.add((node, SG.identifier, Literal("F-blank")))
    assert "F-blank" in rdf_to_register(graph).functions


# ------------------------------------------------------------------------------------------------
# Size
# ------------------------------------------------------------------------------------------------


def big_register(contracts: int) -> Register:
    reg = Register()
    for i in range(200):
        reg.organisations[f"s{i}"] = Organisation(f"s{i}", f"Supplier {i}", i % 7 == 0)
    for i in range(500):
        reg.lots[f"K{i}"] = Lot(f"K{i}", f"Lot {i}", f"s{i % 200}", "high", "low", False)
    for i in range(800):
        reg.functions[f"F{i}"] = Function(f"F{i}", None, i % 3 == 0, i % 5 == 0)
    for i in range(contracts):
        reg.contracts[f"C{i}"] = Contract(
            f"C{i}",
            f"s{i % 200}",
            f"K{i % 500}",
            "trust",
            frozenset({"penalty", "sla"}),
            frozenset({f"F{i % 800}"}),
            date(2024, 1, 1),
            date(2026, 1, 1),
            1000.0 + i,
            "cost",
            {"note": f"n{i}"},
        )
    reg.dependencies |= {(f"K{i}", f"K{i + 1}") for i in range(499)}
    return reg


def test_ten_thousand_contracts_write_and_read(tmp_path: Path) -> None:
    # the speed is the benchmark's (docs/benchmarks.md), not a timed test's: machines are noisy
    reg = big_register(10_000)
    path = tmp_path / "big.ttl"
    write_rdf(reg, path)
    again = read_rdf(path)
    assert same_register(again, reg)


@pytest.mark.slow
def test_a_hundred_thousand_contracts(tmp_path: Path) -> None:
    reg = big_register(100_000)
    path = tmp_path / "big.ttl"
    write_rdf(reg, path)
    again = read_rdf(path)
    assert len(again.contracts) == 100_000


# ------------------------------------------------------------------------------------------------
# pyoxigraph: what RDF cannot hold, format names
# ------------------------------------------------------------------------------------------------


def test_a_parse_error_says_where(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match=r"not valid RDF: .*line 2 column 11") as info:
        read_text(tmp_path, SG_TTL + "sg:a sg:b .")
    assert info.value.problems[0].expected == "turtle data"


def test_a_lone_surrogate_is_not_valid_rdf(tmp_path: Path) -> None:
    """rdflib reads ``"\\uD800"`` (and JSON's ``"\\ud800"``) into a str no file can hold."""
    with pytest.raises(RegisterError, match=r"not valid RDF: .*line 9 .*D800"):
        read_text(tmp_path, GOOD + 'lot:K1 sg:name "x\\uD800" .\n')
    path = tmp_path / "bad.jsonld"
    path.write_text('{"@id": "http://example.org/x", "http://example.org/p": "\\ud800"}')
    with pytest.raises(RegisterError, match="lone surrogate"):
        read_rdf(path)


def test_a_graph_rdf_cannot_hold_is_refused() -> None:
    graph = register_to_rdf(minimal_register())
    graph.add((URIRef("http://example.org/a b"), SG.name, Literal("x")))  # read as before
    assert rdf_to_register(graph).contracts["C1"].lot == "K1"
    graph.add((instance_iri("lot", "K1"), SG.name, Literal("x\ud800")))
    with pytest.raises(RegisterError, match=r"not valid RDF: 'x\\ud800' holds a lone surrogate"):
        rdf_to_register(graph)


@pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning")
def test_an_ill_typed_boolean_in_a_graph_is_an_error() -> None:
    graph = register_to_rdf(rich_register())
    function = next(graph.subjects(SG.critical, None))
    graph.set((function, SG.critical, Literal("tHtrue", datatype=URIRef(XSD_NS + "boolean"))))
    with pytest.raises(RegisterError, match="whose text is not true, false, 1 or 0"):
        rdf_to_register(graph)


def test_relative_iris_and_a_byte_order_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = GOOD.replace("org:acme a", "<acme> sg:colour 1 .\norg:acme a")
    path = tmp_path / "good.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_rdf(path).contracts["C1"].supplier == "acme"
    triples = list(rdf.parse_triples(SG_TTL + "<a> sg:b <c> ."))
    assert triples[0][0] == (tmp_path / "a").as_uri()


def test_one_table_of_format_names() -> None:
    from sourcing_graph.loaders import RDF_SUFFIXES
    from sourcing_graph.loaders.rdf_formats import FORMATS, SUFFIXES, format_name

    assert RDF_SUFFIXES is SUFFIXES
    assert rdf.FORMATS is FORMATS
    assert set(SUFFIXES.values()) == set(FORMATS.values()) == {"turtle", "json-ld", "nt", "xml"}
    assert format_name(" TTL ") == "turtle"
    with pytest.raises(ValueError, match="unknown RDF format 'csv'; expected one of json-ld"):
        format_name("csv")


@pytest.mark.parametrize("fmt", ["xml", "nt"])
def test_rdf_xml_and_text_streams(fmt: str) -> None:
    original = rich_register()
    text = io.StringIO()
    write_rdf(original, text, fmt)
    assert same_register(read_rdf(io.BytesIO(text.getvalue().encode("utf-8")), fmt), original)


def test_the_rdf_benchmark_runs_and_keeps_one_section(tmp_path: Path) -> None:
    from bench import rdf as bench_rdf

    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nother text\n", encoding="utf-8")
    bench_rdf.main(["--contracts", "30", "--repeat", "1", "--workdir", str(tmp_path / "w")])
    bench_rdf.write_section(out, f"{bench_rdf.START}\nfirst\n{bench_rdf.END}\n")
    bench_rdf.write_section(out, f"{bench_rdf.START}\nsecond\n{bench_rdf.END}\n")
    text = out.read_text(encoding="utf-8")
    assert text.count(bench_rdf.START) == 1 and "second" in text and "first" not in text
    assert text.startswith("# Benchmarks\n\nother text\n")
