"""Measurements that run in a fresh interpreter (a clean heap, as a user's process has).

:func:`measure_in_worker` runs ``python -m bench.worker read|embedded FOLDER``, which prints one
JSON line: ``{"seconds": {key: seconds}, "failed": {key: message}}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bench.measure import run_measured, timer
from bench.session import Session
from bench.whatif import AS_OF, what_if_embedded
from sourcing_graph.loaders.csv_reader import read_register

ROOT = Path(__file__).resolve().parent.parent


def measure_in_worker(session: Session, size: int, task: str, folder: Path) -> None:
    """Run ``task`` on ``folder`` in a fresh interpreter and record what it measured."""
    res = session.res
    key = "read" if task == "read" else "emb.analyze"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = run_measured([sys.executable, "-m", "bench.worker", task, str(folder)], env=env)
    if proc.returncode != 0:
        tail = proc.last_error_line()
        res.failed(size, key, f"{task} worker: {tail}", tail[:120])
        session.log(f"{task} worker failed: {tail}")
        return
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for name, seconds in result.get("seconds", {}).items():
        res.add(size, name, seconds)
    for name, text in result.get("failed", {}).items():
        res.failed(size, name, f"{name}: {text}", text[:120])
    if task == "read":
        session.record_rss(size, "read.rss", proc)


def read(folder: str) -> tuple[dict[str, float], dict[str, str]]:
    """``read_register`` (the imports are done before the clock starts)."""
    with timer() as t:
        read_register(folder)
    return {"read": t[0]}, {}


def analyses_embedded(folder: str) -> tuple[dict[str, float], dict[str, str]]:
    """Read (not timed), ``to_networkx`` once, ``prepare``, every embedded analysis and helper on
    the pre-built graph, ``analyze`` (all of them, graph build included) and a what-if of ten
    changes (both analyses and graph builds included)."""
    # imported for this task only: the peak RSS of the ``read`` task leaves the engines out
    from sourcing_graph.graph import embedded
    from sourcing_graph.graph.analyses import ANALYSES, HELPERS, analyze
    from sourcing_graph.graph.embedded import to_networkx
    from sourcing_graph.ontology.rules import load_rules

    seconds: dict[str, float] = {}
    failed: dict[str, str] = {}
    rules = load_rules()
    register = read_register(folder)
    with timer() as t:
        graph = to_networkx(register)
    seconds["emb.build"] = t[0]
    with timer() as t:
        embedded.prepare(graph, rules)
    seconds["emb.prepare"] = t[0]
    for analysis in [*ANALYSES.values(), *HELPERS.values()]:
        key = f"emb.{analysis.query_name}"
        dated = {"as_of": AS_OF} if analysis.dated else {}
        try:
            with timer() as t:
                embedded.FUNCTIONS[analysis.key](graph, rules, **dated)
            seconds[key] = t[0]
        except Exception as exc:
            failed[key] = f"{type(exc).__name__}: {exc}"
    del graph
    with timer() as t:
        analyze(register, rules, as_of=AS_OF)
    seconds["emb.analyze"] = t[0]
    try:
        with timer() as t:
            what_if_embedded(register, rules)
        seconds["emb.whatif"] = t[0]
    except Exception as exc:
        failed["emb.whatif"] = f"{type(exc).__name__}: {exc}"
    return seconds, failed


TASKS = {"read": read, "embedded": analyses_embedded}


def main(argv: list[str]) -> None:
    task, folder = argv
    if task not in TASKS:
        raise SystemExit(f"unknown worker task {task!r}")
    seconds, failed = TASKS[task](folder)
    print(json.dumps({"seconds": seconds, "failed": failed}))


if __name__ == "__main__":
    main(sys.argv[1:])
