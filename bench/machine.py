"""The machine a benchmark ran on: CPU, memory, OS, the Neo4j server, library versions, load."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench.browser import CHROMIUM

LIBRARIES = ("neo4j", "neo4j-rust-ext", "rdflib", "rdflib-neo4j", "networkx", "playwright")
COMPONENTS = "CALL dbms.components() YIELD name, versions, edition RETURN *"
PAGE_CACHE = (
    "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value"
)
HEAP = (
    "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
    "RETURN attributes.HeapMemoryUsage.value.properties.max AS max"
)


def describe_machine(store: Any) -> dict[str, str]:
    """What the report's "Machine" section lists; ``store`` (or None) is the Neo4j measured."""
    chromium = first_line([CHROMIUM, "--version"]) if Path(CHROMIUM).exists() else "missing"
    return {
        "CPU": f"{_proc_field('/proc/cpuinfo', 'model name')}, {os.cpu_count()} logical cores",
        "RAM": _ram(),
        "OS": _os_name(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Java": first_line(["java", "-version"]),
        "Neo4j": describe_neo4j(store) if store is not None else "not connected",
        "Libraries": _libraries(),
        "Chromium": chromium,
        "Date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "Load average at the start": load_average(),
    }


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def first_line(cmd: list[str]) -> str:
    """The first line a command prints (on stdout or stderr), or "not found"."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "not found"
    text = (proc.stdout or "") + (proc.stderr or "")
    return text.strip().splitlines()[0] if text.strip() else "unknown"


def describe_neo4j(store: Any) -> str:
    """The server's components and editions, its page cache and heap where it says them."""
    neo4j = "not connected"
    with contextlib.suppress(Exception):
        rows = store.read(COMPONENTS)
        neo4j = ", ".join(f"{r['name']} {r['versions'][0]} {r['edition']}" for r in rows)
        settings = store.read(PAGE_CACHE)
        extra = [f"page cache {settings[0]['value']}"] if settings else []
        with contextlib.suppress(Exception):
            heap = store.read(HEAP)
            if heap and heap[0]["max"]:
                extra.append(f"heap {heap[0]['max'] / 2**30:.1f} GiB")
        if extra:
            neo4j += " (" + ", ".join(extra) + ")"
    return neo4j


def _proc_field(path: str, name: str) -> str:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    return "unknown"


def _ram() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _os_name() -> str:
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (kernel {platform.release()})"
    return os_name


def _libraries() -> str:
    """The versions of the libraries that matter to the numbers (those installed)."""
    found = []
    for name in LIBRARIES:
        with contextlib.suppress(PackageNotFoundError):
            found.append(f"{name} {version(name)}")
    return ", ".join(found)
