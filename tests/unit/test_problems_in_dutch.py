"""A register's problems in the user's language (issue 16): every problem the readers report --
of the malformed registers, bad RDF, a bad what-if scenario and defective DORA packages -- reads
in Dutch with no English sentence left, and in English exactly as ``str(problem)`` (the library's
text, unchanged)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from sourcing_graph.errors import MAX_MESSAGE_CHARS, Problem, RegisterError, Text
from sourcing_graph.loaders import read_any
from sourcing_graph.loaders.dora import read_dora
from sourcing_graph.loaders.rdf import read_rdf
from sourcing_graph.loaders.scenario import read_scenario
from sourcing_graph.views.locale import Words
from sourcing_graph.views.messages import problem_line
from tests.support import EXAMPLES
from tests.support.dora import EBA_SAMPLE, copy_package
from tests.support.dora_cases import CASES as DORA_CASES
from tests.support.rdf_cases import BAD as BAD_RDF
from tests.support.rdf_cases import GOOD as GOOD_RDF
from tests.support.register_cases import MALFORMED_CASES

NL, EN = Words("nl"), Words("en")

ENGLISH = frozenset(
    [
        "a",
        "an",
        "the",
        "has",
        "have",
        "not",
        "and",
        "with",
        "which",
        "most",
        "missing",
        "cannot",
        "empty",
        "than",
        "line",
        "lines",
        "column",
        "columns",
        "file",
        "files",
        "rows",
        "row",
        "characters",
        "expected",
        "read",
        "value",
        "values",
        "itself",
        "recorded",
        "duplicate",
        "first",
        "another",
        "should",
        "there",
        "but",
        "only",
        "when",
        "given",
        "been",
        "was",
        "were",
        "found",
    ]
)
"""Words of English sentences that Dutch never uses (``no``, ``is``, ``of`` are Dutch too;
``unknown`` is a word a cell may hold)."""

_NOT_WORDS = re.compile(
    r"'[^']*'"  # a value or id, quoted
    r'|"[^"]*"'
    r"|b_\d\d\.\d\d c\d{4}( \([^)]*\))?"  # a DORA column and the EBA's meaning of it
    r"|\S*[/\\:_.@|]\S*"  # a path, a prefixed name (sg:lot, eba_CO:x3), a field name, a code
)


def english_left(line: str) -> set[str]:
    """The English words of ``line`` outside values, ids, paths and codes."""
    return {w for w in re.findall(r"[A-Za-z]+", _NOT_WORDS.sub(" ", line)) if w in ENGLISH}


def check_both_languages(problems: list[Problem]) -> list[str]:
    """Each problem's Dutch line (asserted free of English sentences; its message a Text); its
    English line is ``str(problem)``."""
    assert problems
    lines = []
    for problem in problems:
        assert problem_line(problem, EN) == str(problem)
        assert isinstance(problem.message, Text), str(problem)
        dutch = problem_line(problem, NL)
        assert not english_left(dutch), (english_left(dutch), dutch, str(problem))
        lines.append(dutch)
    return lines


def problems_of(read: object, *args: object, **kwargs: object) -> list[Problem]:
    try:
        register = read(*args, **kwargs)  # type: ignore[operator]
    except RegisterError as exc:
        return exc.problems
    return list(register.warnings)


def test_the_waterland_warnings_in_dutch() -> None:
    register = read_any(EXAMPLES / "gemeente-waterland")
    lines = check_both_languages(register.warnings)
    folder = str(EXAMPLES / "gemeente-waterland")
    assert f"{folder}/contracten.csv:4:4: waarschuwing: geen samenwerkingsvorm vastgelegd voor contract 'WL-03'" in lines  # fmt: skip
    assert (
        f"{folder}/kavels.csv:2:3: waarschuwing: geen hoofdaannemer vastgelegd voor kavel 'K01': "
        "own-it voert de regie (de standaard) (gelezen ''; verwacht de hoofdaannemer van de kavel "
        "(de code van een leverancier, of own-it))"
    ) in lines
    english = [problem_line(p, EN) for p in register.warnings]
    assert all(english_left(line) for line in english)  # the check finds English where it is
    assert f"{folder}/contracten.csv:4:4: warning: contract 'WL-03' has no mode recorded" in english
    assert (
        f"{folder}/kavels.csv:2:3: warning: lot 'K01' has no prime contractor recorded: own-it "
        "coordinates it (the default) (read ''; expected the lot's prime contractor (a "
        "supplier_id, or own-it))"
    ) in english


@pytest.mark.parametrize(
    ("case_id", "path"), [c[:2] for c in MALFORMED_CASES], ids=[c[0] for c in MALFORMED_CASES]
)
def test_each_malformed_register_in_dutch(case_id: str, path: Path) -> None:
    check_both_languages(problems_of(read_any, path))


def test_some_malformed_registers_line_by_line() -> None:
    """What a Dutch user reads for a few of them, exactly (the position and value as in English)."""
    by_id = {c[0]: c for c in MALFORMED_CASES}

    def dutch(case_id: str) -> str:
        [problem] = [p for p in problems_of(read_any, by_id[case_id][1]) if p.severity == "error"]
        return problem_line(problem, NL).split(": fout: ", 1)[1]

    assert dutch("duplicate_contract_id") == (
        "contractnummer 'C1' komt dubbel voor (eerst op regel 2) (gelezen 'C1'; verwacht een waarde "
        "voor contractnummer die nog niet voorkwam)"
    )
    assert dutch("missing_required_column").startswith(
        "verplichte kolom kavel ontbreekt (verwacht een kolom lot (of "
    )
    assert dutch("bad_date") == (
        "geen geldige waarde voor ingangsdatum (gelezen '31-02-2025'; verwacht een bestaande dag, "
        "geschreven als jjjj-mm-dd, dd-mm-jjjj of dd/mm/jjjj)"
    )
    assert dutch("dangling_lot").startswith("kavel 'K9' is onbekend: niet in ")


def test_bad_rdf_in_dutch(tmp_path: Path) -> None:
    for i, (_id, old, new, _message, _value) in enumerate(BAD_RDF):
        text = GOOD_RDF.replace(old, new) if old else GOOD_RDF + new + "\n"
        path = tmp_path / f"bad{i}.ttl"
        path.write_text(text, encoding="utf-8")
        check_both_languages(problems_of(read_rdf, path))
    not_rdf = tmp_path / "not.ttl"
    not_rdf.write_text("this is not turtle", encoding="utf-8")
    [problem] = problems_of(read_rdf, not_rdf)
    assert problem_line(problem, NL).startswith(f"{not_rdf}:1:1: fout: geen geldige RDF: ")
    assert problem_line(problem, NL).endswith("(verwacht gegevens in turtle)")


def test_a_bad_scenario_in_dutch(tmp_path: Path) -> None:
    register = read_any(EXAMPLES / "gemeente-waterland")
    scenario = tmp_path / "scenario.csv"
    scenario.write_text(
        "doel;wijziging;waarde\n"
        "contract:WL-99;vorm instellen;vertrouwen\n"  # unknown contract
        "kavel:K01;vorm instellen;vertrouwen\n"  # a change of a contract, on a lot
        "feature:x;vorm instellen;vertrouwen\n"  # not a target
        "contract:WL-01;verbouwen;x\n"  # not a change
        "contract:WL-01;vorm instellen;partnerschap\n"  # not a mode
        "kavel:K01;hoofdaannemer instellen;\n",  # empty prime contractor
        encoding="utf-8",
    )
    lines = check_both_languages(problems_of(read_scenario, scenario, register))
    assert len(lines) == 6
    assert f"{scenario}:2:1: fout: contract 'WL-99' is onbekend (gelezen 'contract:WL-99'; verwacht een contract uit het register)" in lines  # fmt: skip


@pytest.mark.parametrize("name", DORA_CASES)
def test_each_dora_defect_in_dutch(tmp_path: Path, name: str) -> None:
    case = DORA_CASES[name]
    for lenient in (False, True):
        package = copy_package(tmp_path, f"package-{lenient}")
        case.edit(package)
        check_both_languages(problems_of(read_dora, package, skip_inconsistent=lenient))


def test_the_eba_sample_in_dutch() -> None:
    """The EBA's own sample: dangling references, codes that are labels, LEIs..."""
    problems = problems_of(read_dora, EBA_SAMPLE)
    assert any(p.severity == "error" for p in problems)
    lines = check_both_languages(problems)
    assert any(" van overeenkomst '" in line for line in lines)


def test_the_limits_in_dutch(tmp_path: Path) -> None:
    """A problem over a limit: its numbers grouped the Dutch way; the CLI's hint translated."""
    from sourcing_graph.cli.settings_words import with_setting_hint
    from sourcing_graph.loaders.limits import Limits

    folder = tmp_path / "register"
    folder.mkdir()
    rows = "".join(f"C{i},acme,K1,trust\n" for i in range(3))
    (folder / "contracts.csv").write_text("contract_id,supplier,lot,mode\n" + rows)
    [problem] = problems_of(read_any, folder, limits=Limits(max_rows=2))
    problem = with_setting_hint(problem)
    assert problem_line(problem, NL).endswith(
        "fout: meer dan 2 rijen (verwacht hoogstens 2 rijen; verhoog de grens met --max-rows of "
        "SOURCING_GRAPH_MAX_ROWS)"
    )
    assert problem_line(problem, EN) == str(problem)
    big = Text("a cell longer than {n:,} characters", n=1_000_000)
    assert big == "a cell longer than 1,000,000 characters"
    assert problem_line(Problem("f.csv", 1, 1, big), NL) == (
        "f.csv:1:1: fout: een cel langer dan 1.000.000 tekens"
    )


def test_a_text_is_a_string_that_keeps_its_template() -> None:
    """Clipped, pickled and compared, a Text stays the English string it was (and translatable)."""
    text = Text("unknown {what} {ident!r}: not in {file}", what=Text("lot"), ident="K9" * 600, file="kavels.csv")  # fmt: skip
    problem = Problem("kavels.csv", 3, 1, text)
    assert len(problem.message) <= MAX_MESSAGE_CHARS + 40
    assert problem.message == str(Problem("kavels.csv", 3, 1, str(text))).split(": error: ", 1)[1]
    assert isinstance(problem.message, Text)
    assert problem_line(problem, NL).startswith("kavels.csv:3:1: fout: kavel 'K9K9")
    assert "…[1200 characters]…" in problem_line(problem, NL)
    again = pickle.loads(pickle.dumps(problem))
    assert again == problem and isinstance(again.message, Text)
    assert problem_line(again, NL) == problem_line(problem, NL)
    assert str(problem) == str(again)


def test_analyze_and_whatif_say_a_bad_register_or_scenario_in_the_language_asked(
    tmp_path: Path,
) -> None:
    """``--lang nl``: the problems and the last line in Dutch; without it, the register's
    language (Dutch file names: Dutch), ``--lang en`` English as the library writes them."""
    from tests.support.cli import cli, no_neo4j_env

    bad = tmp_path / "kapot"
    bad.mkdir()
    (bad / "contracten.csv").write_text(
        "contractnummer;leverancier;kavel;samenwerkingsvorm\nC1;acme;K1;vertrouwelijk\n",
        encoding="utf-8",
    )
    english_env = {**no_neo4j_env(), "SOURCING_GRAPH_LANG": ""}
    dutch = cli("analyze", str(bad), "--lang", "nl", env=no_neo4j_env())
    assert dutch.returncode == 1 and "Traceback" not in dutch.stderr
    assert ":2:4: fout: geen geldige waarde voor vorm (gelezen 'vertrouwelijk'; verwacht een " in dutch.stderr  # fmt: skip
    assert dutch.stderr.endswith("fout: het register heeft 1 fout; er is niets geladen\n")
    assert cli("analyze", str(bad), env=english_env).stderr == dutch.stderr
    english = cli("analyze", str(bad), "--lang", "en", env=english_env)
    assert (
        ":2:4: error: not a valid mode (read 'vertrouwelijk'; expected a mode: " in english.stderr
    )
    assert english.stderr.endswith("error: the register has 1 error; nothing was loaded\n")
    scenario = tmp_path / "scenario.csv"
    scenario.write_text("doel;wijziging;waarde\ncontract:WL-99;vorm instellen;vertrouwen\n")
    waterland = str(EXAMPLES / "gemeente-waterland")
    dutch = cli("whatif", waterland, str(scenario), "--lang", "nl", env=no_neo4j_env())
    assert dutch.returncode == 1
    assert f"{scenario}:2:1: fout: contract 'WL-99' is onbekend" in dutch.stderr
    assert dutch.stderr.endswith("fout: het scenario heeft 1 fout; er is niets berekend\n")
    assert cli("whatif", waterland, str(scenario), env=english_env).stderr == dutch.stderr
    english = cli("whatif", waterland, str(scenario), "--lang", "en", env=english_env)
    assert f"{scenario}:2:1: error: unknown contract 'WL-99'" in english.stderr
    assert english.stderr.endswith("error: the scenario has 1 error; nothing was computed\n")
