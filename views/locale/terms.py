"""The domain's words in Dutch and English: the ontology's labels of modes, clause types, levels,
selection bases, rules, the reasons, directions and mode bases of the analyses, and R14's window
statuses and R15's sourcing options.

The ontology is the one copy of these words (``rdfs:label`` in ``nl`` and ``en`` of the individual
whose ``sg:key`` is the word's key). :func:`ontology_labels` reads them once; a kind of word is
found by the class of its individual (:data:`KIND_CLASSES`). A mode basis may come as the R1
helper's ``reason`` (``clause``) or as the stored ``modeBasis`` (``forced_by_clause``): both are
the ontology's ``sg:ModeBasis`` individual.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from rdflib import RDF, RDFS, Literal

from sourcing_graph.graph.conclusions import BASIS_OF_REASON
from sourcing_graph.ontology.graphs import packaged_graph
from sourcing_graph.ontology.rules import SG

KIND_CLASSES: dict[str, tuple[str, ...]] = {
    "mode": ("CollaborationMode",),
    "clause": ("ClauseType",),
    "level": ("Level",),
    "severity": ("SeverityLevel",),
    "selection_basis": ("SelectionBasis",),
    "retained_type": ("RetainedFunctionType",),
    "rule": ("Rule",),
    "reason": ("Reason",),
    "direction": ("Direction",),
    "mode_basis": ("ModeBasis", "Basis"),
    "verdict": ("SourcingOption",),
    "window_status": ("WindowStatus",),
}
"""Kind of word -> the ontology classes (local names) whose individuals carry it; a class matches
when its local name is one of these or ends with one (``sg:TrustGapReason`` is a reason)."""
EXCLUDED = ("RuleParameter", "SelectionBasis")
"""Classes that end like another kind's class but are not of it."""

Labels = dict[str, str]
"""Language tag -> label."""


def _local(iri: object) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _matches(kind: str, classes: set[str]) -> bool:
    wanted = KIND_CLASSES[kind]
    for name in classes:
        if name in wanted:
            return True
        if any(name.endswith(w) for w in wanted) and name not in EXCLUDED:
            return True
    return False


@cache
def _by_key() -> dict[str, list[tuple[set[str], Labels]]]:
    """sg:key -> [(the individual's class names, its labels)] of the packaged ontology."""
    graph = packaged_graph()
    out: dict[str, list[tuple[set[str], Labels]]] = defaultdict(list)
    for subject, key in graph.subject_objects(SG.key):
        classes = {_local(c) for c in graph.objects(subject, RDF.type)}
        labels = {
            label.language: str(label)
            for label in graph.objects(subject, RDFS.label)
            if isinstance(label, Literal) and label.language
        }
        out[str(key)].append((classes, labels))
    return dict(out)


def ontology_labels(kind: str, key: str) -> Labels:
    """The ontology's labels (by language) of the word ``key`` of ``kind``; empty when it has none."""
    for classes, labels in _by_key().get(key, []):
        if _matches(kind, classes) and labels:
            return labels
    return {}


def term_label(kind: str, key: str, lang: str) -> str | None:
    """The word ``key`` of ``kind`` in ``lang``: the ontology's label (None when it has none)."""
    if kind == "mode_basis":
        key = BASIS_OF_REASON.get(key, key)
    return ontology_labels(kind, key).get(lang) or None
