"""The benchmark's generator: deterministic, proportional, and what it writes reads back.

The whole benchmark, at a tiny size against the real Neo4j, runs in
``tests/integration/test_bench_run.py``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.generate import FILES, generate, proportions, write_register


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


def test_the_side_by_side_benchmark_lays_out_the_base_as_the_package(tmp_path: Path) -> None:
    """bench.conclusions runs the code of an older commit as the installed package would be."""
    import subprocess
    import sys

    from bench.conclusions import base_checkout

    site = base_checkout("HEAD", tmp_path)
    assert (site / "sourcing_graph" / "model.py").is_file()
    assert (site / "sourcing_graph" / "graph" / "neo4j" / "store.py").is_file()
    assert (site / "bench" / "generate.py").is_file()
    found = subprocess.run(
        [sys.executable, "-c", "import sourcing_graph.graph; print(sourcing_graph.graph.__file__)"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        check=True,
    )
    assert found.stdout.strip().startswith(str(site))
