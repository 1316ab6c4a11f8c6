"""The ``LOAD CSV`` baseline: pre-split CSV files, their Cypher, and the check against our load.

What a Neo4j expert would write by hand: node files and one file per relationship type in the
server's import directory, and one ``LOAD CSV ... IN TRANSACTIONS`` statement per file
(``bench/cypher/loadcsv/*.cypher``, text plus a ``$file`` parameter), nodes first.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.database import BenchDatabase, rows_of
from bench.measure import timer
from bench.session import Session
from sourcing_graph.model import cents, instance_uri

CYPHER = Path(__file__).resolve().parent / "cypher" / "loadcsv"
NODE_FILES = ("organisations", "functions", "lots", "contracts")
RELATIONSHIP_FILES = (
    "coordinated_by",
    "depends_on",
    "supplied_by",
    "part_of",
    "declared_mode",
    "has_clause",
    "delivers",
)
NODE_COLUMNS = {  # file: the kind of its URIs, the columns after id and uri (before the extra ones)
    "organisations": ("org", ["name", "internal", "source"]),
    "functions": ("function", ["name", "critical", "retained", "source"]),
    "lots": (
        "lot",
        ["name", "complexity", "dynamics", "commodity", "source", "primeContractorDefaulted"],
    ),
    "contracts": (
        "contract",
        [
            "startDate",
            "endDate",
            "annualValue",
            "annualValueCents",
            "selectionBasis",
            "source",
            "modeAsWritten",
        ],
    ),
}
IMPORT_DIR_SETTING = (
    "SHOW SETTINGS YIELD name, value WHERE name = 'server.directories.import' RETURN value"
)


# -- the files ------------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """A value as ``LOAD CSV`` reads it back: ``true``/``false``, ISO dates, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_text(v) for v in row])


def extra_keys(entities: Iterable[Any]) -> list[str]:
    """The extra (user) columns of the entities, sorted."""
    keys: set[str] = set()
    for entity in entities:
        keys.update(entity.extra)
    return sorted(keys)


def write_loadcsv_files(register: Any, folder: Path) -> None:
    """Pre-split node and relationship CSVs, the way a Neo4j expert prepares a ``LOAD CSV`` import.

    Values are already typed text (``true``/``false``, ISO dates, plain floats); an empty cell is
    read as null by ``LOAD CSV``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, (kind, columns) in NODE_COLUMNS.items():
        entities = list(getattr(register, name).values())
        extra = extra_keys(entities)
        write_csv(
            folder / f"{name}.csv",
            ["id", "uri", *columns, *extra],
            (
                [e.id, instance_uri(kind, e.id)]
                + [_property(register, e, column) for column in columns]
                + [e.extra.get(k) or None for k in extra]
                for e in entities
            ),
        )
    for name, (header, rows) in _relationship_rows(register).items():
        write_csv(folder / f"{name}.csv", header, rows)


def _property(register: Any, entity: Any, column: str) -> Any:
    """The value of a node column: the model attribute of that name (in snake case)."""
    if column == "internal":  # own-it and the shared service centres
        return register.is_internal(entity.id)
    if column == "annualValueCents":  # the exact amount, as our load stores it
        return cents(entity.annual_value)
    if column == "annualValue":  # the convenience number beside it
        return None if entity.annual_value is None else float(entity.annual_value)
    return getattr(entity, re.sub(r"(?<!^)(?=[A-Z])", "_", column).lower())


def _relationship_rows(register: Any) -> dict[str, tuple[list[str], Iterable[Iterable[Any]]]]:
    """Per relationship file: its header and its rows (start node, end node, then the
    relationship's properties: its source, and what else our load writes on it)."""
    lots = list(register.lots.values())
    contracts = list(register.contracts.values())
    sources = register.dependency_sources
    return {
        "coordinated_by": (
            ["lot", "organisation", "source", "defaulted"],
            (
                [x.id, x.prime_contractor, x.source, x.prime_contractor_defaulted or None]
                for x in lots
            ),
        ),
        "depends_on": (
            ["lot", "depends_on", "source"],
            ([a, b, sources.get((a, b))] for a, b in sorted(register.dependencies)),
        ),
        "supplied_by": (
            ["contract", "organisation", "source"],
            ([c.id, c.supplier, c.source] for c in contracts),
        ),
        "part_of": (["contract", "lot", "source"], ([c.id, c.lot, c.source] for c in contracts)),
        "declared_mode": (
            ["contract", "mode", "source"],
            ([c.id, c.mode, c.source] for c in contracts if c.mode is not None),
        ),
        "has_clause": (  # the words as written joined by | (a list cell's separator)
            ["contract", "clause", "source", "asWritten"],
            (
                [c.id, k, c.source, "|".join(c.clause_words.get(k, ())) or None]
                for c in contracts
                for k in sorted(c.clauses)
            ),
        ),
        "delivers": (
            ["contract", "function", "source"],
            ([c.id, f, c.source] for c in contracts for f in sorted(c.functions)),
        ),
    }


# -- the statements ---------------------------------------------------------------------------------


def loadcsv_statements(prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The ``LOAD CSV`` statements, nodes first, then relationships: ``(file, cypher, params)``.

    ``prefix`` is the ``file:///`` path of the folder inside the server's import directory.
    """
    return [
        (
            name,
            (CYPHER / f"{name}.cypher").read_text(encoding="utf-8"),
            {"file": f"file:///{prefix}/{name}.csv"},
        )
        for name in (*NODE_FILES, *RELATIONSHIP_FILES)
    ]


def import_dir_candidate(option: Path | None, db: BenchDatabase) -> Path | None:
    """The import directory to use: ``option``, else ``NEO4J_IMPORT_DIR``, else the server's."""
    if option is not None:
        return option
    if os.environ.get("NEO4J_IMPORT_DIR"):
        return Path(os.environ["NEO4J_IMPORT_DIR"])
    with contextlib.suppress(Exception):
        rows = db.store.read(IMPORT_DIR_SETTING)
        if rows and rows[0]["value"]:
            return Path(rows[0]["value"])
    return None


def writable_dir(path: Path | None) -> bool:
    return path is not None and path.is_dir() and os.access(path, os.W_OK)


# -- the baseline in a run ---------------------------------------------------------------------------


class LoadCsvBaseline:
    """Writes the files of a size into the import directory, loads them, compares with ours."""

    def __init__(self, session: Session, db: BenchDatabase, import_dir: Path) -> None:
        self.session = session
        self.db = db
        self.import_sub = import_dir / f"sourcing-graph-bench-{os.getpid()}"

    def prepare(self, size: int, register: Any) -> None:
        folder = self.import_sub / f"n{size}"
        res = self.session.res
        with timer() as t:
            write_loadcsv_files(register, folder)
        res.add(size, "loadcsv.files", t[0])
        prefix = f"{self.import_sub.name}/{folder.name}"
        res.fact(size, "loadcsv_statements", loadcsv_statements(prefix))
        res.fact(size, "loadcsv_ready", True)

    def ready(self, size: int) -> bool:
        return bool(self.session.res.facts[size].get("loadcsv_ready"))

    def load(self, size: int) -> None:
        res = self.session.res
        self.db.delete_loaded()
        statements = res.facts[size]["loadcsv_statements"]
        with timer() as t:
            for _, cypher, params in statements:
                self.db.write(cypher, params)
        res.add(size, "load.loadcsv", t[0])
        self.db.loaded = "loadcsv"
        shape = self.db.shape()
        res.fact(size, "rows_loadcsv", rows_of(shape))
        res.fact(size, "shape_loadcsv", shape)
        compare_shapes(self.session, size)

    def remove_files(self) -> None:
        if self.import_sub.exists():
            shutil.rmtree(self.import_sub, ignore_errors=True)


def compare_shapes(session: Session, size: int) -> None:
    """Once both loads ran at ``size``: a ✔ or ✘ line under "Checks" (same graph or not)."""
    facts = session.res.facts[size]
    ours, theirs = facts.get("shape_ours"), facts.get("shape_loadcsv")
    if ours is None or theirs is None or facts.get("shape_checked"):
        return
    facts["shape_checked"] = True
    differences = [
        part for part in ("nodes", "rels", "keys", "sample") if ours[part] != theirs[part]
    ]
    if differences:
        detail = "; ".join(f"{p}: ours {ours[p]} vs LOAD CSV {theirs[p]}" for p in differences[:2])
        session.res.checks.append(
            f"✘ {size:,} contracts: the LOAD CSV graph differs from ours in {', '.join(differences)} "
            f"({detail[:600]})"
        )
    else:
        labels = ", ".join(f"{k} {v:,}" for k, v in ours["nodes"].items())
        rels = ", ".join(f"{k} {v:,}" for k, v in ours["rels"].items())
        session.res.checks.append(
            f"✔ {size:,} contracts: LOAD CSV wrote the same graph as our loader "
            f"(nodes: {labels}; relationships: {rels}; the same property keys per label; "
            "25 sample contracts identical property by property and edge by edge)"
        )
