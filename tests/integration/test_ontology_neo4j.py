"""The ontology in a real Neo4j: every characteristic and rule parameter readable with Cypher,
idempotent loading, changed data updating values and removing stale nodes, constraints.

Connection from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (/ NEO4J_DATABASE); without them the tests
are skipped, or fail when CI=true. They leave the database as they found it: ontology nodes they
created are deleted, an ontology that was there before is loaded again (default data).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from sourcing_graph.errors import OntologyError
from sourcing_graph.graph.neo4j import ensure_constraints, load_ontology
from sourcing_graph.graph.neo4j.schema import (
    ONTOLOGY_LABELS,
    ONTOLOGY_RELATIONSHIPS,
    PROPERTY_INDEXES,
    REGISTER_KEYS,
    index_name,
)
from sourcing_graph.ontology.rules import load_rules
from tests.support import IN_CI
from tests.support.ontology import CHARACTERISTICS, CLAUSE_TABLE, DEFAULT_WEIGHTS, SG_PREFIX

pytestmark = pytest.mark.neo4j

TEST_CONTRACT = "__ontology-test-contract__"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true and Neo4j is needed but {reason}", pytrace=False)
    pytest.skip(f"Neo4j needed: {reason}")


@pytest.fixture(scope="module")
def neo4j_driver() -> Iterator[tuple[Any, str | None]]:
    uri = os.environ.get("NEO4J_URI") or ""
    if not uri:
        _unavailable("NEO4J_URI is not set")
    import neo4j

    driver = neo4j.GraphDatabase.driver(
        uri, auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    )
    database = os.environ.get("NEO4J_DATABASE") or None
    try:
        driver.verify_connectivity()
    except Exception as exc:  # noqa: BLE001 - any failure means: no usable server
        driver.close()
        _unavailable(f"{uri} cannot be reached ({type(exc).__name__})")
    had_ontology = bool(
        run(driver, database, "MATCH (m:CollaborationMode) RETURN count(m) AS n")[0]["n"]
    )
    yield driver, database
    try:
        run(driver, database, "MATCH (c:Contract {id: $id}) DETACH DELETE c", id=TEST_CONTRACT)
        if had_ontology:
            load_ontology(driver, database)
        else:
            delete_ontology(driver, database)
    finally:
        driver.close()


def run(driver: Any, database: str | None, cypher: str, **params: Any) -> list[dict[str, Any]]:
    with driver.session(database=database) as session:
        return [record.data() for record in session.run(cypher, params)]


def delete_ontology(driver: Any, database: str | None) -> None:
    for label in ONTOLOGY_LABELS:
        run(driver, database, f"MATCH (n:{label}) DETACH DELETE n")


def dump(driver: Any, database: str | None) -> tuple[list[Any], list[Any]]:
    """Every ontology node (labels, properties) and relationship (type, ends, properties)."""
    labels = list(ONTOLOGY_LABELS)
    nodes = run(
        driver,
        database,
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        labels=labels,
    )
    rels = run(
        driver,
        database,
        "MATCH (a)-[r]->(b) WHERE type(r) IN $types "
        "RETURN type(r) AS type, a.uri AS start, b.uri AS end, properties(r) AS props",
        types=list(ONTOLOGY_RELATIONSHIPS),
    )

    def key(item: object) -> str:  # property maps come back in varying key order
        return json.dumps(item, sort_keys=True, default=str)

    return sorted(nodes, key=key), sorted(rels, key=key)


@pytest.fixture
def loaded(neo4j_driver: tuple[Any, str | None]) -> tuple[Any, str | None]:
    driver, database = neo4j_driver
    load_ontology(driver, database)
    return driver, database


def test_load_reports_counts(neo4j_driver: tuple[Any, str | None]) -> None:
    driver, database = neo4j_driver
    counts = load_ontology(driver, database)
    assert counts == {
        "Ontology": 1,
        "CollaborationMode": 3,
        "ModeCharacteristic": 9,
        "ClauseType": 10,
        "RetainedFunctionType": 6,
        "RuleParameter": 3,
        "MismatchSeverity": 3,
        "CoordinationWeight": 6,
        "ModeRecommendation": 4,
        "ClauseSet": 6,
        "Level": 2,
        "SeverityLevel": 3,
        "MismatchDirection": 2,
        "FindingReason": 7,
        "ModeBasis": 4,
        "Rule": 20,
        "HAS_CHARACTERISTIC": 27,
        "SIGNALS": 9,
        "FORCES": 2,
        "SETS_MODE": 1,
        "BETWEEN": 6,
        "RECOMMENDS": 4,
        "FOR_TARGET": 6,
        "INCLUDES": 12,
    }
    for label, n in counts.items():
        if label in ONTOLOGY_LABELS:
            got = run(driver, database, f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
        else:
            got = run(driver, database, f"MATCH ()-[r:{label}]->() RETURN count(r) AS n")[0]["n"]
        assert got == n, label


def test_all_nine_characteristics_of_each_mode_in_both_languages(
    loaded: tuple[Any, str | None],
) -> None:
    rows = run(
        *loaded,
        "MATCH (m:CollaborationMode)-[h:HAS_CHARACTERISTIC]->(c:ModeCharacteristic) "
        "RETURN m.key AS mode, c.key AS characteristic, c.order AS order, "
        "c.labelNl AS labelNl, c.labelEn AS labelEn, h.valueNl AS nl, h.valueEn AS en "
        "ORDER BY m.rank, c.order",
    )
    assert len(rows) == 27
    got = {(r["mode"], r["characteristic"]): (r["nl"], r["en"]) for r in rows}
    for key, by_mode in CHARACTERISTICS.items():
        for mode, values in by_mode.items():
            assert got[(mode, key)] == values
    assert [r["characteristic"] for r in rows[:9]] == list(CHARACTERISTICS)
    assert all(r["labelNl"] and r["labelEn"] for r in rows)
    driver_row = next(r for r in rows if r["characteristic"] == "driver")
    assert (driver_row["labelNl"], driver_row["labelEn"]) == ("drijfveer", "driver")


def test_modes_have_rank_labels_definitions_and_uri(loaded: tuple[Any, str | None]) -> None:
    rows = run(*loaded, "MATCH (m:CollaborationMode) RETURN m ORDER BY m.rank")
    modes = [row["m"] for row in rows]
    assert [(m["key"], m["rank"], m["labelNl"], m["labelEn"]) for m in modes] == [
        ("distrust", 1, "wantrouwen", "distrust"),
        ("reliability", 2, "betrouwbaarheid", "reliability"),
        ("trust", 3, "vertrouwen", "trust"),
    ]
    for mode in modes:
        assert mode["uri"].startswith("https://w3id.org/sourcing-graph/ontology#")
        assert mode["definitionNl"] and mode["definitionEn"]


def test_every_ontology_node_has_a_uri(loaded: tuple[Any, str | None]) -> None:
    rows = run(
        *loaded,
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) AND n.uri IS NULL "
        "RETURN labels(n) AS l",
        labels=list(ONTOLOGY_LABELS),
    )
    assert rows == []


def test_every_ontology_node_is_an_ontology_term(loaded: tuple[Any, str | None]) -> None:
    labels = list(ONTOLOGY_LABELS)
    rows = run(
        *loaded,
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN count(n) AS all, count(CASE WHEN n:OntologyTerm THEN 1 END) AS terms",
        labels=labels,
    )
    assert rows[0]["all"] == rows[0]["terms"] > 60


@pytest.mark.parametrize(
    ("label", "key", "dutch", "english"),
    [
        ("CollaborationMode", "trust", "vertrouwen", "trust"),
        ("ClauseType", "penalty", "boeteclausule", "penalty"),
        ("Level", "high", "hoog", "high"),
        ("SeverityLevel", "medium", "gemiddeld", "medium"),
        ("ModeBasis", "forced_by_clause", "afgedwongen door een clausule", "forced by a clause"),
    ],
)
def test_vocabulary_nodes_carry_their_words_in_both_languages(
    loaded: tuple[Any, str | None], label: str, key: str, dutch: str, english: str
) -> None:
    from sourcing_graph.ontology.rules import normalise_word

    row = run(
        *loaded,
        f"MATCH (n:{label} {{key: $key}}) RETURN n.wordNl AS nl, n.wordEn AS en, n.words AS words",
        key=key,
    )[0]
    assert (row["nl"], row["en"]) == (dutch, english)
    assert {key, normalise_word(dutch), normalise_word(english)} <= set(row["words"])


def test_rules_carry_names_definitions_and_finding_sentences(
    loaded: tuple[Any, str | None],
) -> None:
    rows = run(
        *loaded,
        "MATCH (r:Rule) RETURN r.key AS key, r.labelNl AS nl, r.definitionEn AS en, "
        "r.findingTextNl AS text ORDER BY key",
    )
    assert [r["key"] for r in rows] == [
        "D1", "D2", "D3", "D4", "D5", "R1", "R10", "R11", "R12", "R13", "R14", "R15",
        "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9",
    ]  # fmt: skip
    assert all(r["nl"] and r["en"] for r in rows)
    with_text = {r["key"] for r in rows if r["text"]}
    assert with_text == {
        *("R3", "R4", "R6", "R7", "R8", "R10", "R11", "R12", "R13", "R14"),
        *("D1", "D2", "D3", "D4", "D5"),
    }


def test_clause_types_signal_and_force_modes(loaded: tuple[Any, str | None]) -> None:
    rows = run(
        *loaded,
        "MATCH (t:ClauseType) "
        "OPTIONAL MATCH (t)-[:SIGNALS]->(s:CollaborationMode) "
        "OPTIONAL MATCH (t)-[:FORCES]->(f:CollaborationMode) "
        "RETURN t.key AS key, s.key AS signals, f.key AS forces, t.aliases AS aliases, "
        "t.words AS words",
    )
    got = {r["key"]: r for r in rows}
    assert set(got) == set(CLAUSE_TABLE)
    for key, (aliases, signals, forces) in CLAUSE_TABLE.items():
        assert got[key]["signals"] == signals
        assert got[key]["forces"] == forces
        assert set(aliases) <= set(got[key]["aliases"])
        assert key in got[key]["words"]


def test_rule_parameters_are_readable(loaded: tuple[Any, str | None]) -> None:
    driver, database = loaded
    internal = run(
        driver,
        database,
        "MATCH (:RuleParameter {key: 'internalSupplierMode'})-[:SETS_MODE]->(m:CollaborationMode) "
        "RETURN m.key AS mode",
    )
    assert internal == [{"mode": "trust"}]
    not_recorded = run(
        driver, database, "MATCH (p:RuleParameter {key: 'modeNotRecorded'}) RETURN p.aliases AS a"
    )
    assert sorted(not_recorded[0]["a"]) == ["onbekend", "unknown"]

    severities = run(
        driver,
        database,
        "MATCH (a:CollaborationMode)<-[:BETWEEN]-(s:MismatchSeverity)-[:BETWEEN]->(b:CollaborationMode) "
        "WHERE a.rank < b.rank RETURN a.key AS a, b.key AS b, s.severity AS severity, s.modes AS modes",
    )
    assert {(r["a"], r["b"]): r["severity"] for r in severities} == {
        ("distrust", "trust"): "high",
        ("distrust", "reliability"): "medium",
        ("reliability", "trust"): "low",
    }
    assert all(r["modes"] == sorted([r["a"], r["b"]]) for r in severities)

    weights = run(
        driver, database, "MATCH (w:CoordinationWeight) RETURN w.measure AS m, w.weight AS w"
    )
    assert {r["m"]: r["w"] for r in weights} == DEFAULT_WEIGHTS

    recommendations = run(
        driver,
        database,
        "MATCH (r:ModeRecommendation)-[:RECOMMENDS]->(m:CollaborationMode) "
        "RETURN r.priority AS p, r.whenComplexity AS c, r.whenDynamics AS d, "
        "r.whenCommodity AS k, m.key AS mode ORDER BY r.priority",
    )
    assert [tuple(r.values()) for r in recommendations] == [
        (1, "high", None, None, "trust"),
        (2, None, "high", None, "trust"),
        (3, None, None, True, "distrust"),
        (4, None, None, None, "reliability"),
    ]

    functions = run(driver, database, "MATCH (f:RetainedFunctionType) RETURN f.key AS k")
    assert len(functions) == 6


def test_the_graph_agrees_with_load_rules(loaded: tuple[Any, str | None]) -> None:
    rules = load_rules()
    ranks = run(*loaded, "MATCH (m:CollaborationMode) RETURN m.key AS k, m.rank AS r")
    assert {r["k"]: r["r"] for r in ranks} == rules.mode_rank
    forces = run(*loaded, "MATCH (t:ClauseType)-[:FORCES]->(m) RETURN t.key AS t, m.key AS m")
    assert {r["t"]: r["m"] for r in forces} == rules.clause_forces


def test_loading_twice_gives_the_identical_graph(neo4j_driver: tuple[Any, str | None]) -> None:
    driver, database = neo4j_driver
    load_ontology(driver, database)
    first = dump(driver, database)
    load_ontology(driver, database)
    assert dump(driver, database) == first
    assert len(first[0]) == 89 and len(first[1]) == 67  # 89: six more rules, R10-R15


CHANGED = (
    SG_PREFIX
    + """
sg:SlaClause sg:forcesMode sg:Reliability .
sg:WeightLots sg:weight 5 .
sg:Trust sg:driver "samen winnen"@nl , "winning together"@en .
sg:HandshakeClause a sg:ClauseType ; sg:key "handshake" ; sg:signalsMode sg:Trust ;
    sg:alias "handdruk"@nl .
"""
)


def test_changed_data_updates_values_and_stale_nodes_disappear(
    neo4j_driver: tuple[Any, str | None],
) -> None:
    driver, database = neo4j_driver
    load_ontology(driver, database)
    original = dump(driver, database)

    counts = load_ontology(driver, database, CHANGED)
    assert counts["ClauseType"] == 11 and counts["FORCES"] == 3
    assert run(
        driver, database, "MATCH (:ClauseType {key: 'sla'})-[:FORCES]->(m) RETURN m.key AS m"
    ) == [{"m": "reliability"}]
    assert run(
        driver, database, "MATCH (w:CoordinationWeight {measure: 'lots'}) RETURN w.weight AS w"
    ) == [{"w": 5.0}]
    assert run(
        driver,
        database,
        "MATCH (:CollaborationMode {key: 'trust'})-[h:HAS_CHARACTERISTIC]->(:ModeCharacteristic {key: 'driver'}) "
        "RETURN h.valueNl AS nl, h.valueEn AS en",
    ) == [{"nl": "samen winnen", "en": "winning together"}]
    assert run(driver, database, "MATCH (t:ClauseType {key: 'handshake'}) RETURN t.words AS w") == [
        {"w": ["handdruk", "handshake"]}
    ]

    load_ontology(driver, database)  # back to the packaged data: the extra clause type goes
    assert run(driver, database, "MATCH (t:ClauseType {key: 'handshake'}) RETURN t") == []
    assert dump(driver, database) == original


def test_a_priority_swap_does_not_trip_the_uniqueness_constraint(
    neo4j_driver: tuple[Any, str | None],
) -> None:
    driver, database = neo4j_driver
    load_ontology(driver, database)
    swapped = SG_PREFIX + (
        "sg:RecommendTrustForComplexity sg:priority 2 .\nsg:RecommendTrustForDynamics sg:priority 1 .\n"
    )
    load_ontology(driver, database, swapped)
    rows = run(
        driver,
        database,
        "MATCH (r:ModeRecommendation) WHERE r.priority <= 2 RETURN r.uri AS u ORDER BY r.priority",
    )
    assert [r["u"].rsplit("#", 1)[1] for r in rows] == [
        "RecommendTrustForDynamics",
        "RecommendTrustForComplexity",
    ]
    load_ontology(driver, database)


def test_register_relationships_survive_a_reload(neo4j_driver: tuple[Any, str | None]) -> None:
    driver, database = neo4j_driver
    load_ontology(driver, database)
    run(
        driver,
        database,
        "MATCH (m:CollaborationMode {key: 'trust'}), (t:ClauseType {key: 'penalty'}) "
        "CREATE (c:Contract {id: $id})-[:DECLARED_MODE]->(m), (c)-[:HAS_CLAUSE]->(t)",
        id=TEST_CONTRACT,
    )
    try:
        load_ontology(driver, database, CHANGED)
        load_ontology(driver, database)
        rows = run(
            driver,
            database,
            "MATCH (c:Contract {id: $id})-[:DECLARED_MODE]->(m), (c)-[:HAS_CLAUSE]->(t) "
            "RETURN m.key AS m, t.key AS t",
            id=TEST_CONTRACT,
        )
        assert rows == [{"m": "trust", "t": "penalty"}]
    finally:
        run(driver, database, "MATCH (c:Contract {id: $id}) DETACH DELETE c", id=TEST_CONTRACT)


def test_bad_data_writes_nothing(neo4j_driver: tuple[Any, str | None]) -> None:
    driver, database = neo4j_driver
    load_ontology(driver, database)
    before = dump(driver, database)
    with pytest.raises(OntologyError, match=r"unknown R5 measure 'laps'"):
        load_ontology(driver, database, SG_PREFIX + 'sg:WeightLots sg:measure "laps" .\n')
    assert dump(driver, database) == before


def test_constraints_are_created_idempotently(neo4j_driver: tuple[Any, str | None]) -> None:
    driver, database = neo4j_driver
    first = ensure_constraints(driver, database)
    second = ensure_constraints(driver, database)
    assert first == second
    rows = run(
        driver,
        database,
        "SHOW CONSTRAINTS YIELD labelsOrTypes AS labels, properties AS props, type "
        "WHERE type = 'UNIQUENESS' RETURN labels[0] AS label, props[0] AS prop",
    )
    present = {(r["label"], r["prop"]) for r in rows}
    for label, key in {**ONTOLOGY_LABELS, **REGISTER_KEYS}.items():
        assert (label, key) in present
    for label in ONTOLOGY_LABELS:
        assert (label, "uri") in present
    indexes = run(
        driver,
        database,
        "SHOW INDEXES YIELD name, labelsOrTypes AS labels, properties AS props, type "
        "WHERE type = 'RANGE' RETURN name, labels[0] AS label, props[0] AS prop",
    )
    ranged = {(r["name"], r["label"], r["prop"]) for r in indexes}
    for label, prop in PROPERTY_INDEXES:
        assert (index_name(label, prop), label, prop) in ranged
        assert index_name(label, prop) in first
