"""Interim words for what the ontology does not label yet: the analyses' reasons, directions and
mode bases, in Dutch and English.

The ontology is to hold these as individuals with ``rdfs:label`` in both languages (issue 14);
:func:`~sourcing_graph.views.locale.terms.term_label` prefers those labels as soon as they are
there. This table then goes: ``tests/unit/test_locale.py`` fails while it is still needed, and
reports it (a strict expected failure) once the ontology covers every entry.
"""

from __future__ import annotations

INTERIM_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("reason", "penalty_or_bonus"): {
        "nl": "afgedwongen door een boete- of bonusclausule",
        "en": "forced by a penalty or bonus clause",
    },
    ("reason", "declared_distrust"): {
        "nl": "vastgelegd als wantrouwen",
        "en": "declared as distrust",
    },
    ("reason", "declared_reliability"): {
        "nl": "vastgelegd als betrouwbaarheid",
        "en": "declared as reliability",
    },
    ("reason", "mode_not_recorded"): {
        "nl": "geen samenwerkingsvorm vastgelegd",
        "en": "no collaboration mode recorded",
    },
    ("direction", "weaker_dependency"): {
        "nl": "de kavel leunt op een kavel met een zwakkere vorm",
        "en": "the lot leans on a lot in a weaker mode",
    },
    ("direction", "weaker_dependent"): {
        "nl": "de afhankelijke kavel heeft de zwakkere vorm",
        "en": "the dependent lot runs in the weaker mode",
    },
    ("mode_basis", "clause"): {
        "nl": "afgedwongen door een clausule",
        "en": "forced by a clause",
    },
    ("mode_basis", "forced_by_clause"): {
        "nl": "afgedwongen door een clausule",
        "en": "forced by a clause",
    },
    ("mode_basis", "declared"): {
        "nl": "zo vastgelegd",
        "en": "as declared",
    },
    ("mode_basis", "internal_supplier"): {
        "nl": "interne leverancier",
        "en": "internal supplier",
    },
    ("mode_basis", "not_recorded"): {
        "nl": "geen samenwerkingsvorm vastgelegd",
        "en": "no collaboration mode recorded",
    },
}
"""(kind, key) -> language -> words; see the module docstring."""
