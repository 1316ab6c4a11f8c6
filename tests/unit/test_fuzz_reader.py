"""Property-based fuzzing of the register readers (CSV folders and zips, RDF, mapping files).

The property: a reader either returns a register (a mapping) or raises one of the package's own
errors (a :class:`SourcingGraphError`) whose problems name the file, with a line and column inside
it — never another exception, and never a hang: every case runs under a hard watchdog
(``signal.setitimer``) besides hypothesis's own bookkeeping.

Case counts: with ``CI=true`` each test runs a fixed, derandomized number of cases (``CI_EXAMPLES``
below; the sum is printed by ``test_case_counts_in_ci``); locally ``FUZZ_EXAMPLES=N`` runs N cases
per test with random seeds (``FUZZ_EXAMPLES=2000 pytest tests/unit/test_fuzz_reader.py`` for a long
run).
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sourcing_graph.errors import MappingError, RegisterError
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.columns import COLUMNS
from sourcing_graph.loaders.mapping import load_mapping
from sourcing_graph.loaders.mapping_starter import starter_mapping
from sourcing_graph.loaders.rdf import read_rdf, write_rdf
from sourcing_graph.model import Register
from tests.support import DATA, EXAMPLES, IN_CI

WATERLAND = EXAMPLES / "gemeente-waterland"
WATERLAND_FILES = {p.name: p.read_bytes() for p in sorted(WATERLAND.glob("*.csv"))}
DORA_PACKAGE = DATA / "dora" / "bank-roi"
DORA_FILES = {
    p.relative_to(DORA_PACKAGE).as_posix(): p.read_bytes()
    for p in sorted(DORA_PACKAGE.rglob("*"))
    if p.is_file()
}
FOREIGN = DATA / "registers" / "foreign"

WATCHDOG_SECONDS = float(os.environ.get("FUZZ_WATCHDOG", "60"))
"""A case taking longer than this is a hang. Generous: the machine is shared and a case may read
a few megabytes; a real hang (a loop that never ends) is still caught."""

CI_EXAMPLES = {
    "random_bytes": 300,
    "csv_like": 600,
    "encodings": 300,
    "long_fields": 40,
    "long_lists": 60,
    "odd_unicode": 400,
    "mutations": 600,
    "zip_mutations": 300,
    "dora_mutations": 300,
    "rdf": 200,
    "mapping": 200,
    "starter_mapping": 150,
}
"""Cases per test in CI (derandomized: the same cases on every run)."""


def fuzz_settings(name: str) -> settings:
    """The settings of one fuzz test: a fixed derandomized count in CI, ``FUZZ_EXAMPLES`` locally."""
    local = os.environ.get("FUZZ_EXAMPLES")
    count = int(local) if local and not IN_CI else CI_EXAMPLES[name]
    return settings(
        max_examples=count,
        derandomize=IN_CI or not local,
        deadline=None,  # the watchdog bounds a case; a per-example deadline is flaky under load
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


class Hang(BaseException):
    """A case ran longer than the watchdog allows (BaseException: no reader may swallow it)."""


@contextmanager
def watchdog(seconds: float = WATCHDOG_SECONDS) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise Hang(f"a reader ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def line_breaks(data: bytes) -> int:
    return data.count(b"\n") + data.count(b"\r")


def check_register(path: Path, files: dict[str, bytes] | None = None) -> Register | None:
    """Read ``path``: a Register, or a RegisterError whose problems lie inside the files read."""
    try:
        with watchdog():
            register = read_any(path)
    except RegisterError as exc:
        assert exc.problems, "a RegisterError without problems"
        for problem in exc.problems:
            assert problem.file.startswith(str(path)), (problem, path)
            assert problem.line >= 1 and problem.column >= 1, problem
            name = problem.file[len(str(path)) :].lstrip("/!\\")
            if files and name in files:
                assert problem.line <= line_breaks(files[name]) + 1, (problem, name)
            text = str(problem)
            assert problem.file in text and problem.message in text
            assert len(text) < 5_000, f"a message of {len(text)} characters: {text[:200]}..."
        return None
    assert isinstance(register, Register)
    for warning in register.warnings:
        assert warning.file.startswith(str(path)), warning
    return register


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def check_folder(files: dict[str, bytes]) -> Register | None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        return check_register(write_folder(Path(tmp), files), files)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():  # a fixed date: the same bytes on every run
            info = zipfile.ZipInfo(f"export/{name}", date_time=(2025, 1, 1, 0, 0, 0))
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def check_zip(files: dict[str, bytes], mutate: object = None) -> Register | None:
    data = zip_bytes(files)
    if callable(mutate):
        data = mutate(data)
    with temp_file("register.zip", data) as path:
        return check_register(path)


@contextmanager
def temp_file(name: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        yield path


def with_contracts(data: bytes, name: str = "contracts.csv") -> dict[str, bytes]:
    return {name: data}


# ------------------------------------------------------------------------------- strategies

HEADER_WORDS = [name for col in COLUMNS["contracts"] for name in col.names] + ["notes", ""]
VALUE_WORDS = [
    "trust",
    "vertrouwen",
    "distrust",
    "betrouwbaarheid",
    "onbekend",
    "penalty|sla",
    "boeteclausule;SLA",
    "open book",
    "2025-01-31",
    "31-02-2025",
    "01/01/2024",
    "125.000,50",
    "€ 1,5",
    "-",
    "ja",
    "nee",
    "hoog",
    "kosten",
    "own-it",
    "K01",
    "C1",
    "acme",
    "F-1",
]
STRUCTURE = ['"', "'", ",", ";", "\t", "|", "\n", "\r", "\r\n", " ", '""', "\\"]
ODD = [
    "\u0301",  # combining acute
    "e\u0301\u0308\u0323",  # stacked marks
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u2066\u2069",  # isolates
    "\u05d0\u05d1",  # Hebrew
    "\u0627\u0644",  # Arabic
    "\x00",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u200d",
    "\ufeff",  # a BOM in the middle of the text
    "\x85",
    "\x0b\x0c",
    "\U0001f600",
    "\ufffd",
]

cells = st.one_of(
    st.sampled_from(VALUE_WORDS),
    st.text(max_size=12),
    st.lists(st.sampled_from(STRUCTURE + VALUE_WORDS), max_size=6).map("".join),
)
delimiters = st.sampled_from([",", ";", "\t", "|", " ", ":"])


@st.composite
def csv_texts(draw: st.DrawFn, cell: st.SearchStrategy[str] = cells) -> str:
    """Text that looks like a contracts CSV: a header of (mostly) known names, ragged rows,
    random quoting, quotes inside fields, unbalanced quotes, odd line ends."""
    delim = draw(delimiters)
    header = draw(st.lists(st.sampled_from(HEADER_WORDS), min_size=1, max_size=8))
    if draw(st.booleans()):
        header = ["contract_id", "supplier", "lot", *header]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=12))
    quote_all = draw(st.booleans())

    def render(value: str) -> str:
        if quote_all or draw(st.integers(0, 4)) == 0:
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [delim.join(render(c) for c in header)]
    lines += [delim.join(render(c) for c in row) for row in rows]
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    if draw(st.integers(0, 5)) == 0:  # an unbalanced quote somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    return text


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):  # invalid sequences: a lone surrogate, a stray continuation byte...
        junk = draw(st.sampled_from([b"\xed\xa0\x80", b"\x80", b"\xc3", b"\xff\xfe", b"\x81\x8d"]))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + junk + data[at:]
    return data


# --------------------------------------------------------------------------------- the tests


@fuzz_settings("random_bytes")
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(sorted(WATERLAND_FILES)),
)
def test_random_bytes(data: bytes, name: str) -> None:
    files = dict(WATERLAND_FILES)
    files[name] = data
    check_folder(files)


@fuzz_settings("csv_like")
@given(text=csv_texts(), encoding=st.sampled_from(["utf-8", "cp1252"]))
@example(text='contract_id,supplier,lot\n"C1,acme,K1\n', encoding="utf-8")
@example(text="contract_id;supplier;lot\nC1;acme;K1;;;\n;;\n", encoding="utf-8")
def test_csv_like(text: str, encoding: str) -> None:
    check_folder(with_contracts(text.encode(encoding, errors="replace")))


@fuzz_settings("encodings")
@given(data=st.data(), text=csv_texts())
def test_encodings(data: st.DataObject, text: str) -> None:
    check_folder(with_contracts(data.draw(encoded(text))))


@fuzz_settings("long_fields")
@given(
    size=st.integers(100_000, 3_000_000),
    column=st.integers(0, 4),
    quoted=st.booleans(),
    newlines=st.booleans(),
    char=st.sampled_from(["x", "é", '"', ";", "\u202e"]),
)
@example(size=131_073, column=0, quoted=False, newlines=False, char="x")  # csv's default limit
@example(size=100_000, column=3, quoted=False, newlines=False, char="x")  # a 100 kB message
@example(size=2_000_000, column=4, quoted=True, newlines=True, char='"')
def test_long_fields(size: int, column: int, quoted: bool, newlines: bool, char: str) -> None:
    field = (char * 1000 + ("\n" if newlines else "")) * (size // 1000)
    if quoted:
        field = '"' + field.replace('"', '""') + '"'
    row = ["C1", "acme", "K1", "trust", ""]
    row[column] = field
    text = "contract_id,supplier,lot,mode,notes\n" + ",".join(row) + "\nC2,acme,K1,trust,\n"
    check_folder(with_contracts(text.encode("utf-8")))


@fuzz_settings("long_lists")
@given(
    count=st.integers(1, 200_000),
    field=st.sampled_from(["clauses", "functions"]),
    sep=st.sampled_from(["|", ";", ",", " | "]),
    item=st.sampled_from(["penalty", "sla", "x", "F-{i}", "open book", ""]),
    functions_file=st.booleans(),
)
@example(count=100_000, field="functions", sep="|", item="F-{i}", functions_file=False)
@example(count=282, field="clauses", sep=",", item="penalty", functions_file=False)  # long message
def test_long_lists(count: int, field: str, sep: str, item: str, functions_file: bool) -> None:
    items = sep.join(item.format(i=i) for i in range(count))
    text = f'contract_id,supplier,lot,{field}\nC1,acme,K1,"{items}"\n'
    files = with_contracts(text.encode())
    if functions_file:
        files["functions.csv"] = b"function_id,name\nF-1,one\n"
    check_folder(files)


odd_text = st.lists(
    st.one_of(
        st.sampled_from(ODD),
        st.sampled_from(VALUE_WORDS),
        st.text(
            st.characters(
                categories=["Mn", "Me", "Cf", "Cc", "Zl", "Zp", "Zs", "Co", "Lo"],
            ),
            max_size=4,
        ),
    ),
    max_size=5,
).map("".join)


@fuzz_settings("odd_unicode")
@given(text=csv_texts(cell=odd_text), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
@example(text="contract_id,supplier,lot\nC1\u2028,acme\x00,K1\n", encoding="utf-8")
@example(text="\ufeffcontract_id;\ufeffsupplier;lot\nC1;a;K\n", encoding="utf-8-sig")
def test_odd_unicode(text: str, encoding: str) -> None:
    check_folder(
        with_contracts(
            text.encode(encoding, errors="surrogatepass" if "utf" in encoding else "replace")
        )
    )


def mutations(data: bytes, rng: random.Random, count: int) -> bytes:
    """Flip, insert and delete bytes, and maybe truncate."""
    buf = bytearray(data)
    for _ in range(count):
        op = rng.randrange(4)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            at = min(at, len(buf) - 1)
            buf[at] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
        elif op == 2:
            del buf[at : at + rng.randrange(1, 64)]
        else:
            insert = rng.choice([b'"', b";", b",", b"\n", b"\r", b"\x00", b"|", b"\xef\xbb\xbf"])
            buf[at:at] = insert
    if rng.random() < 0.2:
        del buf[rng.randrange(len(buf) + 1) :]
    return bytes(buf)


@fuzz_settings("mutations")
@given(
    name=st.sampled_from(sorted(WATERLAND_FILES)),
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 20),
)
def test_mutations_of_the_example(name: str, seed: int, count: int) -> None:
    files = dict(WATERLAND_FILES)
    files[name] = mutations(files[name], random.Random(seed), count)
    check_folder(files)


@fuzz_settings("zip_mutations")
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(0, 12))
# each of these crashed the reader before it caught damaged zips (found by this test):
@example(seed=0, count=2)  # BadZipFile: bad magic number for file header (reading a member)
@example(seed=2, count=1)  # BadZipFile: bad CRC-32
@example(seed=9, count=11)  # zlib.error while decompressing
@example(seed=1113, count=2)  # NotImplementedError: an unknown compression method
@example(seed=1134, count=5)  # NotImplementedError: zip file version (opening the archive)
@example(seed=1274, count=1)  # EOFError
@example(seed=1, count=5)  # BadZipFile: file name in directory and header differ
@example(seed=5939, count=5)  # NotImplementedError: strong encryption
@example(seed=41934, count=10)  # IndexError: a member with an empty name
def test_zip_mutations(seed: int, count: int) -> None:
    rng = random.Random(seed)
    check_zip(WATERLAND_FILES, mutate=lambda data: mutations(data, rng, count))


@fuzz_settings("dora_mutations")
@given(
    name=st.sampled_from(sorted(n for n in DORA_FILES if n.startswith("reports/b_"))),
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(0, 20),
    zipped=st.booleans(),
)
# crashed the DORA reader before it shared the register reader's zip member opener:
@example(name="reports/b_05.02.csv", seed=11, count=11, zipped=True)  # RuntimeError: encrypted
def test_dora_package_mutations(name: str, seed: int, count: int, zipped: bool) -> None:
    """A DORA package with a damaged template (or a damaged zip): a register or a clear error."""
    rng = random.Random(seed)
    files = dict(DORA_FILES)
    files[name] = mutations(files[name], rng, count)
    if zipped:
        check_zip(files, mutate=lambda data: mutations(data, rng, count // 4))
        return
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        for rel, data in files.items():
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        check_register(Path(tmp))


def _waterland_rdf(fmt: str) -> bytes:
    out = io.StringIO()
    write_rdf(read_any(WATERLAND), out, fmt)
    return out.getvalue().encode()


RDF_SOURCES = {suffix: _waterland_rdf(fmt) for suffix, fmt in ((".ttl", "turtle"), (".nt", "nt"))}


@fuzz_settings("rdf")
@given(
    suffix=st.sampled_from([".ttl", ".nt", ".jsonld", ".rdf"]),
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 10),
    random_bytes=st.none() | st.binary(max_size=500),
)
def test_rdf_reader(suffix: str, seed: int, count: int, random_bytes: bytes | None) -> None:
    if random_bytes is not None:
        data = random_bytes
    else:
        base = RDF_SOURCES.get(suffix, RDF_SOURCES[".ttl"])
        data = mutations(base, random.Random(seed), count)
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logging.getLogger().addHandler(handler)
    try:
        with (
            temp_file(f"register{suffix}", data) as path,
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            try:
                with watchdog():
                    read_rdf(path)
            except RegisterError as exc:
                assert all(p.file == str(path) for p in exc.problems)
    finally:
        logging.getLogger().removeHandler(handler)
    # rdflib logged a traceback for each literal it could not convert (found by this test)
    assert not records, [r.getMessage() for r in records]
    assert not caught, [str(w.message) for w in caught]


def test_rdf_literals_rdflib_cannot_convert(tmp_path: Path) -> None:
    """Found by fuzzing: ``"8GZ"^^xsd:double`` printed rdflib tracebacks on the command line, and
    ``"tHtrue"^^xsd:boolean`` was read as false. Both are now problems of the register."""
    text = RDF_SOURCES[".ttl"].decode()
    assert "sg:critical true" in text and "sg:annualValue 640000.00 " in text  # an xsd:decimal
    text = text.replace("sg:critical true", 'sg:critical "tHtrue"^^xsd:boolean', 1)
    text = text.replace("sg:annualValue 640000.00 ", 'sg:annualValue "8GZ640000"^^xsd:double ', 1)
    path = tmp_path / "register.ttl"
    path.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "sourcing_graph", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr, result.stderr
    assert "sgr:function/F-IM sg:critical is not a boolean: an xsd:boolean literal whose" in (
        result.stderr
    )
    assert "sg:annualValue is not a number (read '\"8GZ" in result.stderr


MAPPINGS = {p.suffix: p.read_bytes() for p in FOREIGN.glob("mapping.*")}


@fuzz_settings("mapping")
@given(
    suffix=st.sampled_from(sorted(MAPPINGS)),
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(0, 10),
    nesting=st.none() | st.integers(1, 100_000),
)
@example(suffix=".json", seed=0, count=0, nesting=100_000)
@example(suffix=".toml", seed=0, count=0, nesting=100_000)
def test_mapping_reader(suffix: str, seed: int, count: int, nesting: int | None) -> None:
    if nesting is not None:  # deeply nested arrays: recursion in the parser
        data = (
            ("[" * nesting + "]" * nesting).encode()
            if suffix == ".json"
            else b"a = " + b"[" * nesting + b"]" * nesting
        )
    else:
        data = mutations(MAPPINGS[suffix], random.Random(seed), count)
    with temp_file(f"mapping{suffix}", data) as path:
        try:
            with watchdog():
                load_mapping(path)
        except MappingError as exc:
            assert str(path) in str(exc)
            assert len(str(exc)) < 5_000


@fuzz_settings("starter_mapping")
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 10),
    as_zip=st.booleans(),
    name=st.sampled_from(sorted(WATERLAND_FILES)),
)
# each crashed `sourcing-graph mapping` on a damaged zip before it caught unreadable members:
@example(seed=0, count=3, as_zip=True, name="contracten.csv")  # BadZipFile
@example(seed=7, count=3, as_zip=True, name="contracten.csv")  # OSError: invalid argument
@example(seed=30, count=3, as_zip=True, name="contracten.csv")  # zlib.error
def test_starter_mapping(seed: int, count: int, as_zip: bool, name: str) -> None:
    """The starter-mapping scan of a foreign export (``sourcing-graph mapping``)."""
    rng = random.Random(seed)
    if as_zip:
        data, file_name = mutations(ZIP_OF_EXAMPLE, rng, count), "export.zip"
    else:
        data, file_name = mutations(WATERLAND_FILES[name], rng, count), "export.csv"
    with temp_file(file_name, data) as path:
        try:
            with watchdog():
                text = starter_mapping(path)
        except MappingError as exc:
            assert str(path) in str(exc)
        else:
            assert isinstance(text, str)


ZIP_OF_EXAMPLE = zip_bytes(WATERLAND_FILES)


def test_case_counts_in_ci() -> None:
    """Every fuzz test runs under its CI count, and the total is printed (issue 8 quotes it)."""
    fuzzed = {
        name: func._hypothesis_internal_use_settings.max_examples
        for name, func in globals().items()
        if name.startswith("test_") and hasattr(func, "hypothesis")
    }
    assert len(fuzzed) == len(CI_EXAMPLES), "each fuzz test has its own CI count"
    total = sum(CI_EXAMPLES.values())
    if IN_CI:
        assert sum(fuzzed.values()) == total, fuzzed
    print(f"fuzz cases per CI run: {total} ({json.dumps(CI_EXAMPLES)}); this run: {fuzzed}")


def test_watchdog_catches_a_hang() -> None:
    """The watchdog itself works: a loop that never ends is stopped."""
    with pytest.raises(Hang, match=r"a reader ran longer than 0\.2 s"), watchdog(0.2):
        while True:
            pass
