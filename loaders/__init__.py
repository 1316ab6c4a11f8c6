"""Register readers: CSV registers, DORA packages and RDF into one validated graph model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sourcing_graph.errors import Problem, RegisterError, Text
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.dora import is_dora_package, read_dora
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.rdf_formats import SUFFIXES as RDF_SUFFIXES

if TYPE_CHECKING:
    from sourcing_graph.model import Register

__all__ = ["RDF_SUFFIXES", "Limits", "read_any"]


def read_any(
    path: Path | str,
    *,
    mapping_file: Path | None = None,
    rules: Any = None,
    overlay: Path | str | None = None,
    skip_inconsistent: bool = False,
    limits: Limits | None = None,
) -> Register:
    """Read a register from a CSV folder, a ``.zip``, a single CSV file, RDF instance data, or a
    DORA Register of Information package (a ``.zip`` or folder with ``reports/b_XX.XX.csv``).

    ``overlay`` and ``skip_inconsistent`` apply to DORA packages (see ``docs/dora.md``); a DORA
    package given with a mapping file is read by the mapping, as any foreign export. ``limits``
    (default :class:`~sourcing_graph.loaders.limits.Limits()`) bounds the rows, cells and file
    sizes read.
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in RDF_SUFFIXES:
        # start-up time: the RDF reader and rdflib (~0.2 s to import) load only for RDF files
        from sourcing_graph.loaders.rdf import read_rdf

        register = read_rdf(path, format=RDF_SUFFIXES[path.suffix.lower()], limits=limits)
    elif mapping_file is None and is_dora_package(path):
        return read_dora(
            path,
            overlay=overlay,
            skip_inconsistent=skip_inconsistent,
            rules=rules,
            limits=limits,
        )
    else:
        register = read_register(path, mapping=mapping_file, rules=rules, limits=limits)
    if overlay is not None:
        raise RegisterError(
            [
                Problem(
                    str(overlay),
                    1,
                    1,
                    Text("an overlay applies to a DORA package only"),
                    str(path),
                    Text("a DORA Register of Information package (reports/b_02.02.csv, ...)"),
                )
            ]
        )
    return register
