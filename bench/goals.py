"""The benchmark's goals, checked against the results at 100k (or the largest size measured)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.results import Results, ratio
from bench.table import GROWTH_KEYS, fmt, growth_pairs, size_name
from sourcing_graph.graph.analyses import ANALYSES

GOAL_SIZE = 100_000
MARK = {True: "✔", False: "✘", None: "–"}


@dataclass
class Goal:
    """One goal: what it asks, whether it is met (None: not measured), and the numbers."""

    text: str
    ok: bool | None
    detail: str


def evaluate_goals(res: Results) -> list[Goal]:
    """Every goal, in the report's order."""
    big = GOAL_SIZE if GOAL_SIZE in res.sizes else max(res.sizes)
    at = "" if big == GOAL_SIZE else f" (evaluated at {big:,}: the goal is for {GOAL_SIZE:,})"
    ours_loadcsv = ratio("load.ours", "load.loadcsv")(res, big)
    goals = [
        limit_goal("our load ≤ 1.5× LOAD CSV at 100k", ours_loadcsv, 1.5, "{:.2f}×".format, at),
        rdflib_goal(res, big, at),
        per_analysis_goal(res, big, at, "neo", 1.0),
        per_analysis_goal(res, big, at, "emb", 2.0),
        limit_goal(
            "a what-if of 10 changes at 100k < 10 s embedded",
            res.median(big, "emb.whatif"),
            10,
            lambda v: fmt(v, "s"),
            at,
        ),
        limit_goal(
            "analyze embedded at 100k < 30 s end to end",
            res.median(big, "cli.analyze"),
            30,
            lambda v: fmt(v, "s"),
            at,
        ),
        limit_goal(
            "analyze embedded at 100k: peak RSS < 2 GB",
            res.median(big, "cli.analyze.rss"),
            2048,
            lambda v: fmt(v, "MB"),
            at,
        ),
    ]
    return goals + growth_goals(res)


def limit_goal(
    text: str, value: float | None, limit: float, show: Callable[[float], str], at: str
) -> Goal:
    """``value`` at most ``limit``, with the margin either way."""
    if value is None:
        return Goal(text, None, f"not measured{at}")
    ok = value <= limit
    margin = (limit / value) if ok and value else (value / limit)
    how = f"{margin:.2f}× under the limit" if ok else f"{margin:.2f}× over the limit"
    return Goal(text, ok, f"{show(value)} vs ≤ {show(limit)}: {how}{at}")


def rdflib_goal(res: Results, big: int, at: str) -> Goal:
    """Our load at least ten times faster than rdflib-neo4j (the other sizes and ``LOAD CSV``
    beside it, for scale)."""
    text = "≥ 10× faster than rdflib-neo4j"
    speed = ratio("load.rdflib", "load.ours")(res, big)
    if speed is None:
        return Goal(text, None, f"not measured{at}")
    ok = speed >= 10
    note = (
        " (rdflib-neo4j time extrapolated)" if res.noted(big, "load.rdflib", "extrapolated") else ""
    )
    others = ", ".join(
        f"{size_name(s)}: {v:.1f}×"
        for s in res.sizes
        if s != big and (v := ratio("load.rdflib", "load.ours")(res, s)) is not None
    )
    detail = (
        f"{speed:.1f}× faster{note}; {'met' if ok else 'missed'}: {speed / 10:.2f}× of the target"
    )
    if others:
        detail += f" (other sizes: {others})"
    context = ratio("load.rdflib", "load.loadcsv")(res, big)
    if context is not None:
        detail += (
            f"; for scale, the hand-written `LOAD CSV` is {context:.1f}× faster than rdflib-neo4j"
        )
    return Goal(text, ok, detail + at)


def per_analysis_goal(res: Results, big: int, at: str, prefix: str, limit: float) -> Goal:
    """Each analysis (R3-R15) under ``limit`` seconds (``prefix``: ``neo`` or ``emb``); the
    helpers and other queries are reported beside the verdict, not counted in it."""
    text = f"each analysis < {limit:.0f} s {'on Neo4j' if prefix == 'neo' else 'embedded'} at 100k"
    analyses = [a.query_name for a in ANALYSES.values()]
    times = _analysis_times(res, big, prefix)
    counted = {k: v for k, v in times.items() if k in analyses} if analyses else times
    if not counted:
        return Goal(text, None, f"not measured{at}")
    worst = max(counted, key=lambda k: counted[k])
    slow = sorted(k for k, v in counted.items() if v >= limit)
    detail = f"slowest of R3-R15: {worst} {fmt(counted[worst], 's')}"
    if slow:
        detail += f"; over {limit:.0f} s: " + ", ".join(
            f"{k} ({fmt(counted[k], 's')})" for k in slow
        )
        detail += f" — {counted[worst] / limit:.2f}× over"
    else:
        detail += f" — {limit / counted[worst]:.1f}× under"
    others = {k: v for k, v in times.items() if k not in counted}
    if others:
        detail += (
            "; not counted (R1/R2 helpers and other named queries, per-contract listings): "
            + ", ".join(
                f"{k} {fmt(v, 's')}" + (" ✘" if v >= limit else "")
                for k, v in sorted(others.items())
            )
        )
    if prefix == "emb":
        detail += f"; graph pre-built (build {fmt(res.median(big, 'emb.build'), 's')}, once)"
    return Goal(text, not slow, detail + at)


def _analysis_times(res: Results, big: int, prefix: str) -> dict[str, float]:
    """The median of every query or analysis under ``prefix`` at ``big``, by name."""
    times: dict[str, float] = {}
    for s, k in res.samples:
        name = k.split(".", 1)[1] if k.startswith(prefix + ".") else None
        if s == big and name is not None and name not in ("build", "prepare", "analyze", "whatif"):
            value = res.median(big, k)
            if value is not None:
                times[name] = value
    return times


def growth_goals(res: Results) -> list[Goal]:
    """Reading, validating and loading grow at most 1.2× as fast as the size (10k to 100k)."""
    pairs = growth_pairs(res)
    pair = next((p for p in pairs if p == (10_000, 100_000)), pairs[-1] if pairs else None)
    goals = []
    for key, label in GROWTH_KEYS[:3]:
        text = f"100k run ≤ 12× the 10k run: {label}"
        if pair is None:
            goals.append(Goal(text, None, "not evaluated (needs two sizes)"))
            continue
        a, b = res.median(pair[0], key), res.median(pair[1], key)
        limit = 1.2 * pair[1] / pair[0]
        where = (
            ""
            if pair == (10_000, 100_000)
            else f" (evaluated {size_name(pair[1])} / {size_name(pair[0])}: limit 1.2 × the size ratio)"
        )
        if a is None or b is None or not a:
            goals.append(Goal(text, None, "not measured" + where))
            continue
        growth = b / a
        ok = growth <= limit
        margin = f"{limit / growth:.2f}× under" if ok else f"{growth / limit:.2f}× over"
        goals.append(
            Goal(
                text,
                ok,
                f"{growth:.1f}× ({fmt(a, 's')} → {fmt(b, 's')}) vs ≤ {limit:.0f}×: {margin}{where}",
            )
        )
    return goals
