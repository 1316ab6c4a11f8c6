"""Whether a load may replace the register loaded before: the register digests compared.

A load that was not asked to replace (``replace=False``: an analysis of a register, not the
``load`` command) writes the register in its transaction as any load does, then compares the
digest of the register part it wrote with the ``registerDigest`` the last load or refresh
recorded. When a register was loaded and the two differ, or the loaded graph was changed since
(its conclusions are stale), it raises :class:`~sourcing_graph.errors.RegisterReplaceRefused`
and the transaction rolls back: the loaded register stays as it was.

A view of the loaded register checks that its files are that register: :mod:`.loaded`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sourcing_graph.errors import Mention, RegisterReplaceRefused
from sourcing_graph.queries.statements import statements

__all__ = ["PreviousLoad", "check_replace", "previous_load"]


@dataclass(frozen=True, slots=True)
class PreviousLoad:
    """What the last committed load left: its contract count, register digest, load id and the
    digest of the rule data its conclusions were drawn with (None: no register was loaded)."""

    contracts: int | None = None
    digest: str | None = None
    load_id: str | None = None
    rules: str | None = None

    @property
    def loaded(self) -> bool:
        """A register was loaded before."""
        return self.contracts is not None


def previous_load(tx: Any, key: str, load_id: str | None = None) -> PreviousLoad:
    """The previous load (its id ``load_id``, as taking the lock found it), read in ``tx`` (which
    holds the load lock) before anything is written."""
    rows = tx.run(statements("store")["previous-load"], {"key": key}).data()
    if not rows:
        return PreviousLoad()
    row = rows[0]
    return PreviousLoad(row["contracts"], row["registerDigest"], load_id, row["rulesDigest"])


def check_replace(
    previous: PreviousLoad,
    digest: str,
    *,
    uri: str,
    replace: bool,
    changed: bool,
    rules: str | None = None,
) -> bool:
    """Raise :class:`RegisterReplaceRefused` unless the load may go on: ``replace`` asked, no
    register loaded, or the same register (``digest`` equal, the graph not ``changed`` since).
    True in that last case when its conclusions were drawn with the rule data of digest
    ``rules`` too: the register is loaded already, the load has nothing to write (other rule
    data: the load writes it and the conclusions drawn with it)."""
    if replace or not previous.loaded:
        return False
    if previous.digest == digest and not changed:
        return rules is None or previous.rules == rules
    what = (
        "the register loaded there was changed since its load"
        if previous.digest == digest
        else f"another register is loaded there ({previous.contracts} contracts)"
    )
    raise RegisterReplaceRefused(
        f"not loaded into Neo4j at {uri}: {what}, and this would replace it; nothing was "
        "changed. Use ",
        Mention("replace", "replace=True", "flag"),
        " to replace it, ",
        Mention("loaded", "the loaded register", "flag"),
        " to analyse the loaded one, or ",
        Mention("embedded", "the embedded engine", "flag"),
        setting="replace",
    )
