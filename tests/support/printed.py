"""A page printed the way a person prints it: ``chromium --headless --print-to-pdf`` (no virtual
time, no waiting), and its pages looked at through poppler's ``pdftoppm`` (Debian's
``poppler-utils``; ``scripts/test`` installs it). When ``pdftoppm`` is missing the tests skip, or
fail when ``CI=true``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.browser import CHROMIUM_FLAGS
from tests.support import IN_CI
from tests.support.browser import require_chromium


def require_pdftoppm() -> str:
    """The ``pdftoppm`` path; skips the test (fails it when ``CI=true``) when there is none."""
    path = shutil.which("pdftoppm")
    if path is None:
        message = "pdftoppm is needed: apt-get install -y poppler-utils (scripts/test does)"
        if IN_CI:
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return path


def print_to_pdf(html: Path, pdf: Path) -> bytes:
    """Chromium's own ``--print-to-pdf`` of ``html``, as a user runs it; the PDF's bytes."""
    subprocess.run(
        [
            require_chromium(),
            *CHROMIUM_FLAGS,
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return pdf.read_bytes()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height (points) of every page."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@dataclass(frozen=True)
class Ink:
    """Where one colour is on a page: how many pixels, and from which to which column."""

    pixels: int
    left: int
    right: int
    width: int

    @property
    def span(self) -> float:
        """The share of the page's width between the leftmost and the rightmost such pixel."""
        return (self.right - self.left) / self.width if self.pixels else 0.0


def colour_on_pages(pdf: Path, rgb: tuple[int, int, int], dpi: int = 40) -> list[Ink]:
    """For each page of ``pdf`` rendered at ``dpi``: where the pixels near ``rgb`` are."""
    tool = require_pdftoppm()
    inks = []
    page = 1
    while True:
        done = subprocess.run(
            [tool, "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0 or not done.stdout:
            return inks
        inks.append(_ink(done.stdout, rgb))
        page += 1


def _ink(ppm: bytes, rgb: tuple[int, int, int]) -> Ink:
    """The pixels of a binary PPM (``P6``) within 50 of ``rgb`` in every channel."""
    magic, size, _depth, pixels = ppm.split(b"\n", 3)
    assert magic == b"P6", magic
    width, _height = (int(v) for v in size.split())
    columns = [
        (i // 3) % width
        for i in range(0, len(pixels) - 2, 3)
        if all(abs(pixels[i + k] - rgb[k]) < 50 for k in range(3))
    ]
    if not columns:
        return Ink(0, 0, 0, width)
    return Ink(len(columns), min(columns), max(columns), width)
