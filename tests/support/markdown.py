"""Reading Markdown as a person sees it: rendered by markdown-it (raw HTML passed through, the worst
case) and parsed back into elements and table cells."""

from __future__ import annotations

from html.parser import HTMLParser


class Tags(HTMLParser):
    """The elements of an HTML fragment and the text of each table cell, per table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rendered(markdown: str) -> Tags:
    """The elements and tables of ``markdown`` rendered with raw HTML allowed."""
    from markdown_it import MarkdownIt

    parsed = Tags()
    parsed.feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    return parsed


def markdown_tables(markdown: str) -> list[list[list[str]]]:
    """The tables of ``markdown`` as rendered: rows of cell texts, the header row first."""
    return rendered(markdown).tables
