"""R10-R14 on Neo4j read from their stored findings at the stored reference date.

One analysis of R10-R14 (``Neo4jEngine.run`` / ``rows``, a filtered ``analyze``) reads the
findings the load stored when the engine's date is the load's; at another date, and with
``stored=False`` (a what-if, the load's own derivation), it derives them with its named query.
The stored rows must be the derived ones, row for row, filtered or not.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from bench.generate import generate
from sourcing_graph.graph.analyses import Neo4jEngine, analyze, run_analysis
from sourcing_graph.graph.neo4j.engine import STORED_REVIEW_KEYS
from sourcing_graph.graph.registry import ANALYSES
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from sourcing_graph.queries import get_query
from sourcing_graph.queries.statements import statements
from sourcing_graph.text import json_text
from tests.support import EXAMPLES
from tests.support.cli import cli, neo4j_env
from tests.support.counting import Counting
from tests.support.payloads import PAYLOADS
from tests.support.payloads import write_register as write_hostile

pytestmark = pytest.mark.neo4j

AS_OF = date(2026, 6, 1)
OTHER_AS_OF = date(2027, 3, 15)
STORED_ROWS = statements("engine")["stored-rows"]


def loaded(store: Any, register: Register) -> tuple[Counting, Neo4jEngine, Neo4jEngine]:
    """``register`` loaded at :data:`AS_OF`: its reads counted, an engine reading the stored
    rows through them, and one deriving."""
    store.load_register(register, as_of=AS_OF)
    reads = Counting(store)
    return reads, Neo4jEngine(reads, as_of=AS_OF), Neo4jEngine(store, as_of=AS_OF, stored=False)


def registers() -> list[tuple[str, Register]]:
    return [
        ("gemeente-waterland", read_register(str(EXAMPLES / "gemeente-waterland"))),
        ("acme-retail", read_register(str(EXAMPLES / "acme-retail"))),
        ("generated-600", generate(600, seed=7)),
    ]


@pytest.mark.parametrize("case", registers(), ids=lambda case: case[0])
def test_stored_rows_are_the_derived_rows(neo4j_store: Any, case: tuple[str, Register]) -> None:
    name, register = case
    stored, engine, live = loaded(neo4j_store, register)
    suppliers: set[str] = set()
    for key in sorted(STORED_REVIEW_KEYS):
        query = ANALYSES[key].query().text
        stored.ran.clear()
        theirs = engine.run(key)
        assert stored.ran == [STORED_ROWS], key  # read, not derived
        derived = live.run(key)
        assert theirs == derived, (name, key)
        if name == "generated-600":
            assert derived, key  # every rule has findings here: the comparison means something
        suppliers.update(row["supplier"] for row in derived)
        # at another date, the same engine derives (R14's windows depend on the date)
        later = Counting(neo4j_store)
        assert Neo4jEngine(later, as_of=OTHER_AS_OF).run(key) == Neo4jEngine(
            neo4j_store, as_of=OTHER_AS_OF, stored=False
        ).run(key)
        assert STORED_ROWS in later.ran and query in later.ran, key
    assert suppliers
    for supplier in sorted(suppliers)[:5] + ["no-such-supplier"]:
        for key in sorted(STORED_REVIEW_KEYS):
            stored.ran.clear()
            theirs = engine.run(key, supplier=supplier)
            assert stored.ran == [STORED_ROWS]
            assert theirs == live.run(key, supplier=supplier), (name, key, supplier)
            assert all(row["supplier"] == supplier for row in theirs)
        # a filtered analyze: R10-R14 read, the rest derived; the same result as all derived
        assert analyze(None, None, engine, supplier=supplier) == analyze(
            None, None, live, supplier=supplier
        )


def test_each_finding_keeps_its_row_whole_in_the_analysis_order(neo4j_store: Any) -> None:
    """The compact form the read uses: ``rowJson`` decodes to the finding's fields (the same
    values as its properties), ``rowOrder`` numbers the rule's rows 0, 1, ... in the derivation's
    order; the other rules' findings have both too (tests/integration/test_stored_rows_neo4j.py
    reads them)."""
    neo4j_store.load_register(generate(600, seed=7), as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    for key in sorted(STORED_REVIEW_KEYS):
        analysis = ANALYSES[key]
        columns = list(analysis.query().columns)
        found = neo4j_store.read(
            "MATCH (f:Finding {rule: $rule}) "
            "RETURN f.rowOrder AS order, f.rowJson AS text, [c IN $columns | f[c]] AS values "
            "ORDER BY order",
            {"rule": analysis.rule, "columns": columns},
        )
        derived = live.run(key)
        assert [row["order"] for row in found] == list(range(len(derived))), key
        decoded = [json.loads(row["text"]) for row in found]
        assert decoded == derived, key
        assert [list(row) for row in decoded] == [columns] * len(decoded), key  # column order
        assert [list(row.values()) for row in decoded] == [row["values"] for row in found], key
    others = neo4j_store.read(
        "MATCH (f:Finding) WHERE NOT f.rule IN $rules "
        "RETURN count(f) AS n, count(f.rowJson) AS json, count(f.rowOrder) AS ordered",
        {"rules": [ANALYSES[key].rule for key in STORED_REVIEW_KEYS]},
    )[0]
    assert others["n"] > 0 and others["json"] == others["ordered"] == others["n"]


def test_hostile_identifiers_come_back_from_the_stored_rows_verbatim(
    neo4j_store: Any, tmp_path: Any
) -> None:
    """Quotes, backslashes, control characters, emoji and the longest identifier survive the
    JSON text: the stored rows equal the derived ones, filtered by any payload supplier too."""
    register = read_register(write_hostile(tmp_path / "hostile").folder)
    reads, engine, live = loaded(neo4j_store, register)
    seen: set[str] = set()
    for key in sorted(STORED_REVIEW_KEYS):
        reads.ran.clear()
        theirs = engine.run(key)
        assert reads.ran == [STORED_ROWS], key
        assert theirs == live.run(key), key
        seen.update(row[name] for row in theirs for name in ("contract", "lot", "supplier"))
        for supplier in {row["supplier"] for row in theirs}:
            assert engine.run(key, supplier=supplier) == live.run(key, supplier=supplier)
    # the comparison covered the hard cases: quotes, backslashes, control characters, emoji
    assert len(seen) > len(PAYLOADS) // 2
    for hard in ('"', "\\", "\n", "\x1b", "\U0001f4a3"):
        assert any(hard in ident for ident in seen), repr(hard)


def test_findings_stored_without_their_rows_whole_are_derived(neo4j_store: Any) -> None:
    """A graph whose findings lack ``rowJson`` (loaded by an older version) is not misread: the
    analysis derives its rows, until a refresh stores them whole."""
    neo4j_store.load_register(generate(300, seed=11), as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    wanted = live.run("contract_review")
    assert len(wanted) > 1
    neo4j_store.write(
        "MATCH (f:Finding {rule: 'R13', contract: $contract}) REMOVE f.rowJson",
        {"contract": wanted[1]["contract"]},
    )
    reads = Counting(neo4j_store)
    engine = Neo4jEngine(reads, as_of=AS_OF)
    assert engine.run("contract_review") == wanted
    assert reads.ran == [STORED_ROWS, get_query("contract-review").text]
    neo4j_store.refresh(as_of=AS_OF)
    reads.ran.clear()
    assert engine.run("contract_review") == wanted
    assert reads.ran == [STORED_ROWS]


def test_a_graph_changed_after_the_load_shows_the_stored_rows(neo4j_store: Any) -> None:
    """The stored read is what it says: a change to the register after the load (without a
    refresh) is seen by the derivation, not by the stored rows, until the refresh."""
    register = read_register(str(EXAMPLES / "gemeente-waterland"))
    neo4j_store.load_register(register, as_of=AS_OF)
    engine = Neo4jEngine(neo4j_store, as_of=AS_OF)
    live = Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False)
    before = engine.run("unbounded_trust")
    assert before == live.run("unbounded_trust")
    assert before  # the example has a contract in trust without freedom of movement
    neo4j_store.write(
        "MATCH (c:Contract {id: $id}) SET c.effectiveMode = 'distrust'",
        {"id": before[0]["contract"]},
    )
    assert engine.run("unbounded_trust") == before
    assert live.run("unbounded_trust") == before[1:]
    neo4j_store.refresh(as_of=AS_OF)
    assert engine.run("unbounded_trust") == live.run("unbounded_trust")


def test_run_analysis_at_the_stored_date_reads_the_findings(neo4j_store: Any) -> None:
    neo4j_store.load_register(generate(300, seed=11), as_of=AS_OF)
    reads = Counting(neo4j_store)
    rows = run_analysis("renegotiation-windows", None, None, Neo4jEngine(reads, as_of=AS_OF))
    assert reads.ran == [STORED_ROWS]
    assert rows == Neo4jEngine(neo4j_store, as_of=AS_OF, stored=False).run("renegotiation_windows")


def query_json(store: Any, *args: str) -> list[dict[str, Any]]:
    done = cli("query", *args, "--format", "json", env=neo4j_env(store))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    "name",
    [ANALYSES[key].query_name for key in sorted(STORED_REVIEW_KEYS)],
)
def test_the_query_command_reads_the_stored_findings(neo4j_store: Any, name: str) -> None:
    """``sourcing-graph query NAME`` for R10-R14: the stored findings while the conclusions are
    fresh (R14: drawn at its asOf), the same rows as the named query derives; else derived."""
    neo4j_store.load_register(generate(600, seed=7), as_of=AS_OF)
    text = get_query(name).text
    dated = ("-p", f"asOf={AS_OF.isoformat()}") if name == "renegotiation-windows" else ()
    derived = neo4j_store.query(text, {"supplier": None, "asOf": AS_OF}).rows
    assert derived
    stored = query_json(neo4j_store, name, *dated)
    assert stored == json.loads(json_text(derived))
    supplier = derived[0]["supplier"]
    mine = [row for row in stored if row["supplier"] == supplier]
    assert query_json(neo4j_store, name, *dated, "-p", f"supplier={supplier}") == mine
    # a finding changed by hand (the register untouched: the conclusions still fresh) shows:
    # the command read the findings, not the derivation
    rule = get_query(name).rule
    neo4j_store.write(
        "MATCH (f:Finding {rule: $rule, contract: $contract}) SET f.lot = 'changed'",
        {"rule": rule, "contract": stored[0]["contract"]},
    )
    changed = query_json(neo4j_store, name, *dated)
    assert [row["lot"] for row in changed if row["contract"] == stored[0]["contract"]] == [
        "changed"
    ]
    if dated:  # R14 at another date: derived, as the named query
        later = query_json(neo4j_store, name, "-p", f"asOf={OTHER_AS_OF.isoformat()}")
        again = neo4j_store.query(text, {"supplier": None, "asOf": OTHER_AS_OF}).rows
        assert later == json.loads(json_text(again))


def test_a_filtered_analysis_on_the_store_itself_reads_the_findings_under_its_lock(
    neo4j_store: Any,
) -> None:
    """A filtered ``analyze`` holds the load lock (``Neo4jStore.stable``) and reads R10-R14's
    stored findings inside it, which ask for the lock again: the store runs that at once (it
    waited for its own lock for ever before)."""
    import threading

    from sourcing_graph.ontology.rules import load_rules

    register = read_register(str(EXAMPLES / "gemeente-waterland"))
    neo4j_store.load_register(register, as_of=AS_OF)
    supplier = next(iter(register.contracts.values())).supplier
    found: list[Any] = []
    worker = threading.Thread(
        target=lambda: found.append(
            analyze(None, None, Neo4jEngine(neo4j_store, as_of=AS_OF), supplier=supplier)
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=120)
    assert found, "the filtered analysis did not finish within 120 s"
    assert found[0] == analyze(register, load_rules(), as_of=AS_OF, supplier=supplier)
    assert neo4j_store.stable(lambda: neo4j_store.stable(lambda: "nested")) == "nested"
