"""The Neo4j Browser style shipped in docs/neo4j-browser.grass: valid GraSS as Neo4j Browser reads
it, naming only labels and relationship types the graph has (docs/schema.md), with captions that
never show a long text (a definition, a date) where a name or an id belongs."""

from __future__ import annotations

import re

import pytest

from tests.support import ROOT

GRASS = ROOT / "docs" / "neo4j-browser.grass"
SCHEMA = ROOT / "docs" / "schema.md"

PROPERTIES = {
    "diameter": r"\d+px",
    "color": r"#[0-9A-Fa-f]{6}",
    "border-color": r"#[0-9A-Fa-f]{6}",
    "border-width": r"\d+px",
    "text-color-internal": r"#[0-9A-Fa-f]{6}",
    "text-color-external": r"#[0-9A-Fa-f]{6}",
    "font-size": r"\d+px",
    "shaft-width": r"\d+px",
    "padding": r"\d+px",
    "caption": r"'[^':;]*'",
}
"""The style properties Neo4j Browser draws with (its DEFAULT_STYLE and the style panel) and the
form of their values; a caption is quoted and holds neither ``:`` nor ``;`` (Browser splits a
declaration at the first of each)."""

_RULE = re.compile(r"\s*(?P<selector>[^{}\s]+)\s*\{(?P<body>(?:[^{}']|'[^']*')*)\}\s*")
_SELECTOR = re.compile(r"(?P<tag>node|relationship)(?P<classes>(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")


def strict_grass(text: str) -> dict[str, dict[str, str]]:
    """Parse GraSS strictly: ``selector { property: value; ... }`` rules and nothing else."""
    rules: dict[str, dict[str, str]] = {}
    position = 0
    for match in _RULE.finditer(text):
        assert match.start() == position, (
            f"not GraSS at character {position}: {text[position:][:40]!r}"
        )
        position = match.end()
        selector = match.group("selector")
        assert _SELECTOR.fullmatch(selector), f"bad selector {selector!r}"
        assert selector not in rules, f"{selector} twice"
        props: dict[str, str] = {}
        for declaration in filter(str.strip, match.group("body").split(";")):
            name, sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            assert sep and name in PROPERTIES, f"{selector}: unknown property {name!r}"
            assert re.fullmatch(PROPERTIES[name], value), f"{selector}: {name}: {value!r}"
            assert name not in props, f"{selector}: {name} twice"
            props[name] = value.strip("'")
        assert match.group("body").rstrip().endswith(";"), f"{selector}: end every line with ;"
        rules[selector] = props
    assert position == len(text), f"not GraSS at character {position}"
    return rules


def browser_parse(text: str) -> dict[str, dict[str, str]]:
    """What Neo4j Browser makes of ``text`` (``parseGrassCSS`` in its grassUtils, which ``:style``
    and a dropped file go through): characters outside braces (but white space) form the selector;
    ``'`` and ``"`` toggle a string and are dropped; a brace inside the braces and outside a
    string is a binding; declarations split at ``;`` and then at ``:``, kept only when that gives
    exactly two parts."""
    rules: dict[str, str] = {}
    in_string = in_props = in_binding = False
    keyword = props = ""
    for c in text:
        if c in "'\"":
            in_string = not in_string
            continue
        if c == "{" and not in_string:
            in_binding, in_props = (True, True) if in_props else (in_binding, True)
            continue
        if c == "}" and not in_string:
            if in_binding:
                in_binding = False
            else:
                in_props = False
                rules[keyword], keyword, props = props, "", ""
            continue
        if in_props:
            props += c
        elif not c.isspace():
            keyword += c
    parsed: dict[str, dict[str, str]] = {}
    for selector, body in rules.items():
        parsed[selector] = {}
        for declaration in body.split(";"):
            parts = declaration.split(":")
            if len(parts) == 2:
                parsed[selector][parts[0].strip()] = parts[1].strip()
    return parsed


def schema_names() -> tuple[set[str], set[str]]:
    """The labels (tables under headings about nodes) and relationship types docs/schema.md names."""
    text = SCHEMA.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {"nodes": set(), "relationships": set()}
    for heading, body in re.findall(r"^###? ([^\n]+)\n(.*?)(?=^###? |\Z)", text, re.M | re.S):
        kind = next((k for k in found if k in heading.lower()), None)
        if kind is not None:
            found[kind] |= set(re.findall(r"^\|\s*`(\w+)`\s*\|", body, re.M))
    return found["nodes"], found["relationships"]


@pytest.fixture(scope="module")
def style() -> dict[str, dict[str, str]]:
    text = GRASS.read_text(encoding="utf-8")
    rules = strict_grass(text)
    assert browser_parse(text) == rules  # Browser reads exactly what the strict parser reads
    return rules


def test_the_style_is_grass_that_browser_reads_as_written(style: dict[str, dict[str, str]]) -> None:
    assert {"node", "relationship"} <= style.keys()
    assert style["relationship"]["caption"] == "<type>"


def test_every_label_and_type_it_names_is_in_the_schema(style: dict[str, dict[str, str]]) -> None:
    labels, types = schema_names()
    assert {"Lot", "Contract", "Organisation", "CollaborationMode"} <= labels
    for selector in style:
        tag, *classes = selector.split(".")
        known = labels if tag == "node" else types
        assert set(classes) <= known, f"{selector}: not in docs/schema.md"


def test_register_nodes_show_ids_and_names_and_every_label_has_a_short_caption(
    style: dict[str, dict[str, str]],
) -> None:
    labels, _ = schema_names()
    styled = {s.split(".", 1)[1]: props for s, props in style.items() if s.startswith("node.")}
    # OntologyTerm is a second label of every ontology node, never alone: their own styles serve
    assert set(styled) == labels - {"OntologyTerm"}, "every documented label gets a caption"
    for label in ("Lot", "Organisation", "Function"):
        assert styled[label]["caption"] == "{id} {name}"
    assert styled["Contract"]["caption"] == "{id}"
    assert styled["CollaborationMode"]["caption"] == "{key}"
    long_texts = re.compile(r"definition|Date|label(Nl|En)|aliases|words|uri", re.I)
    assert not [s for s, p in styled.items() if long_texts.search(p.get("caption", ""))]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("node { color: #A5ABB6 }", "end every line with ;"),
        ("/* note */ node { color: #A5ABB6; }", "not GraSS at character 0"),
        ("node { colour: #A5ABB6; }", "unknown property 'colour'"),
        ("node.Lot { caption: '{id}: {name}'; }", "caption"),
        ("node.Lot { caption: {name}; }", "caption"),
        ("node.Lot:Contract { color: #A5ABB6; }", "bad selector"),
        ("node { color: red; }", "color"),
    ],
)
def test_the_strict_parser_refuses_what_browser_would_misread(text: str, problem: str) -> None:
    with pytest.raises(AssertionError, match=re.escape(problem)):
        strict_grass(text)
