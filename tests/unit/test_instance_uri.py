"""A register instance's IRI percent-encodes its identifier exactly as ``urllib.parse.quote``
does with nothing safe, on the fast path of plain identifiers (and finding keys) too."""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest

from sourcing_graph.model import INSTANCE_NS, instance_uri

ALPHABET = "AZaz09-._~|%#/ é€😀\x00\u200b+:;?&=@[]!$'()*,"


@pytest.mark.parametrize("seed", range(20))
def test_the_identifier_is_encoded_as_quote_does(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        ident = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))
        assert instance_uri("lot", ident) == f"{INSTANCE_NS}lot/{quote(ident, safe='')}", ident


@pytest.mark.parametrize(
    "ident",
    ["C-000123", "R13|C-000123", "R3|K%C3%A9|K2", "R3|#" + "a" * 64, "", "%", "|%|#", "a~b.c_d"],
)
def test_plain_identifiers_and_finding_keys(ident: str) -> None:
    assert instance_uri("finding", ident) == f"{INSTANCE_NS}finding/{quote(ident, safe='')}"
