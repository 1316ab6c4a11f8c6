"""The words the page's script (``views/assets/view.js``) shows, in the view's language: it gets
them in the data block, so the script itself holds no words."""

from __future__ import annotations

from sourcing_graph.views.legend import KIND_LABELS
from sourcing_graph.views.locale import Words


def script_words(words: Words) -> dict[str, object]:
    """Message -> text; ``{n}``, ``{shown}``, ``{total}`` are filled in by the script (numbers in
    ``locale``'s digits, with the browser's ``toLocaleString``)."""
    _ = words.gettext
    return {
        "locale": words.locale.replace("_", "-"),
        "nodes": [_("{n} node"), _("{n} nodes")],
        "shown": _("{shown} of {total} nodes shown"),
        "layout": _("Laying out the network …"),
        "select": _("Select a node to see its details."),
        "noMatch": _("no match"),
        "more": _("+{n} more"),
        "finding": _("finding"),
        "kinds": {kind: _(label) for kind, label in KIND_LABELS.items()},
    }
