"""The whole benchmark runs: ``bench.run`` at a tiny size against the real Neo4j (NEO4J_URI ...).

It checks that the run completes and writes a report with every section; it asserts nothing about
timings. (The generator's own tests, which need no server, are in ``tests/unit/test_bench_smoke.py``.)
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from tests.support.server import no_neo4j


def _neo4j_or_skip() -> None:
    if not os.environ.get("NEO4J_URI"):
        no_neo4j("NEO4J_URI is not set")


@pytest.mark.neo4j
def test_benchmark_smoke(tmp_path: Path) -> None:
    _neo4j_or_skip()
    from bench import run

    out = tmp_path / "benchmarks.md"
    argv = ["--sizes", "200", "--repeat", "1", "--out", str(out), "--workdir", str(tmp_path / "w")]
    argv += ["--rdflib-timeout", "120", "--browser-timeout", "60"]
    if os.environ.get("SOURCING_GRAPH_TEST_WIPE") == "1":
        argv.append("--wipe")  # a scratch server (scripts/test): earlier tests may have left data
    try:
        assert run.main(argv) == 0
    except SystemExit as exc:  # the benchmark refuses a database holding data it did not load
        pytest.fail(str(exc), pytrace=False)

    report = out.read_text(encoding="utf-8")
    for section in (
        "## Machine",
        "## Command",
        "## Results",
        "## Goals",
        "## Checks and notes",
        "**Register**",
        "**Reading and validating**",
        "**Loading into Neo4j (from an empty register)**",
        "**Analyses**",
        "**Views**",
    ):
        assert section in report, section
    rows = [
        "ours: `Neo4jStore.load_register`",
        "baseline: `LOAD CSV` (Cypher only)",
        "ratio ours / `LOAD CSV`",
        "baseline: rdflib-neo4j",
        "`sourcing-graph validate`: peak RSS",
        "`sourcing-graph analyze --engine embedded --format json`: wall",
        "`sourcing-graph load` end to end: wall",
        "`sourcing-graph load` again, replacing the loaded register: wall",
        "mode-mismatches: Neo4j (named query)",
        "mode-mismatches: embedded (graph pre-built)",
        "embedded: graph build",
        "`build_view(...).save()`",
        "Chromium: time to interactive",
    ]
    if importlib.util.find_spec("rdflib_neo4j") is not None:  # the optional bench extra
        rows.append("ratio rdflib-neo4j / ours")
    else:
        assert "not measured (rdflib-neo4j not installed)" in report
    for row in rows:
        assert row in report, row
    # the LOAD CSV baseline wrote exactly the graph our loader writes
    assert "✔ 200 contracts: LOAD CSV wrote the same graph as our loader" in report
    for goal in ("our load ≤ 1.5× LOAD CSV", "≥ 10× faster than rdflib-neo4j", "peak RSS < 2 GB"):
        assert goal in report
    assert "## Problems" not in report, report.split("## Problems", 1)[-1]

    # it removed what it loaded
    from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore

    settings = Neo4jSettings(
        uri=os.environ["NEO4J_URI"],
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD"),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
    with Neo4jStore.connect(settings) as store:
        left = store.read("MATCH (n) WHERE n:Contract OR n:Lot OR n:Resource RETURN count(n) AS n")[
            0
        ]["n"]
    assert left == 0
