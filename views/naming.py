"""Names beside ids: how a person reads a lot, a function or an organisation of the register.

>>> from sourcing_graph.model import Lot, Organisation, Register
>>> names = Names.of(Register(lots={"K05": Lot("K05", "Cloudplatform")},
...                           organisations={"acme": Organisation("acme", "Acme B.V.")}))
>>> names.show("lot", "K05"), names.show("organisation", "acme"), names.show("lot", "K99")
('K05 Cloudplatform', 'Acme B.V. (acme)', 'K99')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sourcing_graph.errors import ViewError
from sourcing_graph.model import Register

KINDS = ("lot", "organisation", "function")


@dataclass(frozen=True)
class Names:
    """The register's names by kind (``lot``, ``organisation``, ``function``) and id."""

    by_kind: dict[str, dict[str, str]] = field(default_factory=dict)

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
        return cls(
            {
                kind: {ref: e.name for ref, e in items.items() if e.name and e.name != ref}
                for kind, items in entities.items()
            }
        )

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
    register: Register | None, kind: str, text: str, what: str, *, known: bool = False
) -> str:
    """The id ``text`` stands for: itself when it is the id of an ``organisation`` or
    ``function`` of the register, else the one whose name it is (compared without case).

    Several entities of that name raise :class:`ViewError` naming them (``what`` says what was
    looked for, e.g. ``supplier``); an unknown text raises it too when ``known`` (it must be in
    the register), else it is returned as given, as it is without a register.

    >>> from sourcing_graph.model import Organisation, Register
    >>> reg = Register(organisations={"5299": Organisation("5299", "CoreSys GmbH")})
    >>> resolve_reference(reg, "organisation", "coresys gmbh", "supplier")
    '5299'
    """
    if register is None:
        return text
    table: dict[str, Any] = register.organisations if kind == "organisation" else register.functions
    if text in table:
        return text
    folded = text.strip().casefold()
    found = sorted(ref for ref, e in table.items() if (e.name or "").casefold() == folded)
    if len(found) > 1:
        raise ViewError(
            f"{what} {text!r} names several: {', '.join(found)}; write one of these ids"
        )
    if not found and known:
        raise ViewError(
            f"unknown {what} {text!r}: no organisation of the register has that id or name"
        )
    return found[0] if found else text
