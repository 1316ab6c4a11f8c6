"""The positions of a large view, computed here so the browser's physics can stay off.

A fast shelf-and-barycentre layout, linear in the size of the view: lots on shelves, each lot's
contracts on a disc around it, everything else near what it is linked to.
"""

from __future__ import annotations

import math
import zlib
from collections import defaultdict

from sourcing_graph.views.view_graph import ViewEdge, ViewNode


def _hash_unit(text: str, salt: int = 0) -> float:
    """A deterministic number in [0, 1) for a text (not Python's salted ``hash``)."""
    return (zlib.crc32(text.encode("utf-8"), salt) & 0xFFFFFFFF) / 2**32


def _shelf(radii: list[float], gap: float) -> list[tuple[float, float]]:
    """Centres for discs of the given radii, packed row by row into a roughly 16:9 area."""
    if not radii:
        return []
    area = sum((2 * r + gap) ** 2 for r in radii)
    width = max(math.sqrt(area * 16 / 9), max(2 * r + gap for r in radii))
    centres = []
    x = y = row_height = 0.0
    for r in radii:
        d = 2 * r + gap
        if x > 0 and x + d > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        centres.append((x + d / 2, y + d / 2))
        x += d
        row_height = max(row_height, d)
    return centres


def _around(points: list[tuple[float, float]], ref: str, base: float) -> tuple[float, float]:
    """A spot near the barycentre of ``points``, spread by how scattered they are, fixed per ref."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    spread = math.sqrt(sum((p[0] - cx) ** 2 + (p[1] - cy) ** 2 for p in points) / len(points))
    angle = 2 * math.pi * _hash_unit(ref, 1)
    dist = base + math.sqrt(_hash_unit(ref, 2)) * spread * 0.6
    return cx + dist * math.cos(angle), cy + dist * math.sin(angle)


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout(nodes: list[ViewNode], edges: list[ViewEdge]) -> None:
    """Give every node a position, in time linear in the size of the view.

    Lots are packed on shelves (grouped by prime contractor); each lot's contracts sit on a
    sunflower disc around it; suppliers, functions and prime contractors near the barycentre of
    what they are linked to; anything left on a row underneath.
    """
    by_id = {n.id: n for n in nodes}
    links: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        links[e.source].append(e.target)
        links[e.target].append(e.source)
    lots = [n for n in nodes if n.kind == "lot"]
    prime_of = {n.id: next((t for t in links[n.id] if by_id[t].kind == "prime"), "") for n in lots}
    lots.sort(key=lambda n: (prime_of[n.id], n.ref))
    members: dict[str, list[ViewNode]] = {
        n.id: sorted(
            (by_id[t] for t in links[n.id] if by_id[t].kind == "contract"), key=lambda m: m.ref
        )
        for n in lots
    }
    step, core = 16.0, 34.0
    radii = [core + step * math.sqrt(len(members[n.id]) + 1) for n in lots]
    for lot, (x, y) in zip(lots, _shelf(radii, 90.0), strict=True):
        lot.x, lot.y = x, y
        for j, c in enumerate(members[lot.id]):
            r = core + step * math.sqrt(j + 0.5)
            c.x, c.y = x + r * math.cos(j * GOLDEN_ANGLE), y + r * math.sin(j * GOLDEN_ANGLE)
    # contracts without a lot in view: near their supplier, later
    for kind, base in (("function", 26.0), ("supplier", 34.0), ("prime", 60.0), ("contract", 20.0)):
        for n in nodes:
            if n.kind != kind or n.x is not None:
                continue
            points = [(by_id[t].x, by_id[t].y) for t in links[n.id] if by_id[t].x is not None]
            if points:
                n.x, n.y = _around(points, n.ref, base)  # type: ignore[arg-type]
    placed = [n for n in nodes if n.x is not None]
    bottom = max((n.y for n in placed if n.y is not None), default=0.0) + 120
    for i, n in enumerate(n for n in nodes if n.x is None):
        n.x, n.y = 80.0 * (i % 40), bottom + 80.0 * (i // 40)
    for n in nodes:
        n.x, n.y = round(n.x or 0.0, 1), round(n.y or 0.0, 1)
