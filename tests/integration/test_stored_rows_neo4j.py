"""Every analysis on Neo4j read from what the load stored: the same rows as the live query.

R3-R9 and D1-D5 (and R10-R15 at the stored reference date) are read from the rows the last load or
refresh stored whole (``Finding.rowJson``; R5's and R9's rows on the meta node, R15 there too),
filtered as their named queries filter (in Cypher; R5's and R9's by the engine). The live queries
stay: they are what the load stores and what these tests compare with, unfiltered and filtered, on
both examples, a generated register and the DORA package, and after a change in Cypher and a
refresh.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bench.generate import generate
from sourcing_graph.graph.analyses import Neo4jEngine
from sourcing_graph.graph.registry import ANALYSES, DORA_ANALYSES, REVIEW_KEYS
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from sourcing_graph.queries import get_query
from sourcing_graph.queries.statements import statements
from tests.support import EXAMPLES
from tests.support.counting import Counting
from tests.support.dora import OVERLAY, PACKAGE
from tests.support.random_registers import as_json

pytestmark = pytest.mark.neo4j

AS_OF = date(2026, 6, 1)
OTHER_AS_OF = date(2027, 3, 15)
ENGINE = statements("engine")
STORED_READS = {ENGINE["stored-rows"], ENGINE["stored-posture"]}
EVERY = {**ANALYSES, **DORA_ANALYSES}
SEVERITY_CHECK = get_query("severity-ranks").text
"""What a min_severity filter reads first: whether the severity exists."""


def registers() -> list[tuple[str, Register]]:
    return [
        ("gemeente-waterland", read_register(str(EXAMPLES / "gemeente-waterland"))),
        ("acme-retail", read_register(str(EXAMPLES / "acme-retail"))),
        ("dora-bank-roi", read_any(PACKAGE, overlay=OVERLAY)),
        ("generated-600", generate(600, seed=7)),
    ]


def keys_of(live: Neo4jEngine) -> list[str]:
    """The analyses of the loaded register: R3-R15, and D1-D5 when it has supply-chain data."""
    return [*ANALYSES, *(DORA_ANALYSES if live.has_supply_chain_data() else {})]


def filter_values(store: Any) -> dict[str, list[Any]]:
    """Some values of each filter: organisations that are suppliers or prime contractors (a few,
    and one that does not exist), and each severity."""
    suppliers = [
        row["id"]
        for row in store.read(
            "MATCH (o:Organisation) WHERE EXISTS { (o)<-[:SUPPLIED_BY]-() } "
            "OR EXISTS { (o)<-[:SUPPLY_CHAIN]-() } RETURN o.id AS id ORDER BY id"
        )
    ]
    primes = [
        row["id"]
        for row in store.read(
            "MATCH (o:Organisation)<-[:COORDINATED_BY]-() RETURN DISTINCT o.id AS id ORDER BY id"
        )
    ]
    severities = [
        row["key"] for row in store.read("MATCH (s:SeverityLevel) RETURN s.key AS key ORDER BY key")
    ]
    return {
        "supplier": suppliers[:4] + suppliers[-2:] + ["no-such-supplier"],
        "prime_contractor": primes[:4] + ["no-such-prime"],
        "min_severity": severities,
    }


@pytest.mark.parametrize("case", registers(), ids=lambda case: case[0])
def test_every_analysis_reads_the_stored_rows_equal_to_the_live_query(
    neo4j_store: Any, case: tuple[str, Register]
) -> None:
    name, register = case
    neo4j_store.load_register(register, as_of=AS_OF)
    reads = Counting(neo4j_store)
    engine = Neo4jEngine(reads, as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    keys = keys_of(live)
    if name == "dora-bank-roi":
        assert set(DORA_ANALYSES) <= set(keys)
    if name != "dora-bank-roi":  # no supply-chain data: D1-D5 not stored, derived
        for key in DORA_ANALYSES:
            reads.ran.clear()
            assert as_json(engine.run(key)) == as_json(live.run(key)), (name, key)
            assert EVERY[key].query().text in reads.ran, key
    nonempty = 0
    for key in keys:
        reads.ran.clear()
        theirs = engine.run(key)
        assert reads.ran and set(reads.ran) <= STORED_READS, key  # read, not derived
        assert as_json(theirs) == as_json(live.run(key)), (name, key)
        nonempty += bool(theirs)
    assert nonempty >= 5, name  # the comparison means something
    values = filter_values(neo4j_store)
    for key in keys:
        for filter_name in EVERY[key].filters:
            for value in values[filter_name]:
                reads.ran.clear()
                theirs = engine.run(key, **{filter_name: value})
                assert set(reads.ran) <= STORED_READS | {SEVERITY_CHECK}, (key, filter_name)
                assert as_json(theirs) == as_json(live.run(key, **{filter_name: value})), (
                    name,
                    key,
                    filter_name,
                    value,
                )
    # two filters at once (R3)
    for prime in values["prime_contractor"]:
        chosen = {"prime_contractor": prime, "min_severity": values["min_severity"][0]}
        assert as_json(engine.run("mode_mismatches", **chosen)) == as_json(
            live.run("mode_mismatches", **chosen)
        )
    # the whole result: one query, the same as every analysis derived
    reads.ran.clear()
    assert as_json(engine.stored_result()) == as_json(live.analyze())
    assert reads.ran == [ENGINE["stored-all"]]
    # at another date: R10-R15 derived at it, the rest read as stored
    later = Counting(neo4j_store)
    other = Neo4jEngine(later, as_of=OTHER_AS_OF)
    derived = Neo4jEngine(neo4j_store, as_of=OTHER_AS_OF, stored=False)
    assert as_json(other.stored_result()) == as_json(derived.analyze())
    for key in keys:
        later.ran.clear()
        assert as_json(other.run(key)) == as_json(derived.run(key)), key
        assert (EVERY[key].query().text in later.ran) == (key in REVIEW_KEYS), key


def test_a_change_in_cypher_is_read_after_refresh(neo4j_store: Any) -> None:
    """Stored rows are what the load concluded: a clause removed in Cypher changes the live rows
    only, until ``refresh`` stores them again; then stored and live are equal again."""
    neo4j_store.load_register(read_register(str(EXAMPLES / "gemeente-waterland")), as_of=AS_OF)
    engine = Neo4jEngine(neo4j_store, as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    before = {key: as_json(engine.run(key)) for key in ANALYSES}
    assert before == {key: as_json(live.run(key)) for key in ANALYSES}
    neo4j_store.write(
        "MATCH (:Contract)-[r:HAS_CLAUSE]->(:ClauseType {key: 'penalty'}) DELETE r", {}
    )
    neo4j_store.write("MATCH (:Contract)-[r:HAS_CLAUSE]->(:ClauseType {key: 'bonus'}) DELETE r", {})
    neo4j_store.write(
        "MATCH (c:Contract) WHERE c.modeBasis = 'forced_by_clause' "
        "SET c.modeBasis = 'declared', c.effectiveMode = 'trust'",
        {},
    )
    changed = [key for key in ANALYSES if as_json(live.run(key)) != before[key]]
    assert len(changed) >= 3, changed
    assert {key: as_json(engine.run(key)) for key in ANALYSES} == before
    neo4j_store.refresh(as_of=AS_OF)
    after = {key: as_json(engine.run(key)) for key in ANALYSES}
    assert after == {key: as_json(live.run(key)) for key in ANALYSES}
    assert all(after[key] != before[key] for key in changed)
    assert as_json(engine.stored_result()) == as_json(live.analyze())


def test_r5_and_r9_rows_are_one_text_and_rows_stored_one_a_text_read_the_same(
    neo4j_store: Any,
) -> None:
    """R5's and R9's rows are stored joined in one text (a list of texts is reckoned at its length
    times its longest text in a transaction: R9's went over a 64 MiB cap at 30,000 contracts); the
    same rows stored one text a row (as an earlier version did) read the same, filtered or not."""
    neo4j_store.load_register(generate(300, seed=11), as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    engine = Neo4jEngine(neo4j_store, as_of=AS_OF)
    values = filter_values(neo4j_store)
    cases = [("coordination_load", {})] + [
        ("coordination_load", {"prime_contractor": v}) for v in values["prime_contractor"]
    ]
    cases += [("concentration", {})] + [
        ("concentration", {"supplier": v}) for v in values["supplier"]
    ]
    expected = [as_json(live.run(key, **filters)) for key, filters in cases]
    stored = neo4j_store.read(
        "MATCH (m:SourcingGraphMeta) RETURN m.coordinationRows AS r5, m.concentrationRows AS r9, "
        "size(m.concentrationKeys) AS keys"
    )[0]
    assert len(stored["r5"]) == 1 and len(stored["r9"]) == 1, stored
    assert stored["keys"] == len(live.run("concentration")) > 1
    assert [as_json(engine.run(key, **filters)) for key, filters in cases] == expected
    one_a_row = {
        name: [json.dumps(row, separators=(",", ":")) for row in json.loads(f"[{stored[name][0]}]")]
        for name in ("r5", "r9")
    }
    neo4j_store.write(
        "MATCH (m:SourcingGraphMeta) SET m.coordinationRows = $r5, m.concentrationRows = $r9",
        one_a_row,
    )
    assert [as_json(engine.run(key, **filters)) for key, filters in cases] == expected
    # filters that keep some rows and filters that keep none (the one that names nothing)
    assert expected.count(as_json([])) >= 2 and len(set(expected)) > 4


def test_a_graph_stored_by_an_older_version_is_derived(neo4j_store: Any) -> None:
    """Without the rows whole (R5's and R9's on the meta node, a finding's ``rowJson``: a graph
    loaded by an older version), every analysis derives its rows and the whole result is read
    field by field; a refresh stores them."""
    neo4j_store.load_register(generate(300, seed=11), as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    expected = {key: as_json(live.run(key)) for key in ANALYSES}
    whole = as_json(live.analyze())
    neo4j_store.write(
        "MATCH (m:SourcingGraphMeta) REMOVE m.coordinationRows, m.coordinationKeys, "
        "m.concentrationRows, m.concentrationKeys",
        {},
    )
    neo4j_store.write(
        "MATCH (f:Finding) WHERE NOT f.rule IN ['R10', 'R11', 'R12', 'R13', 'R14'] "
        "REMOVE f.rowJson, f.rowOrder",
        {},
    )
    reads = Counting(neo4j_store)
    engine = Neo4jEngine(reads, as_of=AS_OF)
    for key in ANALYSES:
        reads.ran.clear()
        assert as_json(engine.run(key)) == expected[key], key
        # R15 was stored on the meta node before the rows were: still read from there
        assert (EVERY[key].query().text in reads.ran) == (key != "posture"), key
    reads.ran.clear()
    assert as_json(engine.stored_result()) == whole
    assert get_query("stored-result").text in reads.ran
    neo4j_store.refresh(as_of=AS_OF)
    for key in ANALYSES:
        reads.ran.clear()
        assert as_json(engine.run(key)) == expected[key], key
        assert set(reads.ran) <= STORED_READS, key


def db_hits(plan: Any) -> int:
    """The database hits of a profiled plan, all its operators together."""
    return int(plan.get("dbHits", 0)) + sum(db_hits(child) for child in plan.get("children", []))


def profiled_hits(store: Any, analysis: str, **filters: Any) -> tuple[int, int]:
    """(database hits, rows) of ``engine:stored-rows`` for ``analysis`` with ``filters``."""
    from sourcing_graph.graph.neo4j.engine import DEFAULT_FILTER_FIELDS, FILTER_FIELDS

    params = {
        "rule": EVERY[analysis].rule,
        "dated": False,
        "dora": False,
        "asOf": AS_OF.isoformat(),
        "supplier": filters.get("supplier"),
        "primeContractor": filters.get("prime_contractor"),
        "minSeverity": filters.get("min_severity"),
        **FILTER_FIELDS.get(analysis, DEFAULT_FILTER_FIELDS),
    }
    with store.driver.session(database=store.database) as session:
        result = session.run("PROFILE " + ENGINE["stored-rows"], params)
        rows = [record["rows"] for record in result]
        plan = result.consume().profile
    # the rows' JSON texts (R5's and R9's joined in one text on the meta node), decoded
    return db_hits(plan), len(json.loads("[" + ",".join(rows[0]) + "]"))


def test_the_stored_reads_do_not_grow_with_rows_times_rows(neo4j_store: Any) -> None:
    """What made them take seconds at 100k: R5's and R9's rows are read off the meta node once,
    not once per row (a property read loads the whole list); R3's prime contractor is tested from
    each finding through its lots, not by walking all the prime contractor's lots per finding."""
    neo4j_store.load_register(generate(600, seed=7), as_of=AS_OF)
    prime = neo4j_store.read(
        "MATCH (o:Organisation)<-[:COORDINATED_BY]-(l:Lot) "
        "RETURN o.id AS id, count(l) AS lots ORDER BY lots DESC, id LIMIT 1"
    )[0]
    assert prime["lots"] >= 10, prime  # a prime contractor with many lots (thousands at 100k)
    # R9: a few hits whatever the number of rows (main's statement: 2 per row, 20 for 14 rows)
    hits, rows = profiled_hits(neo4j_store, "concentration")
    assert rows >= 10 and hits < rows, (hits, rows)
    # R3 by prime contractor: a bounded number of hits per finding (main's statement walked all
    # the prime contractor's lots for each: 660 hits here for 13 findings, 6.5 s at 100k)
    hits, rows = profiled_hits(neo4j_store, "mode_mismatches", prime_contractor=prime["id"])
    findings = neo4j_store.read("MATCH (f:Finding {rule: 'R3'}) RETURN count(f) AS n")[0]["n"]
    assert rows >= 10, rows
    assert hits < 40 * findings, (hits, findings, prime)
