"""``sourcing-graph`` as ``python -m sourcing_graph`` runs it, keeping the server's deprecation
notices about its queries in the file ``SG_TEST_DEPRECATIONS`` names (read by :func:`.cli.cli`)."""

from __future__ import annotations

import atexit
import os
from pathlib import Path

from tests.support.notifications import COLLECTOR


def _keep() -> None:
    found = COLLECTOR.take()
    if found and os.environ.get("SG_TEST_DEPRECATIONS"):
        Path(os.environ["SG_TEST_DEPRECATIONS"]).write_text("\n".join(found), encoding="utf-8")


if __name__ == "__main__":
    atexit.register(_keep)
    from sourcing_graph.cli import main

    main()
