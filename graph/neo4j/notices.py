"""What Neo4j says about a query besides its rows (an unknown label, a cartesian product, a
deprecated feature...), as :class:`Notice` data; a caller decides how to show it.

Neo4j 5.26 sends these notifications when the session asks for them
(:data:`NOTIFICATION_CONFIG`): an unknown label (GQL status ``01N50``), relationship type
(``01N51``) or property key (``01N52``); a cartesian product (``03N90``), an unbounded
variable-length pattern (``03N91``) and other performance hints; deprecations (``01N0x``); and
unsupported or generic warnings. An unknown name gets the names the database has that are close
to it (:func:`suggest`).
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sourcing_graph.graph.engine import Notice

__all__ = ["NOTIFICATION_CONFIG", "Notice", "notices", "suggest"]

NOTIFICATION_CONFIG: Mapping[str, Any] = {
    "notifications_min_severity": "INFORMATION",
    "notifications_disabled_classifications": [],
}
"""Session settings that make the server send all its notifications (the driver is opened with
only deprecations and unsupported features on, for the store's own queries)."""

UNKNOWN_NAMES = {
    "01N50": "label",
    "01N51": "relationship type",
    "01N52": "property",
    "Neo.ClientNotification.Statement.UnknownLabelWarning": "label",
    "Neo.ClientNotification.Statement.UnknownRelationshipTypeWarning": "relationship type",
    "Neo.ClientNotification.Statement.UnknownPropertyKeyWarning": "property",
}
"""The notification codes that mean "no such name in the database" (GQL status and the older
Neo4j codes), and what kind of name each concerns."""

_QUOTED_NAME = re.compile(r"`((?:[^`]|``)*)`")
_LEGACY_NAME = re.compile(r"\(the missing \w+(?: \w+)? (?:name )?is: (.*)\)\s*$")
_PREFIX = re.compile(r"^(?:warn|info|note|error)\s*:\s*", re.I)


def notices(summary: Any, names: Callable[[], Mapping[str, Iterable[str]]]) -> list[Notice]:
    """The notifications of a result summary, each once (the same code and description once).

    ``names`` gives the database's names by kind (``label``, ``relationship type``,
    ``property``); it is called only when a notification concerns an unknown name.
    """
    found: dict[tuple[str, str], Notice] = {}
    for notice in _read(summary):
        found.setdefault((notice.code, notice.description), notice)
    result = list(found.values())
    if any(n.unknown_kind for n in result):
        known = names()
        result = [
            _with_suggestions(n, known.get(n.unknown_kind, ())) if n.unknown_kind else n
            for n in result
        ]
    return result


def _read(summary: Any) -> Iterable[Notice]:
    with warnings.catch_warnings():  # the driver 5.x calls GQL status objects a preview
        warnings.simplefilter("ignore")
        statuses = getattr(summary, "gql_status_objects", None)
        if statuses is None:
            yield from (_legacy(n) for n in getattr(summary, "summary_notifications", ()))
            return
        for status in statuses:
            if status.is_notification:
                yield _gql(status)


def _gql(status: Any) -> Notice:
    code = status.gql_status
    description = _PREFIX.sub("", status.status_description or "").strip()
    kind = UNKNOWN_NAMES.get(code)
    name = _QUOTED_NAME.search(description) if kind else None
    return Notice(
        severity=str(status.raw_severity or "warning").lower(),
        category=str(status.raw_classification or "").lower(),
        code=code,
        description=description,
        line=getattr(status.position, "line", None),
        column=getattr(status.position, "column", None),
        unknown_kind=kind,
        name=name.group(1).replace("``", "`") if name else None,
    )


def _legacy(notification: Any) -> Notice:
    code = notification.code or ""
    kind = UNKNOWN_NAMES.get(code)
    name = _LEGACY_NAME.search(notification.description or "") if kind else None
    return Notice(
        severity=str(notification.raw_severity_level or "warning").lower(),
        category=str(notification.raw_category or "").lower(),
        code=code,
        description=f"{notification.title} {notification.description}".strip(),
        line=getattr(notification.position, "line", None),
        column=getattr(notification.position, "column", None),
        unknown_kind=kind,
        name=name.group(1).strip() if name else None,
    )


def _with_suggestions(notice: Notice, known: Iterable[str]) -> Notice:
    if notice.name is None:
        return notice
    return Notice(**{**notice.__dict__, "suggestions": suggest(notice.name, known)})


def suggest(name: str, known: Iterable[str], limit: int = 3) -> tuple[str, ...]:
    """The names in ``known`` closest to ``name`` (case does not count), best first.

    >>> suggest("Lott", ["Lot", "Contract", "Function"])
    ('Lot',)
    """
    by_lower: dict[str, str] = {}
    for candidate in known:
        by_lower.setdefault(candidate.lower(), candidate)
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=limit, cutoff=0.6)
    return tuple(by_lower[c] for c in close if by_lower[c] != name)
