"""The conclusions stored in Neo4j (issue 14): with every load, the same keys across loads, stale
ones removed, staleness seen after a change made with Cypher, refresh, changed rule data."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sourcing_graph.graph.analyses import EmbeddedEngine, Neo4jEngine, analyze
from sourcing_graph.graph.neo4j import freshness, load_ontology
from sourcing_graph.graph.neo4j import store as store_module
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from sourcing_graph.ontology.rules import load_rules
from sourcing_graph.queries.statements import statements
from tests.support import DATA, EXAMPLES
from tests.support.conclusions import (
    digests_of_the_load,
    expected_conclusions,
    stored_conclusions,
)
from tests.support.ontology import SG_PREFIX
from tests.support.spy import spy_statements

pytestmark = pytest.mark.neo4j

WATERLAND = EXAMPLES / "gemeente-waterland"
FORCED_SLA = SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n"
AS_OF = date(2026, 6, 1)
"""The reference date of the loads whose findings are counted (R14 depends on it)."""
OTHER_AS_OF = date(2026, 6, 2)


@pytest.fixture
def waterland() -> Register:
    return read_register(WATERLAND)


@pytest.fixture
def store(neo4j_store: Any) -> Any:
    """The test store with the packaged ontology again afterwards."""
    yield neo4j_store
    neo4j_store.ensure_schema()


def finding_ids(store: Any) -> dict[str, tuple[str, str]]:
    """key -> (element id, content hash) of every stored finding."""
    rows = store.read(
        "MATCH (f:Finding) RETURN f.key AS key, elementId(f) AS id, f.contentHash AS hash"
    )
    return {r["key"]: (r["id"], r["hash"]) for r in rows}


def finding_keys(store: Any) -> set[str]:
    return {r["key"] for r in store.read("MATCH (f:Finding) RETURN f.key AS key")}


def as_json(value: object) -> str:
    """Strict: an amount (a Decimal) differs from a float of the same value."""
    return json.dumps(value, ensure_ascii=False, indent=1, default=lambda d: f"Decimal({d!s})")


def test_a_load_stores_what_the_embedded_engine_concludes(store: Any, waterland: Register) -> None:
    counts = store.load_register(waterland, as_of=AS_OF)
    assert counts["findings"] == 27 + 51  # R3-R8, and R10-R14 (11, 2, 7, 12, 19)
    embedded = EmbeddedEngine(waterland, load_rules(), as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, waterland.organisations)
    assert not store.conclusions_stale()


def test_a_reload_keeps_keys_and_nodes_and_a_replacement_removes_stale_ones(
    store: Any, waterland: Register
) -> None:
    store.load_register(waterland, as_of=AS_OF)
    first = finding_ids(store)
    store.load_register(waterland, as_of=AS_OF)
    assert finding_ids(store) == first  # nothing changed: the same nodes
    smaller = copy.deepcopy(waterland)
    del smaller.contracts["WL-18"]  # WTS's architecture contract: R4 and R8 findings go
    smaller.lots["K08"].prime_contractor = "own-it"  # K08's old prime contractor coordinates none
    store.load_register(smaller, as_of=AS_OF)
    now = finding_ids(store)
    assert set(first) - set(now) == {"R4|WTS|F-ARCH", "R8|F-ARCH|WTS", "R13|WL-18", "R14|WL-18"}
    kept = [k for k in now if k in first and now[k][1] == first[k][1]]
    assert kept  # an unchanged finding keeps its node; a changed one is a new node
    assert {k: now[k] for k in kept} == {k: first[k] for k in kept}
    assert all(now[k][0] != first[k][0] for k in now if k in first and k not in kept)
    stale = store.read(
        "MATCH (o:Organisation) WHERE o.coordinationScore IS NOT NULL RETURN o.id AS id ORDER BY id"
    )
    expected = sorted({lot.prime_contractor for lot in smaller.lots.values()})
    assert [r["id"] for r in stale] == expected
    embedded = EmbeddedEngine(smaller, load_rules(), as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, smaller.organisations)


class FindingWrites:
    """Spies on the statements a load sends: the rows of each that writes findings."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows: dict[str, int] = {}

        def seen(cypher: str, given: dict[str, Any]) -> None:
            for name in WRITES:
                if cypher.startswith(CONCLUSIONS[name]):
                    found = len(given.get("rows") or given.get("nodes") or [])
                    self.rows[name] = self.rows.get(name, 0) + found

        spy_statements(monkeypatch, seen)


CONCLUSIONS = statements("conclusions")
WRITES = ("remove-findings", "create-findings")


def test_a_reload_rewrites_only_the_findings_that_changed(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing committed since the last load: a finding whose hash is unchanged is not touched,
    a changed one is written again (a new node, the old one deleted), a new one created."""
    store.load_register(waterland, as_of=AS_OF)
    first = finding_keys(store)
    writes = FindingWrites(monkeypatch)
    store.load_register(waterland, as_of=AS_OF)
    assert writes.rows == {}
    changed = copy.deepcopy(waterland)
    changed.organisations["lisdodde"].name = "Lisdodde Netwerk B.V."  # named in its findings
    store.load_register(changed, as_of=AS_OF)
    named = store.read(
        "MATCH (f:Finding) WHERE f.textEn CONTAINS 'Lisdodde Netwerk B.V.' RETURN count(f) AS n"
    )[0]["n"]
    assert named > 0
    assert writes.rows == {"create-findings": named, "remove-findings": named}
    assert finding_keys(store) == first
    embedded = EmbeddedEngine(changed, load_rules(), as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, changed.organisations)


def test_a_load_with_more_new_findings_than_stored_keeps_the_unchanged_ones(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replace whose new findings outnumber the stored ones removes only the stale and changed
    stored ones (a count of keys to remove against the stored count took every stored one)."""
    small = copy.deepcopy(waterland)
    kept = sorted(small.contracts)[:3]
    small.contracts = {ident: small.contracts[ident] for ident in kept}
    store.load_register(small, as_of=AS_OF)
    before = finding_keys(store)
    writes = FindingWrites(monkeypatch)
    store.load_register(waterland, as_of=AS_OF)
    after = finding_keys(store)
    assert len(after - before) > len(before) > 0
    assert writes.rows["remove-findings"] < len(before)  # some were kept untouched
    embedded = EmbeddedEngine(waterland, load_rules(), as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, waterland.organisations)


@pytest.mark.parametrize("again", ["refresh", "load"])
def test_a_finding_changed_with_cypher_is_rewritten(
    store: Any, waterland: Register, again: str
) -> None:
    """The stored hashes are not trusted after a commit of someone else's: a finding edited in
    Browser is written again by the next refresh or load, even with the register unchanged."""
    store.load_register(waterland, as_of=AS_OF)
    expected = stored_conclusions(store)
    store.write(
        "MATCH (f:Finding {key: 'R4|lisdodde|F-INFRA'})-[a:ABOUT {role: 'supplier'}]->() "
        "SET f.textEn = 'edited' DELETE a"
    )
    assert stored_conclusions(store) != expected
    if again == "refresh":
        store.refresh(as_of=AS_OF)
    else:
        store.load_register(waterland, as_of=AS_OF)
    assert stored_conclusions(store) == expected


FINDING = "MATCH (f:Finding {key: 'R4|lisdodde|F-INFRA'}) "
FINDING_EDITS = {
    "a property set": FINDING + "SET f.textNl = 'bewerkt'",
    "a property added": FINDING + "SET f.accepted = true",
    "a property removed": FINDING + "REMOVE f.severity, f.textEn",
    "its content hash changed": FINDING + "SET f.contentHash = 'x'",
    "a label added": FINDING + "SET f:Dismissed",
    "an ABOUT removed": FINDING + "MATCH (f)-[a:ABOUT {role: 'function'}]->() DELETE a",
    "an ABOUT's role changed": FINDING + "MATCH (f)-[a:ABOUT {role: 'function'}]->() "
    "SET a.role = 'supplier'",
    "a relationship added": FINDING + "MATCH (o:Organisation {id: 'own-it'}) "
    "CREATE (f)-[:REVIEWED_BY]->(o)",
    "its rule changed": FINDING + "MATCH (f)-[r:BY_RULE]->() DELETE r WITH f "
    "MATCH (r:Rule {key: 'R3'}) CREATE (f)-[:BY_RULE]->(r)",
    "a second node with its key": FINDING + "CREATE (g:Finding) SET g = f {.*, loadId: 'copy'}",
    "deleted": FINDING + "DETACH DELETE f",
}


@pytest.mark.parametrize("edit", list(FINDING_EDITS), ids=list(FINDING_EDITS))
def test_after_a_commit_of_someone_elses_only_the_findings_not_as_written_are_rewritten(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    """Each stored finding is checked against its ``writtenHash`` (finding_check): the one edited
    is written again, whatever was edited of it; the others are not touched."""
    store.load_register(waterland, as_of=AS_OF)
    expected, first = stored_conclusions(store), finding_ids(store)
    store.write(FINDING_EDITS[edit])
    writes = FindingWrites(monkeypatch)
    store.refresh(as_of=AS_OF)
    assert stored_conclusions(store) == expected
    gone = {"deleted": {}, "a second node with its key": {"remove-findings": 2}}
    assert writes.rows == {"create-findings": 1, **gone.get(edit, {"remove-findings": 1})}
    now = finding_ids(store)
    assert {k: v for k, v in now.items() if k != "R4|lisdodde|F-INFRA"} == {
        k: v for k, v in first.items() if k != "R4|lisdodde|F-INFRA"
    }
    assert store.read(
        FINDING + "RETURN labels(f) AS labels, f.accepted AS accepted, "
        "COUNT { (f)-[:REVIEWED_BY]->() } AS reviewed"
    ) == [{"labels": ["Finding"], "accepted": None, "reviewed": 0}]
    writes.rows.clear()
    store.write("MATCH (c:Contract {id: 'WL-02'}) SET c.note = 'checked'")  # no finding edited
    store.refresh(as_of=AS_OF)
    assert writes.rows == {} and finding_ids(store) == now


def test_a_change_made_with_cypher_is_stale_until_refresh(store: Any, waterland: Register) -> None:
    store.load_register(waterland, as_of=AS_OF)
    before = analyze(None, None, Neo4jEngine(store, as_of=AS_OF))
    # an architect adds a penalty clause to WL-02 (K01, trust) in Browser
    store.write(
        "MATCH (c:Contract {id: 'WL-02'}), (t:ClauseType {key: 'penalty'}) "
        "CREATE (c)-[:HAS_CLAUSE]->(t)"
    )
    assert store.conclusions_stale()
    # the stored conclusions, unchanged
    assert analyze(None, None, Neo4jEngine(store, as_of=AS_OF)) == before
    changed = store.refresh(as_of=AS_OF)
    assert changed["added"] == ["R13|WL-02", "R6|WL-02"]  # now distrust, below its target
    assert changed["removed"] == []
    assert changed["findings"] == 28 + 52
    assert not store.conclusions_stale()
    edited = copy.deepcopy(waterland)
    edited.contracts["WL-02"].clauses |= {"penalty"}
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=AS_OF))) == as_json(
        analyze(edited, load_rules(), as_of=AS_OF)
    )
    embedded = EmbeddedEngine(edited, load_rules(), as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, edited.organisations)
    # undone by hand: stale again, and a refresh removes the finding
    store.write(
        "MATCH (:Contract {id: 'WL-02'})-[r:HAS_CLAUSE]->(:ClauseType {key: 'penalty'}) DELETE r"
    )
    assert store.conclusions_stale()
    assert store.refresh(as_of=AS_OF)["removed"] == ["R13|WL-02", "R6|WL-02"]


def test_r10_to_r15_are_stored_at_the_loads_date_and_read_at_that_date_only(
    store: Any, waterland: Register
) -> None:
    store.load_register(waterland, as_of=AS_OF)
    expected = analyze(waterland, load_rules(), as_of=AS_OF)
    rows = store.read(
        "MATCH (f:Finding)-[:BY_RULE]->(r:Rule) WHERE r.key IN $rules "
        "RETURN r.key AS rule, count(f) AS n",
        {"rules": ["R10", "R11", "R12", "R13", "R14"]},
    )
    assert {r["rule"]: r["n"] for r in rows} == {
        "R10": 11,
        "R11": 2,
        "R12": 7,
        "R13": 12,
        "R14": 19,
    }
    meta = store.read(
        "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN m.asOf AS asOf, "
        "m.postureVerdict AS verdict, m.postureBasis AS basis, m.postureReasons AS reasons, "
        "m.postureExternalPrimeContractors AS primes, m.postureValueModes AS modes, "
        "m.postureValueAmounts AS amounts"
    )[0]
    assert meta["asOf"] == AS_OF.isoformat()
    posture = expected["posture"]
    assert (meta["verdict"], meta["basis"], meta["reasons"], meta["primes"]) == (
        "other",
        "reliability",
        ["external_prime_contractor", "reliability_basis"],
        ["kwelder"],
    )
    assert (
        dict(zip(meta["modes"], meta["amounts"], strict=True)) == posture["external_value_by_mode"]
    )
    window = store.read("MATCH (f:Finding {key: 'R14|WL-05'}) RETURN f.textEn AS en")[0]["en"]
    assert window.startswith("Contract WL-05 ") and "ends on 2026-08-31 (91 days" in window
    # WL-17 (ends 2027-09-30) moved into the window with Cypher, no refresh: at the load's date
    # the stored R10-R15 still answer; at another date they run live on the graph as it is
    store.write("MATCH (c:Contract {id: 'WL-17'}) SET c.endDate = date('2026-12-31')")
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=AS_OF))) == as_json(expected)
    edited = copy.deepcopy(waterland)
    edited.contracts["WL-17"].end_date = date(2026, 12, 31)
    live = analyze(None, None, Neo4jEngine(store, as_of=OTHER_AS_OF))
    assert as_json(live) == as_json(analyze(edited, load_rules(), as_of=OTHER_AS_OF))
    assert len(live["renegotiation_windows"]) == 20
    refreshed = store.refresh(as_of=OTHER_AS_OF)
    assert refreshed["added"] == ["R14|WL-17"]
    assert store.read("MATCH (m:SourcingGraphMeta) RETURN toString(m.asOf) AS d") == [
        {"d": "2026-06-02"}
    ]
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=OTHER_AS_OF))) == as_json(live)


def test_a_changed_property_or_rule_datum_is_stale_too(store: Any, waterland: Register) -> None:
    store.load_register(waterland)
    store.write("MATCH (l:Lot {id: 'K09'}) SET l.complexity = 'high'")
    assert store.conclusions_stale()
    store.refresh()
    assert not store.conclusions_stale()
    load_ontology(store.driver, store.database, FORCED_SLA)
    assert store.conclusions_stale()
    store.refresh()
    assert store.read("MATCH (c:Contract {id: 'WL-04'}) RETURN c.modeBasis AS b") == [
        {"b": "forced_by_clause"}
    ]


def test_the_cheap_check_reads_no_digest_after_a_load(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked on the real server: the bookmark of a read names the transaction that recorded
    the load, so nothing else is read; after any other commit the digests decide."""
    computed: list[int] = []
    original = freshness.register_digest

    def counting(run: Any) -> str:
        computed.append(1)
        return original(run)

    monkeypatch.setattr(freshness, "register_digest", counting)
    store.load_register(waterland)
    store.load_register(waterland)  # the second time every property key exists already
    assert not store.conclusions_stale()
    assert computed == []
    store.write("MATCH (c:Contract {id: 'WL-01'}) SET c.note = 'seen'")
    assert store.conclusions_stale()
    assert computed == [1]


def test_refresh_with_rules_and_load_with_rules_store_the_conclusions_of_those_rules(
    store: Any, waterland: Register, tmp_path: Path
) -> None:
    rules_file = tmp_path / "rules.ttl"
    rules_file.write_text(FORCED_SLA, encoding="utf-8")
    changed = load_rules(rules_file)
    expected = as_json(analyze(waterland, changed, as_of=AS_OF))
    assert expected != as_json(analyze(waterland, load_rules(), as_of=AS_OF))
    store.load_register(waterland, rules_source=rules_file, as_of=AS_OF)
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=AS_OF))) == expected
    embedded = EmbeddedEngine(waterland, changed, as_of=AS_OF).conclusions()
    assert stored_conclusions(store) == expected_conclusions(embedded, waterland.organisations)
    store.load_register(waterland, as_of=AS_OF)
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=AS_OF))) == as_json(
        analyze(waterland, load_rules(), as_of=AS_OF)
    )
    refreshed = store.refresh(rules_source=rules_file, as_of=AS_OF)
    assert refreshed["added"] and not store.conclusions_stale()
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=AS_OF))) == expected


def test_ensure_schema_writes_nothing_for_the_same_rules_and_reconcludes_for_others(
    store: Any, waterland: Register, tmp_path: Path
) -> None:
    store.load_register(waterland, as_of=AS_OF)
    concluded = store.read("MATCH (m:SourcingGraphMeta) RETURN m.concludedAt AS at")
    store.ensure_schema()  # the rule data the graph holds: rolled back, nothing committed
    assert store.read("MATCH (m:SourcingGraphMeta) RETURN m.concludedAt AS at") == concluded
    assert not store.conclusions_stale()
    rules_file = tmp_path / "rules.ttl"
    rules_file.write_text(FORCED_SLA, encoding="utf-8")
    store.ensure_schema(rules_file)
    assert not store.conclusions_stale()
    assert as_json(analyze(None, None, Neo4jEngine(store, as_of=AS_OF))) == as_json(
        analyze(waterland, load_rules(rules_file), as_of=AS_OF)
    )


def test_findings_carry_their_fields_texts_and_entities(store: Any, waterland: Register) -> None:
    store.load_register(waterland)
    row = store.read(
        "MATCH (f:Finding {key: 'R4|lisdodde|F-INFRA'}) "
        "RETURN properties(f) AS p, "
        "COLLECT { MATCH (f)-[a:ABOUT]->(n) RETURN a.role + ':' + n.id ORDER BY n.id } AS about"
    )[0]
    props = row["p"]
    assert props["rule"] == "R4" and props["supplier"] == "lisdodde"
    assert props["contracts"] == ["WL-08", "WL-09"]
    assert props["reasons"] == ["penalty_or_bonus", "mode_not_recorded"]
    assert props["textEn"].startswith("External supplier lisdodde Lisdodde Netwerken B.V.")
    assert props["uri"] == "https://w3id.org/sourcing-graph/id/finding/R4%7Clisdodde%7CF-INFRA"
    assert "severity" not in props
    assert row["about"] == [
        "function:F-INFRA",
        "contract:WL-08",
        "contract:WL-09",
        "supplier:lisdodde",
    ]
    constraints = store.read("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")[0]
    assert "finding_key_unique" in constraints["names"]


def test_a_register_column_named_like_a_conclusion_is_kept_apart(store: Any) -> None:
    register = read_register(WATERLAND)
    register.lots["K03"].extra["mode"] = "as the register says"
    register.contracts["WL-01"].extra["effectiveMode"] = "x"
    store.load_register(register)
    row = store.read(
        "MATCH (l:Lot {id: 'K03'}), (c:Contract {id: 'WL-01'}) "
        "RETURN l.mode AS mode, l.extra_mode AS column, c.effectiveMode AS effective, "
        "c.extra_effectiveMode AS other"
    )[0]
    assert row == {
        "mode": "distrust",
        "column": "as the register says",
        "effective": "distrust",
        "other": "x",
    }


ADDED_WITH_CYPHER = [
    "MATCH (c:Contract {id: 'WL-02'}), (l:Lot {id: 'K01'}) CREATE (c)-[:NOTED_FOR]->(l)",
    "MATCH (o:Organisation {id: 'WTS'}), (l:Lot {id: 'K01'}) CREATE (o)-[:PART_OF]->(l)",
    "MATCH (c:Contract {id: 'WL-02'}) SET c:Archived",
    "MATCH (m:CollaborationMode {key: 'trust'}) SET m:Preferred",
]
"""Changes made with Cypher that a load keeps (it removes only what it writes)."""


@pytest.mark.parametrize("change", ADDED_WITH_CYPHER)
def test_the_register_digest_of_a_load_is_the_one_read_back(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    from sourcing_graph.graph.neo4j import conclusions

    read_back = conclusions.register_digest
    calls: list[str] = []

    def counted(run: Any) -> str:
        calls.append("read back")
        return read_back(run)

    monkeypatch.setattr(conclusions, "register_digest", counted)
    store.load_register(waterland, as_of=AS_OF)
    store.load_register(waterland, as_of=AS_OF)
    assert calls == []  # both loads computed it from their rows
    stored, now = digests_of_the_load(store)
    assert stored == now
    try:
        store.write(change)
        store.load_register(waterland, as_of=AS_OF)
        assert calls == ["read back"]  # the graph holds more than the load wrote
        stored, now = digests_of_the_load(store)
        assert stored == now
        assert not store.conclusions_stale()
    finally:
        store.write(
            "MATCH (n) WHERE n:Lot AND n.id IS NULL DETACH DELETE n "
            "WITH count(*) AS done MATCH ()-[r:NOTED_FOR]->() DELETE r"
        )
        store.write("MATCH (:Organisation)-[r:PART_OF]->() DELETE r")
        store.write("MATCH (n) WHERE n:Archived OR n:Preferred REMOVE n:Archived, n:Preferred")


def test_a_refresh_with_nothing_changed_since_keeps_the_recorded_register_digest(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sourcing_graph.graph.neo4j import conclusions

    store.load_register(waterland, as_of=AS_OF)
    calls: list[str] = []
    read_back = conclusions.register_digest
    monkeypatch.setattr(
        conclusions, "register_digest", lambda run: calls.append("read") or read_back(run)
    )
    writes = FindingWrites(monkeypatch)
    assert store.refresh(as_of=AS_OF)["added"] == []
    assert calls == [] and writes.rows == {}  # nothing read back, no finding written
    stored, now = digests_of_the_load(store)
    assert stored == now
    store.write("MATCH (c:Contract {id: 'WL-02'}) SET c.note = 'checked'")  # a commit since
    store.refresh(as_of=AS_OF)
    assert calls == []  # its digest from the rows it read back to draw in memory, no second read
    stored, now = digests_of_the_load(store)
    assert stored == now
    assert not store.conclusions_stale()


def test_a_refresh_with_nothing_changed_and_the_same_date_draws_nothing_again(
    store: Any, waterland: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nothing committed since the load, the same rule data and reference date: the stored
    # conclusions are the ones a refresh would draw, so none is derived, read or written again
    loaded = store.load_register(waterland, as_of=AS_OF)
    before = stored_conclusions(store)
    drawn: list[date | None] = []
    conclude = store_module.conclude_in
    monkeypatch.setattr(
        store_module,
        "conclude_in",
        lambda tx, key, as_of=None, **kw: drawn.append(as_of) or conclude(tx, key, as_of, **kw),
    )
    kept = store.refresh(as_of=AS_OF)
    assert drawn == []
    assert (kept["findings"], kept["added"], kept["removed"]) == (loaded["findings"], [], [])
    assert stored_conclusions(store) == before and not store.conclusions_stale()
    # another date: drawn again (R14's windows move); the same date again after it: kept
    assert store.refresh(as_of=OTHER_AS_OF)["asOf"] == OTHER_AS_OF.isoformat()
    assert store.refresh(as_of=OTHER_AS_OF)["added"] == []
    assert drawn == [OTHER_AS_OF]
    # a commit since (an edit with Cypher): drawn again, at the same date too
    store.write("MATCH (c:Contract {id: 'WL-02'}) SET c.note = 'checked'")
    assert store.refresh(as_of=OTHER_AS_OF)["added"] == []
    assert drawn == [OTHER_AS_OF, OTHER_AS_OF]
    stored, now = digests_of_the_load(store)
    assert stored == now and not store.conclusions_stale()


def _dora() -> Register:
    return read_any(
        DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay", rules=load_rules()
    )


@pytest.mark.parametrize(
    "register",
    [
        lambda: read_register(WATERLAND),
        lambda: read_register(EXAMPLES / "acme-retail"),
        _dora,
    ],
    ids=["waterland", "acme-retail", "dora"],
)
def test_every_finding_read_back_hashes_as_it_was_written(store: Any, register: Any) -> None:
    """Every kind of finding (its fields' types as each rule gives them, a DORA package's too)
    reads back to its writtenHash: an edit elsewhere rewrites none of them."""
    store.load_register(register(), as_of=AS_OF)
    first = finding_ids(store)
    assert first
    store.write("MATCH (c:Contract) WITH c ORDER BY c.id LIMIT 1 SET c.note = 'checked'")
    changed = store.refresh(as_of=AS_OF)
    assert changed["added"] == changed["removed"] == []
    assert finding_ids(store) == first
