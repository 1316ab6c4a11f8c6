"""Injection: a register with a payload in every free-text field (tests/support/payloads.py) loads
verbatim, round-trips exactly through Neo4j and RDF, and never changes what a query means; ``query`` is
read-only unless ``--write`` says otherwise, and no spelling of a write gets past the server.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from sourcing_graph.errors import ReadOnlyViolation, RegisterError
from sourcing_graph.graph.analyses import (
    EmbeddedEngine,
    Neo4jEngine,
    analyze,
    in_code_point_order,
    run_analysis,
)
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.rdf import read_rdf, register_to_rdf
from sourcing_graph.model import (
    MAX_ID_LENGTH,
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    cents,
)
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.views.querying import parse_params, resolve_query
from tests.support import AS_OF, AS_OF_ARGS
from tests.support.cli import cli, neo4j_env, no_neo4j_env
from tests.support.payloads import (
    EXTRA_HEADERS,
    LONG_ID,
    PAYLOADS,
    Written,
    benign_ids,
    expected_ids,
    list_safe,
    write_register,
)

RULES = load_rules()
YES = {"ja": True, "nee": False}
RENAMED = {"uri": "extra_uri", "id": "extra_id", "startDate": "extra_startDate"}
RENAMED["annualValue"] = "extra_annualValue"
"""Extra columns named like a property the node has itself: kept under ``extra_<name>``."""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write_register(tmp_path_factory.mktemp("inject") / "hostile")


@pytest.fixture(scope="module")
def register(hostile: Written) -> Register:
    return read_register(hostile.folder)


def extras(kind: str, row: dict[str, str]) -> dict[str, str]:
    return {h: row[h] for h in EXTRA_HEADERS[kind]}


def digest(store: Any) -> str:
    """A fingerprint of everything in the database: nodes, relationships, constraints, indexes."""
    parts = [
        store.read("MATCH (n) RETURN elementId(n) AS e, labels(n) AS l, properties(n) AS p"),
        store.read(
            "MATCH (a)-[r]->(b) RETURN elementId(a) AS a, type(r) AS t, elementId(b) AS b, "
            "properties(r) AS p"
        ),
        store.read("SHOW CONSTRAINTS YIELD name RETURN name"),
        store.read("SHOW INDEXES YIELD name RETURN name"),
    ]
    text = json.dumps(
        [sorted(json.dumps(r, sort_keys=True, default=str) for r in rows) for rows in parts]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def outside_register(store: Any) -> list[str]:
    """Every node and relationship that is not part of the register (the ontology, a canary)."""
    # the register and the conclusions drawn from it (issue 14) belong to the load
    labels = "n:Contract OR n:Lot OR n:Function OR n:Organisation OR n:Finding"
    # the load's own bookkeeping node (its load id changes with every load) is not compared
    nodes = store.read(
        f"MATCH (n) WHERE NOT ({labels} OR n:SourcingGraphMeta) "
        "RETURN labels(n) AS l, properties(n) AS p"
    )
    rels = store.read(
        f"MATCH (n)-[r]->(m) WHERE NOT ({labels}) AND NOT ({labels.replace('n:', 'm:')}) "
        "RETURN n.uri AS a, type(r) AS t, m.uri AS b"
    )
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in nodes + rels)


def conclusions_by_label(register: Register) -> dict[str, dict[str, dict[str, Any]]]:
    """The conclusions stored on the register's nodes (issue 14): the embedded engine's."""
    drawn = EmbeddedEngine(register, RULES).conclusions()
    return {
        "Contract": drawn.contracts,
        "Lot": drawn.lots,
        "Organisation": drawn.organisations,
        "Function": {},
    }


def to_hostile(value: Any, back: dict[str, str]) -> Any:
    if isinstance(value, str):
        return back.get(value, value)
    if isinstance(value, list):
        return [to_hostile(v, back) for v in value]
    if isinstance(value, dict):
        return {k: to_hostile(v, back) for k, v in value.items()}
    return value


# -- the corpus ------------------------------------------------------------------------------------


def test_the_corpus_covers_every_family() -> None:
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 70
    assert all(p == p.strip() and "\x00" not in p for p in PAYLOADS)
    every = "".join(PAYLOADS)
    for fragment in ("'", "''", '"', "`", "{", "${", "$param", "\\", "\n", "\r\n", "\t", "\x1b"):
        assert fragment in every, fragment
    for fragment in ("DETACH DELETE", "\\u0027", "*/", "//", "CALL db.", ":param", "LOAD CSV"):
        assert fragment in every, fragment
    for fragment in ("<script>", "onerror", "javascript:", "DROP TABLE", "\u2028", "\u202e"):
        assert fragment in every, fragment
    assert {p[0] for p in PAYLOADS} >= {"=", "+", "-", "@"}
    assert any(len(p) == MAX_ID_LENGTH and len(p.encode()) > 7000 for p in PAYLOADS)
    assert any(ord(c) > 0xFFFF for c in every) and any(0xE000 <= ord(c) <= 0xFFFF for c in every)


# -- reading ---------------------------------------------------------------------------------------


def test_every_payload_is_read_verbatim(hostile: Written, register: Register) -> None:
    rows = hostile.rows
    assert set(register.organisations) == expected_ids(hostile)["Organisation"]
    for row in rows["suppliers"]:
        org = register.organisations[row["supplier_id"]]
        assert (org.name, org.internal, org.extra) == (
            row["name"],
            YES[row["internal"]],
            extras("suppliers", row),
        )
    for row in rows["functions"]:
        f = register.functions[row["function_id"]]
        assert (f.name, f.critical, f.retained, f.extra) == (
            row["name"],
            YES[row["critical"]],
            YES[row["retained"]],
            extras("functions", row),
        )
    for row in rows["lots"]:
        lot = register.lots[row["lot_id"]]
        assert (lot.name, lot.prime_contractor, lot.extra) == (
            row["name"],
            row["prime_contractor"],
            extras("lots", row),
        )
    assert register.dependencies == {
        (row["lot"], target)
        for row in rows["dependencies"]
        for target in row["depends_on"].split(" | ")
    }
    for row in rows["contracts"]:
        c = register.contracts[row["contract_id"]]
        assert (c.supplier, c.lot, c.functions, c.extra) == (
            row["supplier"],
            row["lot"],
            frozenset(row["functions"].split("|")),
            extras("contracts", row),
        )
    assert len(register.contracts) == len(PAYLOADS)
    cells, columns = hostile.placements()
    assert columns == 24 and cells > 20 * len(PAYLOADS)  # every free-text column of every file


def test_an_identifier_too_long_for_neo4j_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    too_long = "\U0001f4a3" * (MAX_ID_LENGTH + 1)
    (folder / "contracts.csv").write_text(
        f"contract_id,supplier,lot,mode\nC1,s1,L1,trust\nC2,s1,{too_long},trust\n", encoding="utf-8"
    )
    result = cli("validate", str(folder), env=no_neo4j_env())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"contracts.csv:3:3: error: identifier of {MAX_ID_LENGTH + 1} characters" in result.stderr
    )
    assert f"at most {MAX_ID_LENGTH} characters" in result.stderr


# -- Neo4j -----------------------------------------------------------------------------------------


@pytest.mark.neo4j
@pytest.mark.slow
def test_the_hostile_register_loads_verbatim_and_touches_nothing_else(  # type: ignore[no-untyped-def]
    neo4j_store, hostile: Written, register: Register
) -> None:
    from tests.support import EXAMPLES

    neo4j_store.load_register(read_register(EXAMPLES / "acme-retail"))
    neo4j_store.write("MERGE (:Canary {id: $id, note: $note})", {"id": "keep", "note": PAYLOADS[0]})
    before = outside_register(neo4j_store)
    try:
        result = cli("load", str(hostile.folder), "--no-progress", env=neo4j_env(neo4j_store))
        assert result.returncode == 0, result.stderr
        assert outside_register(neo4j_store) == before  # the ontology and the canary, untouched
    finally:
        neo4j_store.write("MATCH (c:Canary) DELETE c")  # later tests expect only our labels

    ids = expected_ids(hostile)
    counts = neo4j_store.register_counts()
    assert counts == {
        "contracts": len(ids["Contract"]),
        "lots": len(ids["Lot"]),
        "functions": len(ids["Function"]),
        "organisations": len(ids["Organisation"]),
        "dependencies": len(register.dependencies),
        "subcontracting": 0,
    }
    nodes = {
        label: {
            r["p"]["id"]: r["p"]
            for r in neo4j_store.read(f"MATCH (n:{label}) RETURN properties(n) AS p")
        }
        for label in ids
    }
    assert {label: set(found) for label, found in nodes.items()} == ids

    concluded = conclusions_by_label(register)

    def check(label: str, kind: str, row: dict[str, str], ident: str, **ours: Any) -> None:
        props = nodes[label][ident]
        wanted = {RENAMED.get(h, h): v for h, v in extras(kind, row).items()}
        assert {k: props[k] for k in wanted} == wanted
        assert {k: props.get(k) for k in ours} == ours
        conclusions = concluded[label].get(ident, {})
        assert {k: props.get(k) for k in conclusions} == conclusions
        assert set(props) == {"id", "uri", "loadId", *ours, *wanted, *conclusions} - {
            k for k, v in ours.items() if v is None
        }

    rows = hostile.rows
    # provenance: each node's source is its row's (file:line, as the register was read)
    for row in rows["suppliers"]:
        org = register.organisations[row["supplier_id"]]
        check("Organisation", "suppliers", row, row["supplier_id"], name=row["name"],
              internal=YES[row["internal"]], source=org.source)  # fmt: skip
    for row in rows["functions"]:
        check("Function", "functions", row, row["function_id"], name=row["name"],
              critical=YES[row["critical"]], retained=YES[row["retained"]],
              source=register.functions[row["function_id"]].source)  # fmt: skip
    for row in rows["lots"]:
        lot = register.lots[row["lot_id"]]
        check("Lot", "lots", row, row["lot_id"], name=row["name"], complexity=row["complexity"],
              dynamics=row["dynamics"], commodity=YES[row["commodity"]], source=lot.source,
              primeContractorDefaulted=lot.prime_contractor_defaulted)  # fmt: skip
    for row in rows["contracts"]:
        check("Contract", "contracts", row, row["contract_id"], startDate="2025-01-31",
              annualValue=float(row["annual_value"]), endDate=None, selectionBasis=None,
              annualValueCents=cents(float(row["annual_value"])),
              source=register.contracts[row["contract_id"]].source,
              modeAsWritten=row["mode"].strip() or None)  # fmt: skip
    for table, name in ((register.lots, "lots.csv:"), (register.contracts, "contracts.csv:")):
        assert all(entity.source.startswith(name) for entity in table.values())

    def pairs(cypher: str) -> set[tuple[str, str]]:
        return {(r["a"], r["b"]) for r in neo4j_store.read(cypher)}

    contracts = register.contracts.values()
    assert pairs("MATCH (c:Contract)-[:SUPPLIED_BY]->(s) RETURN c.id AS a, s.id AS b") == {
        (c.id, c.supplier) for c in contracts
    }
    assert pairs("MATCH (c:Contract)-[:PART_OF]->(l) RETURN c.id AS a, l.id AS b") == {
        (c.id, c.lot) for c in contracts
    }
    assert pairs("MATCH (c:Contract)-[:DELIVERS]->(f) RETURN c.id AS a, f.id AS b") == {
        (c.id, f) for c in contracts for f in c.functions
    }
    assert pairs("MATCH (a:Lot)-[:DEPENDS_ON]->(b) RETURN a.id AS a, b.id AS b") == (
        register.dependencies
    )
    assert pairs("MATCH (l:Lot)-[:COORDINATED_BY]->(p) RETURN l.id AS a, p.id AS b") == {
        (lot.id, lot.prime_contractor) for lot in register.lots.values()
    }


@pytest.mark.neo4j
@pytest.mark.slow
def test_both_engines_agree_and_payloads_never_change_a_query(  # type: ignore[no-untyped-def]
    neo4j_store, hostile: Written, register: Register, tmp_path: Path
) -> None:
    args = ["analyze", str(hostile.folder), "--format", "json", *AS_OF_ARGS]
    embedded = cli(*args, "--engine", "embedded", env=no_neo4j_env())
    on_neo4j = cli(*args, "--engine", "neo4j", "--replace", env=neo4j_env(neo4j_store))
    assert embedded.returncode == 0 and on_neo4j.returncode == 0, embedded.stderr + on_neo4j.stderr
    assert on_neo4j.stdout == embedded.stdout
    result = json.loads(embedded.stdout)
    # every analysis finds something in it, except R10 and R14: the hostile register records no
    # selection basis and no end date
    empty = sorted(key for key, value in result.items() if not value)
    assert empty == ["cost_selection", "renegotiation_windows"]

    # the same register with plain identifiers (sorting alike) gives the same findings
    benign = read_register(write_register(tmp_path / "benign", benign=True).folder)
    back = dict(zip(benign_ids(), PAYLOADS, strict=True))
    assert to_hostile(analyze(benign, RULES, as_of=AS_OF), back) == result


@pytest.mark.neo4j
def test_identifiers_sort_by_code_point_on_both_engines(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    """The spec and the embedded engine sort identifiers by code point; Neo4j sorts computed and
    parameter strings by UTF-16 code unit (U+1F4A3 before U+FF01; stored values by code point).
    The rows come out in the spec's order on both (the analyses re-sort Neo4j's rows)."""
    names = ["\uff01x", "\U0001f4a3", "\ue000p", "a\U0001f4a3", "a\uffff", "Z"]
    reg = Register(source="code points")
    for n in names:
        reg.organisations[n] = Organisation(n)
        reg.functions[n] = Function(n, critical=True, retained=True)
        reg.lots[n] = Lot(n, prime_contractor=n, complexity="high")
    for i, n in enumerate(names):
        for j, m in enumerate(names):
            reg.contracts[n + m] = Contract(
                n + m, names[(i + j) % len(names)], m, mode="distrust" if j % 2 else "trust",
                clauses=frozenset({"penalty"}), functions=frozenset({n}), annual_value=float(j),
            )  # fmt: skip
    for a, b in zip(names, names[1:], strict=False):
        reg.dependencies.add((a, b))
    neo4j_store.load_register(reg, as_of=AS_OF)
    computed = neo4j_store.read(
        "UNWIND $n AS n WITH n ORDER BY n RETURN collect(n) AS n", {"n": names}
    )
    assert computed[0]["n"] != sorted(names)  # what the re-sorting is there for
    embedded = analyze(reg, RULES, as_of=AS_OF)
    assert analyze(None, RULES, engine=Neo4jEngine(neo4j_store, as_of=AS_OF)) == embedded
    assert [r["contract"] for r in embedded["clause_conflicts"]] == sorted(
        r["contract"] for r in embedded["clause_conflicts"]
    )
    assert len(embedded["clause_conflicts"]) > 10


def test_rows_are_put_in_code_point_order() -> None:
    rows = [
        {"supplier": "\uff01", "function": "f", "contracts": ["\uff01", "\U0001f4a3"],
         "reasons": ["declared_distrust", "penalty_or_bonus"]},
        {"supplier": "\U0001f4a3", "function": "f", "contracts": ["x"], "reasons": ["a"]},
    ]  # fmt: skip
    ordered = in_code_point_order("critical_without_trust", rows)
    assert [r["supplier"] for r in ordered] == ["\uff01", "\U0001f4a3"]
    assert ordered[0]["contracts"] == ["\uff01", "\U0001f4a3"]
    assert ordered[0]["reasons"] == ["declared_distrust", "penalty_or_bonus"]


@pytest.mark.neo4j
@pytest.mark.slow
def test_named_queries_take_hostile_parameters_and_change_nothing(  # type: ignore[no-untyped-def]
    neo4j_store, register: Register
) -> None:
    neo4j_store.load_register(register)
    before = digest(neo4j_store)
    per_query = {"critical-without-trust": "supplier", "concentration": "supplier",
                 "retained-functions": "supplier", "clause-conflicts": "supplier",
                 "coordination-load": "primeContractor", "mode-mismatches": "primeContractor"}  # fmt: skip
    embedded = EmbeddedEngine(register, RULES)
    tried = 0
    for name, param in per_query.items():
        key = name.replace("-", "_")
        text, declared = resolve_query(name)
        filter_name = "supplier" if param == "supplier" else "prime_contractor"
        for payload in PAYLOADS:
            values = parse_params([f"{param}={payload}"], declared)
            assert values[param] == payload
            rows = in_code_point_order(key, neo4j_store.read(text, values))
            wanted = run_analysis(key, None, RULES, embedded, **{filter_name: payload})
            assert rows == wanted, (name, payload)
            tried += 1
    # and through the CLI, for the payloads a shell or a parser would most likely mangle
    env = neo4j_env(neo4j_store)
    for payload in [p for p in PAYLOADS if any(m in p for m in ("'", "$", "\n", "=", "`"))][:8]:
        result = cli("query", "critical-without-trust", "-p", f"supplier={payload}",
                     "--format", "json", env=env)  # fmt: skip
        assert result.returncode == 0, result.stderr
        rows = in_code_point_order("critical_without_trust", json.loads(result.stdout))
        assert rows == run_analysis("critical_without_trust", register, RULES, supplier=payload)
    assert tried == len(per_query) * len(PAYLOADS)
    assert digest(neo4j_store) == before


@pytest.mark.neo4j
def test_a_too_long_identifier_never_reaches_neo4j(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    before = digest(neo4j_store)
    reg = Register(source="api")
    reg.contracts["C"] = Contract("C", "s", LONG_ID + "x")
    reg.organisations["s"] = Organisation("s")
    reg.lots[LONG_ID + "x"] = Lot(LONG_ID + "x")
    with pytest.raises(RegisterError, match=f"at most {MAX_ID_LENGTH} characters"):
        neo4j_store.load_register(reg)
    assert digest(neo4j_store) == before


# -- RDF -------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fmt", "suffix", "rdf_format"),
    [("ttl", "ttl", "turtle"), ("nt", "nt", "nt"), ("jsonld", "jsonld", "json-ld")],
)
def test_rdf_export_reads_back_exactly(
    hostile: Written, register: Register, tmp_path: Path, fmt: str, suffix: str, rdf_format: str
) -> None:
    out = tmp_path / f"hostile.{suffix}"
    result = cli("export", str(hostile.folder), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    # the export carries the register's conclusions (issue 14), as the embedded engine draws them
    conclusions = EmbeddedEngine(register, RULES).conclusions().as_data()
    graph = register_to_rdf(register, conclusions=conclusions)
    assert isomorphic(Graph().parse(out, format=rdf_format), graph)
    again = read_rdf(out)
    assert (
        dataclasses.replace(again, source=register.source, warnings=register.warnings) == register
    )
    analysed = cli("analyze", str(out), "--format", "json", *AS_OF_ARGS, env=no_neo4j_env())
    assert analysed.returncode == 0, analysed.stderr
    assert json.loads(analysed.stdout) == analyze(register, RULES, as_of=AS_OF)


# -- query: read-only unless --write ----------------------------------------------------------------

WRITES = [
    "CREATE (:Intruder)",
    "create (:Intruder)",
    "MERGE (:Intruder)",
    "/* read */ CREATE (:Intruder)",
    "// read\nCREATE (:Intruder)",
    "MATCH (n) RETURN n LIMIT 1 UNION MATCH (n) DETACH DELETE n RETURN n LIMIT 1",
    "CALL { CREATE (:Intruder) } RETURN 1 AS one",
    "CALL () { MATCH (c:Contract) DETACH DELETE c }",
    "UNWIND [1] AS i CALL (i) { CREATE (:Intruder) } IN TRANSACTIONS RETURN i",
    "MATCH (l:Lot) WITH l LIMIT 1 SET l.name = 'changed' RETURN l.name",
    "MATCH (l:Lot) FOREACH (x IN [1] | SET l:Intruder)",
    "MATCH (l:Lot) REMOVE l.name",
    "LOAD CSV FROM 'file:///nothing.csv' AS line CREATE (:Intruder {line: line})",
    "CALL db.createLabel('Intruder')",
    "CALL db.createProperty('intruder')",
    "CALL db.createRelationshipType('INTRUDER')",
    "CREATE INDEX intruder FOR (n:Lot) ON (n.intruder)",
    "DROP CONSTRAINT lot_id_unique",
    # a throwaway password made at run time (the repository scan forbids password literals)
    " ".join(["CREATE USER intruder SET PASSWORD", repr(secrets.token_urlsafe(12))]),
    "MATCH (n) DETACH DELETE n",
]


@pytest.mark.neo4j
def test_no_spelling_of_a_write_gets_past_the_read_only_transaction(  # type: ignore[no-untyped-def]
    neo4j_store,
) -> None:
    from tests.support import EXAMPLES

    neo4j_store.load_register(read_register(EXAMPLES / "acme-retail"))
    before = digest(neo4j_store)
    for cypher in WRITES:
        with pytest.raises(
            ReadOnlyViolation, match=r"the query tries to write, but queries run read-only"
        ):
            neo4j_store.read(cypher)
        assert digest(neo4j_store) == before, cypher
    env = neo4j_env(neo4j_store)
    for cypher in (WRITES[0], WRITES[6], WRITES[13]):
        result = cli("query", cypher, env=env)
        assert result.returncode == 1
        assert "read-only" in result.stderr and "--write" in result.stderr
        assert "Traceback" not in result.stderr
    assert digest(neo4j_store) == before


@pytest.mark.neo4j
def test_query_write_changes_the_graph_when_asked(neo4j_store) -> None:  # type: ignore[no-untyped-def]
    env = neo4j_env(neo4j_store)
    before = digest(neo4j_store)
    payload = PAYLOADS[20]  # '}) DETACH DELETE n //
    cypher = "CREATE (m:Marker {id: $id}) RETURN m.id AS id"
    refused = cli("query", cypher, "-p", f"id={payload}", env=env)
    assert refused.returncode == 1 and digest(neo4j_store) == before
    try:
        result = cli("query", "--write", cypher, "-p", f"id={payload}", "--format", "json", env=env)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == [{"id": payload}]
        assert "1 nodes created" in result.stderr and "1 labels added" in result.stderr
        assert neo4j_store.read("MATCH (m:Marker) RETURN m.id AS id") == [{"id": payload}]
        assert digest(neo4j_store) != before
    finally:
        neo4j_store.write("MATCH (m:Marker) DELETE m")
    assert digest(neo4j_store) == before


# -- what the tool writes: CSV, Markdown, the terminal ------------------------------------------


def test_other_properties_keep_extra_columns_of_the_same_name() -> None:
    from sourcing_graph.graph.neo4j.load_plan import node_properties as _props

    props = _props({"uri": "u", "extra_uri": "e", "note": "n"}, id="x", uri="i")
    assert props == {"id": "x", "uri": "i", "extra_uri": "u", "extra_extra_uri": "e", "note": "n"}


def test_list_safe_payloads_reach_every_list(hostile: Written) -> None:
    assert all(list_safe(i) for r in hostile.rows["contracts"] for i in r["functions"].split("|"))
    assert OWN_IT not in PAYLOADS
