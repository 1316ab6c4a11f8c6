"""Memory and time of reading large registers, and the time to an error deep inside one.

Run from the repository root::

    python -m bench.memory --sizes 100000,1000000 [--workdir /tmp/sg-memory] [--load]

For each size it writes a generated register (``bench.generate``, seed 42; kept in ``--workdir``
when given, so a second run skips it) and measures, each in a fresh process:

- ``sourcing-graph validate``: wall time and peak RSS (GNU time ``%M`` when ``/usr/bin/time``
  exists, otherwise psutil polling; see ``bench.measure.run_measured``);
- the model's own share: RSS after ``read_register`` minus RSS before it (imports and ontology
  loaded, garbage collected both times), and the peak during the read;
- the interpreter, imports and ontology alone: ``validate`` of the 12-contract example;
- a copy of the register whose contracts file has one bad mode 10 rows before the end:
  ``validate`` (exit 1, wall time to the message) and, with ``--load`` and ``NEO4J_URI`` set,
  ``sourcing-graph load`` (the same, plus connecting; nothing is written).

It prints a Markdown table (docs/robustness.md quotes one).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.measure import cli_command, run_measured

ROOT = Path(__file__).resolve().parent.parent
MODEL_SHARE = """
import gc, resource, sys, psutil
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.values import default_rules
default_rules()
process = psutil.Process()
gc.collect()
before = process.memory_info().rss
register = read_register(sys.argv[1])
gc.collect()
after = process.memory_info().rss
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(before, after, peak, len(register.contracts))
"""


def ensure_register(size: int, folder: Path, seed: int) -> Path:
    if not (folder / "contracts.csv").exists():
        subprocess.run(
            [sys.executable, "-m", "bench.generate", str(size), str(folder), "--seed", str(seed)],
            check=True,
            cwd=ROOT,
        )
    return folder


def with_bad_mode(source: Path, target: Path) -> tuple[Path, int]:
    """A copy of ``source`` whose contracts file has the mode ``partnership`` 10 rows before the
    end; returns the copy and the line of the bad row."""
    target.mkdir(parents=True, exist_ok=True)
    for file in source.glob("*.csv"):
        if file.name != "contracts.csv":
            shutil.copy(file, target / file.name)
    with (source / "contracts.csv").open("rb") as fh:
        lines = sum(1 for _ in fh)
    bad_line = lines - 10
    with (
        (source / "contracts.csv").open(encoding="utf-8", newline="") as src,
        (target / "contracts.csv").open("w", encoding="utf-8", newline="") as out,
    ):
        for number, line in enumerate(src, start=1):
            if number == bad_line:
                cells = line.split(",")
                cells[3] = "partnership"  # the mode column of the canonical files
                line = ",".join(cells)
            out.write(line)
    return target, bad_line


def mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--load", action="store_true", help="also time `load` to the deep error")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sg-memory-"))
    cli = cli_command()
    env = dict(os.environ)

    baseline = run_measured([*cli, "validate", str(ROOT / "examples" / "acme-retail")], env)
    rows: list[tuple[str, list[str]]] = [
        ("interpreter, imports and ontology (`validate` of the 12-contract example)", [])
    ]
    table: dict[str, list[str]] = {}
    for size in sizes:
        folder = ensure_register(size, workdir / f"register-{size}", args.seed)
        csv_mb = (folder / "contracts.csv").stat().st_size / 1024 / 1024
        validate = run_measured([*cli, "validate", str(folder)], env)
        share = subprocess.run(
            [sys.executable, "-c", MODEL_SHARE, str(folder)],
            capture_output=True,
            text=True,
            check=True,
        )
        before, after, peak, _ = (int(x) for x in share.stdout.split())
        bad, bad_line = with_bad_mode(folder, workdir / f"register-{size}-bad")
        invalid = run_measured([*cli, "validate", str(bad)], env)
        found = f"line {bad_line:,}" in invalid.stderr or f":{bad_line}:4:" in invalid.stderr
        column = [
            f"{csv_mb:,.0f} MB",
            f"{validate.seconds:.1f} s, {mb(validate.peak_rss_mb)}",
            f"{(after - before) / 2**20:,.0f} MB ({(after - before) / size:,.0f} bytes per contract)",
            f"{peak / 2**20:,.0f} MB",
            f"{invalid.seconds:.1f} s (exit {invalid.returncode}"
            f"{', names the line' if found else ', LINE NOT FOUND'})",
        ]
        if args.load and env.get("NEO4J_URI"):
            load = run_measured([*cli, "load", str(bad), "--no-progress"], env)
            column.append(f"{load.seconds:.1f} s (exit {load.returncode})")
        table[f"{size:,}"] = column
    labels = [
        "contracts.csv",
        "`sourcing-graph validate`: wall, peak RSS",
        "the model's share (RSS after `read_register` − before)",
        "peak RSS of `read_register` (imports included)",
        "`validate` with a bad mode 10 rows before the end: time to the error",
    ]
    if args.load and env.get("NEO4J_URI"):
        labels.append("`load` of that register: time to the error (nothing written)")
    print(f"| | {' | '.join(table)} |")
    print(f"|---|{'---|' * len(table)}")
    print(f"| {rows[0][0]} | {' | '.join(mb(baseline.peak_rss_mb) for _ in table)} |")
    for i, label in enumerate(labels):
        print(f"| {label} | {' | '.join(col[i] for col in table.values())} |")
    print(f"\nregisters in {workdir}")


if __name__ == "__main__":
    main()
