"""Names beside ids: how a person reads a lot, a function or an organisation of the register.

>>> from sourcing_graph.model import Lot, Organisation, Register
>>> names = Names.of(Register(lots={"K05": Lot("K05", "Cloudplatform")},
...                           organisations={"acme": Organisation("acme", "Acme B.V.")}))
>>> names.show("lot", "K05"), names.show("organisation", "acme"), names.show("lot", "K99")
('K05 Cloudplatform', 'Acme B.V. (acme)', 'K99')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sourcing_graph.errors import ViewError
from sourcing_graph.model import Register

KINDS = ("lot", "organisation", "function")


@dataclass(frozen=True)
class Names:
    """The register's names by kind (``lot``, ``organisation``, ``function``) and id."""

    by_kind: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    """Every id of each kind the names were read with, named or not (none: not known)."""

    @classmethod
    def of(cls, register: Register | None) -> Names:
        """The names a register gives (none for None: ids are shown as they are)."""
        if register is None:
            return cls()
        entities: dict[str, dict[str, Any]] = {
            "lot": register.lots,
            "organisation": register.organisations,
            "function": register.functions,
        }
        return cls.of_rows(
            {"kind": kind, "id": ref, "name": e.name}
            for kind, items in entities.items()
            for ref, e in items.items()
        )

    @classmethod
    def of_rows(cls, rows: Iterable[dict[str, Any]]) -> Names:
        """The names of rows ``{"kind": ..., "id": ..., "name": ...}`` (a register in Neo4j:
        ``Neo4jEngine.names``); a name that is empty or the id itself is no name.

        >>> Names.of_rows([{"kind": "function", "id": "F01", "name": "Payments"}]).show("function", "F01")
        'F01 Payments'
        """
        by_kind: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        ids: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for row in rows:
            kind, ref, name = row["kind"], row["id"], row.get("name")
            ids.setdefault(kind, set()).add(ref)
            if name and name != ref:
                by_kind.setdefault(kind, {})[ref] = name
        return cls(by_kind, {kind: frozenset(refs) for kind, refs in ids.items()})

    def name(self, kind: str, ref: str) -> str | None:
        """The name of ``ref``, None when it has none (or only its id)."""
        return self.by_kind.get(kind, {}).get(ref)

    def show(self, kind: str, ref: str) -> str:
        """``K05 Cloudplatform`` (lots, functions), ``Acme B.V. (acme)`` (organisations), or
        the id alone when it has no name."""
        name = self.name(kind, ref)
        if name is None:
            return ref
        return f"{name} ({ref})" if kind == "organisation" else f"{ref} {name}"


def resolve_reference(
    register: Register | Names | None, kind: str, text: str, what: str, *, known: bool = False
) -> str:
    """The id ``text`` stands for: itself when it is the id of an ``organisation`` or
    ``function`` of the register, else the one whose name it is (compared without case).
    ``register`` may also be the :class:`Names` of one (a register in Neo4j).

    Several entities of that name raise :class:`ViewError` naming them (``what`` says what was
    looked for, e.g. ``supplier``); an unknown text raises it too when ``known`` (it must be in
    the register), else it is returned as given, as it is without a register (or with names
    that know no ids).

    >>> from sourcing_graph.model import Organisation, Register
    >>> reg = Register(organisations={"5299": Organisation("5299", "CoreSys GmbH")})
    >>> resolve_reference(reg, "organisation", "coresys gmbh", "supplier")
    '5299'
    """
    names = register if isinstance(register, Names) else Names.of(register)
    if kind not in names.ids:
        return text
    if text in names.ids[kind]:
        return text
    folded = text.strip().casefold()
    table = names.by_kind.get(kind, {})
    found = sorted(ref for ref, name in table.items() if name.casefold() == folded)
    if len(found) > 1:
        raise ViewError(
            f"{what} {text!r} names several: {', '.join(found)}; write one of these ids"
        )
    if not found and known:
        raise ViewError(
            f"unknown {what} {text!r}: no organisation of the register has that id or name"
        )
    return found[0] if found else text
