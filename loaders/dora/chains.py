"""The supply chains (B_05.02) and assessments (B_07.01) of a package's arrangements, and what the
supervisor asks of them: ranks without gaps, an assessment for every arrangement supporting a
critical function, a reason for a provider that is hard to substitute."""

from __future__ import annotations

from collections.abc import Iterator

from sourcing_graph.errors import Text
from sourcing_graph.loaders.dora.arrangements import ArrangementRows
from sourcing_graph.loaders.dora.extras import ASSESSMENT_EXTRAS, add_extras
from sourcing_graph.loaders.dora.issues import Issues
from sourcing_graph.loaders.dora.tables import Table
from sourcing_graph.model import Contract, Organisation, Register, Subcontracting

__all__ = ["ChainRows"]

_HARD_TO_SUBSTITUTE = ("eba_ZZ:x959", "eba_ZZ:x960")
_ASSESSMENT_EXPECTED = Text(
    "a row in B_07.01 for this arrangement (one is asked for every arrangement supporting a "
    "critical or important function)"
)


class ChainRows(ArrangementRows):
    """Reads B_05.02 into ``register.subcontracting`` and B_07.01 into contract extras."""

    def __init__(self, issues: Issues, register: Register) -> None:
        super().__init__(issues, register)
        self.assessed: set[str] = set()  # arrangements with a row in B_07.01

    def _arrangement_of(self, table: Table, line: int, row: list[str]) -> Contract | None:
        """The contract of a B_05.02 / B_07.01 row's reference number (None: not usable)."""
        ref = table.cell(row, "c0010")
        contract = self.register.contracts.get(ref)
        if contract is not None:
            return contract
        if ref in self.mentioned and self.issues.strict:
            return None  # the arrangement's own rows are reported already
        expected = Text("a contractual arrangement reference number of B_02.01 / B_02.02")
        if ref in self.dropped:
            place = table.place(line, row, "c0010")
            message = Text("arrangement {ref!r} was skipped", ref=ref)
            self.issues.report("reference", place, message, ref, expected)
        else:
            self.dangling(table, line, row, "c0010", "b_02.02", expected)
        return None

    def _provider_ok(self, table: Table, line: int, row: list[str], code: str) -> bool:
        value = table.cell(row, code)
        if not value or "b_05.01" not in self.tables or value in self.providers:
            return True
        expected = Text("an identification code of B_05.01")
        return self.dangling(table, line, row, code, "b_05.01", expected)

    def _linked_rows(
        self, template: str, *providers: str
    ) -> Iterator[tuple[Table, int, list[str], Contract | None, bool]]:
        """The rows of a template about arrangements, once per key, with their contract and
        whether their cells and references (arrangement, ``providers`` columns) are right."""
        seen: dict[tuple[str, ...], int] = {}
        for table, line, row in self.rows(template):
            if not self.unique(seen, table, line, row):
                continue
            ok = self.cells_ok(table, line, row)
            contract = self._arrangement_of(table, line, row)
            for code in providers:
                ok = self._provider_ok(table, line, row, code) and ok
            yield table, line, row, contract, ok

    def _supply_chains(self) -> None:
        links: list[tuple[Table, int, list[str], Subcontracting]] = []
        for table, line, row, contract, linked in self._linked_rows("b_05.02", "c0030", "c0060"):
            rank = self._rank(table, line, row)
            ok = rank > 0 and linked
            supplier = table.cell(row, "c0030")
            if ok and contract is not None and rank == 1 and supplier != contract.supplier:
                ok = self.issues.report(
                    "chain-provider",
                    table.place(line, row, "c0030"),
                    Text(
                        "rank 1 is the direct provider, and arrangement {ref!r} is with "
                        "{provider!r}",
                        ref=contract.id,
                        provider=table.named(contract.supplier),
                    ),
                    supplier,
                    repr(table.named(contract.supplier)),
                )
            if not ok or contract is None:
                continue
            recipient = table.cell(row, "c0060") or None
            for org in (supplier, recipient):
                if org is not None and org not in self.register.organisations:
                    internal = org in self.group
                    self.register.organisations[org] = Organisation(
                        org, internal=internal, source=table.source(line)
                    )
            link = Subcontracting(
                contract.id,
                supplier,
                rank,
                recipient if rank > 1 else None,
                table.cell(row, "c0020") or None,
                table.source(line),
            )
            links.append((table, line, row, link))
        self.register.subcontracting.update(self._without_gaps(links))

    def _rank(self, table: Table, line: int, row: list[str]) -> int:
        """The rank of a B_05.02 row (0: not a rank, reported)."""
        text = table.cell(row, "c0050")
        rank = int(text) if text.isascii() and text.isdigit() else 0
        if rank < 1:
            place = table.place(line, row, "c0050")
            expected = Text("a whole number 1, 2, ...")
            self.issues.report("unreadable-value", place, Text("not a rank"), text, expected)
        return rank

    def _without_gaps(
        self, links: list[tuple[Table, int, list[str], Subcontracting]]
    ) -> list[Subcontracting]:
        """The links, each rank-2-or-more link checked to serve a provider one rank above it in
        its arrangement's chain (the arrangement's provider is at rank 1); the links a finding
        of ``rank-gap`` may not keep are left out."""
        at: dict[tuple[str, int], set[str]] = {}
        for contract in self.register.contracts.values():
            at[(contract.id, 1)] = {contract.supplier}
        for _t, _l, _r, link in links:
            at.setdefault((link.contract, link.rank), set()).add(link.supplier)
        kept = []
        for table, line, row, link in links:
            above = at.get((link.contract, link.rank - 1), set())
            if link.rank == 1 or link.recipient in above:
                kept.append(link)
                continue
            place = table.place(line, row, "c0060")
            rank, up = link.rank, link.rank - 1
            if link.recipient is None:
                message = Text("a rank-{rank} link names no provider it serves", rank=rank)
            elif not above:
                message = Text(
                    "a rank-{rank} link in a chain with no rank-{up} link", rank=rank, up=up
                )
            else:
                message = Text(
                    "{provider!r} is not at rank {up} of this supply chain",
                    provider=table.named(link.recipient),
                    up=up,
                )
            expected = (
                Text(
                    "a provider at rank {up} of arrangement {ref!r}: {providers}",
                    up=up,
                    ref=link.contract,
                    providers=", ".join(repr(table.named(s)) for s in sorted(above)),
                )
                if above
                else Text("a rank-{up} link in the chain first (ranks without gaps)", up=up)
            )
            if self.issues.report("rank-gap", place, message, link.recipient or "", expected):
                kept.append(link)
        return kept

    def _assessments(self) -> None:
        for table, line, row, contract, ok in self._linked_rows("b_07.01", "c0020"):
            provider = table.cell(row, "c0020")
            if ok and contract is not None and provider != contract.supplier:
                ok = self.issues.report(
                    "assessment-provider",
                    table.place(line, row, "c0020"),
                    Text(
                        "arrangement {ref!r} is with {provider!r}",
                        ref=contract.id,
                        provider=table.named(contract.supplier),
                    ),
                    provider,
                    repr(table.named(contract.supplier)),
                )
            if not ok or contract is None or self.date_cell(table, line, row, "c0070") is False:
                continue
            if table.cell(row, "c0050") in _HARD_TO_SUBSTITUTE and not table.cell(row, "c0060"):
                self.issues.report(
                    "substitutability-reason",
                    table.place(line, row, "c0060"),
                    Text("the provider is not (easily) substitutable and no reason is given"),
                    "",
                    Text("a reason (eba_ZZ:x963, x964 or x965)"),
                )
            add_extras(contract.extra, table, row, ASSESSMENT_EXTRAS)
            self.assessed.add(contract.id)

    def _assessments_of_critical(self) -> None:
        """Every arrangement supporting a critical function has an assessment in B_07.01."""
        functions = self.register.functions
        for ref, arrangement in self.arrangements.items():
            if ref in self.assessed or ref not in self.register.contracts:
                continue
            critical = [f for f in arrangement.functions if functions[f].critical]
            if not critical:
                continue
            line, row = arrangement.functions[critical[0]]
            self.issues.report(
                "assessment-missing",
                self.tables["b_02.02"].place(line, row, "c0050"),
                Text(
                    "supports the critical function {function!r} and has no assessment in B_07.01",
                    function=self.tables["b_02.02"].named(critical[0]),
                ),
                critical[0],
                _ASSESSMENT_EXPECTED,
            )
