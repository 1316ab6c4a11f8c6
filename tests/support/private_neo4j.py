"""A private Neo4j for fault tests (its own data folder and free port), and graph digests.

Fault tests kill, stop and restart this server, so they never disturb the shared test server.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sourcing_graph.graph.neo4j import Neo4jSettings, Neo4jStore
from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "neo4j"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateNeo4j:
    """``scripts/neo4j`` with a data folder under ``home`` and a free Bolt port (no HTTP)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.env = dict(
            os.environ,
            NEO4J_HOME_DIR=str(home),
            NEO4J_BOLT_PORT=str(self.port),
            NEO4J_HTTP_PORT="0",
            # a load is one transaction: 30k contracts with their stored conclusions (R10-R14
            # findings included) need about 2 GB of heap
            NEO4J_HEAP="3g",
            NEO4J_PAGECACHE="256m",
        )

    def start(self) -> None:
        subprocess.run([str(SCRIPT), "start"], env=self.env, check=True, timeout=600)

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop"], env=self.env, timeout=180)

    def kill(self) -> None:
        """SIGKILL the server process (no clean shutdown)."""
        os.kill(int((self.home / "neo4j.pid").read_text().strip()), signal.SIGKILL)

    @property
    def password(self) -> str:
        return (self.home / "password").read_text().strip()

    def settings(self, uri: str | None = None, wait: float = 0.0) -> Neo4jSettings:
        return Neo4jSettings(uri=uri or self.uri, password=self.password, wait=wait)

    def connect(self, uri: str | None = None) -> Neo4jStore:
        return Neo4jStore.connect(self.settings(uri))

    def cli_env(self, uri: str | None = None, **extra: str) -> dict[str, str]:
        """The environment for a ``sourcing-graph`` subprocess talking to this server."""
        env = dict(os.environ, NEO4J_URI=uri or self.uri, NEO4J_PASSWORD=self.password)
        env.pop("NEO4J_DATABASE", None)
        env.update(extra)
        return env


def running(home: Path, **env: str) -> Iterator[PrivateNeo4j]:
    """A private server with ``env`` added to its settings, started, then stopped (a fixture's
    body: ``yield from running(...)``)."""
    neo4j = PrivateNeo4j(home)
    neo4j.env.update(env)
    neo4j.start()
    yield neo4j
    neo4j.stop()


def digest(store: Neo4jStore) -> str:
    """A hash of every node (labels, properties) and relationship (ends, type, properties), the
    bookkeeping node left out: two graphs with equal digests are equal."""
    nodes = store.read(  # not a node's version (loadId: a fresh id with every load)
        "MATCH (n) WHERE NOT n:SourcingGraphMeta RETURN labels(n) AS l, n {.*, loadId: null} AS p"
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN a.uri AS a, type(r) AS t, properties(r) AS p, b.uri AS b"
    )
    items = sorted(json.dumps(item, sort_keys=True, default=str) for item in nodes + rels)
    sha = hashlib.sha256()
    for item in items:
        sha.update(item.encode())
        sha.update(b"\n")
    return sha.hexdigest()


def expected_counts(register: Any) -> dict[str, int]:
    """What ``register_counts()`` must give once ``register`` is loaded."""
    counts = register.counts()
    return {
        k: counts[k]
        for k in (
            "contracts",
            "lots",
            "functions",
            "organisations",
            "dependencies",
            "subcontracting",
        )
    }
