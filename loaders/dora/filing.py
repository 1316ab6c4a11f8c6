"""The filing indicators of a package (``reports/FilingIndicators.csv``): every template it holds
is to be indicated as reported (``templateID,reported`` with ``true``)."""

from __future__ import annotations

import csv
import io

from sourcing_graph.errors import Text
from sourcing_graph.loaders.dora.issues import Issues, Place
from sourcing_graph.loaders.dora.package import FILING_INDICATORS
from sourcing_graph.loaders.limits import Limits
from sourcing_graph.loaders.sources import READ_ERRORS, RegisterSource, read_error_reason

__all__ = ["check_filing_indicators"]

_FILE = "reports/FilingIndicators.csv"


def check_filing_indicators(
    package: str, sources: dict[str, RegisterSource], issues: Issues, limits: Limits
) -> None:
    """Report each template of the package without a filing indicator saying it is reported."""
    templates = sorted(name for name in sources if name.startswith("b_"))
    source = sources.get(FILING_INDICATORS)
    if source is None:
        issues.report(
            "filing-indicator",
            Place(package),
            Text(
                "no {file} in the DORA package: its templates have no filing indicators",
                file=_FILE,
            ),
            None,
            Text("{file} with a row templateID,true for each template reported", file=_FILE),
        )
        return
    indicators = _read(source, issues, limits)
    for template in templates if indicators is not None else ():
        name = template.upper()
        found = indicators.get(template) if indicators is not None else None
        if found is None:
            issues.report(
                "filing-indicator",
                Place(source.display, template=template),
                Text("template {name} is in the package but has no filing indicator", name=name),
                None,
                Text("a row {name},true", name=name),
            )
        elif found[1].strip().lower() != "true":
            issues.report(
                "filing-indicator",
                Place(source.display, found[0], 2, template),
                Text(
                    "template {name} is in the package but its filing indicator is not true",
                    name=name,
                ),
                found[1],
                "true",
            )


def _read(
    source: RegisterSource, issues: Issues, limits: Limits
) -> dict[str, tuple[int, str]] | None:
    """Template (lower case) -> (line, reported) of a FilingIndicators.csv; None if unreadable."""
    too_large = limits.file_too_large(source.size)
    if too_large:
        issues.over_limit(source.display, 1, 1, too_large, limits, "max_file_mb")
        return None
    place = Place(source.display)
    found: dict[str, tuple[int, str]] = {}
    try:
        with source.open() as raw:
            text = io.TextIOWrapper(raw, "utf-8-sig", errors="replace", newline="")
            rows = csv.reader(text)
            header = [c.strip().lower() for c in next(rows, [])]
            if "templateid" not in header or "reported" not in header:
                issues.report(
                    "filing-indicator",
                    place,
                    Text("the filing indicators have no columns templateID and reported"),
                    ",".join(header),
                    Text("the header templateID,reported"),
                )
                return None
            which, reported = header.index("templateid"), header.index("reported")
            for row in rows:
                if len(found) >= limits.max_rows:
                    break
                if len(row) > max(which, reported):
                    template = row[which].strip().lower()
                    found.setdefault(template, (rows.line_num, row[reported]))
    except (*READ_ERRORS, csv.Error) as exc:
        reason = read_error_reason(exc)
        message = Text("cannot read the file: {reason}", reason=reason)
        issues.report("structure", place, message, None, Text("CSV text"))
        return None
    return found
