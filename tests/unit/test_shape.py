"""The shape of the package's code (not the SHACL shapes: those are test_shapes.py): no module over
600 non-blank lines, no function over 80 lines, every import inside a function says why, and no
import cycle.

The package's folders are read from ``[tool.setuptools.package-dir]`` in pyproject.toml, so a new
package is checked without being listed here. ruff adds a ceiling on complexity, branches and
statements per function (``C901``, ``PLR0912``, ``PLR0915`` in pyproject.toml).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests.support import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (tomli is a dependency there)
    import tomli as tomllib

MAX_MODULE_LINES = 600
"""Non-blank lines of a module (most stay under 400)."""
MAX_FUNCTION_LINES = 80
"""Lines of a function, from ``def`` to its last line, docstring included."""

LONG_MODULES: dict[str, str] = {}
"""Modules allowed over the limit, as ``path: reason``; only for data tables (none today)."""
LONG_FUNCTIONS: dict[str, str] = {}
"""Functions allowed over the limit, as ``path:name: reason``; only for data tables (none
today)."""


def package_modules() -> list[Path]:
    """Every module of the package ``sourcing_graph``, wherever its folder is."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    folders = config["tool"]["setuptools"]["package-dir"].values()
    return sorted({p for folder in folders for p in (ROOT / folder).glob("*.py")})


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _is_import(line: str) -> bool:
    return line.startswith(("import ", "from ")) and " import " in f" {line} "


def _has_reason(lines: list[str], number: int) -> bool:
    """Whether the import on line ``number`` (1-based) says why: a comment on its line, or on the
    line above it or above the block of imports it belongs to."""
    if "#" in lines[number - 1]:
        return True
    above = number - 2
    while above >= 0 and _is_import(lines[above].strip()):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_the_check_sees_the_package() -> None:
    names = {_name(p) for p in package_modules()}
    for expected in ("core/model.py", "core/cli/__init__.py", "graph/engine.py", "views/report.py"):
        assert expected in names
    assert len(names) > 80


def test_no_module_over_600_non_blank_lines() -> None:
    too_long = []
    for path in package_modules():
        text = path.read_text(encoding="utf-8")
        count = sum(1 for line in text.splitlines() if line.strip())
        if count > MAX_MODULE_LINES and _name(path) not in LONG_MODULES:
            too_long.append(f"{_name(path)}: {count} non-blank lines")
    assert not too_long, "\n".join(too_long)


def test_no_function_over_80_lines() -> None:
    too_long = []
    for path in package_modules():
        for func in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            length = (func.end_lineno or func.lineno) - func.lineno + 1
            where = f"{_name(path)}:{func.name}"
            if length > MAX_FUNCTION_LINES and where not in LONG_FUNCTIONS:
                too_long.append(f"{where} (line {func.lineno}): {length} lines")
    assert not too_long, "\n".join(too_long)


def test_every_import_inside_a_function_says_why() -> None:
    """An import inside a function is for an optional dependency or start-up time, and says so."""
    silent = []
    for path in package_modules():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for func in _functions(ast.parse(text)):
            for node in ast.walk(func):
                is_import = isinstance(node, ast.Import | ast.ImportFrom)
                if is_import and not _has_reason(lines, node.lineno):
                    silent.append(f"{_name(path)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not silent, "imports inside functions without a reason:\n" + "\n".join(
        sorted(set(silent))
    )


def test_tests_take_their_helpers_from_tests_support() -> None:
    """A test module imports no other test module (nor ``conftest``): what tests share is in
    ``tests/support``."""
    wrong = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "conftest" or (
                    parts[0] == "tests" and len(parts) > 1 and parts[1] != "support"
                ):
                    wrong.append(f"{_name(path)}:{node.lineno}: {module}")
    assert not wrong, "\n".join(wrong)


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(imports.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle() -> None:
    """No two modules of the installed package import each other, directly or through others, at
    run time (inside functions too); an import only for type checking does not run."""
    import grimp  # import-linter's import graph: only this test needs it

    graph = grimp.build_graph("sourcing_graph", cache_dir=None, exclude_type_checking_imports=True)
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert len(imports) > 80
    assert _cycles(imports) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e", "d"}}
    assert _cycles(imports) == [["a", "b", "c"]]


def test_the_import_check_finds_a_silent_import() -> None:
    lines = ["def f():", "    x = 1", "    import json", "    # start-up time", "    import csv"]
    assert not _has_reason(lines, 3)
    assert _has_reason(lines, 5)
    assert _has_reason(["def f():", "    import json  # optional"], 2)
    assert _has_reason(["    # optional: pyshacl", "    import pyshacl", "    import owlrl"], 3)
