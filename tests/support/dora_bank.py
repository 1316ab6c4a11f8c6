"""A realistic DORA Register of Information, made for tests: the package of a mid-sized bank.

45 providers: three cloud groups (a US parent with its own row and no expense, two EU
subsidiaries each), shared subcontractors (colocation, fibre, HSM) that have no expense or 0,
30 direct providers (one intra-group, some with a parent of their own, names with accents);
150 arrangements; 30 functions of which 10 critical; supply chains up to rank 4 (FibreLink
Backbone SE behind every critical function); a few arrangements with no exit plan or a provider
that is not substitutable; empty optional cells. LEIs have the form and check digits of real
ones. Everything is decided by a seeded random generator, so the package is the same on every
run; :func:`write_bank_package` writes it (with defects, when asked) and returns what it holds
(:class:`Bank`), for tests to check results against.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sourcing_graph.loaders.dora.lei import check_digits

SEED = 18
ENTITY_NAMES = ("Hanzebank N.V.", "Hanzebank Lease B.V.")
CLOUD_GROUPS = (
    (
        "Stratus Cloud Inc.",
        ("Stratus Cloud EMEA Ltd", "IE"),
        ("Stratus Cloud Deutschland GmbH", "DE"),
    ),
    (
        "Nimbus Compute Corp.",
        ("Nimbus Compute Europe B.V.", "NL"),
        ("Nimbus Compute France SAS", "FR"),
    ),
    (
        "Cirrus Platforms Inc.",
        ("Cirrus Platforms Ireland Ltd", "IE"),
        ("Cirrus Platforms Nordics AB", "SE"),
    ),
)
SUBCONTRACTORS = (  # name, country, role, total annual expense as written
    ("Équinoxe Datacenters SAS", "FR", "colocation", ""),
    ("NordHall Colocation AB", "SE", "colocation", ""),
    ("FibreLink Backbone SE", "LU", "fibre", "0"),
    ("Glasvezel Noord B.V.", "NL", "fibre", ""),
    ("HSM Sécurité SA", "BE", "hsm", "0"),
    ("KeyForge Hardware GmbH", "DE", "hsm", ""),
)
DIRECT = (  # name, country, ICT service type, ultimate parent's name (None: its own)
    ("CoreSys Banking Software GmbH", "DE", "S13", None),
    ("Zahlungswerk Zürich AG", "CH", "S19", None),
    ("Paysphere Europe S.A.", "LU", "S19", "Paysphere Holdings Ltd"),
    ("KYC Nordic Oy", "FI", "S19", None),
    ("Identité Numérique SAS", "FR", "S19", "Paysphere Holdings Ltd"),
    ("SecurOps Ltd", "IE", "S04", None),
    ("Cyberwacht B.V.", "NL", "S04", "SecurOps Ltd"),
    ("NetLine Telecom S.A.", "FR", "S10", "NetLine Holding S.A."),
    ("Telco Ibérica S.L.", "ES", "S10", None),
    ("Print & Post Services GmbH", "AT", "S14", None),
    ("Ledgerline Software Ltd", "GB", "S13", None),
    ("Risikomodell AG", "DE", "S06", None),
    ("DataLake Analytics ApS", "DK", "S06", None),
    ("Helpdesk Direkt GmbH", "DE", "S03", None),
    ("Consultoría Bancaria S.A.", "ES", "S15", None),
    ("Archivo Seguro S.p.A.", "IT", "S09", None),
    ("Treasury Systems Oy", "FI", "S13", None),
    ("Swift Gateway Services SRL", "BE", "S11", None),
    ("CardTech Polska sp. z o.o.", "PL", "S02", None),
    ("MobileBank Apps s.r.o.", "CZ", "S02", None),
    ("Hanzebank Group IT B.V.", "NL", "S14", None),
    ("SignWise AS", "NO", "S19", None),
    ("Loket Software B.V.", "NL", "S19", None),
    ("Mailroute GmbH", "DE", "S19", None),
    ("Backup Vault Ltd", "GB", "S09", None),
    ("Quantia Reporting S.à r.l.", "LU", "S19", None),
    ("Fraudshield Analytics Ltd", "IE", "S06", None),
    ("Ağ Güvenlik A.Ş.", "TR", "S04", None),
    ("Observa Monitoring AB", "SE", "S14", None),
    ("Łącznik Integracje sp. z o.o.", "PL", "S02", None),
)
INTRA_GROUP = "Hanzebank Group IT B.V."
CRITICAL_FUNCTIONS = (
    "Payments processing", "Core banking ledger", "Customer onboarding (KYC)", "Card processing",
    "Online and mobile banking", "Treasury and liquidity", "Regulatory reporting",
    "Fraud detection", "Security operations", "Identity and access management",
)  # fmt: skip
OTHER_FUNCTIONS = (
    "HR administration", "Marketing analytics", "Internal reporting", "Document archiving",
    "Printing and mailing", "Helpdesk", "Procurement", "Facility management", "Learning platform",
    "E-mail and collaboration", "Public website", "Customer contact centre", "Data warehouse",
    "Back-up", "Legal case management", "Board portal", "Translation", "Travel booking",
    "Intranet", "Consulting services",
)  # fmt: skip


def make_lei(rng: random.Random, prefix: str = "5299") -> str:
    """An LEI of the right form and check digits (not one GLEIF has issued)."""
    body = prefix + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(14))
    return body + check_digits(body)


@dataclass
class Provider:
    lei: str
    name: str
    country: str
    role: str  # "parent", "cloud", "colocation", "fibre", "hsm", "direct", "intra-group"
    service: str  # its usual ICT service type (S01-S19)
    parent: str | None = None  # the ultimate parent's code, when the provider names one
    expense: str = ""  # B_05.01 c0100 as written: "" (none), "0" or the sum of its arrangements


@dataclass
class Arrangement:
    ref: str
    provider: str  # LEI
    entity: str  # LEI of the entity using it
    service: str  # eba_TA:Sxx
    functions: list[str]
    start: str
    end: str
    expense: int
    kind: str = "eba_CO:x1"
    overarching: str = ""
    chain: list[tuple[int, str, str]] = field(default_factory=list)  # (rank, supplier, recipient)
    assessment: dict[str, str] | None = None  # B_07.01 cells c0050..c0120 by code


@dataclass
class Bank:
    """What the package holds: its entities (B_01.02: the bank, its lease company, its IT
    company), providers, functions (id -> (name, critical)) and arrangements, in order."""

    entities: list[tuple[str, str]]
    providers: dict[str, Provider]
    functions: dict[str, tuple[str, bool]]
    arrangements: dict[str, Arrangement]

    def by_name(self, name: str) -> Provider:
        return next(p for p in self.providers.values() if p.name == name)


def _providers(rng: random.Random) -> dict[str, Provider]:
    found: dict[str, Provider] = {}

    def add(provider: Provider) -> Provider:
        found[provider.lei] = provider
        return provider

    for parent_name, *subsidiaries in CLOUD_GROUPS:
        parent = add(Provider(make_lei(rng), parent_name, "US", "parent", "S17"))
        parent.parent = parent.lei  # its own ultimate parent
        for name, country in subsidiaries:
            add(Provider(make_lei(rng), name, country, "cloud", "S17", parent.lei))
    for name, country, role, expense in SUBCONTRACTORS:
        service = {"colocation": "S07", "fibre": "S11", "hsm": "S12"}[role]
        add(Provider(make_lei(rng), name, country, role, service, expense=expense))
    outside_parents: dict[str, str] = {}
    for name, country, service, parent_name in DIRECT:
        role = "intra-group" if name == INTRA_GROUP else "direct"
        provider = add(Provider(make_lei(rng), name, country, role, service))
        if parent_name is not None:
            known = next((p.lei for p in found.values() if p.name == parent_name), None)
            provider.parent = known or outside_parents.setdefault(parent_name, make_lei(rng))
    return found


def _chain(
    rng: random.Random, bank: Bank, provider: Provider, fibre_link: bool
) -> list[tuple[int, str, str]]:
    """A supply chain behind a provider: cloud -> parent -> colocation -> fibre (FibreLink
    Backbone SE when ``fibre_link``) or HSM; others sometimes -> colocation or HSM -> fibre."""
    roles: dict[str, list[Provider]] = {}
    for p in bank.providers.values():
        roles.setdefault(p.role, []).append(p)
    chain = [(1, provider.lei, "")]
    if provider.role == "cloud":
        parent = bank.providers[provider.parent or ""]
        coloc = rng.choice(roles["colocation"])
        last = roles["fibre"] + roles["hsm"]
        fibre = roles["fibre"][0] if fibre_link or rng.random() < 0.6 else rng.choice(last)
        chain += [
            (2, parent.lei, provider.lei),
            (3, coloc.lei, parent.lei),
            (4, fibre.lei, coloc.lei),
        ]
    elif provider.role == "direct" and rng.random() < 0.35:
        middle = rng.choice(roles["colocation"] + roles["hsm"])
        chain.append((2, middle.lei, provider.lei))
        if rng.random() < 0.6:
            chain.append((3, rng.choice(roles["fibre"]).lei, middle.lei))
    return chain


def _assessment(rng: random.Random, number: int) -> dict[str, str]:
    """B_07.01 cells: every 9th provider not substitutable, every 7th arrangement no exit plan."""
    hard = number % 9 == 0
    substitutable = rng.choice(["eba_ZZ:x960", "eba_ZZ:x961", "eba_ZZ:x962"])
    substitutability = "eba_ZZ:x959" if hard else substitutable
    reason = {"eba_ZZ:x959": "eba_ZZ:x963", "eba_ZZ:x960": "eba_ZZ:x964"}
    return {
        "c0050": substitutability,
        "c0060": reason.get(substitutability, ""),
        "c0070": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "c0080": "eba_BT:x29" if number % 7 == 0 else "eba_BT:x28",
        "c0090": rng.choice(["eba_ZZ:x798", "eba_ZZ:x966", "eba_ZZ:x967"]),
        "c0100": rng.choice(["eba_ZZ:x791", "eba_ZZ:x792", "eba_ZZ:x793"]),
        "c0110": "eba_BT:x29" if hard else "eba_BT:x28",
        "c0120": "" if hard else "another provider of the same service",
    }


def build_bank(seed: int = SEED) -> Bank:
    """The bank's register of information, as data (written by :func:`write_bank_package`)."""
    rng = random.Random(seed)
    entities = [(make_lei(rng), name) for name in ENTITY_NAMES]
    providers = _providers(rng)
    intra = next(p for p in providers.values() if p.role == "intra-group")
    entities.append((intra.lei, intra.name))  # a group entity: an internal provider
    functions = {
        f"F{i:02d}": (name, i <= len(CRITICAL_FUNCTIONS))
        for i, name in enumerate(CRITICAL_FUNCTIONS + OTHER_FUNCTIONS, start=1)
    }
    bank = Bank(entities, providers, functions, {})
    users = [p for p in providers.values() if p.role in ("cloud", "direct", "intra-group")]
    clouds = [p for p in users if p.role == "cloud"]
    for number in range(1, 151):
        # the first ten: a cloud arrangement for each critical function (so deep chains)
        provider = clouds[(number - 1) % len(clouds)] if number <= 10 else rng.choice(users)
        first = f"F{number:02d}" if number <= 10 else rng.choice(list(functions))
        chosen = [first] + ([rng.choice(list(functions))] if rng.random() < 0.3 else [])
        service = (
            provider.service if provider.role != "cloud" else rng.choice(["S17", "S18", "S19"])
        )
        year = rng.randint(2015, 2024)
        arrangement = Arrangement(
            f"ARR-{number:03d}",
            provider.lei,
            entities[0][0] if rng.random() < 0.85 else entities[1][0],
            f"eba_TA:{service}",
            list(dict.fromkeys(chosen)),
            f"{year}-{rng.randint(1, 12):02d}-01",
            "9999-12-31" if rng.random() < 0.4 else f"{year + rng.randint(2, 8)}-12-31",
            0 if number % 25 == 0 else rng.randint(1, 90) * 10_000,
        )
        arrangement.chain = _chain(rng, bank, provider, number <= 10)
        if any(functions[f][1] for f in arrangement.functions) or rng.random() < 0.2:
            arrangement.assessment = _assessment(rng, number)
        bank.arrangements[arrangement.ref] = arrangement
    for number in (40, 80, 120):  # three subsequent arrangements under an overarching one
        sub, over = (
            bank.arrangements[f"ARR-{number:03d}"],
            bank.arrangements[f"ARR-{number - 1:03d}"],
        )
        over.kind, sub.kind, sub.overarching = "eba_CO:x2", "eba_CO:x3", over.ref
    for provider in providers.values():
        mine = [a.expense for a in bank.arrangements.values() if a.provider == provider.lei]
        if mine:
            provider.expense = str(sum(mine))
    return bank
