"""Provenance: what the register said is kept (where, and the words as written), and what it did not
say is not made to look as if it did (a defaulted prime contractor, a level not recorded).

The readers (CSV, mapping, DORA), the embedded graph, the RDF export and its reading back; the
Neo4j side is in ``tests/integration/test_neo4j_provenance.py``.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from sourcing_graph.errors import RegisterError
from sourcing_graph.graph.embedded import to_networkx
from sourcing_graph.loaders.csv_reader import read_register
from sourcing_graph.loaders.dora.reader import read_dora
from sourcing_graph.loaders.rdf import rdf_to_register, read_rdf, register_to_rdf, write_rdf
from sourcing_graph.model import OWN_IT, Register
from tests.support import DATA, EXAMPLES
from tests.support.cli import cli, no_neo4j_env

WATERLAND = EXAMPLES / "gemeente-waterland"
ACME = EXAMPLES / "acme-retail"
DEFAULTED = "has no prime contractor recorded: own-it coordinates it (the default)"


def write(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode(encoding))
    return folder


def provenance(register: Register) -> dict[str, object]:
    """Every provenance field of a register, comparable (equality leaves them out)."""
    return {
        "organisations": {i: o.source for i, o in register.organisations.items()},
        "functions": {i: f.source for i, f in register.functions.items()},
        "lots": {
            i: (lot.source, lot.prime_contractor_defaulted, lot.complexity, lot.dynamics)
            for i, lot in register.lots.items()
        },
        "contracts": {
            i: (c.source, c.mode_as_written, c.clause_words) for i, c in register.contracts.items()
        },
        "links": sorted(
            (s.contract, s.rank, s.supplier, s.source) for s in register.subcontracting
        ),
    }


# -- the CSV reader on the examples ------------------------------------------------------------


def test_waterland_says_where_each_entity_is() -> None:
    reg = read_register(WATERLAND)
    assert reg.organisations[OWN_IT].source == "leveranciers.csv:2"  # it has a row here
    assert reg.organisations["kwelder"].source == "leveranciers.csv:5"
    assert reg.lots["K03"].source == "kavels.csv:4"
    assert reg.functions["F-WERKPLEK"].source.startswith("functies.csv:")
    assert reg.contracts["WL-01"].source == "contracten.csv:2"
    assert reg.contracts["WL-26"].source == "contracten.csv:27"
    assert reg.dependency_sources[("K01", "K02")] == "afhankelijkheden.csv:2"
    assert reg.dependency_sources[("K01", "K11")] == "afhankelijkheden.csv:2"  # one row, two
    assert set(reg.dependency_sources) == reg.dependencies


def test_waterland_keeps_both_obligations_as_written() -> None:
    """resultaatverplichting and inspanningsverplichting both read as ``obligation``; the words
    as written are kept beside the key."""
    c = read_register(WATERLAND).contracts
    assert "obligation" in c["WL-04"].clauses and "obligation" in c["WL-06"].clauses
    assert c["WL-04"].clause_words["obligation"] == ("resultaatverplichting",)
    assert c["WL-06"].clause_words["obligation"] == ("inspanningsverplichting",)
    assert c["WL-16"].clause_words == {"obligation": ("verplichting",)}
    # two words for one key, in the order written
    assert c["WL-08"].clause_words["penalty"] == ("boete", "boeteclausule")
    assert c["WL-13"].clause_words["exit"] == ("beëindiging",)  # accents as written
    assert (c["WL-14"].mode, c["WL-14"].mode_as_written) == ("trust", "Vertrouwen")
    assert (c["WL-18"].mode, c["WL-18"].mode_as_written) == (None, "onbekend")
    assert (c["WL-19"].mode, c["WL-19"].mode_as_written, c["WL-19"].clause_words) == (
        None,
        None,
        {},
    )
    assert all(set(x.clause_words) == set(x.clauses) for x in c.values())


def test_waterland_marks_what_it_does_not_say() -> None:
    reg = read_register(WATERLAND)
    lots = reg.lots
    assert {i for i, lot in lots.items() if lot.prime_contractor_defaulted} == {"K01", "K06"}
    assert lots["K01"].prime_contractor == OWN_IT  # the rules still read own-it
    assert (lots["K06"].complexity, lots["K06"].dynamics) == (None, "low")
    assert lots["K06"].commodity is False  # "nee" is written
    warnings = [str(w) for w in reg.warnings if "prime contractor" in w.message]
    folder = str(WATERLAND)
    assert warnings == [
        f"{folder}/kavels.csv:2:3: warning: lot 'K01' {DEFAULTED} (read ''; expected the lot's "
        "prime contractor (a supplier_id, or own-it))",
        f"{folder}/kavels.csv:7:3: warning: lot 'K06' {DEFAULTED} (read ''; expected the lot's "
        "prime contractor (a supplier_id, or own-it))",
    ]


def test_acme_wide_form_lots_come_from_contract_rows() -> None:
    reg = read_register(ACME)
    assert reg.lots["ERP"].source == "contracts.csv:2"
    assert reg.lots["NET"].source == "contracts.csv:2"  # named first by A-01's depends_on
    assert reg.lots["EUD"].source == "contracts.csv:12"
    assert [i for i, lot in reg.lots.items() if lot.prime_contractor_defaulted] == ["ERP"]
    [warning] = [w for w in reg.warnings if "prime contractor" in w.message]
    assert (warning.line, warning.column, warning.value) == (2, 5, "")
    assert reg.dependency_sources[("POS", "ERP")] == "contracts.csv:8"
    c = reg.contracts
    assert c["A-05"].clause_words == {
        "innovation": ("innovation",),
        "joint_evaluation": ("joint evaluation",),
    }
    assert c["A-09"].clause_words["freedom_of_movement"] == ("freedom-of-movement",)
    assert (c["A-10"].mode_as_written, c["A-10"].clause_words) == (
        "Trust",
        {"open_book": ("open book",)},
    )
    assert c["A-04"].mode_as_written is None


# -- the CSV reader on made registers ------------------------------------------------------------


def test_empty_optional_cells_are_not_recorded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "lots.csv": "lot_id,name,prime_contractor,complexity,dynamics,commodity\n"
            "K1,,,,,\n"
            "K2,Netwerk,acme,hoog,laag,ja\n",
            "contracts.csv": "contract_id,supplier,lot,mode,clauses,annual_value\n"
            "C1,acme,K1,,,\n"
            "C2,acme,K2, Vertrouwen ,  Open Boek | SLA ,0\n",
        },
    )
    reg = read_register(tmp_path)
    k1, k2 = reg.lots["K1"], reg.lots["K2"]
    assert (k1.complexity, k1.dynamics, k1.commodity, k1.prime_contractor_defaulted) == (
        None,
        None,
        None,
        True,
    )
    assert (k2.complexity, k2.dynamics, k2.commodity, k2.prime_contractor_defaulted) == (
        "high",
        "low",
        True,
        False,
    )
    c1, c2 = reg.contracts["C1"], reg.contracts["C2"]
    assert (c1.mode_as_written, c1.clause_words, c1.annual_value) == (None, {}, None)
    assert c2.mode_as_written == "Vertrouwen"  # trimmed
    assert c2.clause_words == {"open_book": ("Open Boek",), "sla": ("SLA",)}
    assert c2.annual_value == 0.0
    [warning] = [w for w in reg.warnings if "prime contractor" in w.message]
    assert (warning.file, warning.line, warning.column) == (str(tmp_path / "lots.csv"), 2, 3)


def test_a_row_over_several_lines_is_at_its_first_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "contracts.csv": 'contract_id,supplier,lot,mode,note\nC1,a,K1,trust,"two\nlines"\n'
            "C2,a,K1,trust,one\n"
        },
    )
    reg = read_register(tmp_path)
    assert [c.source for c in reg.contracts.values()] == ["contracts.csv:2", "contracts.csv:4"]


def test_accents_and_windows_1252_in_a_zip(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "files",
        {
            "leveranciers.csv": "leverancier;naam\nbèta;Bèta Diensten\n",
            "contracten.csv": "contractnummer;leverancier;kavel;samenwerkingsvorm;clausules\n"
            "C-é;bèta;Kavel één;Wantrouwen;Beëindiging|boete\n",
        },
        encoding="cp1252",
    )
    path = tmp_path / "register.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name in ("leveranciers.csv", "contracten.csv"):
            zf.write(folder / name, f"Überblick/{name}")
    reg = read_register(path)
    assert reg.organisations["bèta"].source == "Überblick/leveranciers.csv:2"
    c = reg.contracts["C-é"]
    assert c.source == "Überblick/contracten.csv:2"
    assert (c.mode, c.mode_as_written) == ("distrust", "Wantrouwen")
    assert c.clause_words == {"exit": ("Beëindiging",), "penalty": ("boete",)}
    assert reg.lots["Kavel één"].source == "Überblick/contracten.csv:2"


def test_a_foreign_export_through_a_mapping_keeps_its_own_words(tmp_path: Path) -> None:
    write(
        tmp_path / "export",
        {
            "Export_Contracten.csv": "Contract nr.;Leveranciersnaam;Perceel;Relatie;Regelingen;"
            "Boete (j/n)\n"
            "X-1;acme;P1;Partnerschap;Boeteregeling|SLA;ja\n"
            "X-2;acme;P1;n.v.t.;Open kaart;j\n"
            "X-3;acme;P1;Partnerschap;;nee\n"
        },
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        """version = 1
[files]
"Export_Contracten.csv" = "contracts"
[contracts.columns]
"Contract nr." = "contract_id"
"Leveranciersnaam" = "supplier"
"Perceel" = "lot"
"Relatie" = "mode"
"Regelingen" = "clauses"
"Boete (j/n)" = "clauses:penalty"
[contracts.values.clauses]
"Boeteregeling" = "penalty"
"Open kaart" = "open_book|joint_evaluation"
[contracts.values.mode]
"Partnerschap" = "trust"
"n.v.t." = ""
""",
        encoding="utf-8",
    )
    reg = read_register(tmp_path / "export", mapping=mapping)
    c = reg.contracts
    assert c["X-1"].source == "Export_Contracten.csv:2"
    assert (c["X-1"].mode, c["X-1"].mode_as_written) == ("trust", "Partnerschap")
    # the mapped word, then the flag column's header (its yes adds the same clause type)
    assert c["X-1"].clause_words == {"penalty": ("Boeteregeling", "Boete (j/n)"), "sla": ("SLA",)}
    assert (c["X-2"].mode, c["X-2"].mode_as_written) == (None, "n.v.t.")
    assert c["X-2"].clause_words == {
        "open_book": ("Open kaart",),
        "joint_evaluation": ("Open kaart",),
        "penalty": ("Boete (j/n)",),
    }
    assert c["X-3"].clause_words == {}  # "nee" adds nothing
    assert reg.lots["P1"].prime_contractor_defaulted  # the export names no prime contractor


def test_validate_and_load_print_the_defaulted_prime_contractor(tmp_path: Path) -> None:
    result = cli("validate", str(WATERLAND), "--lang", "en", env=no_neo4j_env())
    assert result.returncode == 0, result.stderr
    assert f"kavels.csv:2:3: warning: lot 'K01' {DEFAULTED}" in result.stderr
    assert f"kavels.csv:7:3: warning: lot 'K06' {DEFAULTED}" in result.stderr
    assert "7 warning" in result.stdout
    dutch = cli("validate", str(WATERLAND), env=no_neo4j_env())  # the register's language
    assert (
        "kavels.csv:2:3: waarschuwing: geen hoofdaannemer vastgelegd voor kavel 'K01': own-it "
        "voert de regie (de standaard)"
    ) in dutch.stderr
    as_json = json.loads(cli("validate", str(WATERLAND), "--format", "json").stdout)
    [k01] = [w for w in as_json["warnings"] if "'K01'" in w["message"]]
    assert (k01["line"], k01["column"], k01["value"]) == (2, 3, "")
    assert k01["expected"] == "the lot's prime contractor (a supplier_id, or own-it)"


# -- DORA ----------------------------------------------------------------------------------------


def test_dora_package_and_overlay_say_where() -> None:
    reg = read_dora(DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay")
    assert reg.organisations["LEI-NOVACLOUD-EU"].source == "b_05.01.csv:2"
    assert reg.organisations[OWN_IT].source is None  # always there, never read
    assert reg.functions["F01"].source == "b_06.01.csv:2"
    assert reg.contracts["CTR-01"].source == "b_02.01.csv:2"
    stand_in = reg.lots["eba_TA:S04"]
    assert stand_in.prime_contractor_defaulted and stand_in.source.startswith("b_02.02.csv:")
    assert reg.lots["PAY"].source == "lots.csv:2" and not reg.lots["PAY"].prime_contractor_defaulted
    assert {s.source for s in reg.subcontracting} >= {"b_05.02.csv:2", "b_05.02.csv:3"}
    ctr = reg.contracts["CTR-01"]  # the overlay's words
    assert ctr.mode_as_written == "vertrouwen"
    assert ctr.clause_words == {"penalty": ("boete",), "sla": ("SLA",)}
    assert reg.dependency_sources[("PAY", "CORE")] == "dependencies.csv:2"


# -- the embedded graph --------------------------------------------------------------------------


def test_the_embedded_graph_carries_the_provenance() -> None:
    graph = to_networkx(read_register(WATERLAND))
    contract = graph.nodes["contract", "WL-06"]
    assert contract["source"] == "contracten.csv:7"
    assert contract["mode_as_written"] == "betrouwbaarheid"
    assert contract["clause_words"]["obligation"] == ("inspanningsverplichting",)
    lot = graph.nodes["lot", "K06"]
    assert (lot["complexity"], lot["prime_contractor_defaulted"]) == (None, True)
    edges = {(d["type"], v): d for _, v, d in graph.out_edges(("contract", "WL-06"), data=True)}
    assert edges["SUPPLIED_BY", ("organisation", "kwelder")]["source"] == "contracten.csv:7"
    assert edges["DELIVERS", ("function", "F-INFRA")]["source"] == "contracten.csv:7"
    coordinated = {u[1]: d for u, _, d in graph.edges(data=True) if d["type"] == "COORDINATED_BY"}
    assert coordinated["K01"] == {
        "type": "COORDINATED_BY",
        "source": "kavels.csv:2",
        "defaulted": True,
    }
    assert coordinated["K02"]["defaulted"] is False
    depends = graph.edges[("lot", "K01"), ("lot", "K11"), "DEPENDS_ON"]
    assert depends["source"] == "afhankelijkheden.csv:2"


# -- RDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "nt", "xml", "json-ld"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: read_register(WATERLAND),
        lambda: read_register(ACME),
        lambda: read_dora(DATA / "dora" / "bank-roi", overlay=DATA / "dora" / "bank-roi-overlay"),
    ],
    ids=["waterland", "acme", "dora"],
)
def test_rdf_keeps_the_provenance(make, fmt: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    register = make()
    path = tmp_path / "register.rdf"
    write_rdf(register, path, fmt)
    again = read_rdf(path, format=fmt)
    assert replace(again, source=register.source, warnings=register.warnings) == register
    if fmt == "json-ld":  # rdflib gives a value's words in no set order
        for c in [*register.contracts.values(), *again.contracts.values()]:
            c.clause_words = {k: tuple(sorted(v)) for k, v in c.clause_words.items()}
    assert provenance(again) == provenance(register)


def test_rdf_of_waterland_says_it_in_the_ontology_s_words() -> None:
    graph = register_to_rdf(read_register(WATERLAND))
    turtle = graph.serialize(format="turtle")
    sg = "https://w3id.org/sourcing-graph/ontology#"
    rows = graph.query(
        f"""PREFIX sg: <{sg}>
        SELECT ?id ?word WHERE {{
            ?c sg:identifier ?id ; sg:clauseWording ?w .
            ?w sg:wordingOf sg:ObligationClause ; sg:clauseWord ?word .
        }} ORDER BY ?id"""
    )
    assert [(str(i), str(w)) for i, w in rows] == [
        ("WL-04", "resultaatverplichting"),
        ("WL-06", "inspanningsverplichting"),
        ("WL-12", "resultaatverplichting"),
        ("WL-16", "verplichting"),
    ]
    assert "sg:modeAsWritten" in turtle and "sg:primeContractorDefaulted" in turtle
    k06 = URIRef("https://w3id.org/sourcing-graph/id/lot/K06")
    lot = {str(p).split("#")[-1]: str(o) for p, o in graph.predicate_objects(k06)}
    assert "complexity" not in lot  # not recorded: absent, not low
    assert (lot["dynamics"], lot["source"], lot["primeContractorDefaulted"]) == (
        sg + "Low",
        "kavels.csv:7",
        "true",
    )


def test_rdf_from_elsewhere_without_provenance_reads() -> None:
    """RDF without sg:source or sg:primeContractorDefaulted: a lot without sg:primeContractor is
    defaulted; nothing else is invented."""
    turtle = """
        @prefix sg: <https://w3id.org/sourcing-graph/ontology#> .
        @prefix lot: <https://w3id.org/sourcing-graph/id/lot/> .
        @prefix org: <https://w3id.org/sourcing-graph/id/org/> .
        @prefix contract: <https://w3id.org/sourcing-graph/id/contract/> .
        lot:K1 a sg:Lot ; sg:identifier "K1" .
        lot:K2 a sg:Lot ; sg:identifier "K2" ; sg:primeContractor org:own-it .
        contract:C1 a sg:Contract ; sg:identifier "C1" ; sg:supplier org:acme ;
            sg:lot lot:K1 ; sg:hasClause sg:PenaltyClause .
    """
    reg = rdf_to_register(Graph().parse(data=turtle, format="turtle"))
    assert (
        reg.lots["K1"].prime_contractor_defaulted and not reg.lots["K2"].prime_contractor_defaulted
    )
    assert reg.lots["K1"].complexity is None and reg.lots["K1"].commodity is None
    c = reg.contracts["C1"]
    assert (c.source, c.mode_as_written, c.clause_words) == (None, None, {})


def test_rdf_words_for_a_clause_the_contract_lacks_are_a_problem() -> None:
    turtle = """
        @prefix sg: <https://w3id.org/sourcing-graph/ontology#> .
        @prefix lot: <https://w3id.org/sourcing-graph/id/lot/> .
        @prefix org: <https://w3id.org/sourcing-graph/id/org/> .
        @prefix contract: <https://w3id.org/sourcing-graph/id/contract/> .
        @prefix wording: <https://w3id.org/sourcing-graph/id/wording/C1/> .
        contract:C1 a sg:Contract ; sg:identifier "C1" ; sg:supplier org:acme ;
            sg:lot lot:K1 ; sg:hasClause sg:PenaltyClause ; sg:clauseWording wording:bonus .
        wording:bonus a sg:ClauseWording ; sg:wordingOf sg:BonusClause ;
            sg:clauseWord "bonusregeling" .
    """
    with pytest.raises(RegisterError, match="gives words for a clause type"):
        rdf_to_register(Graph().parse(data=turtle, format="turtle"))
