"""Ready for a cluster (issue 19): every session of a store shares one bookmark manager, so a read
in a new session sees the load before it; a read path commits nothing unless the rules changed;
the store's own queries carry the server's deprecation notices."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import neo4j
import pytest

from sourcing_graph.graph.neo4j.freshness import (
    SYSTEM_DATABASE_ID,
    transactions,
    untouched_since_record,
)
from sourcing_graph.graph.neo4j.store import META_KEY
from sourcing_graph.loaders.csv_reader import read_register
from tests.support import AS_OF, AS_OF_ARGS, EXAMPLES, ROOT
from tests.support.cli import cli, neo4j_env
from tests.support.notifications import DeprecationCollector
from tests.support.ontology import SG_PREFIX

pytestmark = pytest.mark.neo4j

WATERLAND = EXAMPLES / "gemeente-waterland"
ACME = EXAMPLES / "acme-retail"
COUNT = "MATCH (c:Contract) RETURN count(c) AS n"


def last_committed(store: Any) -> dict[str, int]:
    """The database's last committed transaction, as a read in a new session of a driver of its
    own (no bookmarks) learns it from the bookmark the server returns."""
    settings = store.settings
    with (
        neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as driver,
        driver.session(database=store.database, default_access_mode=neo4j.READ_ACCESS) as session,
    ):
        session.execute_read(lambda tx: tx.run("RETURN 1").consume())
        found = transactions(session.last_bookmarks().raw_values)
    assert found, "the server's bookmark could not be read"
    return found


def read_in_new_session(store: Any) -> tuple[Any, int]:
    """(the session's bookmark manager, the contracts it counts), in a new READ session."""
    with store.driver.session(
        database=store.database, default_access_mode=neo4j.READ_ACCESS
    ) as session:
        manager = session._config.bookmark_manager  # the real neo4j Session's setting
        count = session.execute_read(lambda tx: tx.run(COUNT).single()["n"])
    return manager, count


def test_every_session_shares_the_bookmark_manager_and_sees_the_load(neo4j_store: Any) -> None:
    manager = neo4j_store.bookmark_manager
    assert isinstance(manager, neo4j.api.BookmarkManager)
    for path in (WATERLAND, ACME, WATERLAND):
        register = read_register(path)
        neo4j_store.load_register(register)
        # the manager holds the bookmark of the store's last commit (the load, then its record)
        assert transactions(manager.get_bookmarks()) == last_committed(neo4j_store)
        used, count = read_in_new_session(neo4j_store)
        assert used is manager
        assert count == len(register.contracts)
        assert neo4j_store.register_counts()["contracts"] == len(register.contracts)


def test_after_the_driver_used_the_system_database_a_read_still_sees_the_load(
    neo4j_store: Any,
) -> None:
    """The shared bookmark manager then holds the ``system`` database's bookmark too, and every
    session's bookmarks name both databases: the load's transaction is still recorded (the
    system database's state left out), so the read after it needs no digests, and sees it.
    A store of its own: the suite's store keeps a manager that never saw ``system``."""
    from sourcing_graph.graph.neo4j import Neo4jStore

    with Neo4jStore.connect(neo4j_store.settings) as store:
        manager = store.bookmark_manager
        with store.driver.session(database="system") as session:
            session.run("SHOW DATABASES YIELD name RETURN name").consume()
        assert SYSTEM_DATABASE_ID in (transactions(manager.get_bookmarks()) or {})
        for path in (ACME, WATERLAND):
            register = read_register(path)
            store.load_register(register, as_of=AS_OF)
            held = transactions(manager.get_bookmarks()) or {}
            assert SYSTEM_DATABASE_ID in held and len(held) == 2, held
            held.pop(SYSTEM_DATABASE_ID)
            assert held == last_committed(store)
            used, count = read_in_new_session(store)
            assert used is manager
            assert count == len(register.contracts)
            # the load recorded its transaction: nothing committed since, as the cheap check
            # (no digests) tells
            assert untouched_since_record(store.driver, store.database, META_KEY)
            assert not store.conclusions_stale()


def test_a_store_of_its_own_given_the_bookmarks_sees_the_load(neo4j_store: Any) -> None:
    from sourcing_graph.graph.neo4j import Neo4jStore

    neo4j_store.load_register(read_register(ACME))
    with Neo4jStore.connect(neo4j_store.settings) as other:
        assert other.bookmark_manager is not neo4j_store.bookmark_manager
        with other.driver.session(
            database=other.database,
            default_access_mode=neo4j.READ_ACCESS,
            bookmarks=neo4j.Bookmarks.from_raw_values(neo4j_store.bookmark_manager.get_bookmarks()),
        ) as session:
            count = session.execute_read(lambda tx: tx.run(COUNT).single()["n"])
    assert count == len(read_register(ACME).contracts)


@pytest.mark.deprecated_cypher
def test_the_stores_own_queries_carry_deprecation_notices(
    neo4j_store: Any, no_deprecated_cypher: DeprecationCollector
) -> None:
    no_deprecated_cypher.take()
    assert neo4j_store.read("MATCH (n:Lot) WHERE id(n) = -1 RETURN n") == []
    found = no_deprecated_cypher.take()
    assert len(found) == 1 and "id is deprecated" in found[0], found
    # the other kinds stay quiet for the store's own queries (a person's query asks for them)
    assert neo4j_store.read("MATCH (n:NoSuchLabel) RETURN n") == []
    assert no_deprecated_cypher.take() == []
    # a CLI run's deprecations join the test's too
    ran = cli("query", "MATCH (n:Lot) WHERE id(n) = -1 RETURN n", env=neo4j_env(neo4j_store))
    assert ran.returncode == 0, ran.stderr
    found = no_deprecated_cypher.take()
    assert len(found) == 1 and "id is deprecated" in found[0], found


INNER_TESTS = """
from sourcing_graph.graph.neo4j import Neo4jStore
from tests.support.server import neo4j_settings


def run(cypher):
    with Neo4jStore.connect(neo4j_settings()) as store:
        return store.read(cypher)


def test_deprecated():
    assert run("MATCH (n:Lot) WHERE id(n) = -1 RETURN n") == []


def test_current():
    assert run("MATCH (n:Lot) WHERE elementId(n) = '' RETURN n") == []
"""


def test_a_deprecated_construct_fails_the_test_that_runs_it(tmp_path: Path) -> None:
    """The suite's hook (``tests/conftest.py``, loaded as a plugin) in a pytest run of its own:
    the test whose query uses ``id()`` (deprecated in 5.26) fails as it ends, the same query with
    ``elementId()`` passes."""
    (tmp_path / "test_inner.py").write_text(INNER_TESTS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider"]
        + ["-q", "-rf", str(tmp_path / "test_inner.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = done.stdout
    # the hook fails the test as it ends (an error at its teardown): the run fails
    assert done.returncode == 1, out + done.stderr
    assert "2 passed, 1 error" in out, out
    assert "ERROR at teardown of test_deprecated" in out
    assert "test_current" not in out.split("= ERRORS =")[-1]
    # what 5.26 says: GQL status 01N02, a feature deprecated without replacement
    assert "Neo4j notified a deprecation" in out and "01N02" in out and "id is deprecated" in out


def test_read_commands_commit_nothing_even_when_the_rules_changed(
    neo4j_store: Any, tmp_path: Path
) -> None:
    env = neo4j_env(neo4j_store)
    loaded = cli("load", str(WATERLAND), "--no-progress", *AS_OF_ARGS, env=env)
    assert loaded.returncode == 0, loaded.stderr
    before = last_committed(neo4j_store)
    analyze = (
        "analyze",
        str(WATERLAND),
        "--engine",
        "neo4j",
        "--loaded",
        "--format",
        "json",
        *AS_OF_ARGS,
    )
    for args in (analyze, analyze, ("query", "mode-mismatches", "--format", "json")):
        done = cli(*args, env=env)
        assert done.returncode == 0, done.stderr
        assert last_committed(neo4j_store) == before, args

    rules_file = tmp_path / "rules.ttl"
    rules_file.write_text(SG_PREFIX + "sg:SlaClause sg:forcesMode sg:Reliability .\n")
    refused = cli(*analyze, "--rules", str(rules_file), env=env)  # only refresh stores rules
    assert refused.returncode == 1
    assert "is not that of the rules given" in refused.stderr
    assert last_committed(neo4j_store) == before
    stored = cli("refresh", "--rules", str(rules_file), *AS_OF_ARGS, env=env)
    assert stored.returncode == 0, stored.stderr
    after_rules = last_committed(neo4j_store)
    assert after_rules != before  # the changed rule data and its conclusions were written
    changed = cli(*analyze, "--rules", str(rules_file), env=env)
    assert changed.returncode == 0, changed.stderr
    assert last_committed(neo4j_store) == after_rules  # the same rules: nothing written
    packaged = cli(*analyze, env=env)  # the stored rule data, said on stderr; nothing written
    assert packaged.returncode == 0, packaged.stderr
    assert "analysing with it as stored" in packaged.stderr
    assert last_committed(neo4j_store) == after_rules
    assert packaged.stdout == changed.stdout
