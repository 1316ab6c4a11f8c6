"""The benchmark: the generator is deterministic and proportional, and the whole benchmark runs.

The smoke test runs ``bench.run`` at a tiny size against the real Neo4j (NEO4J_URI ...) and checks
that it completes and writes a report with every section. It asserts nothing about timings.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # ``bench`` is a top-level folder, not part of the package

from bench.generate import FILES, generate, proportions, write_register  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    write_register(generate(700, seed=11), tmp_path / "a")
    write_register(generate(700, seed=11), tmp_path / "b")
    write_register(generate(700, seed=12), tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["contracts.csv"] != _files(tmp_path / "c")["contracts.csv"]


@pytest.mark.parametrize("n", [10, 1000, 10000])
def test_generator_is_proportional(n: int) -> None:
    reg = generate(n)
    size = proportions(n)
    assert len(reg.contracts) == n
    assert len(reg.lots) == max(3, round(n / 50))
    assert len(reg.organisations) == max(3, round(n / 40)) + 1  # and own-it
    assert len(reg.functions) == max(5, round(n / 100))

    suppliers = [o for o in reg.organisations.values() if o.id != "own-it"]
    assert sum(o.internal for o in suppliers) == size["internal_suppliers"]
    assert sum(f.critical for f in reg.functions.values()) == size["critical_functions"]
    assert sum(f.retained for f in reg.functions.values()) == size["retained_functions"]

    # dependencies: about two per lot, never on itself (a set: never twice)
    assert all(a != b for a, b in reg.dependencies)
    assert all(a in reg.lots and b in reg.lots for a, b in reg.dependencies)
    per_lot = len(reg.dependencies) / len(reg.lots)
    assert 1.3 <= per_lot <= 2.7 if n >= 1000 else per_lot >= 1

    # every lot has a contract; contracts reference what exists
    assert {c.lot for c in reg.contracts.values()} == set(reg.lots)
    assert all(c.supplier in reg.organisations for c in reg.contracts.values())
    assert all(c.functions <= set(reg.functions) for c in reg.contracts.values())
    assert all(1 <= len(c.functions) <= 3 for c in reg.contracts.values())
    assert all(len(c.clauses) <= 4 for c in reg.contracts.values())
    assert all(
        c.end_date is None or c.start_date is None or c.end_date > c.start_date
        for c in reg.contracts.values()
    )
    assert all(lot.prime_contractor in reg.organisations for lot in reg.lots.values())

    if n >= 1000:
        # about 30 % trust, 30 % reliability, 20 % distrust, 20 % not recorded (the lot styles
        # give 31/27/20/22 on average; with only 20 lots at 1k the mix varies more)
        modes = Counter(c.mode for c in reg.contracts.values())
        tolerance = 0.07 if n < 10000 else 0.03
        for mode, share in (
            ("trust", 0.31),
            ("reliability", 0.27),
            ("distrust", 0.2),
            (None, 0.22),
        ):
            assert abs(modes[mode] / n - share) < tolerance, (mode, modes)
        own = sum(lot.prime_contractor == "own-it" for lot in reg.lots.values()) / len(reg.lots)
        assert 0.7 <= own < 1.0
        # clause conflicts exist: trust or reliability contracts with a penalty or bonus
        assert any(
            c.mode in ("trust", "reliability") and c.clauses & {"penalty", "bonus"}
            for c in reg.contracts.values()
        )
        # lots differ in mode: not every lot has a contract with a penalty or bonus
        forced = {c.lot for c in reg.contracts.values() if c.clauses & {"penalty", "bonus"}}
        assert 0.3 < len(forced) / len(reg.lots) < 0.9
        clause_counts = Counter(len(c.clauses) for c in reg.contracts.values())
        assert set(clause_counts) == {0, 1, 2, 3, 4}


def test_written_register_reads_back_identically(tmp_path: Path) -> None:
    from sourcing_graph.loaders.csv_reader import read_register

    reg = generate(1500, seed=5)
    write_register(reg, tmp_path)
    back = read_register(tmp_path)
    assert back.contracts == reg.contracts
    assert back.lots == reg.lots
    assert back.functions == reg.functions
    assert back.organisations == reg.organisations
    assert back.dependencies == reg.dependencies


def _neo4j_or_skip() -> None:
    if os.environ.get("NEO4J_URI"):
        return
    if IN_CI:
        pytest.fail("CI=true and Neo4j is needed but NEO4J_URI is not set", pytrace=False)
    pytest.skip("Neo4j needed: NEO4J_URI is not set (scripts/test starts one)")


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
