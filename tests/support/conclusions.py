"""The conclusions as comparable data: read from Neo4j, or computed by the embedded engine."""

from __future__ import annotations

from typing import Any

from sourcing_graph.graph.conclusions import ORGANISATION_PROPERTIES, Conclusions


def stored_conclusions(store: Any) -> dict[str, Any]:
    """Everything the last load or refresh stored: findings (with their sentences, rule and what
    they are about), each contract's and lot's modes (properties and relationships), and the R5
    and R9 properties of organisations."""
    findings = store.read(
        "MATCH (f:Finding) "
        "RETURN f.key AS key, f.rule AS rule, f.severity AS severity, f.textNl AS nl, "
        "f.textEn AS en, COLLECT { MATCH (f)-[:BY_RULE]->(r:Rule) RETURN r.key } AS rules, "
        "COLLECT { MATCH (f)-[a:ABOUT]->(n) RETURN [a.role, labels(n)[0], n.id] } AS about"
    )
    contracts = store.read(
        "MATCH (c:Contract) RETURN c.id AS id, c.effectiveMode AS mode, c.modeBasis AS basis, "
        "COLLECT { MATCH (c)-[:EFFECTIVE_MODE]->(m) RETURN m.key } AS rel"
    )
    lots = store.read(
        "MATCH (l:Lot) RETURN l.id AS id, l.mode AS mode, l.recommendedMode AS recommended, "
        "COLLECT { MATCH (l)-[:RUNS_IN]->(m) RETURN m.key } AS rel"
    )
    organisations = store.read(
        "MATCH (o:Organisation) RETURN o.id AS id, [k IN $names | o[k]] AS values",
        {"names": list(ORGANISATION_PROPERTIES)},
    )
    return {
        "findings": {
            f["key"]: (f["rule"], f["rules"], f["severity"], f["nl"], f["en"], sorted(f["about"]))
            for f in findings
        },
        "contracts": {c["id"]: (c["mode"], c["basis"], c["rel"]) for c in contracts},
        "lots": {lot["id"]: (lot["mode"], lot["recommended"], lot["rel"]) for lot in lots},
        "organisations": {
            o["id"]: dict(zip(ORGANISATION_PROPERTIES, o["values"], strict=True))
            for o in organisations
            if any(v is not None for v in o["values"])
        },
    }


def expected_conclusions(conclusions: Conclusions, organisations: Any) -> dict[str, Any]:
    """What :func:`stored_conclusions` must give for ``conclusions`` (the embedded engine's) of a
    register whose organisations are ``organisations`` (ids)."""
    known = {"distrust", "reliability", "trust"}
    return {
        "findings": {
            f.key: (f.rule, [f.rule], f.severity, f.text_nl, f.text_en, sorted(map(list, f.about)))
            for f in conclusions.findings
        },
        "contracts": {
            ident: (
                c["effectiveMode"],
                c["modeBasis"],
                [c["effectiveMode"]] if c["effectiveMode"] in known else [],
            )
            for ident, c in conclusions.contracts.items()
        },
        "lots": {
            ident: (
                lot["mode"],
                lot["recommendedMode"],
                [lot["mode"]] if lot["mode"] in known else [],
            )
            for ident, lot in conclusions.lots.items()
        },
        "organisations": {
            ident: {
                name: conclusions.organisations[ident].get(name) for name in ORGANISATION_PROPERTIES
            }
            for ident in organisations
            if ident in conclusions.organisations
        },
    }


def state(store: Any) -> tuple[str, dict[str, Any]]:
    """The whole graph's digest and the stored conclusions, read apart: after a failed load both
    must be those of the previous register, never a mix."""
    from tests.support.private_neo4j import digest

    return digest(store), stored_conclusions(store)


def digests_of_the_load(store: Any) -> tuple[str, str]:
    """The register digest the last load or refresh stored, and the one the graph has now, read
    back from it (:func:`~sourcing_graph.graph.neo4j.digest.register_digest`)."""
    from sourcing_graph.graph.neo4j.digest import register_digest

    stored = store.read(
        "MATCH (m:SourcingGraphMeta {key: 'register'}) RETURN m.registerDigest AS d"
    )
    with store.driver.session(database=store.database) as session:
        now = session.execute_read(
            lambda tx: register_digest(lambda cypher, params: list(tx.run(cypher, params)))
        )
    return stored[0]["d"], now
