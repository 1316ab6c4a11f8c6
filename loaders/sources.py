"""The files of a register: a folder, a ``.zip`` (members at any depth) or one CSV file.

A :class:`RegisterSource` says what a file is and how to open its bytes; :data:`READ_ERRORS` is
what opening or reading them may raise (a damaged zip member, a file that vanished, ...).
"""

from __future__ import annotations

import lzma
import os
import zipfile
import zlib
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO

from sourcing_graph.loaders.columns import FILE_NAMES

__all__ = [
    "READ_ERRORS",
    "RegisterSource",
    "Unreadable",
    "file_opener",
    "locate_files",
    "member_opener",
    "read_error_reason",
]


class Unreadable(Exception):
    """A file's bytes cannot be read (an encrypted zip member, ...); the message says why."""


READ_ERRORS = (
    Unreadable,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,  # an unsupported compression method
    OSError,
)
"""What reading a file's bytes may raise: a damaged zip member, a file that vanished, ..."""


def read_error_reason(exc: BaseException) -> str:
    """Why a file could not be read, in a few words (the OS reason when there is one)."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


@dataclass(frozen=True)
class RegisterSource:
    """One CSV file of a register: its kind, the name used in messages, how to open its bytes."""

    kind: str | None
    display: str
    name: str
    open: Callable[[], IO[bytes]]
    size: int = 0
    """The size in bytes (uncompressed, for a zip member), as the file system or zip declares."""


def member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    """How to open a zip member's bytes; an encrypted member raises :class:`Unreadable`."""

    def open_member() -> IO[bytes]:
        if info.flag_bits & 0x1:
            raise Unreadable("the zip member is encrypted (password-protected)")
        return archive.open(info)

    return open_member


def file_opener(path: str) -> Callable[[], IO[bytes]]:
    """How to open a file's bytes (the caller closes them)."""
    return lambda: open(path, "rb")  # noqa: SIM115 - the caller closes it


def locate_files(
    path: str, stack: ExitStack, kind_of_file: Callable[[str], str | None] | None = None
) -> tuple[list[RegisterSource], str]:
    """The CSV files of a register (folder, zip or single file) and what the path is.

    Returns every ``.csv`` file (and any file ``kind_of_file`` gives a kind: a mapping's file
    names), with its kind or None; and ``"folder"``, ``"zip"`` or ``"file"``. A zip stays open
    until ``stack`` closes. Raises OSError / zipfile.BadZipFile when unreadable.
    """
    if os.path.isdir(path):
        return _folder_files(path, kind_of_file), "folder"
    if zipfile.is_zipfile(path) or path.casefold().endswith(".zip"):
        archive = stack.enter_context(zipfile.ZipFile(path))
        return _zip_files(path, archive, kind_of_file), "zip"
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    source = RegisterSource(
        "contracts", path, os.path.basename(path), file_opener(path), os.path.getsize(path)
    )
    return [source], "file"


def _kind(name: str, base: str, kind_of_file: Callable[[str], str | None] | None) -> str | None:
    return (kind_of_file(name) if kind_of_file else None) or FILE_NAMES.get(base.casefold())


def _folder_files(
    path: str, kind_of_file: Callable[[str], str | None] | None
) -> list[RegisterSource]:
    found = []
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if not entry.is_file():
            continue
        kind = _kind(entry.name, entry.name, kind_of_file)
        if kind or entry.name.casefold().endswith(".csv"):
            display = os.path.join(path, entry.name)
            opener = file_opener(entry.path)
            found.append(RegisterSource(kind, display, entry.name, opener, entry.stat().st_size))
    return found


def _zip_files(
    path: str, archive: zipfile.ZipFile, kind_of_file: Callable[[str], str | None] | None
) -> list[RegisterSource]:
    found = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        inner = info.filename
        base = inner.rsplit("/", 1)[-1]
        if not inner or info.is_dir() or "__MACOSX/" in inner or base.startswith("._"):
            continue
        kind = _kind(inner, base, kind_of_file)
        if kind or base.casefold().endswith(".csv"):
            opener = member_opener(archive, info)
            found.append(RegisterSource(kind, f"{path}!{inner}", inner, opener, info.file_size))
    return found
