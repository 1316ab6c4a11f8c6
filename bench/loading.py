"""Loading into Neo4j at one size: ours and the two baselines in rotation, then ``sourcing-graph load``."""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.database import BenchDatabase, rows_of
from bench.loadcsv import LoadCsvBaseline, compare_shapes
from bench.measure import timer
from bench.rdflib_baseline import RdflibBaseline
from bench.session import Session


class Loads:
    """The loads of one run; ``loadcsv`` and ``rdflib`` are None when those baselines are off."""

    def __init__(
        self,
        session: Session,
        db: BenchDatabase,
        loadcsv: LoadCsvBaseline | None,
        rdflib: RdflibBaseline | None,
    ) -> None:
        self.session = session
        self.db = db
        self.loadcsv = loadcsv
        self.rdflib = rdflib
        self.triples: list[Any] | None = None
        self.prefixes: dict[str, str] = {}

    def prepare(self, size: int, register: Any) -> None:
        """Before the repetitions at ``size``: the triples and the ``LOAD CSV`` files (untimed)."""
        session = self.session
        self.triples, self.prefixes = None, {}
        if self.rdflib is not None:
            self.rdflib.spent = 0.0
        if not session.skipped("rdflib") and importlib.util.find_spec("rdflib_neo4j") is None:
            session.res.note(size, "load.rdflib", "not measured (rdflib-neo4j not installed)")
        elif self.rdflib is not None:
            rdflib = self.rdflib
            built = session.attempt(
                size, "rdf.build", "register_to_rdf", lambda: rdflib.build(size, register)
            )
            if built is not None:
                self.triples, self.prefixes = built
        if self.loadcsv is not None:
            loadcsv = self.loadcsv
            session.attempt(
                size,
                "load.loadcsv",
                "writing the LOAD CSV files",
                lambda: loadcsv.prepare(size, register),
            )

    def repetition(self, size: int, rep: int, register: Any, folder: Path) -> bool | None:
        """The three loads in an order rotated by ``rep``, then the command; True once our
        register is loaded again for the analyses."""
        loaders = self._loaders(size, rep, register)
        shift = rep % len(loaders)
        for name, load in loaders[shift:] + loaders[:shift]:
            self.session.log(f"      load: {name}")
            self.session.attempt(size, f"load.{name}", f"load ({name})", load)
        if not self.session.skipped("cli"):
            self.command(size, folder)
        # the analyses on Neo4j need our register loaded
        return self.session.attempt(
            size, "neo.analyze", "re-load for the analyses", lambda: self.db.ensure_ours(register)
        )

    def _loaders(self, size: int, rep: int, register: Any) -> list[tuple[str, Callable[[], None]]]:
        loaders: list[tuple[str, Callable[[], None]]] = [
            ("ours", lambda: self.ours(size, register))
        ]
        if self.loadcsv is not None and self.loadcsv.ready(size):
            loaders.append(("loadcsv", functools.partial(self.loadcsv.load, size)))
        if self.triples is not None and self.rdflib is not None and self.rdflib.allowed(size, rep):
            rdflib_load = functools.partial(self.rdflib.load, size, self.triples, self.prefixes)
            loaders.append(("rdflib", rdflib_load))
        return loaders

    def finish(self, size: int) -> None:
        """After the repetitions at ``size``: drop the triples, empty the database, the files."""
        self.triples = None
        self.session.attempt(size, "load.ours", "clean-up", self.db.delete_loaded)
        if self.loadcsv is not None:
            self.loadcsv.remove_files()

    def ours(self, size: int, register: Any) -> None:
        """``Neo4jStore.load_register`` from an empty register; the clock includes its schema
        check, its (empty) delete and its single transaction."""
        res = self.session.res
        self.db.delete_loaded()
        with timer() as t:
            self.db.load_ours(register)
        res.add(size, "load.ours", t[0])
        shape = self.db.shape()
        res.fact(size, "rows_ours", rows_of(shape))
        res.fact(size, "shape_ours", shape)
        res.fact(size, "loaded", "ours")
        compare_shapes(self.session, size)

    def command(self, size: int, folder: Path) -> None:
        """``sourcing-graph load`` into an empty register, then once more, replacing it."""
        self.db.delete_loaded()
        if self.session.cli(size, "cli.load", ["load", str(folder), "--no-progress"]):
            self.db.loaded = "ours"
            self.replace(size, folder)

    def replace(self, size: int, folder: Path) -> None:
        """``sourcing-graph load`` again, replacing the register it just loaded (one transaction).

        Capped at ``--replace-timeout``; once it ran out at a size, later repetitions skip it.
        """
        session, res, key = self.session, self.session.res, "cli.replace"
        if res.noted(size, key, "> "):
            return
        cap = session.opts.replace_timeout
        proc = session.run_cli(["load", str(folder), "--no-progress"], timeout=cap)
        if proc.timed_out:
            res.note(size, key, f"> {cap:.0f} s (stopped; not finished)")
            session.log(f"replacing the loaded register: stopped after {cap:.0f} s")
            self.db.loaded = "unknown"
            self.db.wait_idle()
            return
        if proc.returncode != 0:
            tail = proc.last_error_line()
            res.failed(
                size, key, f"replacing load: {tail}", f"exit {proc.returncode}: {tail[:100]}"
            )
            return
        session.record(size, key, proc)
