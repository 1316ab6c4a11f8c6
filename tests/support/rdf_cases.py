"""Bad RDF, one defect at a time: a good base register in Turtle and the edits that break it, each
with the problem it gives (tests/unit/test_rdf.py reads them, test_problems_in_dutch.py checks the
problems' Dutch)."""

from __future__ import annotations

SG_TTL = "@prefix sg: <https://w3id.org/sourcing-graph/ontology#> .\n"
"""The ontology's prefix, to start a Turtle text with."""

GOOD = (
    SG_TTL
    + """@prefix org: <https://w3id.org/sourcing-graph/id/org/> .
@prefix lot: <https://w3id.org/sourcing-graph/id/lot/> .
@prefix contract: <https://w3id.org/sourcing-graph/id/contract/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
org:acme a sg:ExternalSupplier ; sg:identifier "acme" ; sg:internal false .
lot:K1 a sg:Lot ; sg:identifier "K1" ; sg:primeContractor org:own-it .
contract:C1 a sg:Contract ; sg:identifier "C1" ; sg:supplier org:acme ; sg:lot lot:K1 .
"""
)


# (id, text in GOOD to replace, replacement -- or appended when nothing is replaced, message, value)
BAD = [
    ("no supplier", " ; sg:supplier org:acme", "", "has no supplier", None),
    (
        "unknown mode",
        "",
        "contract:C1 sg:declaredMode sg:Maybe .",
        "unknown collaboration mode",
        "sg:Maybe",
    ),
    (
        "mode as text",
        "",
        'contract:C1 sg:declaredMode "trust" .',
        "unknown collaboration mode",
        '"trust"',
    ),
    (
        "unknown clause",
        "",
        "contract:C1 sg:hasClause sg:Trust .",
        "unknown clause type",
        "sg:Trust",
    ),
    (
        "date not a date",
        "",
        'contract:C1 sg:startDate "31-01-2025" .',
        "is not a date",
        '"31-01-2025"',
    ),
    (
        "ill-formed date",
        "",
        'contract:C1 sg:endDate "2025-02-30"^^xsd:date .',
        "is not a date",
        None,
    ),
    ("value not a number", "", 'contract:C1 sg:annualValue "veel" .', "is not a number", '"veel"'),
    ("boolean as text", "", 'lot:K1 sg:commodity "ja" .', "is not a boolean", '"ja"'),
    ("identifier not a string", 'sg:identifier "K1"', "sg:identifier 1", "is not a string", None),
    ("two lots", "", "contract:C1 sg:lot lot:K2 .", "has 2 values of sg:lot", None),
    (
        "supplier is a lot",
        "sg:supplier org:acme",
        "sg:supplier lot:K1",
        "refers to a lot, not a org",
        "sgr:lot/K1",
    ),
    (
        "reference to a stranger",
        "sg:lot lot:K1",
        "sg:lot <http://example.org/K1>",
        "not a lot",
        None,
    ),
    ("self dependency", "", "lot:K1 sg:dependsOn lot:K1 .", "depends on itself", None),
    (
        "duplicate identifier",
        "",
        'lot:K9 a sg:Lot ; sg:identifier "K1" .',
        "share an identifier",
        "K1",
    ),
    (
        "external but internal",
        "sg:internal false",
        "sg:internal true",
        "sg:ExternalSupplier but is internal",
        None,
    ),
    (
        "own-it external",
        "",
        "org:own-it a sg:ExternalSupplier ; sg:internal false .",
        "always internal",
        None,
    ),
    ("unknown sg property", "", "lot:K1 sg:colour sg:Red .", "does not belong", "sg:colour"),
    ("complexity as text", "", 'lot:K1 sg:complexity "hoog" .', "unknown level", '"hoog"'),
    ("two kinds", "", "lot:K1 a sg:Contract .", "two kinds", None),
]
