"""The index of what a view draws: the register's entities and links, their modes and findings.

:func:`make_index` reads a :class:`~sourcing_graph.model.Register`, the analysis result and the
:class:`Modes` (rows of the helpers ``effective_modes`` and ``lot_modes``, from any engine) once,
into lookups the node and edge builders share. It reads no engine's internals: the colours are the
modes of those rows, the findings the rows of the result.

An identifier a contract, lot or dependency refers to but the register does not list is drawn as
an entity with default attributes, as the engines see it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sourcing_graph.graph.engine import Engine, Result, Row
from sourcing_graph.model import (
    OWN_IT,
    Contract,
    Function,
    Lot,
    Organisation,
    Register,
    Subcontracting,
    SubcontractsTo,
    subcontracting_key,
    subcontracts_to,
)
from sourcing_graph.ontology.rules import Rules
from sourcing_graph.views.findings import findings_by_node
from sourcing_graph.views.locale import Words
from sourcing_graph.views.naming import Names
from sourcing_graph.views.view_graph import NodeKey

Entity = Organisation | Lot | Function | Contract
Link = tuple[NodeKey, NodeKey, str, Subcontracting | None]
"""One link of the register: (from, to, relationship type, the supply-chain link it is, if one)."""


@dataclass(frozen=True)
class Modes:
    """What a view colours with: the rows of ``effective_modes`` (R1: each contract's effective
    mode and why) and ``lot_modes`` (R2: each lot's mode and recommended mode), unfiltered."""

    contracts: list[Row]
    lots: list[Row]

    @classmethod
    def of(cls, engine: Engine) -> Modes:
        """The modes of the register an engine holds."""
        return cls(engine.run("effective_modes"), engine.run("lot_modes"))


def _known(mode: str | None) -> str | None:
    """A mode of a row, None for ``unknown``."""
    return None if mode in (None, "unknown") else mode


@dataclass
class Index:
    """A register with its modes and findings, read once for drawing, and the words, names and
    reference date it is drawn with."""

    register: Register
    rules: Rules
    result: Result
    words: Words
    names: Names
    as_of: date
    entities: dict[NodeKey, Entity]  # every entity drawn, by node key
    orgs: dict[str, Organisation]
    lots: dict[str, Lot]
    functions: dict[str, Function]
    contract: dict[str, Contract]
    effective: dict[str, Row]  # contract -> its effective_modes row
    lot_mode: dict[str, Row]  # lot -> its lot_modes row
    lot_contracts: dict[str, list[str]]  # lot -> its contracts, by id
    org_contracts: dict[str, list[str]]
    function_contracts: dict[str, list[str]]
    dependencies: list[tuple[str, str]]  # distinct, sorted
    deps_out: dict[str, list[str]]
    deps_in: dict[str, list[str]]
    coordinated: dict[str, list[str]]  # prime contractor -> its lots, sorted
    findings: dict[NodeKey, list[tuple[str, str]]]  # node -> (finding key, text)
    mismatch: dict[tuple[str, str], Row]
    load: dict[str, Row]
    concentration: dict[str, Row]

    def name(self, key: NodeKey) -> str:
        return getattr(self.entities[key], "name", None) or key[1]

    def is_prime(self, org: str) -> bool:
        return bool(self.coordinated.get(org))

    def effective_mode(self, contract: str) -> str | None:
        """R1: the contract's effective mode, None when unknown."""
        return _known(self.effective[contract]["effective_mode"])

    def prime(self, lot: str) -> str:
        return self.lots[lot].prime_contractor or OWN_IT

    def lowest(self, modes: set[str]) -> str | None:
        """The lowest-ranked of ``modes`` by the rules (ties by key), or None when empty."""
        rank = self.rules.mode_rank
        return min(modes, key=lambda m: (rank[m], m)) if modes else None

    def links(self) -> Iterator[Link]:
        """The register's links in the order of the engines' graph (lots' links, then contracts')."""
        for ref, lot in self.lots.items():
            for other in self.deps_out.get(ref, []):
                yield ("lot", ref), ("lot", other), "DEPENDS_ON", None
            yield ("lot", ref), ("organisation", lot.prime_contractor), "COORDINATED_BY", None
        chains: dict[str, list[Subcontracting]] = defaultdict(list)
        for link in sorted(self.register.subcontracting, key=subcontracting_key):
            chains[link.contract].append(link)
        for c in self.register.contracts.values():
            to: dict[NodeKey, list[tuple[str, Subcontracting | None]]] = {
                ("organisation", c.supplier): [("SUPPLIED_BY", None)],
                ("lot", c.lot): [("PART_OF", None)],
            }
            for f in sorted(c.functions):
                to[("function", f)] = [("DELIVERS", None)]
            for link in chains.get(c.id, []):
                to.setdefault(("organisation", link.supplier), []).append(("SUPPLY_CHAIN", link))
            for target, kinds in to.items():
                for kind, link_or_none in kinds:
                    yield ("contract", c.id), target, kind, link_or_none
        for provider, subcontractor in self.subcontracts:
            yield (
                ("organisation", provider),
                ("organisation", subcontractor),
                "SUBCONTRACTS_TO",
                None,
            )

    @cached_property
    def subcontracts(self) -> dict[tuple[str, str], list[SubcontractsTo]]:
        """The supply chain as a graph: (provider, subcontractor) -> its relationships, one per
        arrangement and rank (:func:`~sourcing_graph.model.subcontracts_to`), in that order."""
        out: dict[tuple[str, str], list[SubcontractsTo]] = defaultdict(list)
        for rel in subcontracts_to(self.register.subcontracting):
            out[rel.provider, rel.subcontractor].append(rel)
        return dict(out)

    def chains_with(self, org: str) -> dict[str, list[Subcontracting]]:
        """The supply chains (contract -> its links) in which ``org`` is a provider or a
        recipient, by contract."""
        chains: dict[str, list[Subcontracting]] = defaultdict(list)
        for link in sorted(self.register.subcontracting, key=subcontracting_key):
            chains[link.contract].append(link)
        return {
            cid: links
            for cid, links in sorted(chains.items())
            if any(org in (link.supplier, link.recipient) for link in links)
        }

    def used(self, key: NodeKey) -> bool:
        """Whether an organisation has a link (supplies, coordinates or is in a supply chain)."""
        ref = key[1]
        return (
            any(c.supplier == ref for c in self.register.contracts.values())
            or any(lot.prime_contractor == ref for lot in self.lots.values())
            or any(link.supplier == ref for link in self.register.subcontracting)
        )


def _entities(
    register: Register,
) -> tuple[dict[str, Organisation], dict[str, Lot], dict[str, Function]]:
    """The register's organisations, lots and functions, and a default one for each identifier
    only referred to (by a contract, a dependency, a lot or a supply-chain link)."""
    contracts = register.contracts.values()
    lot_ids = [
        *register.lots,
        *(c.lot for c in contracts),
        *(x for pair in register.dependencies for x in pair),
    ]
    lots = {i: register.lots.get(i) or Lot(i) for i in dict.fromkeys(lot_ids)}
    function_ids = [*register.functions, *(f for c in contracts for f in c.functions)]
    org_ids = [
        *register.organisations,
        *(c.supplier for c in contracts),
        *(lot.prime_contractor for lot in lots.values()),
        *(
            org
            for link in register.subcontracting
            for org in (link.supplier, link.recipient)
            if org is not None
        ),
    ]
    orgs = {
        i: register.organisations.get(i) or Organisation(i, None, i == OWN_IT)
        for i in dict.fromkeys(org_ids)
    }
    functions = {i: register.functions.get(i) or Function(i) for i in dict.fromkeys(function_ids)}
    return orgs, lots, functions


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """``[(a, x), (a, y), (b, z)]`` -> ``{a: [x, y], b: [z]}``, in order."""
    out: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        out[a].append(b)
    return dict(out)


def make_index(
    register: Register,
    rules: Rules,
    result: Result,
    modes: Modes,
    words: Words | None = None,
    as_of: date | None = None,
) -> Index:
    """Read the register, its result and its modes once (see the module docstring).

    ``words``: the language (default: the register's); ``as_of``: the reference date that
    decides which contracts have ended (default today).
    """
    words = words or Words.of(register)
    names = Names.of(register)
    orgs, lots, functions = _entities(register)
    entities: dict[NodeKey, Entity] = {("organisation", i): e for i, e in orgs.items()}
    entities.update((("lot", i), e) for i, e in lots.items())
    entities.update((("function", i), e) for i, e in functions.items())
    entities.update((("contract", i), e) for i, e in register.contracts.items())
    ordered = sorted(register.contracts.values(), key=lambda c: c.id)
    dependencies = sorted({(a, b) for a, b in register.dependencies if a != b})
    lot_rows = {row["lot"]: row for row in modes.lots}
    coordinated = _grouped(
        [(row["prime_contractor"], lot) for lot, row in sorted(lot_rows.items())]
    )
    index = Index(
        register=register,
        rules=rules,
        result=result,
        words=words,
        names=names,
        as_of=as_of or date.today(),
        entities=entities,
        orgs=orgs,
        lots=lots,
        functions=functions,
        contract=register.contracts,
        effective={row["contract"]: row for row in modes.contracts},
        lot_mode=lot_rows,
        lot_contracts=_grouped([(c.lot, c.id) for c in ordered]),
        org_contracts=_grouped([(c.supplier, c.id) for c in ordered]),
        function_contracts=_grouped([(f, c.id) for c in ordered for f in sorted(c.functions)]),
        dependencies=dependencies,
        deps_out=_grouped(dependencies),
        deps_in=_grouped([(b, a) for a, b in dependencies]),
        coordinated=coordinated,
        findings=findings_by_node(result, coordinated, words, names),
        mismatch={
            (row["lot"], row["depends_on"]): row for row in result.get("mode_mismatches", [])
        },
        load={row["prime_contractor"]: row for row in result.get("coordination_load", [])},
        concentration={row["supplier"]: row for row in result.get("concentration", [])},
    )
    return index


def describe(ix: Index) -> dict[str, int]:
    """The totals of the whole register a view states: lots, suppliers, contracts, ..."""
    return {
        "lots": len(ix.lots),
        "suppliers": len(ix.org_contracts),
        "contracts": len(ix.contract),
        "functions": len(ix.functions),
        "prime_contractors": len(ix.coordinated),
        "dependencies": len(ix.dependencies),
    }
