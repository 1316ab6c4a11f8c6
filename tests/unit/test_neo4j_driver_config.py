"""How the store opens its driver (issue 19): the retry time, one bookmark manager for all
sessions, the server's notifications left on, and the constraint check's type names. Nothing is
sent to a server: the driver objects are real, the address unused."""

from __future__ import annotations

import base64

import click
import neo4j
import pytest
from click.testing import CliRunner

from sourcing_graph.cli.options import DEFAULT_RETRY_TIME as CLI_DEFAULT
from sourcing_graph.cli.options import neo4j_options
from sourcing_graph.errors import ConnectionSettingsError
from sourcing_graph.graph.neo4j.connection import open_driver
from sourcing_graph.graph.neo4j.freshness import SYSTEM_DATABASE_ID, transactions
from sourcing_graph.graph.neo4j.schema import unique_keys
from sourcing_graph.graph.neo4j.settings import DEFAULT_RETRY_TIME, Neo4jSettings
from sourcing_graph.graph.neo4j.store import Neo4jStore

UNUSED = "bolt://127.0.0.1:9"


def retry_time_of(driver: object) -> float:
    # the driver keeps its transaction settings in its default workspace config (neo4j 5 and 6)
    return driver.neo4j_driver._default_workspace_config.max_transaction_retry_time  # type: ignore[attr-defined]


def test_retry_time_defaults_to_30_seconds_or_more() -> None:
    assert DEFAULT_RETRY_TIME >= 30
    assert CLI_DEFAULT == DEFAULT_RETRY_TIME
    driver = open_driver(Neo4jSettings(UNUSED))
    try:
        assert retry_time_of(driver) == DEFAULT_RETRY_TIME
    finally:
        driver.close()


@pytest.mark.parametrize("seconds", [0.0, 12.5, 120.0])
def test_retry_time_is_the_settings(seconds: float) -> None:
    driver = open_driver(Neo4jSettings(UNUSED, retry_time=seconds))
    try:
        assert retry_time_of(driver) == seconds
    finally:
        driver.close()


@pytest.mark.parametrize("seconds", [-1.0, float("nan")])
def test_a_negative_retry_time_is_refused(seconds: float) -> None:
    with pytest.raises(ConnectionSettingsError, match="retry time .* seconds >= 0") as caught:
        Neo4jSettings(UNUSED, retry_time=seconds)
    assert caught.value.setting == "retry_time"


@click.command()
@click.argument("setting")
@neo4j_options
def show(setting: str, conn: object) -> None:
    click.echo(str(getattr(conn.settings(), setting)))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("setting", "args", "env", "expected"),
    [
        ("retry_time", [], {}, "30.0"),
        ("retry_time", ["--retry-time", "90"], {}, "90.0"),
        ("retry_time", [], {"NEO4J_RETRY_TIME": "45"}, "45.0"),
        ("retry_time", ["--retry-time", "0"], {"NEO4J_RETRY_TIME": "45"}, "0.0"),
        ("notifications", [], {}, "deprecations"),
        ("notifications", ["--notifications", "warnings"], {}, "warnings"),
        ("notifications", [], {"NEO4J_NOTIFICATIONS": "off"}, "off"),
        ("notifications", ["--notifications", "all"], {"NEO4J_NOTIFICATIONS": "off"}, "all"),
    ],
)
def test_the_cli_words_the_setting(
    setting: str, args: list[str], env: dict[str, str], expected: str
) -> None:
    result = CliRunner().invoke(show, [setting, "--uri", UNUSED, *args], env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--retry-time", "-3"], ">=0"),
        (["--notifications", "loud"], "'loud'isnotoneof"),
    ],
)
def test_the_cli_refuses_a_bad_setting(args: list[str], said: str) -> None:
    result = CliRunner().invoke(show, ["retry_time", "--uri", UNUSED, *args])
    assert result.exit_code == 2
    assert args[0] in result.output and said in result.output.replace(" ", "")


def test_every_session_gets_the_stores_one_bookmark_manager() -> None:
    store = Neo4jStore(open_driver(Neo4jSettings(UNUSED)), Neo4jSettings(UNUSED))
    try:
        manager = store.bookmark_manager
        assert isinstance(manager, neo4j.api.BookmarkManager)
        # the driver's own manager, so execute_query shares it too
        assert manager is store.driver.execute_query_bookmark_manager
        for access in (neo4j.READ_ACCESS, neo4j.WRITE_ACCESS):
            session = store.driver.session(database="neo4j", default_access_mode=access)
            assert isinstance(session, neo4j.Session)
            # a real neo4j Session: its config holds the manager it will use
            assert session._config.bookmark_manager is manager
            session.close()
    finally:
        store.close()


def test_notifications_are_not_switched_off() -> None:
    driver = open_driver(Neo4jSettings(UNUSED))
    try:
        config = driver.neo4j_driver._pool.pool_config  # the connections' config
        # the driver was opened with "OFF" before issue 19; None: every severity
        assert config.notifications_min_severity is None
        quiet = {
            getattr(kind, "value", kind) for kind in config.notifications_disabled_classifications
        }
        assert "DEPRECATION" not in quiet and "UNSUPPORTED" not in quiet
        assert "UNRECOGNIZED" in quiet
    finally:
        driver.close()


@pytest.mark.parametrize(
    ("level", "severity", "kept"),
    [
        ("off", "OFF", None),
        ("deprecations", None, {"DEPRECATION", "UNSUPPORTED"}),
        ("warnings", "WARNING", {"DEPRECATION", "UNSUPPORTED", "UNRECOGNIZED", "PERFORMANCE"}),
        ("all", "INFORMATION", {"DEPRECATION", "UNRECOGNIZED", "PERFORMANCE", "HINT"}),
    ],
)
def test_the_notifications_are_a_setting(level: str, severity: str | None, kept: set[str]) -> None:
    driver = open_driver(Neo4jSettings(UNUSED, notifications=level))
    try:
        config = driver.neo4j_driver._pool.pool_config
        found = config.notifications_min_severity
        assert getattr(found, "value", found) == severity
        quiet = {
            getattr(kind, "value", kind)
            for kind in config.notifications_disabled_classifications or ()
        }
        assert not (kept or set()) & quiet
    finally:
        driver.close()


def test_an_unknown_notifications_level_is_refused() -> None:
    with pytest.raises(ConnectionSettingsError, match="one of off, deprecations, warnings, all"):
        Neo4jSettings(UNUSED, notifications="loud")


FIVE = [
    {"labels": ["Lot"], "props": ["id"], "type": "UNIQUENESS"},
    {"labels": ["Finding"], "props": ["key", "sgVersion"], "type": "NODE_KEY"},
    {"labels": ["Lot"], "props": ["name"], "type": "NODE_PROPERTY_EXISTENCE"},
    {"labels": ["DEPENDS_ON"], "props": ["source"], "type": "RELATIONSHIP_UNIQUENESS"},
]
NEWER = [
    {"labels": ["Lot"], "props": ["id"], "type": "NODE_PROPERTY_UNIQUENESS"},
    {"labels": ["Finding"], "props": ["key", "sgVersion"], "type": "NODE_KEY"},
    {"labels": ["Lot"], "props": ["name"], "type": "NODE_PROPERTY_EXISTENCE"},
    {"labels": ["DEPENDS_ON"], "props": ["source"], "type": "RELATIONSHIP_PROPERTY_UNIQUENESS"},
]


@pytest.mark.parametrize("rows", [FIVE, NEWER], ids=["5.x names", "newer names"])
def test_the_constraint_check_reads_both_type_names(rows: list[dict[str, object]]) -> None:
    assert unique_keys(rows) == {(("Lot",), ("id",)), (("Finding",), ("key", "sgVersion"))}


def bookmark(*states: tuple[str, int]) -> str:
    """A Neo4j 5 bookmark (``FB:`` and base64 PackStream) holding ``(database id, tx id)`` pairs."""
    data = bytes([0x90 + len(states)])
    for database, number in states:
        data += (
            bytes([0xCC, 16]) + bytes.fromhex(database) + bytes([0xCB]) + number.to_bytes(8, "big")
        )
    return "FB:" + base64.b64encode(data + bytes([0x90])).decode("ascii")


REGISTER_DB = "c4abe9d1da9a4d43ab4abefa9234d613"


def test_a_bookmarks_transactions_name_each_database_the_system_one_too() -> None:
    # the shared bookmark manager may hold the system database's state beside the register's;
    # record_transaction leaves it out (tests/integration/test_causal_reads.py)
    both = bookmark((SYSTEM_DATABASE_ID, 7), (REGISTER_DB, 178))
    assert transactions([both]) == {SYSTEM_DATABASE_ID: 7, REGISTER_DB: 178}
    assert transactions([bookmark((SYSTEM_DATABASE_ID, 7))]) == {SYSTEM_DATABASE_ID: 7}
    assert transactions([bookmark((REGISTER_DB, 3)), bookmark((SYSTEM_DATABASE_ID, 9))]) == {
        REGISTER_DB: 3,
        SYSTEM_DATABASE_ID: 9,
    }
    assert transactions(["not a bookmark"]) is None
