"""Test data for the DORA reader: the hand-made package, zipping it, editing copies of it."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from tests.support import DATA

PACKAGE = DATA / "dora" / "bank-roi"
"""A hand-made, consistent DORA Register of Information (see tests/data/dora/README.md)."""
OVERLAY = DATA / "dora" / "bank-roi-overlay"
EBA_SAMPLE = (
    DATA
    / "registers"
    / "foreign"
    / "DUMMYLEI123456789012.CON_FR_DORA010100_DORA_2024-12-31_20241213174803429.zip"
)
"""The EBA's own sample package (random values, dangling references); see
tests/data/registers/README.md."""


def zip_package(
    folder: Path, target: Path, top: str = "LEI-BANK-HOLDING.CON_FR_DORA010100"
) -> Path:
    """Zip a package folder as the EBA does: every file under one top folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return target


def copy_package(tmp_path: Path, name: str = "package") -> Path:
    """A copy of the hand-made package to edit."""
    return Path(shutil.copytree(PACKAGE, tmp_path / name))


def add_rows(package: Path, template: str, *rows: str) -> None:
    """Append CSV lines to a template of a package copy (``template`` like ``b_02.02``)."""
    path = package / "reports" / f"{template}.csv"
    with path.open("a", encoding="utf-8", newline="") as fh:
        for row in rows:
            fh.write(row + "\n")


def replace_in(package: Path, template: str, old: str, new: str) -> None:
    path = package / "reports" / f"{template}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, (template, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
