"""A DORA Register of Information package on disk: a ``.zip`` or folder of ``reports/b_XX.XX.csv``.

The templates sit under ``reports/``, often below one top folder, next to
``META-INF/reportPackage.json``.
"""

from __future__ import annotations

import os
import re
import zipfile
from contextlib import ExitStack

from sourcing_graph.loaders.sources import (
    READ_ERRORS,
    RegisterSource,
    file_opener,
    member_opener,
)

__all__ = ["FILING_INDICATORS", "find_package", "is_dora_package"]

FILING_INDICATORS = "filingindicators"
"""The key of ``reports/FilingIndicators.csv`` among a package's files."""

_TEMPLATE_FILE = re.compile(r"^(b_\d\d\.\d\d|FilingIndicators)\.csv$", re.IGNORECASE)
_MEMBER = re.compile(
    r"^(?P<root>(?:[^/]+/)?)(?:reports/(?P<template>b_\d\d\.\d\d|FilingIndicators)\.csv"
    r"|META-INF/reportPackage\.json)$",
    re.IGNORECASE,
)


def _folder_root(path: str) -> str | None:
    """The folder of a package holding ``reports/`` (the path itself or one folder below)."""
    candidates = [path]
    try:
        candidates += sorted(e.path for e in os.scandir(path) if e.is_dir())
    except OSError:
        return None
    for root in candidates:
        reports = os.path.join(root, "reports")
        if os.path.isfile(os.path.join(root, "META-INF", "reportPackage.json")) or any(
            os.path.isfile(os.path.join(reports, f"b_{t}.csv")) for t in ("05.01", "02.02")
        ):
            return root
    return None


def is_dora_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` (a folder or a ``.zip``) is a DORA Register of Information package."""
    path = os.fspath(path)
    if os.path.isdir(path):
        return _folder_root(path) is not None
    if not os.path.isfile(path) or not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return any(_MEMBER.match(name) for name in archive.namelist())
    except READ_ERRORS:  # a damaged zip: the register reader says what is wrong with it
        return False


def find_package(path: str, stack: ExitStack) -> dict[str, RegisterSource]:
    """The template files of a package: ``{"b_02.02": source, ...}`` (lower-case template), and
    its filing indicators (:data:`FILING_INDICATORS`).

    A zip stays open until ``stack`` closes.
    """
    found: dict[str, RegisterSource] = {}
    if os.path.isdir(path):
        root = _folder_root(path)
        reports = os.path.join(root or path, "reports")
        if os.path.isdir(reports):
            for entry in sorted(os.scandir(reports), key=lambda e: e.name):
                if entry.is_file() and _TEMPLATE_FILE.match(entry.name):
                    name = entry.name.lower()[:-4]
                    found[name] = RegisterSource(
                        name, entry.path, entry.name, file_opener(entry.path), entry.stat().st_size
                    )
        return found
    archive = stack.enter_context(zipfile.ZipFile(path))
    roots = {m["root"] for n in archive.namelist() if (m := _MEMBER.match(n))}
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        match = _MEMBER.match(info.filename)
        if match and match["template"] and len(roots) <= 1:
            name = match["template"].lower()
            found[name] = RegisterSource(
                name,
                f"{path}!{info.filename}",
                info.filename,
                member_opener(archive, info),
                info.file_size,
            )
    return found
