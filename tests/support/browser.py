"""Drive Debian's headless Chromium with Playwright: open one local file with the network cut off.

Every request other than the page's own ``file://`` URL is blocked and recorded; console errors and
uncaught exceptions are collected. The tests then assert that nothing was requested and nothing
failed.

Chromium is Debian's package at ``/usr/bin/chromium`` (``playwright install`` cannot download a
browser here). When it is missing the tests skip, or fail when ``CI=true`` (``scripts/test``
installs it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.browser import CHROMIUM_FLAGS  # the benchmark's headless, offline-friendly flags
from tests.support import IN_CI


def chromium_path() -> str | None:
    """The Chromium executable, or None."""
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_chromium() -> str:
    """The Chromium path; skips the test (fails it when ``CI=true``) when there is none."""
    path = chromium_path()
    if path is None:
        message = "headless Chromium is needed: apt-get install -y chromium (scripts/test does)"
        if IN_CI:
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - the test extra installs it
        if IN_CI:
            pytest.fail("CI=true and the playwright package is missing", pytrace=False)
        pytest.skip("the playwright package is needed (pip install -e .[test])")
    return path


@dataclass
class PageRecord:
    """What a page did: requests it tried (and we blocked), console errors, page errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request: {u}" for u in self.blocked]
            + [f"console: {m}" for m in self.console_errors]
            + [f"pageerror: {m}" for m in self.page_errors]
        )


class Browser:
    """One Chromium for several pages (``with Browser() as b: with b.open(path) as (page, rec)``)."""

    def __init__(self, executable: str | None = None) -> None:
        self.executable = executable or require_chromium()
        self._pw: Any = None
        self._browser: Any = None

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=self.executable, args=CHROMIUM_FLAGS, headless=True
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    @contextmanager
    def open(
        self,
        path: Path,
        *,
        width: int = 1400,
        height: int = 900,
        wait_ready: bool = True,
        timeout_ms: int = 60_000,
        init_script: str | None = None,
    ) -> Iterator[tuple[Any, PageRecord]]:
        """Open ``path`` offline; yields (page, record). Waits for ``window.sourcingGraph.ready``.
        ``init_script`` runs in the page before its own scripts (Playwright's, not the page's CSP)."""
        url = Path(path).resolve().as_uri()
        record = PageRecord()
        context = self._browser.new_context(
            viewport={"width": width, "height": height},
            device_scale_factor=1,
            service_workers="block",
            java_script_enabled=True,
        )

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                record.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        if init_script is not None:
            page.add_init_script(init_script)
        page.on(
            "console",
            lambda m: record.console_errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: record.page_errors.append(str(e)))
        page.on("request", lambda r: _note(record, url, r.url))
        try:
            page.goto(url, wait_until="load", timeout=timeout_ms)
            if wait_ready:
                page.wait_for_function(
                    "() => window.sourcingGraph && window.sourcingGraph.ready === true",
                    timeout=timeout_ms,
                )
            yield page, record
        finally:
            context.close()


def _note(record: PageRecord, own: str, requested: str) -> None:
    """Record a request the route did not see (``data:`` is inline, not a request to anywhere)."""
    if requested != own and not requested.startswith("data:") and requested not in record.blocked:
        record.blocked.append(requested)


def canvas_ink(page: Any) -> int:
    """How many pixels of the network canvas are not (almost) white."""
    return int(
        page.evaluate(
            """() => {
              const c = document.querySelector('#sg-network canvas');
              if (!c) return -1;
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let ink = 0;
              for (let i = 0; i < d.length; i += 16) {
                if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++;
              }
              return ink;
            }"""
        )
    )
