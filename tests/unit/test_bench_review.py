"""The review benchmark's scenario: ten changes written as a scenario file that the whatif
command reads and answers embedded (the command as the benchmark runs it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.generate import generate, write_register
from bench.review import write_scenario
from bench.whatif import AS_OF, ten_changes
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.scenario import read_scenario


def test_ten_changes_round_trip_and_run_embedded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = write_register(generate(300, seed=7), tmp_path / "register")
    register = read_register(folder)
    changes = ten_changes(register)
    scenario = tmp_path / "ten.csv"
    write_scenario(changes, scenario)
    assert read_scenario(scenario, register) == changes
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    cmd = [sys.executable, "-m", "sourcing_graph", "whatif", str(folder), str(scenario)]
    cmd += ["--engine", "embedded", "--format", "json", "--as-of", AS_OF.isoformat()]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"before", "after", "delta"}
    assert out["before"]["as_of"] == AS_OF.isoformat()
    assert out["before"] != out["after"]
