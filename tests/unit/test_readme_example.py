"""The README's Python example runs as written on every kind of register: a CSV folder, a DORA
package (folder and zip) and RDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcing_graph.graph.registry import DORA_ANALYSES
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.rdf import write_rdf
from sourcing_graph.views.network import View
from tests.support import ROOT
from tests.support.dora import PACKAGE, zip_package

EXAMPLE_PATH = "examples/gemeente-waterland"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    [code] = [c for c in re.findall(r"```python\n(.*?)```", text, re.DOTALL) if "read_any(" in c]
    assert f'"{EXAMPLE_PATH}"' in code
    return code


@pytest.mark.parametrize("kind", ["csv", "dora", "dora-zip", "rdf"])
def test_the_readme_python_example_runs(kind: str, tmp_path: Path) -> None:
    if kind == "csv":
        register = ROOT / EXAMPLE_PATH
    elif kind == "dora":
        register = PACKAGE
    elif kind == "dora-zip":
        register = zip_package(PACKAGE, tmp_path / "roi.zip")
    else:
        register = tmp_path / "register.ttl"
        with register.open("w", encoding="utf-8") as fh:
            write_rdf(read_any(ROOT / EXAMPLE_PATH), fh, "turtle")
    code = readme_example().replace(f'"{EXAMPLE_PATH}"', repr(str(register)))
    *body, last = code.strip().splitlines()
    namespace: dict[str, object] = {}
    exec("\n".join(body), namespace)  # noqa: S102 - the README's own code
    view = eval(last.split("#")[0], namespace)  # noqa: S307 - the README's own last line
    assert isinstance(view, View) and "<html" in view.to_html().lower()
    assert namespace["result"]["concentration"] is not None  # type: ignore[index]
    if kind.startswith("dora"):  # D1-D5 in the result, and the view's DORA face (no overlay)
        assert set(DORA_ANALYSES) <= set(namespace["result"])  # type: ignore[arg-type]
        assert [kind for kind, _ in view.graph.notes] == ["dora", "overlay"]
