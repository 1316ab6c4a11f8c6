"""Faults against a real Neo4j (issue 8): a connection dropped during a load and during its
commit, Neo4j not ready when a command starts, two loads at once, reads during loads.

Every test runs against one private server of this module (``scripts/neo4j`` on a free port with
its own data folder), which the tests stop and restart; connection drops go through a TCP proxy
(``tcp_proxy.py``) that cuts both sockets. After each fault the previously loaded register must
be intact (equal digests of the whole graph, the same stored conclusions) and a rerun must give
exact counts. The killed server is ``test_interrupted_load.py``. Each injected fault is counted
and reported at the end.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate, write_register
from sourcing_graph.errors import Neo4jUnavailableError, QueryError
from sourcing_graph.graph.analyses import Neo4jEngine, analyze
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.model import Register
from tests.support.conclusions import state
from tests.support.private_neo4j import PrivateNeo4j, expected_counts, free_port
from tests.support.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

# (fault, seconds) for every fault injected and survived; printed at the end of the module
SURVIVED: list[tuple[str, float]] = []

AS_OF = date(2026, 6, 1)
"""The reference date of every load and analysis here (R10-R14 depend on it): an expectation
computed in one test (``fresh``) must still hold in a later one, after midnight too."""
DATE = ("--as-of", AS_OF.isoformat())

SIZES = {"previous": (1000, 11), "big": (4000, 12), "a": (2000, 13), "b": (2500, 14)}
"""Contracts and seed of each register. A load of "big" sends about 10 MB (2.5 kB a contract,
measured), enough for a cut a third of the way and for a slowed load of about ten seconds; the
others are sized for loads that finish, so the faults, not the loads, set the time."""


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[PrivateNeo4j]:
    neo4j = PrivateNeo4j(tmp_path_factory.mktemp("neo4j-faults"))
    neo4j.start()
    yield neo4j
    neo4j.stop()
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and SURVIVED:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(f"faults injected and survived: {len(SURVIVED)}")
            for fault, seconds in SURVIVED:
                reporter.write_line(f"  {seconds:6.1f} s  {fault}")


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Register]]:
    """Generated registers written as CSV (for the CLI) and read back (for the expectations)."""
    base = tmp_path_factory.mktemp("fault-registers")
    out = {}
    for name, (size, seed) in SIZES.items():
        folder = write_register(generate(size, seed=seed), base / name)
        out[name] = (folder, read_register(folder))
    return out


@pytest.fixture(scope="module")
def fresh(server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]) -> dict[str, Any]:
    """For registers a and b: the digest of the graph a load gives with its stored conclusions,
    and the analysis result."""
    out: dict[str, Any] = {}
    with server.connect() as store:
        for name in ("a", "b"):
            store.load_register(registers[name][1], as_of=AS_OF)
            out[name] = state(store)
            out[f"{name}-analysis"] = canonical(
                analyze(None, None, engine=Neo4jEngine(store, as_of=AS_OF))
            )
    return out


def canonical(result: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {
        k: sorted(json.dumps(r, sort_keys=True, default=str) for r in v) for k, v in result.items()
    }


def load_previous(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> tuple[str, dict[str, Any]]:
    """Load the 'previous' register directly; its digest and its stored conclusions."""
    with server.connect() as store:
        store.load_register(registers["previous"][1], as_of=AS_OF)
        assert store.register_counts() == expected_counts(registers["previous"][1])
        return state(store)


def popen(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """``sourcing-graph ARGS`` started in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "sourcing_graph", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``sourcing-graph ARGS``, run to the end."""
    proc = popen(*args, env=env)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def assert_one_clear_line(result: Any, uri: str, password: str, *phrases: str) -> str:
    """Exit 1, exactly one stderr line naming the URI and the phrases, no traceback or password."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert password not in result.stderr + result.stdout
    assert uri in lines[0], lines[0]
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return str(lines[0])


def assert_graph_is(
    server: PrivateNeo4j,
    registers: dict[str, tuple[Path, Register]],
    fresh: dict[str, Any],
    name: str,
) -> None:
    """The graph is exactly what a clean load of register ``name`` gives: counts, digest and
    stored conclusions, and they are fresh."""
    with server.connect() as store:
        assert store.register_counts() == expected_counts(registers[name][1])
        assert state(store) == fresh[name]
        assert not store.conclusions_stale()


def assert_rerun_exact(server: PrivateNeo4j, folder: Path, register: Register) -> None:
    """A rerun of the load (CLI, no fault) exits 0 and gives exact counts."""
    result = cli("load", str(folder), *DATE, env=server.cli_env())
    assert result.returncode == 0, result.stderr
    with server.connect() as store:
        assert store.register_counts() == expected_counts(register)


def load_at_once(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]], names: tuple[str, ...]
) -> dict[str, Any]:
    """Load the named registers from as many threads (own connections), released together;
    each name maps to the load's counts or its exception."""
    barrier = threading.Barrier(len(names))
    results: dict[str, Any] = {}

    def run(name: str) -> None:
        with server.connect() as store:
            barrier.wait()
            try:
                results[name] = store.load_register(registers[name][1], as_of=AS_OF)
            except BaseException as exc:  # noqa: BLE001 - the caller asserts
                results[name] = exc

    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return results


# -- connection dropped ---------------------------------------------------------------------------


def test_connection_dropped_mid_load_keeps_the_previous_register(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> None:
    before = load_previous(server, registers)
    big = registers["big"][1]
    with TcpProxy(server.port) as proxy, server.connect(proxy.uri) as store:
        sent: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if done >= total // 3 and not proxy.cuts:
                sent["bytes"] = proxy.bytes_up
                proxy.cut()

        started = time.monotonic()
        with pytest.raises(
            Neo4jUnavailableError,
            match=r"lost the connection to Neo4j at .* during the load; nothing of this load was committed",
        ) as info:
            store.load_register(big, progress=progress, as_of=AS_OF)
        seconds = time.monotonic() - started
    assert proxy.cuts == 1
    message = str(info.value)
    assert proxy.uri in message and "\n" not in message
    assert "nothing of this load was committed" in message
    assert "previously loaded register is intact" in message
    with server.connect() as store:
        assert state(store) == before  # the previous register with its previous conclusions
        assert not store.conclusions_stale()
        store.load_register(big, as_of=AS_OF)
        assert store.register_counts() == expected_counts(big)
    SURVIVED.append(
        (f"connection cut a third into a 4k-contract load ({sent['bytes']} B sent)", seconds)
    )


# fault name -> (register, how the proxy cuts, what the one error line says, summary)
FAILING_CLI_LOADS: dict[str, tuple[str, Callable[[TcpProxy], None], tuple[str, ...], str]] = {
    "mid-load": (
        "big",
        lambda proxy: proxy.cut_after_upload(3_000_000),  # well into the batches (of ~10 MB)
        ("lost the connection", "during the load", "nothing of this load was committed"),
        "connection cut during a CLI load of 4k contracts (after 3 MB)",
    ),
    "commit-never-arrives": (
        "a",
        lambda proxy: proxy.cut_at_commit(forward=False),
        ("while committing the load", "confirms it was not committed"),
        "connection cut with COMMIT sent but not received (2k contracts)",
    ),
}


@pytest.mark.parametrize("fault", list(FAILING_CLI_LOADS))
def test_cli_load_cut_off_fails_in_one_clear_line(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]], fault: str
) -> None:
    name, inject, phrases, summary = FAILING_CLI_LOADS[fault]
    before = load_previous(server, registers)
    folder, register = registers[name]
    with TcpProxy(server.port) as proxy:
        inject(proxy)
        started = time.monotonic()
        result = cli("load", str(folder), *DATE, env=server.cli_env(proxy.uri))
        seconds = time.monotonic() - started
        assert proxy.cuts == 1, "no cut: the load finished before the fault"
    assert_one_clear_line(
        result, proxy.uri, server.password, *phrases, "previously loaded register is intact"
    )
    with server.connect() as store:
        assert state(store) == before  # the previous register with its previous conclusions
        assert not store.conclusions_stale()
    assert_rerun_exact(server, folder, register)
    SURVIVED.append((summary, seconds))


def test_commit_whose_answer_is_lost_is_confirmed_as_committed(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]], fresh: dict[str, Any]
) -> None:
    load_previous(server, registers)
    folder, _ = registers["a"]
    with TcpProxy(server.port) as proxy:
        # the check reconnects while the proxy refuses for 3 s: it retries, then confirms
        proxy.cut_at_commit(forward=True, refuse_after=3)
        started = time.monotonic()
        result = cli("load", str(folder), *DATE, env=server.cli_env(proxy.uri))
        seconds = time.monotonic() - started
        assert proxy.cuts == 1 and proxy.commits_seen == 1  # the check rolls back
        assert proxy.refused >= 1
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "dropped during the commit; Neo4j confirms the load was committed" in result.stderr
    assert result.stdout.startswith(
        f"loaded {folder} into {proxy.uri}: {SIZES['a'][0]:,} contracts"
    )
    assert_graph_is(server, registers, fresh, "a")
    SURVIVED.append(
        ("connection cut after COMMIT reached the server, answer lost, 3 s unreachable", seconds)
    )


def test_commit_outcome_unknown_when_neo4j_stays_unreachable(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> None:
    """The answer to COMMIT is lost and Neo4j cannot be reached again within the check's bound
    (10 s with NEO4J_WAIT=0): the error says the outcome is unknown; a rerun is exact."""
    load_previous(server, registers)
    folder, register = registers["a"]
    with TcpProxy(server.port) as proxy:
        proxy.cut_at_commit(forward=True, refuse_after=120)
        started = time.monotonic()
        result = cli("load", str(folder), *DATE, env=server.cli_env(proxy.uri, NEO4J_WAIT="0"))
        seconds = time.monotonic() - started
        assert proxy.cuts == 1 and proxy.refused >= 1
    assert 10 <= seconds < 60, seconds
    assert_one_clear_line(
        result,
        proxy.uri,
        server.password,
        "while committing the load and could not reach it again",
        "may or may not have been committed",
        "run it again",
    )
    assert_rerun_exact(server, folder, register)
    SURVIVED.append(("COMMIT answer lost and Neo4j unreachable for the check: 'unknown'", seconds))


# -- two loads at once ----------------------------------------------------------------------------


def test_a_load_started_during_another_waits_then_replaces_it(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]], fresh: dict[str, Any]
) -> None:
    """The second CLI load starts while the first is sending its batches (seen at the proxy,
    which slows the first load to 1 MB/s so that it lasts about ten seconds)."""
    load_previous(server, registers)
    big_folder, _ = registers["big"]
    a_folder, _ = registers["a"]
    with TcpProxy(server.port, up_rate=1_000_000) as proxy:
        started = time.monotonic()
        first = popen("load", str(big_folder), *DATE, env=server.cli_env(proxy.uri))
        while proxy.bytes_up < 500_000 and first.poll() is None:
            time.sleep(0.05)
        assert first.poll() is None, "the first load ended before the second could start"
        second = popen("load", str(a_folder), *DATE, env=server.cli_env())
        out1, err1 = first.communicate(timeout=600)
        out2, err2 = second.communicate(timeout=600)
        seconds = time.monotonic() - started
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert "another load into Neo4j" in err2 and "waiting for it to finish" in err2
    assert "Traceback" not in err1 + err2
    assert_graph_is(server, registers, fresh, "a")
    SURVIVED.append(("second CLI load started during a 4k-contract load", seconds))


def test_two_loads_started_at_once_leave_exactly_one_register(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]], fresh: dict[str, Any]
) -> None:
    load_previous(server, registers)
    for round_ in range(2):
        started = time.monotonic()
        results = load_at_once(server, registers, ("a", "b"))
        seconds = time.monotonic() - started
        assert all(isinstance(results[n], dict) for n in ("a", "b")), results
        with server.connect() as store:
            info = store.load_info()
        assert info is not None
        # the load recorded last is the one whose register the graph holds, exactly
        winner = next(n for n in ("a", "b") if results[n]["loadId"] == info["loadId"])
        wanted = expected_counts(registers[winner][1])
        assert {k: info[k] for k in wanted} == wanted
        assert_graph_is(server, registers, fresh, winner)
        SURVIVED.append(
            (f"two loads (2k, 2.5k) started at once, round {round_ + 1}: {winner} won", seconds)
        )


def test_reads_during_loads_see_one_whole_register(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]], fresh: dict[str, Any]
) -> None:
    a, b = registers["a"][1], registers["b"][1]
    counts = [expected_counts(a), expected_counts(b)]
    analyses = [fresh["a-analysis"], fresh["b-analysis"]]
    done = threading.Event()
    loads: list[float] = []
    errors: list[BaseException] = []

    def loader() -> None:
        try:
            with server.connect() as store:
                for register in (a, b, a, b):
                    loads.append(store.load_register(register, as_of=AS_OF)["seconds"])
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            done.set()

    seen = {"counts": 0, "analyses": 0, "a": 0, "b": 0}
    started = time.monotonic()
    thread = threading.Thread(target=loader)
    with server.connect() as reader:
        reader.load_register(a, as_of=AS_OF)
        thread.start()
        while not done.is_set():
            observed = reader.register_counts()
            assert observed in counts, observed
            seen["counts"] += 1
            result = canonical(analyze(None, None, engine=Neo4jEngine(reader, as_of=AS_OF)))
            assert result in analyses, "an analysis saw parts of two registers"
            seen["analyses"] += 1
            seen["a" if result == analyses[0] else "b"] += 1
    thread.join()
    seconds = time.monotonic() - started
    assert not errors, errors
    assert seen["a"] and seen["b"], seen
    SURVIVED.append(
        (
            f"4 loads committed under {seen['counts']} count reads and {seen['analyses']} "
            "analyses, each saw one whole register",
            seconds,
        )
    )


def test_an_analysis_refuses_a_register_another_process_loaded_after_its_own(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> None:
    """What ``analyze REGISTER --engine neo4j`` does when a load from elsewhere lands between
    its own load and its analysis: a clear error, not findings about someone else's register."""
    with server.connect() as mine, server.connect() as other:
        mine.pinned_load_id = mine.load_register(registers["a"][1], as_of=AS_OF)["loadId"]
        assert analyze(None, None, engine=Neo4jEngine(mine, as_of=AS_OF))  # its own: fine
        other.load_register(registers["b"][1], as_of=AS_OF)
        with pytest.raises(QueryError, match="another load replaced the register"):
            analyze(None, None, engine=Neo4jEngine(mine, as_of=AS_OF))


# -- Neo4j not ready --------------------------------------------------------------------------------


def test_wrong_password_fails_at_once_even_with_a_long_wait(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> None:
    folder, _ = registers["previous"]
    wrong = "wrong-" + secrets.token_urlsafe(9)  # made at run time: no password literal in files
    env = server.cli_env(NEO4J_PASSWORD=wrong)
    started = time.monotonic()
    result = cli("load", str(folder), "--wait", "120", env=env)
    assert time.monotonic() - started < 30
    assert_one_clear_line(result, server.uri, wrong, "refused the credentials")


def test_cli_gives_up_after_the_wait_with_a_clear_error(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> None:
    folder, _ = registers["previous"]
    uri = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    result = cli("load", str(folder), "--wait", "4", env=server.cli_env(uri))
    seconds = time.monotonic() - started
    assert 4 <= seconds < 30, seconds
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert server.password not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"Neo4j at {uri} is not available yet"), lines
    assert "waiting up to 4 s" in lines[0]
    assert lines[-1].startswith(f"error: cannot reach Neo4j at {uri} after waiting 4 s: "), lines
    assert "Connection refused" in lines[-1]
    SURVIVED.append(("no server on the port, --wait 4: clear error", seconds))


def test_cli_load_waits_for_a_server_that_starts_later(
    server: PrivateNeo4j, registers: dict[str, tuple[Path, Register]]
) -> None:
    folder, register = registers["a"]
    load_previous(server, registers)
    server.stop()
    started = time.monotonic()
    proc = popen("load", str(folder), *DATE, env=server.cli_env(NEO4J_WAIT="300"))
    time.sleep(4)
    assert proc.poll() is None, proc.communicate()
    server.start()
    out, err = proc.communicate(timeout=400)
    seconds = time.monotonic() - started
    assert proc.returncode == 0, err
    assert f"Neo4j at {server.uri} is not available yet" in err
    assert "waiting up to 300 s" in err
    assert out.startswith(f"loaded {folder} into {server.uri}: {SIZES['a'][0]:,} contracts")
    with server.connect() as store:
        assert store.register_counts() == expected_counts(register)
    SURVIVED.append(("CLI load started 4 s before the server: waited, loaded", seconds))
