"""The focus of a view: the node a focus text (``lot:K03``, a name) names, and its neighbourhood.

A focus view holds the nodes ``depth`` steps from one node. A prime contractor reached on the way is
not expanded to all its lots (it would pull in everything); focus on it to see its lots. A focus on
an organisation in ICT supply chains (DORA) follows them: :func:`supply_chain_reach`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable

from sourcing_graph.errors import ViewError
from sourcing_graph.views.index import Index
from sourcing_graph.views.view_graph import NodeKey

FOCUS_KINDS = {
    "supplier": "organisation",
    "leverancier": "organisation",
    "organisation": "organisation",
    "org": "organisation",
    "prime": "organisation",
    "prime_contractor": "organisation",
    "prime-contractor": "organisation",
    "hoofdaannemer": "organisation",
    "lot": "lot",
    "kavel": "lot",
    "function": "function",
    "functie": "function",
    "contract": "contract",
}


def _display(ix: Index, key: NodeKey) -> str:
    kind, ref = key
    if kind == "organisation":
        return f"{'supplier' if ref in ix.org_contracts else 'prime'}:{ref}"
    return f"{kind}:{ref}"


def resolve_focus(ix: Index, focus: str) -> NodeKey:
    """The node a focus names: ``kind:id`` (``lot:K03``, ``supplier:acme``), a plain id, or a name.

    Raises :class:`ViewError` naming the candidates when the focus is ambiguous or unknown.
    """
    text = focus.strip()
    kind, sep, rest = text.partition(":")
    if sep and kind.strip().lower() in FOCUS_KINDS:
        key = (FOCUS_KINDS[kind.strip().lower()], rest.strip())
        if key in ix.entities:
            return key
    ids = [
        (k, text)
        for k in ("organisation", "lot", "function", "contract")
        if (k, text) in ix.entities
    ]
    if len(ids) == 1:
        return ids[0]

    if len(ids) > 1:
        names = ", ".join(_display(ix, k) for k in ids)
        raise ViewError(f"focus {focus!r} is ambiguous: it could be {names}; write one of these")
    folded = text.casefold()
    by_name = [
        k for k, e in ix.entities.items() if (getattr(e, "name", None) or "").casefold() == folded
    ]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        names = ", ".join(_display(ix, k) for k in sorted(by_name))
        raise ViewError(f"focus {focus!r} names several nodes: {names}; write one of these")
    by_ref: dict[str, list[NodeKey]] = defaultdict(list)
    for key in ix.entities:
        by_ref[key[1]].append(key)
    close = difflib.get_close_matches(
        rest.strip() if sep else text, sorted(by_ref), n=5, cutoff=0.6
    )
    suggestions = [_display(ix, key) for ref in close for key in sorted(by_ref[ref])]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise ViewError(
        f"unknown focus {focus!r}: no supplier, prime contractor, lot, function or contract has "
        f"that id or name (write kind:id, e.g. lot:K03){hint}"
    )


def _neighbours(ix: Index, key: NodeKey, is_focus: bool) -> Iterable[NodeKey]:
    kind, ref = key
    if kind == "contract":
        yield from _contract_neighbours(ix, ref)
    elif kind == "lot":
        yield from _lot_neighbours(ix, ref)
    elif kind == "organisation":
        for cid in ix.org_contracts.get(ref, []):
            yield ("contract", cid)
        if is_focus:
            for lot in ix.coordinated.get(ref, []):
                yield ("lot", lot)
    elif kind == "function":
        for cid in ix.function_contracts.get(ref, []):
            yield ("contract", cid)


def _contract_neighbours(ix: Index, ref: str) -> Iterable[NodeKey]:
    """A contract's supplier, lot and functions."""
    c = ix.contract.get(ref)
    if c is not None:
        yield ("organisation", c.supplier)
        yield ("lot", c.lot)
        for f in sorted(c.functions):
            yield ("function", f)


def _lot_neighbours(ix: Index, ref: str) -> Iterable[NodeKey]:
    """A lot's contracts, the lots it depends on or that depend on it, its prime contractor."""
    for cid in ix.lot_contracts.get(ref, []):
        yield ("contract", cid)
    for other in ix.deps_out.get(ref, []) + ix.deps_in.get(ref, []):
        yield ("lot", other)
    yield ("organisation", ix.prime(ref))


def supply_chain_reach(ix: Index, org: str) -> set[NodeKey]:
    """What an organisation in supply chains stands behind: for each arrangement whose chain
    holds it, the arrangement, its direct provider, the providers ``org`` serves up the
    chain (the ``SUBCONTRACTS_TO`` path back to rank 1), those that serve ``org`` down it, and
    the arrangement's critical functions."""
    reach: set[NodeKey] = set()
    for cid, links in ix.chains_with(org).items():
        contract = ix.contract.get(cid)
        if contract is None:
            continue
        reach.add(("contract", cid))
        reach.add(("organisation", contract.supplier))
        up = {(link.supplier, link.recipient) for link in links if link.recipient is not None}
        for path in (_follow(org, up), _follow(org, {(b, a) for a, b in up})):
            reach |= {("organisation", o) for o in path}
        reach |= {
            ("function", f)
            for f in contract.functions
            if ix.functions.get(f) is not None and ix.functions[f].critical
        }
    return reach


def _follow(start: str, pairs: set[tuple[str, str]]) -> set[str]:
    """Every organisation reached from ``start`` along ``pairs`` (from, to), ``start`` too."""
    seen, frontier = {start}, [start]
    while frontier:
        here = frontier.pop()
        for a, b in pairs:
            if a == here and b not in seen:
                seen.add(b)
                frontier.append(b)
    return seen


def neighbourhood(ix: Index, start: NodeKey, depth: int) -> set[NodeKey]:
    """The nodes at most ``depth`` steps from ``start``, and for an organisation (``depth`` 1 or
    more) :func:`supply_chain_reach` (see the module docstring)."""
    seen = {start}
    if start[0] == "organisation" and depth > 0:
        seen |= {k for k in supply_chain_reach(ix, start[1]) if k in ix.entities}
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for key in frontier:
            for other in _neighbours(ix, key, key == start):
                if other not in seen and other in ix.entities:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return seen
