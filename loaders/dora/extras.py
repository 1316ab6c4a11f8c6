"""What each DORA template adds to an entity's extras: its other columns, with readable values.

A closed-list cell (``eba_CT:x599``) gives two extras, ``name`` (the readable value) and
``name_code`` (the code); a free cell gives ``name``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sourcing_graph.loaders.dora.codes import readable
from sourcing_graph.loaders.dora.tables import Table

__all__ = [
    "ASSESSMENT_EXTRAS",
    "FUNCTION_EXTRAS",
    "GENERAL_EXTRAS",
    "PROVIDER_EXTRAS",
    "SPECIFIC_EXTRAS",
    "add_extras",
]


# (column, extra name, closed list?) of what each template adds to an entity's extras
PROVIDER_EXTRAS = (
    ("c0020", "code_type", True),
    ("c0030", "additional_code", False),
    ("c0040", "additional_code_type", True),
    ("c0060", "latin_name", False),
    ("c0070", "person_type", True),
    ("c0080", "headquarters_country", True),
    ("c0090", "currency", True),
    ("c0100", "total_annual_expense", False),
    ("c0120", "parent_code_type", True),
)
FUNCTION_EXTRAS = (
    ("c0020", "licensed_activity", True),
    ("c0040", "financial_entity", False),
    ("c0050", "criticality", True),
    ("c0060", "criticality_reasons", False),
    ("c0070", "last_assessment_date", False),
    ("c0080", "recovery_time_objective", False),
    ("c0090", "recovery_point_objective", False),
    ("c0100", "discontinuing_impact", True),
)
GENERAL_EXTRAS = (
    ("c0020", "arrangement_type", True),
    ("c0030", "overarching_arrangement", False),
    ("c0040", "currency", True),
)
SPECIFIC_EXTRAS = (
    ("c0020", "financial_entity", False),
    ("c0040", "provider_code_type", True),
    ("c0060", "ict_service_type", True),
    ("c0090", "termination_reason", True),
    ("c0100", "notice_period_entity", False),
    ("c0110", "notice_period_provider", False),
    ("c0120", "governing_law_country", True),
    ("c0130", "service_country", True),
    ("c0140", "storage_of_data", True),
    ("c0150", "data_storage_country", True),
    ("c0160", "data_processing_country", True),
    ("c0170", "data_sensitiveness", True),
    ("c0180", "reliance_level", True),
)
ASSESSMENT_EXTRAS = (
    ("c0050", "substitutability", True),
    ("c0060", "non_substitutability_reason", True),
    ("c0070", "last_audit_date", False),
    ("c0080", "exit_plan", True),
    ("c0090", "reintegration", True),
    ("c0100", "discontinuing_impact", True),
    ("c0110", "alternative_providers", True),
    ("c0120", "alternative_providers_named", False),
)


def add_extras(
    extra: dict[str, str], table: Table, row: list[str], spec: Iterable[tuple[str, str, bool]]
) -> None:
    """Add a row's cells to extras; a closed-list cell gives ``name`` (readable) and ``name_code``.

    A second value for the same extra (another row of the same arrangement) is appended after
    `` | `` unless already there; an unknown code keeps its code with no readable value.
    """
    for code, name, closed in spec:
        text = table.cell(row, code)
        if not text:
            continue
        pairs = [(f"{name}_code", text)]
        if closed:
            word = readable(text)
            pairs = [(name, word), *pairs] if word else pairs
        else:
            pairs = [(name, text)]
        for key, value in pairs:
            earlier = extra.get(key)
            if earlier is None:
                extra[key] = value
            elif value not in earlier.split(" | "):
                extra[key] = f"{earlier} | {value}"
