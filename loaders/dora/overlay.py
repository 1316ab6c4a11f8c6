"""An overlay on a DORA package: the collaboration modes, clauses, lots and dependencies it lacks.

The overlay is a CSV file (the overlay contracts file) or a folder holding it as
``contracts.csv``/``contracten.csv``/``overlay.csv``, with optional ``lots.csv``/``kavels.csv`` and
``dependencies.csv``/``afhankelijkheden.csv`` in the register format. The overlay contracts file
has ``contract_id`` (the arrangement's reference number, required) and optionally ``mode``,
``clauses``, ``lot`` and ``selection_basis``, with the register format's English and Dutch names
and values; other columns are kept as the contract's extras. Cells are read by the register
reader itself, so a bad cell gets the same message (file, line, column, value, expected).

A row naming a contract the package does not hold is an error (a typo would otherwise silently
lose a mode), except for an arrangement skipped as inconsistent (``skip_inconsistent``): then it
is a warning.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from sourcing_graph.errors import Problem, Text
from sourcing_graph.loaders.columns import FILE_NAMES
from sourcing_graph.loaders.csv_reader import RegisterReader
from sourcing_graph.loaders.dora.codes import STAND_IN
from sourcing_graph.loaders.layout import Layout
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.mapping import Mapping
from sourcing_graph.loaders.problems import Problems
from sourcing_graph.loaders.register_builder import RegisterBuilder
from sourcing_graph.loaders.sources import RegisterSource, file_opener, locate_files
from sourcing_graph.loaders.values import Vocabulary, default_rules
from sourcing_graph.model import Register

if TYPE_CHECKING:
    from sourcing_graph.ontology.rules import Rules

__all__ = ["apply_overlay", "mode_warning"]

_OVERLAY_NAMES = {"overlay.csv": "overlay"}
_KINDS = {"contracts": "overlay", "lots": "lots", "dependencies": "dependencies"}
_KIND_WORDS = {
    "overlay": Text("overlay"),
    "lots": Text("lots"),
    "dependencies": Text("dependencies"),
}
"""The kinds of overlay file, in the problems."""


class _OverlayBuilder(RegisterBuilder):
    """The register builder, writing into a register read from a DORA package."""

    def __init__(self, register: Register, problems: Problems, skipped: set[str]) -> None:
        super().__init__(register, problems)
        self.skipped = skipped
        self.first["overlay"] = {}
        self.broken["overlay"] = set()
        # prime contractors must be providers of B_05.01 (or own-it)
        self.present["suppliers"] = "B_05.01"

    def overlay(
        self, layout: Layout, line: int, rec: dict[str, Any], extra: dict[str, str], row: list[str]
    ) -> None:
        ident = rec["contract_id"]
        if self.duplicate("overlay", ident, layout, line, "contract_id"):
            return
        contract = self.register.contracts.get(ident)
        if contract is None:
            self._unknown(ident, layout, line)
            return
        if "mode" in rec:
            contract.mode = rec["mode"]
            contract.mode_as_written = layout.raw(row, "mode")
        if "clauses" in rec:
            contract.clauses = frozenset(rec["clauses"])
            contract.clause_words = getattr(rec["clauses"], "words", {})
        if "selection_basis" in rec:
            contract.selection_basis = rec["selection_basis"]
        if "lot" in rec and self.lot_ref(rec["lot"], layout, line, "lot"):
            contract.lot = rec["lot"]
        contract.extra.update(extra)

    def _unknown(self, ident: str, layout: Layout, line: int) -> None:
        """An overlay row for a contract the package does not hold."""
        if ident in self.skipped:
            self.p.warning(
                layout.display,
                line,
                layout.col("contract_id"),
                Text(
                    "contract {ident!r} was skipped as inconsistent in the DORA package; its "
                    "overlay row is not used",
                    ident=ident,
                ),
                ident,
            )
            return
        self.p.error(
            layout.display,
            line,
            layout.col("contract_id"),
            Text("unknown contract {ident!r}: not an arrangement of the DORA package", ident=ident),
            ident,
            Text("a contractual arrangement reference number of B_02.02"),
        )


class _OverlayReader(RegisterReader):
    """The register reader, reading the files of an overlay."""

    ORDER = ("lots", "overlay", "dependencies")

    def locate(self, stack: ExitStack) -> dict[str, RegisterSource] | None:
        sources = self._overlay_files(stack)
        if sources is not None and "lots" in sources:
            self.builder.present["lots"] = sources["lots"].name
        return sources

    def _overlay_files(self, stack: ExitStack) -> dict[str, RegisterSource] | None:
        path = self.path
        if os.path.isfile(path):
            name = os.path.basename(path)
            return {"overlay": RegisterSource("overlay", path, name, file_opener(path))}
        found, _what = locate_files(path, stack)
        sources: dict[str, RegisterSource] = {}
        for src in found:
            base = src.name.rsplit("/", 1)[-1].casefold()
            kind = _OVERLAY_NAMES.get(base) or _KINDS.get(FILE_NAMES.get(base, ""))
            if kind is None:
                message = Text("ignored: not an overlay file name")
                self.p.warning(src.display, 1, 1, message, src.name)
                continue
            if kind in sources:
                self.p.error(
                    src.display,
                    1,
                    1,
                    Text(
                        "two {kind} files in the overlay: {first} and {second}",
                        kind=_KIND_WORDS[kind],
                        first=sources[kind].name,
                        second=src.name,
                    ),
                    src.name,
                    Text("one file of each kind"),
                )
                continue
            sources[kind] = RegisterSource(kind, src.display, src.name, src.open)
        if "overlay" not in sources and "lots" not in sources and "dependencies" not in sources:
            self.p.error(
                path,
                1,
                1,
                Text("no overlay file in the folder"),
                None,
                Text("contracts.csv (or contracten.csv, overlay.csv), lots.csv, dependencies.csv"),
            )
            return None
        return sources


def apply_overlay(
    register: Register,
    overlay: str | os.PathLike[str],
    *,
    rules: Rules | None = None,
    skipped: set[str] | None = None,
) -> None:
    """Apply an overlay (a CSV file or a folder) to a register read from a DORA package.

    Stand-in lots (ICT service types) that no contract and no dependency uses any more are
    removed. Raises :class:`~sourcing_graph.errors.RegisterError` when the overlay has errors;
    the register is then not to be used.
    """
    vocab = Vocabulary(rules if rules is not None else default_rules())
    builder = _OverlayBuilder(register, Problems(100), skipped or set())
    _OverlayReader(os.fspath(overlay), Mapping(), vocab, Limits(), builder).run()
    used = {c.lot for c in register.contracts.values()}
    used.update(lot for pair in register.dependencies for lot in pair)
    for lot_id, lot in list(register.lots.items()):
        if lot.extra.get("stand_in") == STAND_IN and lot_id not in used:
            del register.lots[lot_id]


def mode_warning(register: Register) -> None:
    """One warning counting the contracts without a collaboration mode (DORA records none).

    The warning concerns the setting ``overlay`` (where the modes can be given).
    """
    missing = sum(1 for c in register.contracts.values() if c.mode is None)
    if missing:
        register.warnings.append(
            Problem(
                register.source,
                1,
                1,
                Text(
                    "{missing} of {n} contracts have no collaboration mode: a DORA package records "
                    "none; give them in an overlay",
                    missing=missing,
                    n=len(register.contracts),
                ),
                severity="warning",
                setting="overlay",
            )
        )
