"""The one graph model of a register: organisations, lots, functions, contracts, dependencies.

Every reader (CSV folders, zip files, RDF) produces a :class:`Register`; every engine (Neo4j, the
embedded networkx engine, the RDF writer, the views) consumes one. Values are already normalised:
modes are ``"distrust"``, ``"reliability"``, ``"trust"`` or ``None`` (not recorded), clause types
are the keys of the ontology (``"penalty"``, ``"open_book"``, ...), levels are ``"low"``/``"high"``
or ``None`` (not recorded; the rules read it as ``low``, as the register format says).

Provenance (not part of equality): every entity's ``source`` says where the register said it
(``contracten.csv:12``, the file's name and the line its row starts on); ``None`` when it did not
(``own-it``, an entity made up by hand). What the register left out stays visible: a defaulted
prime contractor is marked (:attr:`Lot.prime_contractor_defaulted`), a level not recorded is
``None``, and a contract keeps its mode and clause words as written beside the keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from urllib.parse import quote

from sourcing_graph.errors import Problem

OWN_IT = "own-it"
"""The identifier of the client's own IT organisation: always present, always internal."""

CENT = Decimal("0.01")
"""Amounts are exact to the cent (docs/schema.md: Neo4j stores them as integer cents)."""


def money(value: Decimal | int | float | str) -> Decimal:
    """An amount as an exact :class:`~decimal.Decimal` to the cent (half to even below a cent).

    A float is taken by its shortest spelling (``0.1`` is 0.10, not 0.1000000000000000055...).

    >>> money(0.1) + money("0.20"), money(13962610.219999999)
    (Decimal('0.30'), Decimal('13962610.22'))
    """
    if isinstance(value, Decimal) and value.same_quantum(CENT):
        return value  # exact to the cent already (finite: an infinity or NaN is not of CENT's)
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    with localcontext() as context:  # enough digits for any amount: none is rounded away
        context.prec = max(context.prec, exact.adjusted() + 4)
        return exact.quantize(CENT, rounding=ROUND_HALF_EVEN)


def cents(value: Decimal | None) -> int | None:
    """An amount as whole cents (what Neo4j stores: ``annualValueCents``); None stays None.

    Exact for any number of digits (no context rounds it):

    >>> cents(Decimal("12.5")), cents(money("-0.07")), cents(Decimal("1" * 40 + ".01")) % 1000
    (1250, -7, 101)
    """
    if value is None:
        return None
    numerator, denominator = money(value).as_integer_ratio()  # denominator: a divisor of 100
    return numerator * 100 // denominator


def _is_money(value: object) -> bool:
    # its exponent is that of a cent (same_quantum: no tuple of its digits made, as as_tuple does)
    return isinstance(value, Decimal) and value.same_quantum(CENT)


INSTANCE_NS = "https://w3id.org/sourcing-graph/id/"
"""Namespace of register instances (``sgr:``); see docs/schema.md."""

MAX_ID_LENGTH = 2000
"""The longest identifier, in characters: Neo4j's id index holds keys of at most 8164 UTF-8 bytes,
and 2000 characters of up to 4 bytes each always fit (the readers refuse longer ones)."""


def instance_uri(kind: str, identifier: str) -> str:
    """The IRI of a register instance: ``sgr:<kind>/<percent-encoded identifier>``.

    ``kind`` is ``org``, ``lot``, ``function`` or ``contract``. Every character but the unreserved
    ``A-Z a-z 0-9 - . _ ~`` is percent-encoded (UTF-8), so ``/``, ``#``, spaces and non-ASCII
    letters are safe. RDF export and the Neo4j loader (``uri`` properties) share it.

    >>> [instance_uri(*given)[len(INSTANCE_NS) :] for given in [("lot", "K 1/é"), ("f", "R3|K%2F")]]
    ['lot/K%201%2F%C3%A9', 'f/R3%7CK%252F']
    """
    if _PLAIN_ID.fullmatch(identifier):  # the same text as quote's, ten times faster
        encoded = identifier.replace("%", "%25").replace("|", "%7C").replace("#", "%23")
    else:
        encoded = quote(identifier, safe="")
    return f"{INSTANCE_NS}{kind}/{encoded}"


_PLAIN_ID = re.compile(r"[A-Za-z0-9._~|%#-]*")
"""An identifier of unreserved characters and ``%``, ``|``, ``#`` only (a finding key: its ids
percent-encoded already), which :func:`instance_uri` encodes by replacing those three."""


@dataclass(slots=True)
class Organisation:
    """The client's own IT organisation, or a supplier (internal or external)."""

    id: str
    name: str | None = None
    internal: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    parent: str | None = None
    """The identifier of its ultimate parent undertaking (DORA B_05.01), when known.

    The parent need not be an organisation of the register; concentration by ultimate parent
    groups suppliers by ``parent or id``.
    """
    source: str | None = field(default=None, compare=False)
    """Where the register said it (``contracten.csv:12``); None when the register did not."""


@dataclass(slots=True)
class Lot:
    """A lot (kavel): a part of the IT sourced as a unit, coordinated by a prime contractor."""

    id: str
    name: str | None = None
    prime_contractor: str = OWN_IT
    complexity: str | None = None
    """``low`` or ``high``; None when the register did not record it (the rules read it as low)."""
    dynamics: str | None = None
    """``low`` or ``high``; None when the register did not record it (the rules read it as low)."""
    commodity: bool | None = None
    """Whether the lot is a commodity; None when not recorded (the rules read it as no)."""
    extra: dict[str, str] = field(default_factory=dict)
    source: str | None = field(default=None, compare=False)
    """Where the register said it (``contracten.csv:12``); None when the register did not."""
    prime_contractor_defaulted: bool = field(default=False, compare=False)
    """True when the register named no prime contractor and ``own-it`` stands in (the default)."""


@dataclass(slots=True)
class Function:
    """A business or IT function delivered by contracts."""

    id: str
    name: str | None = None
    critical: bool = False
    retained: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    source: str | None = field(default=None, compare=False)
    """Where the register said it (``contracten.csv:12``); None when the register did not."""


@dataclass(slots=True)
class Contract:
    """A parcel of collaboration inside a lot: one supplier, one lot, a declared mode, clauses."""

    id: str
    supplier: str
    lot: str
    mode: str | None = None
    clauses: frozenset[str] = frozenset()
    functions: frozenset[str] = frozenset()
    start_date: date | None = None
    end_date: date | None = None
    annual_value: Decimal | None = None
    """Exact to the cent (:func:`money`); a float or text given here is made one."""
    selection_basis: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    source: str | None = field(default=None, compare=False)
    """Where the register said it (``contracten.csv:12``); None when the register did not."""
    mode_as_written: str | None = field(default=None, compare=False)
    """The declared mode's word as the register wrote it (``vertrouwen``), when it wrote one."""
    clause_words: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """Per clause type, the words the register wrote for it (``obligation``:
    ``("resultaatverplichting", "inspanningsverplichting")``), in the order written."""

    def __post_init__(self) -> None:
        if self.annual_value is not None and not _is_money(self.annual_value):
            self.annual_value = money(self.annual_value)


@dataclass(frozen=True, slots=True)
class Subcontracting:
    """One link of an ICT service supply chain (DORA B_05.02).

    ``supplier`` delivers (part of) the ICT service of ``contract`` at ``rank`` in its chain:
    rank 1 is the direct provider (the contract's supplier), rank 2 a subcontractor of a rank-1
    provider, and so on. ``recipient`` is the provider that receives the subcontracted service
    (``None`` at rank 1). ``service_type`` is the ICT service type it concerns, when given.
    """

    contract: str
    supplier: str
    rank: int
    recipient: str | None = None
    service_type: str | None = None
    source: str | None = field(default=None, compare=False)
    """Where the register said it (``b_05.02.csv:7``)."""


def subcontracting_key(link: Subcontracting) -> tuple[str, int, str, str, str]:
    """A total order of supply-chain links (``None`` sorts first): contract, rank, supplier, ..."""
    return (link.contract, link.rank, link.supplier, link.recipient or "", link.service_type or "")


@dataclass(frozen=True, slots=True)
class SubcontractsTo:
    """A provider subcontracts (part of) an arrangement's ICT service to another organisation.

    Derived from a supply-chain link of rank 2 or more: its ``recipient`` is the ``provider``, its
    ``supplier`` the ``subcontractor``; ``rank`` is the subcontractor's rank and ``arrangement`` the
    contract of the chain. Rank-1 links make none (the direct provider is the contract's supplier).
    """

    provider: str
    subcontractor: str
    rank: int
    arrangement: str
    source: str | None = field(default=None, compare=False)
    """The link's source (``b_05.02.csv:7``)."""


def subcontracts_to(links: Iterable[Subcontracting]) -> list[SubcontractsTo]:
    """The provider->subcontractor relationships of ``links``: one per (provider, subcontractor,
    rank, arrangement), taking the source of its first link in :func:`subcontracting_key` order;
    sorted by provider, subcontractor, arrangement, rank.

    >>> subcontracts_to([Subcontracting("C1", "a", 1), Subcontracting("C1", "b", 2, "a")])
    [SubcontractsTo(provider='a', subcontractor='b', rank=2, arrangement='C1', source=None)]
    """
    found: dict[tuple[str, str, str, int], SubcontractsTo] = {}
    for link in sorted(links, key=subcontracting_key):
        if link.rank < 2 or link.recipient is None:
            continue
        key = (link.recipient, link.supplier, link.contract, link.rank)
        if key not in found:
            found[key] = SubcontractsTo(
                link.recipient, link.supplier, link.rank, link.contract, link.source
            )
    return [found[k] for k in sorted(found)]


@dataclass(slots=True)
class Register:
    """A whole register as one validated graph model.

    ``dependencies`` holds pairs ``(lot, depends_on)``; ``subcontracting`` the links of ICT service
    supply chains (empty unless the register came from a DORA package, or RDF that has them);
    ``warnings`` the non-fatal problems found while reading; ``source`` where it came from.
    """

    organisations: dict[str, Organisation] = field(default_factory=dict)
    lots: dict[str, Lot] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    contracts: dict[str, Contract] = field(default_factory=dict)
    dependencies: set[tuple[str, str]] = field(default_factory=set)
    subcontracting: set[Subcontracting] = field(default_factory=set)
    warnings: list[Problem] = field(default_factory=list)
    source: str = ""
    dependency_sources: dict[tuple[str, str], str] = field(default_factory=dict, compare=False)
    """Where the register said each dependency (``afhankelijkheden.csv:3``)."""
    language: str | None = field(default=None, compare=False)
    """The language the register is written in (``"nl"`` or ``"en"``) when its file names or
    headers say so; None when they do not (a DORA package, RDF, a mapped export)."""
    currency: str | None = field(default=None, compare=False)
    """The ISO 4217 code of the register's amounts when the register states one (a DORA package
    does); None when it does not (the views then show euro)."""

    def __post_init__(self) -> None:
        self.organisations.setdefault(OWN_IT, Organisation(OWN_IT, None, True))

    def counts(self) -> dict[str, int]:
        """How many of each kind of entity the register holds."""
        return {
            "organisations": len(self.organisations),
            "lots": len(self.lots),
            "functions": len(self.functions),
            "contracts": len(self.contracts),
            "dependencies": len(self.dependencies),
            "subcontracting": len(self.subcontracting),
        }

    def is_internal(self, organisation: str) -> bool:
        """Whether an organisation is internal (``own-it`` always is)."""
        org = self.organisations.get(organisation)
        return organisation == OWN_IT or (org is not None and org.internal)

    def part_of_group(self) -> list[tuple[str, str]]:
        """``(organisation, its ultimate parent)`` for each organisation whose parent is another
        organisation of the register (the ``PART_OF_GROUP`` relationships), sorted. A parent that
        is not an organisation here, or the organisation itself, makes none (``parent`` keeps it).

        >>> Register(organisations={"a": Organisation("a", parent="g"), "g": Organisation("g",
        ...     parent="g"), "b": Organisation("b", parent="x")}).part_of_group()
        [('a', 'g')]
        """
        orgs = self.organisations
        return sorted(
            (o.id, o.parent)
            for o in orgs.values()
            if o.parent is not None and o.parent != o.id and o.parent in orgs
        )


CHANGE_TARGETS: dict[str, str] = {
    "set_mode": "contract",
    "add_clause": "contract",
    "drop_clause": "contract",
    "set_selection_basis": "contract",
    "set_prime_contractor": "lot",
    "set_internal": "supplier",
}
"""The changes of a what-if scenario, each with the kind of target it applies to."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change of a what-if scenario (a row of its file), applied to a register in memory.

    ``kind`` is one of :data:`CHANGE_TARGETS` (``set_mode``, ``add_clause``...), ``target`` the
    id of the contract, lot or supplier it changes, ``value`` what it sets, read with the
    register's vocabulary: a mode key or None (``set_mode``), a clause type key, a selection basis
    key or None, an organisation id (``set_prime_contractor``), a bool (``set_internal``).
    """

    kind: str
    target: str
    value: str | bool | None
    source: str | None = field(default=None, compare=False)
    """Where the scenario said it (``scenario.csv:3``)."""
