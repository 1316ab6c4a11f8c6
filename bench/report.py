"""The Markdown report: the machine, the command, the table, the goals, the checks and problems."""

from __future__ import annotations

from typing import Any

from bench.goals import MARK, Goal
from bench.measure import has_gnu_time
from bench.results import Results
from bench.table import fmt

PEAK_RSS_GNU_TIME = (
    "Peak RSS is the maximum resident set size of each process as GNU time reports it (`%M`), "
    "Python start-up and imports included."
)
PEAK_RSS_PSUTIL = (
    "Peak RSS is polled with psutil every 5 ms (GNU time is not installed): a short peak "
    "can be missed."
)
WARM_QUERIES = (
    "Neo4j query times are medians of warm runs (the first run of a query plans it); the "
    "embedded rows call each analysis function on the pre-built networkx graph, so each "
    "includes its own `prepare` (R1/R2) pass."
)


def render_report(
    res: Results, opts: Any, machine: dict[str, str], table: str, goals: list[Goal], elapsed: float
) -> str:
    """The whole report (``opts``: the run's :class:`bench.session.Options`)."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m bench.run` (see `bench/README.md` for what each row means). "
        "Do not edit by hand: run the benchmark again.",
        "",
        "## Machine",
        "",
        *(f"- **{k}**: {v}" for k, v in machine.items()),
        "",
        "## Command",
        "",
        "```",
        "python -m bench.run " + " ".join(opts.argv),
        "```",
        "",
        f"Sizes: {', '.join(f'{s:,}' for s in res.sizes)} contracts (generated, seed "
        f"{opts.seed}); {res.repeat} repetition(s) per size, medians shown (`n=` marks a "
        "cell with fewer samples). In every repetition our load, `LOAD CSV` and rdflib-neo4j run "
        "one after the other in an order that rotates, each from an empty register; the embedded "
        "and Neo4j analyses alternate the same way. Wall time of the whole run: "
        f"{elapsed / 60:.1f} min.",
        "",
        "## Results",
        "",
        table,
        "",
        "## Goals",
        "",
        *(f"- {MARK[g.ok]} **{g.text}** — {g.detail}" for g in goals),
        "",
        "## Checks and notes",
        "",
    ]
    lines.extend(f"- {c}" for c in checks(res, opts))
    if res.problems:
        lines += ["", "## Problems", ""]
        lines.extend(f"- {p}" for p in res.problems)
    return "\n".join(lines) + "\n"


def checks(res: Results, opts: Any) -> list[str]:
    """The "Checks and notes": the run's checks, what was extrapolated, skipped or stopped."""
    found = list(res.checks)
    for size in res.sizes:
        found.extend(_rdflib_notes(res, opts, size))
    for size in res.sizes:
        if res.noted(size, "cli.replace", "> "):
            found.append(_replace_stopped(res, opts, size))
    found.append(PEAK_RSS_GNU_TIME if has_gnu_time() else PEAK_RSS_PSUTIL)
    found.append(WARM_QUERIES)
    return found


def _rdflib_notes(res: Results, opts: Any, size: int) -> list[str]:
    notes = []
    note = res.notes.get((size, "load.rdflib"))
    extrapolated = (note or "").startswith("extrapolated")
    if extrapolated:
        notes.append(
            f"rdflib-neo4j at {size:,} contracts was **extrapolated**, not measured to the end: "
            f"{note}. Its MERGE cost grows with the database, so the true time is likely higher."
        )
    runs = res.count(size, "load.rdflib")
    if runs and runs < res.repeat and not extrapolated:
        notes.append(
            f"rdflib-neo4j at {size:,} contracts ran {runs} time(s) (its time budget per size is "
            f"{opts.rdflib_budget:.0f} s; a later repetition starts only while it lasts)."
        )
    return notes


def _replace_stopped(res: Results, opts: Any, size: int) -> str:
    fresh = res.median(size, "cli.load")
    return (
        f"✘ Replacing a loaded register of {size:,} contracts with `sourcing-graph load` "
        f"did not finish in {opts.replace_timeout:.0f} s"
        + (f" (into an empty register: {fmt(fresh, 's')})" if fresh else "")
        + ". The old register is deleted and the new one written in one transaction; "
        "after a large delete, every index operation later in that transaction gets "
        "slower in proportion to the nodes deleted, so the replacement grows "
        "quadratically. Not a goal of this benchmark, but a limit users meet."
    )
