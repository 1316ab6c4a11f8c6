"""Resource limits of the register readers: how many rows, how long a cell, how large a file.

A register beyond a limit is refused with a clear message (file, line, the limit) before anything
is loaded; the problem names the limit it concerns (``Problem.setting``: ``"max_rows"``, ...). The
defaults are far above real registers (a large organisation has some tens of thousands of
contracts) and keep the reader's memory bounded:

- ``max_rows`` (2,000,000 per file): the model holds every contract; at about 0.7 KB each
  (measured, ``bench/memory.py``), two million contracts need about 1.5 GB, still workable on an
  ordinary laptop;
- ``max_field_chars`` (1,000,000 characters per cell; a physical line may hold four times that):
  a real cell holds at most a few hundred characters of notes; Python's ``csv`` module stops at
  131,072 with a cryptic message;
- ``max_file_mb`` (2048 MB per file, uncompressed size for zip members): checked before a byte is
  read, so a huge file or a zip bomb fails at once.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sourcing_graph.errors import Text

EXPECTED: dict[str, Callable[[int], Text]] = {
    "max_rows": lambda n: Text("at most {n:,} rows", n=n),
    "max_field_chars": lambda n: Text("at most {n:,} characters", n=n),
    "max_file_mb": lambda n: Text("at most {n:,} MB", n=n),
}
"""Each limit (a field of :class:`Limits`) and what a problem over it expected, given the limit."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one read runs under (see the module's description for the defaults)."""

    max_rows: int = 2_000_000
    max_field_chars: int = 1_000_000
    max_file_mb: int = 2048

    @property
    def max_line_chars(self) -> int:
        """The longest physical line read: four cells of the longest length."""
        return 4 * self.max_field_chars

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    def file_too_large(self, size: int) -> Text | None:
        """The message for a file of ``size`` bytes over the size limit; None when it is not."""
        if size <= self.max_file_bytes:
            return None
        return Text(
            "the file is too large: {size:,.1f} MB, the limit is {limit:,} MB",
            size=size / 1024 / 1024,
            limit=self.max_file_mb,
        )

    def expected(self, name: str) -> Text:
        """What a problem over the limit ``name`` expected: ``at most 2,000,000 rows``."""
        return EXPECTED[name](getattr(self, name))

    def line_too_long(self) -> Text:
        """The message for a physical line over :attr:`max_line_chars`."""
        return Text(
            "a line longer than {n:,} characters (four times the longest cell allowed)",
            n=self.max_line_chars,
        )

    def cell_too_long(self) -> Text:
        """The message for a cell over :attr:`max_field_chars`."""
        return Text("a cell longer than {n:,} characters", n=self.max_field_chars)

    @contextmanager
    def csv_cells(self) -> Iterator[None]:
        """Python's csv module stops at :attr:`max_field_chars` per cell while this is entered.

        Its field size limit is process-wide: it is set on entry and restored on exit (so
        readers in other threads share it meanwhile).
        """
        previous = csv.field_size_limit(self.max_field_chars)
        try:
            yield
        finally:
            csv.field_size_limit(previous)


def cell_over_limit(exc: csv.Error) -> bool:
    """Whether a csv error says a cell went over the field size limit."""
    return str(exc).startswith("field larger than field limit")
