"""The checks made on a DORA package, as data: which are errors and which warnings, and more.

Each check has a ``severity``: an **error** is what makes a supervisor reject the filing (the
package is not read, unless leniency is asked for), a **warning** is a data-quality finding
(reported; the data is read as written). What leniency (``skip_inconsistent``) does with an
error is ``lenient``: ``"skip"`` skips the row with a warning, ``"read"`` reads it anyway with a
warning, ``"never"`` keeps it an error. ``rule`` is the EBA's published validation rule the
check matches, when one was found (see ``docs/dora.md``); ``en`` and ``nl`` name the check.

To make a check stricter or milder, change its row here: the reader asks this table, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHECKS", "Check"]


@dataclass(frozen=True)
class Check:
    """One check: how severe a finding is, what leniency does with it, its rule and its names."""

    severity: str
    lenient: str
    en: str
    nl: str
    rule: str | None = None


CHECKS: dict[str, Check] = {
    # the technical checks that reject a filing
    "structure": Check(
        "error",
        "never",
        "a package, template or column that is missing or unreadable",
        "een ontbrekend of onleesbaar pakket, template of kolom",
    ),
    "empty-key": Check("error", "never", "an empty key cell", "een lege sleutelcel"),
    "duplicate-key": Check("error", "skip", "a key listed twice", "een dubbele sleutel"),
    "reference": Check(
        "error",
        "skip",
        "a reference to what the package does not hold",
        "een verwijzing naar niets",
    ),
    "entity-in-scope": Check(
        "error",
        "skip",
        "an entity LEI that is not in B_01.02 (entities within the scope of the register)",
        "een entiteit-LEI die niet in B_01.02 staat (entiteiten binnen het register)",
    ),
    "overarching-arrangement": Check(
        "error",
        "skip",
        "an overarching arrangement that is not in B_02.01",
        "een overkoepelende overeenkomst die niet in B_02.01 staat",
    ),
    "filing-indicator": Check(
        "error",
        "read",
        "a template without a filing indicator",
        "een template zonder filing indicator",
    ),
    # what this reader needs to read a row
    "unreadable-value": Check(
        "error",
        "skip",
        "a date, amount or rank that cannot be read",
        "een onleesbare datum, bedrag of rang",
    ),
    "one-provider": Check(
        "error",
        "skip",
        "an arrangement naming a second provider",
        "een overeenkomst met een tweede leverancier",
    ),
    "chain-provider": Check(
        "error",
        "skip",
        "a rank-1 link that is not the arrangement's provider",
        "een schakel van rang 1 die niet de leverancier van de overeenkomst is",
    ),
    "assessment-provider": Check(
        "error",
        "skip",
        "an assessment naming another provider than the arrangement's",
        "een beoordeling met een andere leverancier dan die van de overeenkomst",
    ),
    "arrangement-rows": Check(
        "error",
        "skip",
        "an arrangement of B_02.01 without a row in B_02.02",
        "een overeenkomst uit B_02.01 zonder rij in B_02.02",
    ),
    "criticality-code": Check(
        "error",
        "skip",
        "a criticality that is not a code of its list (never read as 'not critical')",
        "een kritikaliteit die geen code uit de lijst is (nooit gelezen als 'niet kritiek')",
    ),
    # data quality: reported, the data is read as written
    "code-list": Check(
        "warning",
        "read",
        "a value that is not a code of the column's closed list (kept as written)",
        "een waarde die geen code uit de gesloten lijst van de kolom is (bewaard zoals geschreven)",
    ),
    "lei": Check(
        "warning",
        "read",
        "an LEI of the wrong form or with wrong check digits (ISO 17442)",
        "een LEI met de verkeerde vorm of verkeerde controlecijfers (ISO 17442)",
    ),
    "date-order": Check(
        "warning",
        "read",
        "an arrangement that ends before (or when) it starts",
        "een overeenkomst die eindigt voor (of wanneer) ze begint",
        "v8816_m",
    ),
    "amount-sign": Check(
        "warning",
        "read",
        "a negative annual expense",
        "negatieve jaarlijkse kosten",
        "v23716_s",
    ),
    "overarching-missing": Check(
        "warning",
        "read",
        "a subsequent or associated arrangement that names no overarching arrangement",
        "een vervolg- of bijbehorende overeenkomst zonder overkoepelende overeenkomst",
        "v8805_m, v22912_m",
    ),
    "substitutability-reason": Check(
        "warning",
        "read",
        "a provider not (easily) substitutable without a reason",
        "een niet (makkelijk) vervangbare leverancier zonder reden",
        "v8825_m",
    ),
    "assessment-missing": Check(
        "warning",
        "read",
        "an arrangement supporting a critical function without an assessment in B_07.01",
        "een overeenkomst voor een kritieke functie zonder beoordeling in B_07.01",
    ),
    "rank-gap": Check(
        "warning",
        "read",
        "a supply-chain link whose recipient is not one rank above it (a gap in the ranks)",
        "een schakel in de keten waarvan de afnemer niet één rang hoger staat (een gat in de rangen)",
    ),
}
"""Check id -> :class:`Check`; ``docs/dora.md`` lists them with the EBA rules they match."""
