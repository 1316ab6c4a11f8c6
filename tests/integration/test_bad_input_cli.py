"""Every malformed register, through the real CLI: a precise message, exit 1, no traceback, and
nothing changed in Neo4j (checked against the real server); the same for an error deep inside a
large file (issue 8)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.cli import cli as run_cli
from tests.support.cli import neo4j_env
from tests.support.register_cases import MALFORMED_CASES
from tests.support.registers import write_contracts
from tests.support.server import snapshot

pytestmark = pytest.mark.neo4j

EXAMPLE = "examples/acme-retail"


@pytest.fixture(scope="module")
def loaded(neo4j_store):  # type: ignore[no-untyped-def]
    from sourcing_graph.loaders.csv_reader import read_register

    neo4j_store.load_register(read_register(ROOT / EXAMPLE))
    return neo4j_store, snapshot(neo4j_store)


def cli(store, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    """``sourcing-graph ARGS`` against the test server (its ``main``, in this process)."""
    return run_cli(*args, env=neo4j_env(store))


@pytest.mark.parametrize(
    ("case_id", "path", "file", "line", "column", "value", "message"),
    MALFORMED_CASES,
    ids=[c[0] for c in MALFORMED_CASES],
)
def test_malformed_register_loads_nothing(  # type: ignore[no-untyped-def]
    loaded, case_id, path, file, line, column, value, message
) -> None:
    store, before = loaded
    result = cli(store, "load", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{file}:{line}:{column}: error:" in result.stderr
    if value is not None:
        assert value in result.stderr
    assert message in result.stderr
    assert "nothing was loaded" in result.stderr
    assert snapshot(store) == before, f"{case_id} changed the graph in Neo4j"


# ------------------------------------------------------------------------------ deep error, Neo4j


@pytest.mark.neo4j
@pytest.mark.slow
def test_an_error_deep_inside_a_large_file_loads_nothing(neo4j_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """200,000 rows with one bad mode 10 rows before the end: `load` exits 1 naming the file,
    line, column, value and what was expected, and the graph in Neo4j is unchanged."""
    from sourcing_graph.loaders.csv_reader import read_register

    neo4j_store.load_register(read_register(ROOT / "examples" / "acme-retail"))
    before = snapshot(neo4j_store)
    rows = 200_000
    path = write_contracts(tmp_path / "reg" / "contracts.csv", rows, bad_at=rows - 10)
    start = time.perf_counter()
    result = cli(neo4j_store, "load", str(path.parent), "--no-progress")
    seconds = time.perf_counter() - start
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    line = rows - 10 + 1
    assert f"{path}:{line}:4: error: not a valid mode (read 'partnership'; expected a mode:" in (
        result.stderr
    )
    assert "nothing was loaded" in result.stderr
    assert snapshot(neo4j_store) == before, "a failed load changed the graph"
    print(f"time to the error at line {line:,} of {rows:,}: {seconds:.1f} s")

    too_many = run_cli_limited(neo4j_store, path.parent)
    assert too_many.returncode == 1 and "more than 1,000 rows" in too_many.stderr
    assert snapshot(neo4j_store) == before


def run_cli_limited(store, register: Path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return cli(store, "load", str(register), "--max-rows", "1000", "--no-progress")
