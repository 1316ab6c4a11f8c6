"""Names the README showed before the restructuring keep working and warn once (each in a fresh
interpreter: an alias warns when it is first imported)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support import ROOT

OLD_VIEW = """
import json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import sourcing_graph.graph.views as old
    import sourcing_graph.graph.views
    from sourcing_graph.graph.views import build_view, write_view
from sourcing_graph.views import network
print(json.dumps({
    "same": [old.build_view is network.build_view, write_view is network.write_view,
             build_view is network.build_view],
    "warnings": [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)
                 and "sourcing_graph.graph.views" in str(w.message)],
}))
"""


def test_the_old_view_module_is_the_new_one_and_warns_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", OLD_VIEW], capture_output=True, text=True, cwd=ROOT, check=True
    )
    seen = json.loads(done.stdout)
    assert seen["same"] == [True, True, True]
    assert seen["warnings"] == [
        "sourcing_graph.graph.views moved to sourcing_graph.views.network; import it from there"
    ]
