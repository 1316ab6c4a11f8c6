"""The password never leaks: not in stdout, stderr, log records, written files, the graph, or the
text, repr and args of exceptions — in success and failure paths.

Every command that touches Neo4j runs with the real test server's password and with distinctive
wrong ones (generated per run, with characters that URL, JSON and HTML encoding change), each
given through the environment, ``--password`` and ``--password-file``. Every output is searched
for each password in several encodings (raw, URL-quoted, JSON, HTML, base64 of ``user:password``)
and for every 10 characters of it in a row (a truncated, split or partly masked leak).

The CLI has no verbose or debug mode; the most talkative output there is comes from the driver's
DEBUG log, so the runs happen in-process with a DEBUG handler on the root logger and the
``neo4j`` and ``sourcing_graph`` loggers (every record's message, args and exception text are
searched). A few runs repeat in a real subprocess, where Python's last-resort logging would
print the driver's warnings. Wrong passwords go to a throwaway user, so the failed-login lockout
never locks the test server's own user.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from sourcing_graph.cli import main
from sourcing_graph.errors import (
    ConnectionSettingsError,
    Neo4jUnavailableError,
    QueryError,
    SourcingGraphError,
)
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore, redact_uri
from sourcing_graph.loaders.csv_reader import read_register
from tests.support import DATA, ROOT
from tests.support.leaks import (
    CONNECTION_VARIABLES,
    TOTAL,
    LeakCheck,
    distinctive,
    encodings,
    free_port,
)

EXAMPLE = str(ROOT / "examples" / "acme-retail")
BAD_REGISTER = str(DATA / "registers" / "malformed" / "bad_date")

# -- running the CLI in-process with every log record captured ----------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        self.lines.append(repr(record.args))
        self.lines.append(repr(record.__dict__))


@contextmanager
def debug_logs() -> Iterator[_Records]:
    """Every log record (DEBUG and up) of the driver, our package and anything else."""
    handler = _Records()
    loggers = [logging.getLogger(n) for n in ("", "neo4j", "sourcing_graph")]
    levels = [lg.level for lg in loggers]
    loggers[0].addHandler(handler)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        loggers[0].removeHandler(handler)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    log: str


@pytest.fixture
def cli(capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Runs ``sourcing-graph ARGS`` in-process with exactly ``env`` for the Neo4j variables."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)

    def run(*args: str, env: dict[str, str]) -> Run:
        for key in CONNECTION_VARIABLES:
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        capfd.readouterr()
        code: int = 0
        with debug_logs() as records:
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capfd.readouterr()
        return Run(code, out, err, "\n".join(records.lines))

    run.workdir = workdir  # type: ignore[attr-defined]
    return run


def check_run(leaks: LeakCheck, where: str, run: Run) -> None:
    leaks.check(f"{where} stdout", run.stdout)
    leaks.check(f"{where} stderr", run.stderr)
    leaks.check(f"{where} log records", run.log)


def assert_one_line_error(where: str, run: Run, expected: str) -> None:
    assert run.code == 1, f"{where}: exit {run.code}\n{run.stderr}"
    assert "Traceback" not in run.stderr, f"{where}:\n{run.stderr}"
    assert run.stderr.count("\n") == 1, f"{where}:\n{run.stderr}"
    assert expected in run.stderr, f"{where}:\n{run.stderr}"


# -- users -------------------------------------------------------------------------------------


@contextmanager
def throwaway_user(store: Neo4jStore) -> Iterator[tuple[str, str]]:
    """A user of the test server for this test only (Neo4j Community: every user is admin)."""
    name = "leak_probe_" + secrets.token_hex(4)
    password = distinctive("probe")
    with store.driver.session(database="system") as session:
        session.run(
            "CREATE USER $name SET PASSWORD $pw CHANGE NOT REQUIRED", name=name, pw=password
        ).consume()
    try:
        yield name, password
    finally:
        with store.driver.session(database="system") as session:
            session.run("DROP USER $name IF EXISTS", name=name).consume()


def real_env(store: Neo4jStore) -> dict[str, str]:
    settings = store.settings
    env = {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user}
    env["NEO4J_PASSWORD"] = settings.password or ""
    if settings.database:
        env["NEO4J_DATABASE"] = settings.database
    if settings.trusted_ca:
        env["NEO4J_TRUSTED_CA"] = str(settings.trusted_ca)
    return env


@pytest.fixture(scope="module", autouse=True)
def report_total() -> Iterator[None]:
    yield
    print(f"\ntest_credentials: {TOTAL['outputs']} outputs searched for passwords")


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_every_command_succeeds_without_showing_the_password(neo4j_store, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    real = neo4j_store.settings.password
    assert real, "the test server needs a password for this test"
    leaks = LeakCheck({"test server's": real}, users=(neo4j_store.settings.user,))
    env = real_env(neo4j_store)
    out = tmp_path / "out"
    out.mkdir()
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    password_file = secret_dir / "password"
    password_file.write_text(real + "\n", encoding="utf-8")
    no_password = {k: v for k, v in env.items() if k != "NEO4J_PASSWORD"}

    a_neo4j = ["analyze", EXAMPLE, "--engine", "neo4j"]
    runs = [
        ("load (env)", ["load", EXAMPLE], env),
        ("load (--password)", ["load", EXAMPLE, "--password", real], no_password),
        ("load (--password-file)", ["load", EXAMPLE, "--password-file", str(password_file)], no_password),
        ("analyze neo4j table", [*a_neo4j, "--all-rows"], env),
        ("analyze neo4j json", [*a_neo4j, "--format", "json", "-o", str(out / "a.json")], env),
        ("analyze neo4j csv", [*a_neo4j, "--format", "csv", "-o", str(out / "a.csv")], env),
        ("analyze neo4j markdown", [*a_neo4j, "--format", "markdown", "-o", str(out / "a.md")], env),
        ("analyze --loaded json", [*a_neo4j, "--loaded", "--format", "json"], env),
        ("analyze auto engine", ["analyze", EXAMPLE], env),
        ("query named json", ["query", "mode-mismatches", "--format", "json"], env),
        ("query named param", ["query", "mode-mismatches", "-p", "minSeverity=high"], env),
        ("query cypher csv", ["query", "MATCH (l:Lot) RETURN l.id AS id, l.name AS name", "--format", "csv"], env),
        ("query --list", ["query", "--list"], env),
        ("view neo4j", ["view", EXAMPLE, "--engine", "neo4j", "-o", str(out / "view.html")], env),
        ("view neo4j focus", ["view", EXAMPLE, "--engine", "neo4j", "--focus", "lot:ERP", "-o", str(out / "focus.html")], env),
        ("report neo4j", ["report", EXAMPLE, "--engine", "neo4j", "-o", str(out / "report.html")], env),
        ("export ttl", ["export", EXAMPLE, "--format", "ttl", "-o", str(out / "x.ttl")], env),
        ("export jsonld", ["export", EXAMPLE, "--format", "jsonld", "-o", str(out / "x.jsonld")], env),
        ("export nt", ["export", EXAMPLE, "--format", "nt"], env),
        ("validate", ["validate", EXAMPLE], env),
        ("validate json", ["validate", EXAMPLE, "--format", "json"], env),
        ("mapping", ["mapping", EXAMPLE], env),
        ("--help", ["--help"], env),
        ("--version", ["--version"], env),
    ]  # fmt: skip
    runs += [
        (f"{c} --help", [c, "--help"], env)
        for c in ("load", "analyze", "query", "view", "report", "export", "validate", "mapping")
    ]
    for where, args, run_env in runs:
        result = cli(*args, env=run_env)
        assert result.code == 0, f"{where}: exit {result.code}\n{result.stderr}"
        if where == "load (env)":  # the capture sees the driver's DEBUG records (the login too)
            assert re.search(r"^neo4j[.\w]* DEBUG .*LOGON", result.log, flags=re.MULTILINE)
        check_run(leaks, where, result)

    written = leaks.files("output", out)
    assert {p.name for p in written} == {
        "a.json", "a.csv", "a.md", "view.html", "focus.html", "report.html", "x.ttl", "x.jsonld"
    }  # fmt: skip
    # the tool writes no log (or any other) file of its own
    assert not list(cli.workdir.iterdir())

    # nor does the password end up in the graph it loaded
    nodes = neo4j_store.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = neo4j_store.read("MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS props")
    assert nodes and rels
    leaks.check("the graph in Neo4j", json.dumps([nodes, rels], default=str, ensure_ascii=False))
    leaks.assert_clean()


@pytest.mark.neo4j
def test_refused_passwords_are_never_shown(neo4j_store, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with throwaway_user(neo4j_store) as (user, _):
        wrong = {how: distinctive(f"wrong-{how}") for how in ("env", "arg", "file")}
        leaks = LeakCheck(
            {f"wrong ({how})": pw for how, pw in wrong.items()}
            | {"test server's": neo4j_store.settings.password or ""},
            users=(user, "neo4j"),
        )
        base = real_env(neo4j_store) | {"NEO4J_USER": user}
        del base["NEO4J_PASSWORD"]
        password_file = tmp_path / "wrong-password"
        password_file.write_text(wrong["file"], encoding="utf-8")
        given = {
            "env": (base | {"NEO4J_PASSWORD": wrong["env"]}, []),
            "arg": (base, ["--password", wrong["arg"]]),
            "file": (base, ["--password-file", str(password_file)]),
        }
        out = tmp_path / "out"
        out.mkdir()
        a_neo4j = ["analyze", EXAMPLE, "--engine", "neo4j"]
        commands = [
            ["load", EXAMPLE],
            [*a_neo4j, "--format", "json", "-o", str(out / "a.json")],
            [*a_neo4j, "--loaded"],
            ["query", "mode-mismatches", "--format", "csv"],
            ["refresh"],
            ["view", EXAMPLE, "--engine", "neo4j", "-o", str(out / "v.html")],
            ["report", EXAMPLE, "--engine", "neo4j", "-o", str(out / "r.html")],
        ]
        for how, (env, extra) in given.items():
            for command in commands:
                where = f"{command[0]} wrong password ({how})"
                result = cli(*command, *extra, env=env)
                # the first refusals name the credentials; then the server rate-limits the user
                assert_one_line_error(where, result, "refused the ")
                assert "check NEO4J_USER and NEO4J_PASSWORD" in result.stderr
                check_run(leaks, where, result)
        assert not leaks.files("output", out), "nothing is written when the login fails"

        # the library: the exception and what it was raised from
        bad = Neo4jSettings(
            uri=neo4j_store.settings.uri,
            user=user,
            password=wrong["env"],
            database=neo4j_store.database,
        )
        with (
            debug_logs() as records,
            pytest.raises(
                Neo4jUnavailableError,
                match=rf"refused the (credentials|login) of user '{re.escape(user)}'",
            ) as info,
        ):
            Neo4jStore.connect(bad)
        leaks.exception("Neo4jStore.connect wrong password", info.value)
        leaks.check("Neo4jStore.connect log records", "\n".join(records.lines))
        leaks.check("Neo4jSettings repr", repr(bad))
    leaks.assert_clean()


@pytest.mark.neo4j
def test_failures_with_the_right_password_never_show_it(neo4j_store, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    real = neo4j_store.settings.password or ""
    leaks = LeakCheck({"test server's": real}, users=(neo4j_store.settings.user,))
    # an unreachable server is waited for 2 s (not the default 30): the "not available yet"
    # line is still printed, and searched, before the error
    env = real_env(neo4j_store) | {"NEO4J_WAIT": "2"}
    port = free_port()
    not_pem = tmp_path / "not-a-ca.pem"
    not_pem.write_text("no certificate here\n", encoding="utf-8")
    plain_host_port = neo4j_store.settings.uri.partition("://")[2]
    cases = [
        ("unreachable bolt", ["load", EXAMPLE], {"NEO4J_URI": f"bolt://127.0.0.1:{port}"}, "cannot reach Neo4j"),
        ("unreachable neo4j routing", ["query", "mode-mismatches"], {"NEO4J_URI": f"neo4j://127.0.0.1:{port}"}, "cannot reach Neo4j"),
        ("unknown host", ["analyze", EXAMPLE, "--engine", "neo4j"], {"NEO4J_URI": "bolt://no-such-host.invalid:7687"}, "cannot reach Neo4j"),
        ("TLS to a plain server", ["load", EXAMPLE], {"NEO4J_URI": f"bolt+s://{plain_host_port}"}, "cannot reach Neo4j"),
        ("not a CA file", ["query", "mode-mismatches"], {"NEO4J_URI": f"neo4j+s://{plain_host_port}", "NEO4J_TRUSTED_CA": str(not_pem)}, "NEO4J_TRUSTED_CA"),
        ("no such database", ["query", "mode-mismatches"], {"NEO4J_DATABASE": "no-such-db"}, "no database"),
        ("bad Cypher", ["query", "MATCH (n RETURN n"], {}, "error:"),
        ("write in a read-only query", ["query", "CREATE (:LeakProbe {x: 1})"], {}, "read-only"),
        ("unknown parameter", ["query", "mode-mismatches", "-p", "nope=1"], {}, "nope"),
        ("unknown query", ["query", "no-such-query"], {}, "no-such-query"),
        ("bad register load", ["load", BAD_REGISTER], {}, "nothing was loaded"),
        ("bad register analyze", ["analyze", BAD_REGISTER, "--engine", "neo4j"], {}, "nothing was loaded"),
        ("bad register view", ["view", BAD_REGISTER, "--engine", "neo4j", "-o", str(tmp_path / "v.html")], {}, "nothing was loaded"),
        ("bad register report", ["report", BAD_REGISTER, "--engine", "neo4j", "-o", str(tmp_path / "r.html")], {}, "nothing was loaded"),
        ("bad register validate", ["validate", BAD_REGISTER], {}, "error"),
        ("bad register validate json", ["validate", BAD_REGISTER, "--format", "json"], {}, ""),
        ("--loaded without neo4j", ["analyze", EXAMPLE, "--loaded", "--engine", "embedded"], {}, "--loaded"),
        ("bad --uri scheme", ["load", EXAMPLE], {"NEO4J_URI": "http://127.0.0.1:7474"}, "not a Neo4j URI"),
    ]  # fmt: skip
    for where, args, overrides, expected in cases:
        result = cli(*args, env=env | overrides)
        assert result.code != 0, f"{where}: exit 0\n{result.stdout}"
        assert "Traceback" not in result.stderr, f"{where}:\n{result.stderr}"
        assert expected in result.stderr + result.stdout, f"{where}:\n{result.stderr}"
        check_run(leaks, where, result)
    assert not (tmp_path / "v.html").exists() and not (tmp_path / "r.html").exists()

    # the library: a failed query, a write refused in read-only mode, an unreachable server
    for cypher, error in (("MATCH (n RETURN n", QueryError), ("CREATE (:LeakProbe)", QueryError)):
        with (
            debug_logs() as records,
            pytest.raises(
                error,
                match=r"Neo4j refused the query: Invalid input 'RETURN'|the query tries to write",
            ) as info,
        ):
            neo4j_store.read(cypher)
        leaks.exception(f"read({cypher!r})", info.value)
        leaks.check(f"read({cypher!r}) log records", "\n".join(records.lines))
    gone = Neo4jSettings(uri=f"neo4j://127.0.0.1:{port}", password=real)
    with (
        debug_logs() as records,
        pytest.raises(
            Neo4jUnavailableError, match=rf"cannot reach Neo4j at neo4j://127\.0\.0\.1:{port}"
        ) as unreachable,
    ):
        Neo4jStore.connect(gone)
    leaks.exception("connect unreachable", unreachable.value)
    leaks.check("connect unreachable log records", "\n".join(records.lines))
    leaks.assert_clean()


@pytest.mark.neo4j
def test_credentials_changed_during_a_session_fail_the_load_without_showing_them(
    neo4j_store,
) -> None:  # type: ignore[no-untyped-def]
    """The password is changed on the server and the connection dropped after the store
    connected: the load (and a read) then fail authentication — one clear error, nothing shown."""
    register = read_register(EXAMPLE)
    with throwaway_user(neo4j_store) as (user, password):
        rotated = distinctive("rotated")
        leaks = LeakCheck({"old": password, "new": rotated}, users=(user,))
        settings = Neo4jSettings(
            uri=neo4j_store.settings.uri,
            user=user,
            password=password,
            database=neo4j_store.database,
            trusted_ca=neo4j_store.settings.trusted_ca,
        )
        with debug_logs() as records:
            store = Neo4jStore.connect(settings)
        leaks.check("connect log records", "\n".join(records.lines))
        try:
            # (outside the captured logs: this statement carries the new password as a parameter)
            with neo4j_store.driver.session(database="system") as session:
                session.run(
                    "ALTER USER $name SET PASSWORD $pw CHANGE NOT REQUIRED", name=user, pw=rotated
                ).consume()
            _kill_connections(neo4j_store, user)
            # A read is retried after the dropped connection and then logs in again: refused.
            with (
                debug_logs() as records,
                pytest.raises(
                    Neo4jUnavailableError,
                    match=rf"refused the credentials of user '{re.escape(user)}'",
                ) as read_error,
            ):
                store.read("MATCH (l:Lot) RETURN count(l) AS n")
            leaks.exception("read", read_error.value)
            leaks.check("read log records", "\n".join(records.lines))
            assert "refused the credentials" in str(read_error.value)
            # The load opens a new connection too: refused before anything is written.
            with (
                debug_logs() as records,
                pytest.raises(
                    Neo4jUnavailableError,
                    match=rf"refused the credentials of user '{re.escape(user)}'",
                ) as load_error,
            ):
                store.load_register(register)
            leaks.exception("load_register", load_error.value)
            leaks.check("load_register log records", "\n".join(records.lines))
            assert "refused the credentials" in str(load_error.value)
        finally:
            store.close()
    leaks.assert_clean()


def _kill_connections(store: Neo4jStore, user: str) -> None:
    """Close the server side of every Bolt connection of ``user`` (its next use logs in again)."""
    with store.driver.session(database=store.database) as session:
        session.run(
            "CALL dbms.listConnections() YIELD connectionId, username WHERE username = $u "
            "CALL dbms.killConnection(connectionId) YIELD message RETURN message",
            u=user,
        ).consume()


@pytest.mark.parametrize("command", ["load", "query", "analyze"])
def test_credentials_in_the_uri_are_refused_and_never_echoed(cli, command: str) -> None:  # type: ignore[no-untyped-def]
    """``user:password@host`` in the URI: refused before anything connects, shown as ``***``."""
    password = distinctive("in-uri")
    leaks = LeakCheck({"URI": password}, users=("neo4j", "admin"))
    port = free_port()
    args = {"load": ["load", EXAMPLE], "query": ["query", "mode-mismatches"]}.get(
        command, ["analyze", EXAMPLE, "--engine", "neo4j"]
    )
    uris = [
        f"bolt://neo4j:{quote(password, safe='')}@127.0.0.1:{port}",
        "neo4j+s://admin:" + password + f"@127.0.0.1:{port}",  # unencoded: '/', '#', '?' split it
        f"neo4j://neo4j:{quote(password, safe='')}@127.0.0.1:{port}/db?x=1",
        f"http://neo4j:{quote(password, safe='')}@127.0.0.1:{port}",  # and not even a Neo4j URI
        f"bolt://{quote(password, safe='')}@127.0.0.1:{port}",
    ]
    for number, uri in enumerate(uris):
        where = f"{command} with credentials in URI #{number}"
        via_env = cli(*args, env={"NEO4J_URI": uri})
        via_option = cli(*args, "--uri", uri, env={})
        for result in (via_env, via_option):
            assert_one_line_error(where, result, "holds credentials")
            assert "***@" in result.stderr
            check_run(leaks, where, result)
        with pytest.raises(
            ConnectionSettingsError,
            match=rf"'[a-z0-9+]+://\*\*\*@127\.0\.0\.1:{port}[^']*' holds credentials",
        ) as info:
            Neo4jSettings(uri=uri, password=password)
        leaks.exception(f"Neo4jSettings URI #{number}", info.value)
        leaks.check(f"redact_uri #{number}", redact_uri(uri))
    leaks.assert_clean()


@pytest.mark.neo4j
@pytest.mark.slow
def test_real_processes_show_no_password_and_no_driver_noise(neo4j_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """As a user runs it: a process of its own, Python's default logging (whose last-resort
    handler would print the driver's warnings to stderr), the password in the environment."""
    real = neo4j_store.settings.password or ""
    wrong = distinctive("wrong-process")
    leaks = LeakCheck({"test server's": real, "wrong": wrong})
    env = {k: v for k, v in os.environ.items() if k not in CONNECTION_VARIABLES} | real_env(
        neo4j_store
    )
    env["NEO4J_WAIT"] = "0"  # an unreachable server: fail at once (waiting: test_neo4j_faults.py)
    port = free_port()
    cases = [
        ("load", ["load", EXAMPLE], {}, 0),
        ("query", ["query", "mode-mismatches", "--format", "json"], {}, 0),
        ("wrong password", ["load", EXAMPLE], {"NEO4J_USER": "leak_probe_none", "NEO4J_PASSWORD": wrong}, 1),
        ("unreachable routing", ["query", "mode-mismatches"], {"NEO4J_URI": f"neo4j://127.0.0.1:{port}"}, 1),
        ("credentials in URI", ["load", EXAMPLE], {"NEO4J_URI": f"neo4j://neo4j:{quote(real, safe='')}@127.0.0.1:{port}"}, 1),
    ]  # fmt: skip
    for where, args, overrides, code in cases:
        result = subprocess.run(
            [sys.executable, "-m", "sourcing_graph", *args],
            capture_output=True,
            text=True,
            env=env | overrides,
            cwd=tmp_path,
            timeout=300,
        )
        assert result.returncode == code, f"{where}:\n{result.stderr}"
        if code:
            assert result.stderr.count("\n") == 1, f"{where}:\n{result.stderr}"
            assert result.stderr.startswith("error: "), f"{where}:\n{result.stderr}"
        leaks.check(f"process {where} stdout", result.stdout)
        leaks.check(f"process {where} stderr", result.stderr)
    assert not list(tmp_path.iterdir()), "no log file or anything else is written"
    leaks.assert_clean()


def test_the_search_finds_a_leak() -> None:
    """The checker itself: each encoding of a planted password is found."""
    password = distinctive("planted")
    for form, text in encodings(password, ("neo4j",)).items():
        leaks = LeakCheck({"planted": password})
        leaks.check(form, f"some output ... {text} ... more")
        assert leaks.found, form
    leaks = LeakCheck({"planted": password})
    try:
        raise SourcingGraphError("wrapped") from ValueError(f"inner {password}")
    except SourcingGraphError as exc:
        leaks.exception("chained", exc)
    assert leaks.found
