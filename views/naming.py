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
