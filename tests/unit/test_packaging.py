"""``pip install .`` without setuptools warnings: every folder of the package is a listed package
(issue 15: ``sourcing_graph.queries.internal`` was not, and setuptools said so at length)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def setuptools_config() -> dict[str, Any]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = data["tool"]["setuptools"]
    return config


def test_every_folder_of_the_package_is_a_listed_package() -> None:
    config = setuptools_config()
    packages = set(config["packages"])
    package_dir: dict[str, str] = config["package-dir"]
    assert set(package_dir) == packages
    missing = [
        f"{name}.{sub.name}"
        for name, folder in package_dir.items()
        for sub in sorted((ROOT / folder).iterdir())
        if sub.is_dir() and sub.name != "__pycache__" and f"{name}.{sub.name}" not in packages
    ]
    assert missing == []


@pytest.mark.slow
def test_building_the_wheel_prints_no_warning(tmp_path: Path) -> None:
    # build from a copy: an in-tree build leaves build/ and *.egg-info behind
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    for folder in sorted({f.split("/")[0] for f in setuptools_config()["package-dir"].values()}):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    warnings = [
        line
        for line in output.splitlines()
        if "warn" in line.casefold() and "byte-compiling is disabled" not in line
    ]
    assert warnings == []
    assert list(tmp_path.glob("sourcing_graph-*.whl"))
