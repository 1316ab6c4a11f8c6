"""RDF reading and writing at size: pyoxigraph (today's code) beside the hand-made code it replaced.

Run from the repository root::

    python -m bench.rdf --contracts 100000 --repeat 3 --baseline 1d0ad99 [--out docs/benchmarks.md]

It generates a register (``bench.generate``, seed 42) once and measures, each step in a fresh
Python process: the wall time of the step, the process's RSS just before it (imports and, for
writing, the register loaded) and its peak RSS during the step (the kernel's high-water mark,
reset just before the step; Linux):

- writing Turtle and N-Triples with ``write_rdf`` to a file;
- reading them back into a Register with ``read_rdf`` (both implementations read the same files:
  the ones today's writer wrote);
- ``register_to_rdf`` (the rdflib Graph of the register).

``--baseline REV`` also measures ``loaders/rdf.py`` as it was at that commit (the hand-made
Turtle/N-Triples tokenizer and streaming writer, before pyoxigraph), loaded from ``git show``
under another module name; the implementations alternate within each repetition, their order
rotating. It prints a Markdown section; with ``--out`` it also writes it into that file, replacing
the section it wrote before (between its marker comments) or appending it.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- bench.rdf: start -->"
END = "<!-- bench.rdf: end -->"
FORMATS = {"turtle": "ttl", "nt": "nt"}
STEPS = [("write", "turtle"), ("write", "nt"), ("read", "turtle"), ("read", "nt"), ("graph", "")]


def _rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_peak() -> bool:
    """Start the kernel's peak RSS (VmHWM) afresh (Linux 4.0+), so it is the step's own."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


def _peak_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _implementation(name: str, workdir: Path) -> ModuleType:
    if name == "current":
        from sourcing_graph.loaders import rdf  # only in the child that measures it

        return rdf
    spec = importlib.util.spec_from_file_location("bench_rdf_baseline", workdir / "baseline.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def child(step: str, fmt: str, impl: str, workdir: Path) -> dict[str, Any]:
    """One measured step in this (fresh) process."""
    rdf = _implementation(impl, workdir)
    with open(workdir / "register.pickle", "rb") as handle:
        register = pickle.load(handle)
    target = workdir / f"{impl}.{FORMATS.get(fmt, 'x')}"
    source = workdir / f"current.{FORMATS.get(fmt, 'x')}"
    if step == "read":
        del register  # reading needs only the file
    gc.collect()
    before = _rss_bytes()
    if not _reset_peak():
        raise SystemExit("cannot reset the peak RSS (/proc/self/clear_refs): Linux needed")
    started = time.perf_counter()
    if step == "write":
        rdf.write_rdf(register, target, fmt)
        check = target.stat().st_size
    elif step == "read":
        check = len(rdf.read_rdf(source, fmt).contracts)
    else:
        check = len(rdf.register_to_rdf(register))
    seconds = time.perf_counter() - started
    peak = _peak_bytes()
    return {"seconds": seconds, "peak": peak, "before": before, "check": check}


def _run_child(step: str, fmt: str, impl: str, workdir: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.rdf", "--child", step, fmt, impl, str(workdir)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _prepare(contracts: int, seed: int, baseline: str | None, workdir: Path) -> None:
    pickled = workdir / f"register-{contracts}-{seed}.pickle"
    if not pickled.exists():
        from bench.generate import generate  # start-up time: the children never generate

        with open(pickled, "wb") as handle:
            pickle.dump(generate(contracts, seed), handle, protocol=pickle.HIGHEST_PROTOCOL)
    link = workdir / "register.pickle"
    link.unlink(missing_ok=True)
    link.symlink_to(pickled.name)
    if baseline:
        code = subprocess.run(
            ["git", "show", f"{baseline}:loaders/rdf.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (workdir / "baseline.py").write_text(code, encoding="utf-8")


def measure(opts: argparse.Namespace, workdir: Path) -> dict[tuple[str, str, str], list[dict]]:
    """Samples per (step, format, implementation); the current writer runs first (reads use it)."""
    impls = ["current", "baseline"] if opts.baseline else ["current"]
    samples: dict[tuple[str, str, str], list[dict]] = {}
    for rep in range(opts.repeat):
        for step, fmt in STEPS:
            order = impls if rep % 2 == 0 else impls[::-1]
            for impl in order:
                sample = _run_child(step, fmt, impl, workdir)
                samples.setdefault((step, fmt, impl), []).append(sample)
                if step == "read" and sample["check"] != opts.contracts:
                    raise SystemExit(f"{impl} read {sample['check']} contracts")
                label = f"{step} {fmt}".strip()
                print(
                    f"  rep {rep + 1} {label:<13} {impl:<8} {sample['seconds']:7.2f} s", flush=True
                )
    return samples


def _median(samples: list[dict], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def _mb(value: float) -> str:
    return f"{value / 2**20:,.0f} MB"


def _row(label: str, current: list[dict], baseline: list[dict] | None) -> str:
    cells = [label]
    for samples in (baseline, current):
        if samples is None:
            cells.append("not measured")
            continue
        seconds = _median(samples, "seconds")
        extra = _median([{"x": s["peak"] - s["before"]} for s in samples], "x")
        cells.append(
            f"{seconds:.2f} s (peak RSS {_mb(_median(samples, 'peak'))}, +{_mb(max(extra, 0))})"
        )
    if baseline is not None:
        cells.append(f"{_median(baseline, 'seconds') / _median(current, 'seconds'):.1f}×")
    return "| " + " | ".join(cells) + " |"


def _versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("pyoxigraph", "rdflib"))


def report(
    opts: argparse.Namespace, samples: dict[tuple[str, str, str], list[dict]], meta: dict
) -> str:
    labels = {"write": "write {} to a file", "read": "read {} into a Register", "graph": "{}"}
    names = {"turtle": "Turtle", "nt": "N-Triples", "": "`register_to_rdf` (rdflib Graph)"}
    baseline_name = f"hand-made ({opts.baseline})" if opts.baseline else "hand-made"
    lines = [
        START,
        "## RDF: pyoxigraph beside the hand-made reader and writer",
        "",
        "Written by `python -m bench.rdf --out docs/benchmarks.md` (see its docstring); "
        "`bench.run` rewrites this file, so run it again after that to put this section back.",
        "",
        "```",
        f"python -m bench.rdf --contracts {opts.contracts} --repeat {opts.repeat}"
        + (f" --baseline {opts.baseline}" if opts.baseline else ""),
        "```",
        "",
        f"- **Register**: {opts.contracts:,} contracts (generated, seed {opts.seed}), "
        f"{meta['triples']:,} triples; Turtle {_mb(meta['ttl'])}, N-Triples {_mb(meta['nt'])} "
        "(as today's writer writes them; both readers read these files); N-Triples lines "
        + ", ".join(f"{impl} {n:,}" for impl, n in meta["lines"].items()),
        f"- **Machine**: {meta['machine']}; load average at the start {meta['load_start']}, "
        f"at the end {meta['load_end']}",
        f"- **Libraries**: {_versions()}; Python {platform.python_version()}",
        f"- **Baseline**: `loaders/rdf.py` at {opts.baseline} (its own Turtle/N-Triples tokenizer "
        "and streaming writer), loaded from `git show`; JSON-LD goes through rdflib before and "
        "after, not measured here"
        if opts.baseline
        else "- **Baseline**: none (`--baseline REV` measures the code of a commit beside)",
        f"- **Date**: {meta['date']}; {opts.repeat} repetitions, each step in a fresh process, "
        "medians shown; peak RSS of the process during the step (+ how far it rose above the "
        "RSS before the step)",
        "",
        f"| step | {baseline_name} | pyoxigraph (today) | hand-made ÷ pyoxigraph |",
        "|---|---:|---:|---:|",
    ]
    for step, fmt in STEPS:
        current = samples[(step, fmt, "current")]
        baseline = samples.get((step, fmt, "baseline"))
        lines.append(_row(labels[step].format(names[fmt]), current, baseline))
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str, start: str = START, end: str = END) -> None:
    """Put ``section`` into the Markdown file: in place of the one written before (between the
    markers ``start`` and ``end``), or at the end."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def _machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{model}, {os.cpu_count()} logical cores, {memory / 2**30:.1f} GiB RAM"


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rdf", description=__doc__.split("\n")[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--baseline", help="a commit whose loaders/rdf.py to measure beside")
    parser.add_argument("--workdir", type=Path, help="keep the register and files here")
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:
        step, fmt, impl, workdir = opts.child
        print(json.dumps(child(step, fmt, impl, Path(workdir))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-rdf-") as tmp:
        workdir = opts.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        meta: dict[str, Any] = {"load_start": _load(), "machine": _machine()}
        meta["date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        _prepare(opts.contracts, opts.seed, opts.baseline, workdir)
        samples = measure(opts, workdir)
        meta["load_end"] = _load()
        meta["ttl"] = (workdir / "current.ttl").stat().st_size
        meta["nt"] = (workdir / "current.nt").stat().st_size
        meta["triples"] = samples[("graph", "", "current")][0]["check"]
        meta["lines"] = {
            impl: (workdir / f"{impl}.nt").read_bytes().count(b"\n")
            for impl in ("current", "baseline")
            if (workdir / f"{impl}.nt").exists()
        }
        section = report(opts, samples, meta)
    print(section)
    if opts.out:
        write_section(opts.out, section)


if __name__ == "__main__":
    main()
