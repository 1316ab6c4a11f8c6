"""Resource bounds of the reader: row, cell and file-size limits with clear messages; streaming.
(An error deep inside a large file, found before anything is written to Neo4j (issue 8), is in
tests/integration/test_bad_input_cli.py.)"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcing_graph.cli import with_setting_hint
from sourcing_graph.errors import RegisterError
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.limits import Limits
from tests.support.cli import cli
from tests.support.registers import HEADER, write_contracts


def problem_of(path: Path, **kwargs: object) -> str:
    """The one problem of reading ``path``, as the command line shows it (a problem over a limit
    names the limit, ``setting``; the command line adds its option and variable)."""
    with pytest.raises(
        RegisterError, match=rf"the register has 1 error\(s\)\n{re.escape(str(path))}"
    ) as info:
        read_any(path, **kwargs)  # type: ignore[arg-type]
    assert len(info.value.problems) == 1, info.value
    return str(with_setting_hint(info.value.problems[0]))


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``sourcing-graph ARGS`` (its ``main``, in this process)."""
    return cli(*args, env=env)


# ------------------------------------------------------------------------------ rows


def test_too_many_rows(tmp_path: Path) -> None:
    path = write_contracts(tmp_path / "contracts.csv", 30)
    message = problem_of(path, limits=Limits(max_rows=25))
    assert message.startswith(f"{path}:27:1: error: more than 25 rows")
    assert "raise it with --max-rows or SOURCING_GRAPH_MAX_ROWS" in message
    assert len(read_any(path, limits=Limits(max_rows=30)).contracts) == 30


def test_row_limit_on_the_command_line_and_in_the_environment(tmp_path: Path) -> None:
    path = write_contracts(tmp_path / "reg" / "contracts.csv", 30)
    result = run_cli("validate", str(path.parent), "--max-rows", "10")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}:12:1: error: more than 10 rows" in result.stderr
    env = dict(os.environ, SOURCING_GRAPH_MAX_ROWS="20")
    result = run_cli("validate", str(path.parent), env=env)
    assert result.returncode == 1 and "more than 20 rows" in result.stderr
    result = run_cli("validate", str(path.parent), "--max-rows", "0")
    assert result.returncode == 2 and "--max-rows" in result.stderr  # a usage error


# ------------------------------------------------------------------------------ cells, lines


def test_a_cell_over_the_limit_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "contracts.csv"
    path.write_text(f'{HEADER}C1,acme,K1,trust,,,,\nC2,acme,K1,"{"x" * 2000}",,,,\n')
    message = problem_of(path, limits=Limits(max_field_chars=1000))
    assert message.startswith(f"{path}:3:4: error: a cell longer than 1,000 characters")
    assert "--max-field-chars or SOURCING_GRAPH_MAX_FIELD_CHARS" in message
    assert "field larger than field limit" not in message


@pytest.mark.parametrize(
    ("record", "where"),
    [
        # quoted cells with delimiters, doubled quotes and line breaks before the long one
        ('C2,"a, ""b""\nc",K1,trust,"x\n' + "y" * 1001 + '",,,\n', (4, 5)),
        # text after a closing quote belongs to the cell (the csv module's rule)
        ('C2,acme,"K1"' + "z" * 1000 + ",trust,,,,\n", (3, 3)),
        # a quote inside an unquoted cell is a character of it
        ("C2,acme,K1,trust,,,," + 'a"' * 501 + "\n", (3, 8)),
        # doubled quotes count once: 999 of them plus 2 characters is 1,001
        ('C2,acme,K1,trust,"' + '""' * 999 + 'ab",,,\n', (3, 5)),
    ],
)
def test_the_long_cell_is_named_by_line_and_column(
    tmp_path: Path, record: str, where: tuple[int, int]
) -> None:
    path = tmp_path / "contracts.csv"
    path.write_text(f"{HEADER}C1,acme,K1,trust,,,,\n{record}", newline="")
    message = problem_of(path, limits=Limits(max_field_chars=1000))
    line, column = where
    assert message.startswith(f"{path}:{line}:{column}: error: a cell longer than 1,000 char")


def test_a_long_cell_in_the_header_is_named_too(tmp_path: Path) -> None:
    path = tmp_path / "contracts.csv"
    path.write_text("\n\ncontract_id,supplier;x,lot," + "h" * 2000 + "\nC1,acme,K1,x\n")
    message = problem_of(path, limits=Limits(max_field_chars=1000))
    assert message.startswith(f"{path}:3:4: error: a cell longer than 1,000 characters")


def test_cells_longer_than_the_csv_modules_default_are_read(tmp_path: Path) -> None:
    """Python's csv stops at 131,072 characters; the default limit is 1,000,000."""
    path = tmp_path / "contracts.csv"
    notes = "n" * 500_000
    path.write_text(f"contract_id,supplier,lot,notes\nC1,acme,K1,{notes}\n")
    register = read_any(path)
    assert register.contracts["C1"].extra["notes"] == notes
    assert csv.field_size_limit() == 131_072, "the reader must restore the csv module's limit"
    path.write_text(f'contract_id,supplier,lot,notes\nC1,acme,K1,"{"n" * 1_000_001}"\n')
    assert "a cell longer than 1,000,000 characters" in problem_of(path)


def test_a_file_without_line_breaks_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "contracts.csv"
    path.write_text("contract_id,supplier,lot\n" + "C1,acme,K1," * 100_000)
    message = problem_of(path, limits=Limits(max_field_chars=10_000))
    assert message.startswith(f"{path}:2:1: error: a line longer than 40,000 characters")
    # a quoted cell spanning lines: the physical line over the limit is named, not the record's
    path.write_text('contract_id,supplier,lot,notes\nC1,acme,K1,"a\nb\n' + "c" * 50_000 + '"\n')
    message = problem_of(path, limits=Limits(max_field_chars=10_000))
    assert message.startswith(f"{path}:4:1: error: a line longer than 40,000 characters")
    path.write_text("contract_id," * 100_000)  # the header itself
    limits = Limits(max_field_chars=10)
    assert f"{path}:1:1: error: a line longer than 40 characters" in problem_of(path, limits=limits)


# ------------------------------------------------------------------------------ file size


def test_a_file_over_the_size_limit_fails_before_it_is_read(tmp_path: Path) -> None:
    path = write_contracts(tmp_path / "reg" / "contracts.csv", 20_000)
    size = f"{path.stat().st_size / 1024 / 1024:.1f}"
    message = problem_of(path.parent, limits=Limits(max_file_mb=1))
    assert message.startswith(
        f"{path}:1:1: error: the file is too large: {size} MB, the limit is 1 MB"
    )
    assert "--max-file-mb or SOURCING_GRAPH_MAX_FILE_MB" in message


def test_a_zip_bomb_fails_on_its_declared_size(tmp_path: Path) -> None:
    archive = tmp_path / "register.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("contracts.csv", HEADER + "\n" * (3 * 1024 * 1024))  # 3 MB of line breaks
    assert archive.stat().st_size < 10_000
    message = problem_of(archive, limits=Limits(max_file_mb=2))
    assert message.startswith(f"{archive}!contracts.csv:1:1: error: the file is too large: 3.0 MB")


def test_an_rdf_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "register.ttl"
    path.write_text("# padding\n" * 200_000)
    assert "the file is too large: 1.9 MB" in problem_of(path, limits=Limits(max_file_mb=1))


# ------------------------------------------------------------------------------ streaming


def _peak_rss_mb(path: Path) -> float:
    """Peak RSS of a fresh process reading ``path`` (GNU time measures the child alone)."""
    code = (
        "import resource, sys\n"
        "from sourcing_graph.loaders import read_any\n"
        "read_any(sys.argv[1])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[-1]) / 1024


@pytest.mark.slow
def test_the_reader_streams_a_large_file(tmp_path: Path) -> None:
    """A 120 MB file whose rows carry nothing (blank cells padded with spaces): reading it costs
    no more memory than reading a small file, so the reader never holds the file or its rows."""
    small = write_contracts(tmp_path / "small" / "contracts.csv", 10)
    large = write_contracts(tmp_path / "large" / "contracts.csv", 10)
    padding = ",,," + " " * 6_000 + "\n"
    with large.open("a") as out:
        for _ in range(20_000):
            out.write(padding)
    assert large.stat().st_size > 120_000_000
    grown = _peak_rss_mb(large.parent) - _peak_rss_mb(small.parent)
    assert grown < 40, f"reading 120 MB of blank rows took {grown:.0f} MB more memory"


_CELL_TEXT = st.text(alphabet=st.sampled_from(list('ab,;"\n\r ')), max_size=12)


def _cell(text: str, quoting: str) -> str:
    """One cell as a CSV writer would write it ("all", "minimal"), or "raw": bare whenever the
    csv module reads it back bare (quotes inside an unquoted cell are characters of it)."""
    special = any(ch in text for ch in ",\r\n")
    bare = {"all": False, "minimal": not special and '"' not in text}.get(
        quoting, not special and not text.startswith('"')
    )
    return text if bare else '"' + text.replace('"', '""') + '"'


@settings(max_examples=400, derandomize=True, deadline=None)
@given(
    before=st.lists(_CELL_TEXT, max_size=5),
    long_cell=st.text(alphabet=st.sampled_from(list('xy,"\n')), min_size=41, max_size=90),
    after=st.lists(_CELL_TEXT, max_size=3),
    quoting=st.sampled_from(["all", "minimal", "raw"]),
    records_before=st.integers(0, 3),
)
def test_find_long_cell_agrees_with_the_csv_module(
    before: list[str], long_cell: str, after: list[str], quoting: str, records_before: int
) -> None:
    """Against the csv module itself: it reads the record (no limit), and the first cell over
    the limit is the one named, on the line where that cell starts."""
    import io

    from sourcing_graph.loaders.csv_text import find_long_cell
    from sourcing_graph.loaders.sources import RegisterSource

    limit = 40
    earlier = "".join(f'r{i},"a\nb"\r\n' for i in range(records_before))  # 2 lines each
    cells = [_cell(text, quoting) for text in [*before, long_cell, *after]]
    data = earlier + ",".join(cells) + "\r\n"
    [row] = list(csv.reader(io.StringIO(data, newline="")))[records_before:][:1]
    column = next((i for i, cell in enumerate(row, 1) if len(cell) > limit), None)
    source = RegisterSource("contracts", "x.csv", "x.csv", lambda: io.BytesIO(data.encode()))
    found = find_long_cell(
        source, "utf-8", ",", 2 * records_before + 1, Limits(max_field_chars=limit)
    )
    if column is None:  # raw cells the csv module reads differently (none seen so far)
        assert found is None
        return
    assert found is not None
    line, col = found
    assert col == column
    if quoting != "raw" or column == len(before) + 1:
        head = "".join(cell + "," for cell in cells[: column - 1])
        assert line == 2 * records_before + 1 + _breaks(head)


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")
