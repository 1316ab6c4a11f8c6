"""Read a DORA Register of Information package (EBA xBRL-CSV, reporting framework 4.0).

- :mod:`.package`: the package on disk (``is_dora_package``, ``find_package``);
- :mod:`.tables`: a template file read by its column codes, its rows and their keys;
- :mod:`.codes`: the templates, column codes and closed-list codes, in words;
- :mod:`.checks`: the checks made, as data: which are errors and which warnings, their rules;
- :mod:`.issues`: the problems found, placed (template, row key, column) and weighed by the checks;
- :mod:`.template_rows`: rows and checked cells (keys, references, dates, amounts, codes, LEIs);
- :mod:`.code_lists`, :mod:`.lei`, :mod:`.filing`: closed lists, LEIs, filing indicators;
- :mod:`.extras`: what each template adds to an entity's extras;
- :mod:`.arrangements`, :mod:`.chains`: arrangements, supply chains and assessments;
- :mod:`.reader`: the templates into the register model (``read_dora``);
- :mod:`.overlay`: the collaboration modes, clauses, lots and dependencies a package lacks.
"""

from __future__ import annotations

from sourcing_graph.loaders.dora.codes import STAND_IN
from sourcing_graph.loaders.dora.overlay import apply_overlay, mode_warning
from sourcing_graph.loaders.dora.package import find_package, is_dora_package
from sourcing_graph.loaders.dora.reader import DoraPackageError, read_dora

__all__ = [
    "STAND_IN",
    "DoraPackageError",
    "apply_overlay",
    "find_package",
    "is_dora_package",
    "mode_warning",
    "read_dora",
]
