"""Bolt over TLS against a real server: ``+s`` with the CA trusted (``SSL_CERT_FILE`` or
``--trusted-ca``), ``+ssc``, and one-line errors for a certificate that is not trusted, a host it
does not name, and a plain connection to a server that requires encryption.

One private Neo4j for the module (``scripts/neo4j`` with ``NEO4J_TLS_DIR``, its own data folder and
port), with a CA and a server certificate for ``localhost`` made with the ``openssl`` command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sourcing_graph.errors import ConnectionSettingsError
from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
from tests.support import AS_OF_ARGS, IN_CI, ROOT
from tests.support.leaks import CONNECTION_VARIABLES, LeakCheck, free_port

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SCRIPT = ROOT / "scripts" / "neo4j"
EXAMPLE = str(ROOT / "examples" / "acme-retail")


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=120)


def make_ca(folder: Path, name: str) -> Path:
    """A self-signed CA: ``<name>.key`` and ``<name>.crt`` in ``folder``."""
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", f"{name}.key", "-out", f"{name}.crt", "-subj", f"/CN=sourcing-graph test {name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )  # fmt: skip
    return folder / f"{name}.crt"


def make_server_certificate(folder: Path, ca: str) -> None:
    """``private.key`` (PKCS#8) and ``public.crt`` for DNS name localhost only, signed by ``ca``."""
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "private.key",
        "-out", "server.csr", "-subj", "/CN=localhost",
        cwd=folder,
    )  # fmt: skip
    (folder / "server.ext").write_text(
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "public.crt",
        cwd=folder,
    )  # fmt: skip


@dataclass
class TlsServer:
    port: int
    password: str
    ca: Path
    other_ca: Path
    script_env: dict[str, str]

    def env(self, **extra: str) -> dict[str, str]:
        """The process environment for a CLI run: the password, nothing else of Neo4j's."""
        base = {k: v for k, v in os.environ.items() if k not in CONNECTION_VARIABLES}
        return base | {"NEO4J_PASSWORD": self.password} | extra


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if shutil.which("openssl") is None:
        message = "the openssl command is needed to make the test certificates"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    tls = tmp_path_factory.mktemp("tls")
    ca = make_ca(tls, "ca")
    other_ca = make_ca(tls, "other-ca")
    make_server_certificate(tls, "ca")
    home = tmp_path_factory.mktemp("neo4j-tls")
    port = free_port()
    env = dict(
        os.environ,
        NEO4J_HOME_DIR=str(home),
        NEO4J_BOLT_PORT=str(port),
        NEO4J_HTTP_PORT="0",
        NEO4J_HEAP="512m",
        NEO4J_PAGECACHE="64m",
        NEO4J_TLS_DIR=str(tls),
    )
    started = subprocess.run(
        [str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=600
    )
    assert started.returncode == 0, started.stdout + started.stderr
    assert f"bolt+s://localhost:{port}" in started.stdout
    try:
        yield TlsServer(port, (home / "password").read_text().strip(), ca, other_ca, env)
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)


def cli(server: TlsServer, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sourcing_graph", *args],
        capture_output=True,
        text=True,
        env=server.env(**env),
        timeout=300,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_scripts_neo4j_env_gives_the_tls_uri_and_the_ca(tls_server: TlsServer) -> None:
    ca_in_dir = Path(tls_server.script_env["NEO4J_TLS_DIR"]) / "ca.crt"
    result = subprocess.run(
        [str(SCRIPT), "env"], env=tls_server.script_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert f"export NEO4J_URI=bolt+s://localhost:{tls_server.port}" in result.stdout
    assert f"export NEO4J_TRUSTED_CA={ca_in_dir}" in result.stdout
    assert tls_server.password not in result.stdout + result.stderr


def test_neo4j_s_with_the_ca_in_ssl_cert_file_loads_and_analyses(tls_server: TlsServer) -> None:
    uri = f"neo4j+s://localhost:{tls_server.port}"
    loaded = cli(
        tls_server, "load", EXAMPLE, *AS_OF_ARGS, NEO4J_URI=uri, SSL_CERT_FILE=str(tls_server.ca)
    )
    assert loaded.returncode == 0, loaded.stderr
    assert f"into {uri}:" in loaded.stdout
    on_neo4j = cli(
        tls_server,
        "analyze", EXAMPLE, "--engine", "neo4j", "--loaded", "--format", "json", *AS_OF_ARGS,
        NEO4J_URI=uri, SSL_CERT_FILE=str(tls_server.ca),
    )  # fmt: skip
    assert on_neo4j.returncode == 0, on_neo4j.stderr
    embedded = cli(
        tls_server, "analyze", EXAMPLE, "--engine", "embedded", "--format", "json", *AS_OF_ARGS
    )
    assert json.loads(on_neo4j.stdout) == json.loads(embedded.stdout)
    assert json.loads(on_neo4j.stdout)["coordination_load"]


def test_trusted_ca_option_with_bolt_s_and_with_an_encrypted_plain_scheme(
    tls_server: TlsServer,
) -> None:
    query = ["query", "MATCH (l:Lot) RETURN count(l) AS lots", "--format", "json"]
    for uri in (f"bolt+s://localhost:{tls_server.port}", f"neo4j://localhost:{tls_server.port}"):
        by_option = cli(tls_server, *query, "--uri", uri, "--trusted-ca", str(tls_server.ca))
        assert by_option.returncode == 0, by_option.stderr
        by_env = cli(tls_server, *query, NEO4J_URI=uri, NEO4J_TRUSTED_CA=str(tls_server.ca))
        assert by_env.returncode == 0, by_env.stderr
        assert json.loads(by_option.stdout) == json.loads(by_env.stdout) == [{"lots": 5}]


def test_ssc_accepts_the_certificate_without_a_ca(tls_server: TlsServer) -> None:
    for scheme in ("neo4j+ssc", "bolt+ssc"):
        result = cli(
            tls_server,
            "query",
            "RETURN 1 AS one",
            NEO4J_URI=f"{scheme}://localhost:{tls_server.port}",
        )
        assert result.returncode == 0, result.stderr


def test_library_connects_with_a_trusted_ca(tls_server: TlsServer) -> None:
    settings = Neo4jSettings(
        uri=f"neo4j+s://localhost:{tls_server.port}",
        password=tls_server.password,
        trusted_ca=str(tls_server.ca),
    )
    with Neo4jStore.connect(settings) as store:
        assert store.driver.encrypted
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    with pytest.raises(ConnectionSettingsError, match=r"\+ssc"):
        Neo4jSettings(uri=f"neo4j+ssc://localhost:{tls_server.port}", trusted_ca=str(tls_server.ca))


def test_failures_are_one_clear_line_without_the_password(tls_server: TlsServer) -> None:
    port = tls_server.port
    leaks = LeakCheck({"TLS server's": tls_server.password})
    cases = [
        # a plain connection to a server that requires TLS
        (["load", EXAMPLE], {"NEO4J_URI": f"neo4j://localhost:{port}"}, ["requires an encrypted connection", "neo4j+s://"]),
        (["query", "RETURN 1"], {"NEO4J_URI": f"bolt://localhost:{port}"}, ["requires an encrypted connection", "bolt+s://"]),
        # +s without its CA among the trusted ones
        (["load", EXAMPLE], {"NEO4J_URI": f"neo4j+s://localhost:{port}"}, ["certificate is not trusted", "--trusted-ca"]),
        (["analyze", EXAMPLE, "--engine", "neo4j"], {"NEO4J_URI": f"bolt+s://localhost:{port}"}, ["certificate is not trusted", "SSL_CERT_FILE"]),
        # a CA that did not sign it
        (["query", "RETURN 1"], {"NEO4J_URI": f"neo4j+s://localhost:{port}", "NEO4J_TRUSTED_CA": str(tls_server.other_ca)}, ["not signed by the CA in NEO4J_TRUSTED_CA"]),
        # a host name the certificate does not name (it names localhost only)
        (["query", "RETURN 1"], {"NEO4J_URI": f"neo4j+s://127.0.0.1:{port}", "NEO4J_TRUSTED_CA": str(tls_server.ca)}, ["does not name the host"]),
    ]  # fmt: skip
    for args, env, expected in cases:
        result = cli(tls_server, *args, **env)
        assert_one_line_error(result, f"cannot reach Neo4j at {env['NEO4J_URI']}", *expected)
        leaks.check(f"{env} stdout", result.stdout)
        leaks.check(f"{env} stderr", result.stderr)
    leaks.assert_clean()
