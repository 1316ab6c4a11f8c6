"""No default, well-known or hard-coded password anywhere in the repository (every git-tracked
file), no private key or ``.env`` file in it, and Docker Compose refusing to start without one.

Python files are read with ``ast`` (a string literal given as a password: keyword, assignment,
dict entry, ``auth=(user, "...")``, an environment default); every other file with patterns for
env files, Compose, shell, Cypher, Java and URIs. There is no allow-list: placeholders are written
so that they are not values (``NEO4J_PASSWORD=`` left empty, ``'...'`` in Cypher examples).
Tests that need a wrong password generate one at run time.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import IN_CI, ROOT

# Passwords that ship as defaults somewhere or top every list of guessed ones; as a password value
# they are wrong even in a test. Matched case-insensitively as a whole value.
WELL_KNOWN = {
    "neo4j",
    "password",
    "passw0rd",
    "password1",
    "changeme",
    "change-me",
    "change_me",
    "changeit",
    "change-me-please",
    "secret",
    "s3cret",
    "test",
    "testing",
    "admin",
    "root",
    "letmein",
    "welcome",
    "default",
    "pass",
    "qwerty",
    "123456",
    "12345678",
    "neo4jneo4j",
    "neo4jpassword",
}

PASSWORD_NAME = re.compile(r"(?i)(^|_)(password|passwd|pwd|pw|secret|credentials?)$")


def tracked_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in out.split("\0") if name]


def text_of(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):  # deleted in the work tree, or a submodule
        return None
    if b"\0" in data[:4096]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# -- Python: the syntax tree ---------------------------------------------------------------------


def _is_password_name(name: str | None) -> bool:
    return bool(name) and bool(PASSWORD_NAME.search(name or ""))


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    return None


def python_findings(source: str) -> list[tuple[int, str]]:
    """(line, what) for every non-empty string literal used as a password."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword):
            found += _keyword_findings(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            found += _assign_findings(node)
        elif isinstance(node, ast.Dict):
            found += _dict_findings(node)
        elif isinstance(node, ast.Call):
            found += _call_findings(node)
    return found


def _keyword_findings(node: ast.keyword) -> list[tuple[int, str]]:
    """``password="..."``, ``NEO4J_PASSWORD="..."``, ``auth=("neo4j", "...")``."""
    found = []
    value = _literal(node.value)
    if value and (_is_password_name(node.arg) or node.arg == "NEO4J_PASSWORD"):
        found.append((node.value.lineno, f"{node.arg}={value!r}"))
    if node.arg == "auth" and isinstance(node.value, ast.Tuple | ast.List):
        elts = node.value.elts
        if len(elts) >= 2 and _literal(elts[1]):
            found.append((node.value.lineno, f"auth=(..., {_literal(elts[1])!r})"))
    return found


def _assign_findings(node: ast.Assign | ast.AnnAssign) -> list[tuple[int, str]]:
    """``password = "..."``, ``self.password = "..."``."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = _literal(node.value)
    found = []
    for target in targets:
        name = getattr(target, "id", None) or getattr(target, "attr", None)
        if value and _is_password_name(name):
            found.append((node.lineno, f"{name} = {value!r}"))
    return found


def _dict_findings(node: ast.Dict) -> list[tuple[int, str]]:
    """``{"password": "..."}``, ``{"NEO4J_PASSWORD": "..."}``."""
    found = []
    for key, val in zip(node.keys, node.values, strict=True):
        key_text = _literal(key)
        value = _literal(val)
        if value and key_text and (_is_password_name(key_text) or "PASSWORD" in key_text):
            found.append((val.lineno, f"{{{key_text!r}: {value!r}}}"))
    return found


def _call_findings(node: ast.Call) -> list[tuple[int, str]]:
    """Defaults of a password in a call: the environment, the driver's auth, a click option."""
    found = []
    func = node.func
    name = getattr(func, "attr", None) or getattr(func, "id", None)
    args = [_literal(a) for a in node.args]
    # os.environ.get("NEO4J_PASSWORD", "default"), os.getenv(..., "default")
    if (
        name in ("get", "getenv", "setdefault")
        and len(args) >= 2
        and args[0]
        and "PASSWORD" in args[0].upper()
        and args[1]
    ):
        found.append((node.lineno, f"{name}({args[0]!r}, {args[1]!r})"))
    # basic_auth("neo4j", "...") / Auth("basic", "neo4j", "...")
    if name in ("basic_auth", "BasicAuth") and len(args) >= 2 and args[1]:
        found.append((node.lineno, f"{name}(..., {args[1]!r})"))
    # click.option("--password", default="...")
    if any(a and "password" in a for a in args):
        for kw in node.keywords:
            if kw.arg == "default" and _literal(kw.value):
                found.append((node.lineno, f"password option default {_literal(kw.value)!r}"))
    return found


# -- everything else: patterns -------------------------------------------------------------------

# A value starts with neither a quote, ``$`` (a reference: $VAR, ${VAR}, $(cat file), $param) nor
# a space; so a line split into two string literals in a test is not itself a finding.
_START = r"""(?![\s"'$`])"""
TEXT_RULES: list[tuple[str, re.Pattern[str]]] = [
    # NEO4J_AUTH as user/password with a literal password (Compose, env files, docker run -e)
    (
        "NEO4J_AUTH with a literal password",
        re.compile(r"NEO4J_AUTH\s*[:=]\s*[\"']?\w+/" + _START + r"(\S+)"),
    ),
    # NEO4J_PASSWORD=<literal> in env files, shell and Compose; empty or $(...)/${...} is fine
    (
        "NEO4J_PASSWORD set to a literal",
        re.compile(r"NEO4J_PASSWORD\s*[:=](?![?-])\s*[\"']?" + _START + r"(\S+)"),
    ),
    # a default value in shell or Compose interpolation of a password variable (:- and - forms)
    ("default in ${...PASSWORD:-...}", re.compile(r"(?i)\$\{\w*PASS\w*:?-([^}]+)\}")),
    # user:password@ in a Neo4j or HTTP URI
    (
        "credentials in a URI",
        re.compile(r"\b(?:bolt|neo4j|https?)(?:\+s|\+ssc)?://[^\s/@:\"'`]+:([^\s/@\"'`]+)@"),
    ),
    # Cypher SET PASSWORD, FROM or TO with a quoted literal (parameters and '...' are fine)
    (
        "password literal in Cypher",
        re.compile(r"(?i)\b(?:SET\s+PASSWORD|FROM|TO)\s+'(?!\.+')([^'\"]+)'"),
    ),
    # the Java driver's AuthTokens.basic with a string literal as the password
    (
        "literal password in AuthTokens.basic",
        re.compile(r"AuthTokens\.basic\([^,]+,\s*\"([^\"']+)\""),
    ),
    # cypher-shell given a literal password with its short or long option
    (
        "literal cypher-shell password",
        re.compile(r"cypher-shell\b.*?(?:-p|--password)[ =]" + _START + r"""([^"'\s#;,)]+)"""),
    ),
    # password: "x" / password = 'x' / "password": "x" (YAML, TOML, JSON, Java, docs)
    (
        "quoted password literal",
        re.compile(r"(?i)\b\w*(?:password|passwd)\w*[\"']?\s*[:=]\s*[\"']([^\"'$<>{}\s]+)[\"']"),
    ),
    # the one documented default account: user neo4j, password neo4j
    (
        "the default account (user and password neo4j)",
        re.compile(r"(?i)\bneo4j\s*[/:]\s*neo4j\b(?!\.)"),
    ),
]
# Rules that read Python source wrongly (``NEO4J_PASSWORD=store.settings.password`` and
# ``password=password`` are expressions there); the syntax tree covers them in Python files.
NOT_FOR_PYTHON = (
    "NEO4J_PASSWORD set to a literal",
    "quoted password literal",
    "well-known password",
)


def text_findings(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in TEXT_RULES:
            for match in pattern.finditer(line):
                if what == "password literal in Cypher" and "PASSWORD" not in line.upper():
                    continue
                found.append((number, f"{what}: {match.group(0)!r}"))
        # a well-known value right after a password-ish name, quoted or not (yaml, env, ini)
        for match in re.finditer(
            r"(?i)\b\w*(?:password|passwd|pwd)\w*\s*[:=]\s*[\"']?([\w.-]+)[\"']?", line
        ):
            if match.group(1).lower() in WELL_KNOWN:
                found.append((number, f"well-known password: {match.group(0)!r}"))
    return found


def findings(path: Path, text: str) -> list[tuple[int, str]]:
    if path.suffix == ".py":
        return python_findings(text) + [
            (n, w) for n, w in text_findings(text) if not w.startswith(NOT_FOR_PYTHON)
        ]
    return text_findings(text)


# -- the tests -----------------------------------------------------------------------------------


def test_the_scan_sees_the_repository() -> None:
    files = tracked_files()
    names = {str(p.relative_to(ROOT)) for p in files}
    # the files that matter most are in the scan (it would pass vacuously otherwise)
    for expected in (
        "docker-compose.yml",
        ".env.example",
        "README.md",
        "scripts/neo4j",
        "core/cli/options.py",
        "graph/neo4j/settings.py",
        "scripts/neo4j-server/src/main/java/dev/sourcinggraph/neo4j/DevServer.java",
    ):
        assert expected in names
    assert len(files) > 100


def test_no_default_or_hard_coded_password_in_any_tracked_file() -> None:
    problems = []
    scanned = 0
    for path in tracked_files():
        text = text_of(path)
        if text is None:
            continue
        scanned += 1
        for line, what in findings(path, text):
            problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert scanned > 100
    assert not problems, "\n".join(problems)


def test_no_private_key_env_file_or_password_file_is_tracked() -> None:
    problems = []
    for path in tracked_files():
        rel = str(path.relative_to(ROOT))
        if (
            path.name == ".env"
            or path.name == "password"
            or path.suffix in (".key", ".p12", ".pfx")
        ):
            problems.append(f"{rel}: a credentials file is tracked")
        text = text_of(path)
        if text and re.search(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----", text):
            problems.append(f"{rel}: holds a private key")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('Neo4jSettings(uri="bolt://x", password="hunter22")', "password='hunter22'"),
        ('env = {"NEO4J_PASSWORD": "hunter22"}', "'NEO4J_PASSWORD'"),
        ('dict(NEO4J_PASSWORD="hunter22")', "NEO4J_PASSWORD='hunter22'"),
        ('PASSWORD = "hunter22"', "PASSWORD = 'hunter22'"),
        ('driver(uri, auth=("neo4j", "hunter22"))', "auth=(..., 'hunter22')"),
        ('os.environ.get("NEO4J_PASSWORD", "hunter22")', "get('NEO4J_PASSWORD', 'hunter22')"),
        ('click.option("--password", default="hunter22")', "password option default"),
        ('basic_auth("neo4j", "hunter22")', "basic_auth(..., 'hunter22')"),
    ],
)
def test_the_python_scan_finds_planted_passwords(source: str, expected: str) -> None:
    assert any(expected in what for _, what in python_findings(source)), python_findings(source)


# Planted lines are split in two so that this file does not hold them (it is scanned too).
PLANTED = [
    ("NEO4J_AUTH=neo4j/", "hunter22"),
    ('      NEO4J_AUTH: "neo4j/', 'hunter22"'),
    ("NEO4J_PASSWORD=", "hunter22"),
    ("export NEO4J_PASSWORD='", "hunter22'"),
    ("NEO4J_URI=neo4j://neo4j:", "hunter22@db.example:7687"),
    ("ALTER CURRENT USER SET PASSWORD FROM $old TO '", "hunter22'"),
    ('AuthTokens.basic("neo4j", "', 'hunter22")'),
    ("cypher-shell -u neo4j -p ", "hunter22"),
    ('password: "', 'hunter22"'),
    ("password = ", "test"),
    ("login with neo4j/", "neo4j"),
    ('NEO4J_AUTH: "neo4j/${NEO4J_PASSWORD:', '-hunter22}"'),
]


@pytest.mark.parametrize("parts", PLANTED, ids=[p[0].strip() for p in PLANTED])
def test_the_text_scan_finds_planted_passwords(parts: tuple[str, str]) -> None:
    line = "".join(parts)
    assert text_findings(line), line


@pytest.mark.parametrize(
    "line",
    [
        'NEO4J_AUTH: "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}"',
        "NEO4J_PASSWORD=",
        'export NEO4J_PASSWORD="$(cat /tmp/x/password)"',
        'printf \'export NEO4J_PASSWORD="$(cat %q)"\\n\' "$PASSWORD_FILE"',
        "ALTER CURRENT USER SET PASSWORD FROM '...' TO '...'",
        '"CREATE USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED"',
        "| `NEO4J_PASSWORD` | `--password`, `--password-file` | prefer the variable or a file |",
        "NEO4J_URI=bolt://127.0.0.1:7687",
    ],
)
def test_the_text_scan_passes_placeholders_and_references(line: str) -> None:
    assert not text_findings(line), text_findings(line)


# -- Docker Compose ------------------------------------------------------------------------------


def test_compose_file_requires_the_password_from_the_environment() -> None:
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    auth = re.findall(r"NEO4J_AUTH\s*:\s*(.+)", text)
    assert len(auth) == 1
    assert re.fullmatch(r"\"neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}\"", auth[0].strip()), auth[0]
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assignments = re.findall(r"^NEO4J_PASSWORD=(.*)$", example, flags=re.MULTILINE)
    assert assignments == [""], "the example env file must leave NEO4J_PASSWORD empty"


def _compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.fixture
def compose() -> None:
    """Docker Compose's own ``config`` check needs the compose CLI (no engine). Without it the
    test skips, or fails when ``CI=true`` (``scripts/test`` builds the plugin when it is missing)."""
    if _compose_available():
        return
    reason = "docker compose is not installed (scripts/test builds it)"
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def compose_config(env: dict[str, str], env_file: Path) -> subprocess.CompletedProcess[str]:
    """``docker compose config`` of the repository's file with only ``env`` and ``env_file``."""
    return subprocess.run(
        ["docker", "compose", "--env-file", str(env_file), "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("password", [None, ""])
def test_docker_compose_refuses_to_start_without_a_password(
    compose: None, tmp_path: Path, password: str | None
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    env_file = tmp_path / "env"
    env_file.write_text("" if password is None else f"NEO4J_PASSWORD={password}\n")
    result = compose_config(env, env_file)
    assert result.returncode != 0
    assert "NEO4J_PASSWORD" in result.stderr
    assert "set NEO4J_PASSWORD in .env" in result.stderr


def test_docker_compose_uses_the_password_it_is_given(compose: None, tmp_path: Path) -> None:
    chosen = "pw-" + os.urandom(6).hex()
    empty = tmp_path / "env"
    empty.write_text("")
    result = compose_config(dict(os.environ, NEO4J_PASSWORD=chosen), empty)
    assert result.returncode == 0, result.stderr
    assert "NEO4J_AUTH: neo4j/" + chosen in result.stdout
