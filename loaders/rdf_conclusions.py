"""The conclusions of a register as RDF rows: modes on contracts and lots, ``sg:Finding`` resources.

The writer takes the conclusions as plain data (the loaders never import the engines): the dict of
``Conclusions.as_data()`` (:mod:`sourcing_graph.graph.conclusions`), which the CLI's ``export``
computes with the engine and passes on. What is written, typed by the ontology:

- on a contract: ``sg:effectiveMode`` (the mode's individual, absent when unknown) and
  ``sg:modeBasis`` (``sg:BasisForcedByClause``...);
- on a lot: ``sg:lotMode`` (absent when unknown) and ``sg:recommendedMode``;
- per finding, ``sgr:finding/<percent-encoded key>`` typed ``sg:Finding`` with ``sg:findingKey``,
  ``sg:rule`` (``sg:RuleR3``...), ``sg:about`` (each entity it names), ``sg:findingSeverity``
  (when it has one), ``sg:statement`` in Dutch and English, and ``sg:findingData`` (the row's
  fields as JSON text).

Reading RDF back ignores all of it (:mod:`~sourcing_graph.loaders.rdf_read`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sourcing_graph.loaders import rdf_terms as t
from sourcing_graph.model import instance_uri
from sourcing_graph.text import json_text

Row = tuple[str, str, str, str | None]
"""As in :mod:`~sourcing_graph.loaders.rdf_write`; a datatype ``@nl`` is a language tag."""

_KINDS = {
    "Organisation": t.KIND_ORGANISATION,
    "Lot": t.KIND_LOT,
    "Function": t.KIND_FUNCTION,
    "Contract": t.KIND_CONTRACT,
}


def conclusion_rows(conclusions: Mapping[str, Any], vocab: t.Vocabulary) -> Iterator[Row]:
    """The rows of ``conclusions`` (see the module), grouped by subject."""
    modes = vocab.modes
    for ident, props in conclusions.get("contracts", {}).items():
        s = instance_uri(t.KIND_CONTRACT, ident)
        if props.get("effectiveMode") in modes:
            yield s, t.EFFECTIVE_MODE, modes[props["effectiveMode"]], None
        if props.get("modeBasis") in vocab.mode_bases:
            yield s, t.MODE_BASIS, vocab.mode_bases[props["modeBasis"]], None
    for ident, props in conclusions.get("lots", {}).items():
        s = instance_uri(t.KIND_LOT, ident)
        if props.get("mode") in modes:
            yield s, t.LOT_MODE, modes[props["mode"]], None
        if props.get("recommendedMode") in modes:
            yield s, t.RECOMMENDED_MODE, modes[props["recommendedMode"]], None
    for finding in conclusions.get("findings", []):
        yield from _finding(finding, vocab)


def _finding(finding: Mapping[str, Any], vocab: t.Vocabulary) -> Iterator[Row]:
    s = instance_uri("finding", finding["key"])
    yield s, t.TYPE, t.FINDING_CLASS, None
    yield s, t.FINDING_KEY, finding["key"], t.XSD_STRING
    if finding["rule"] in vocab.rules:
        yield s, t.RULE, vocab.rules[finding["rule"]], None
    for _, label, ident in finding["about"]:
        yield s, t.ABOUT, instance_uri(_KINDS[label], ident), None
    if finding.get("severity") is not None:
        yield s, t.FINDING_SEVERITY, finding["severity"], t.XSD_STRING
    yield s, t.STATEMENT, finding["text_nl"], "@nl"
    yield s, t.STATEMENT, finding["text_en"], "@en"
    data = json_text(finding["fields"], sort_keys=True, separators=(",", ":"))
    yield s, t.FINDING_DATA, data, t.XSD_STRING
