"""The page around a view or report: our assets and templates, safe JSON, the security policy.

Every page is one self-contained HTML file: vis-network (vendored in ``views/assets``, see its
README) is inlined, the data goes in as JSON in a ``<script type="application/json">`` block with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and a Content-Security-Policy allows only our own
inline scripts (by their SHA-256), so even markup that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from sourcing_graph import __version__
from sourcing_graph.views.locale import Words


def asset_text(name: str) -> str:
    """The text of a file in ``views/assets``."""
    return _asset(name)


@cache
def _asset(name: str) -> str:
    return (resources.files("sourcing_graph.views") / "assets" / name).read_text(encoding="utf-8")


@cache
def _environment(lang: str) -> jinja2.Environment:
    """The templates' environment for one language: ``_()`` and ``ngettext()`` translate."""
    words = Words(lang)
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        words.gettext, words.ngettext, newstyle=True, pgettext=words.pgettext
    )
    return env


def render_template(name: str, words: Words, **context: Any) -> str:
    """Render one of our templates in ``words``' language (autoescaped: every ``{{ value }}`` is
    HTML-escaped); the template gets ``lang``."""
    return _environment(words.lang).get_template(name).render(lang=words.lang, **context)


_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&``,
    U+2028 or U+2029 appears raw, so no ``</script>`` or ``<!--`` can end or change the block."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def csp_hash(script: str) -> str:
    """The CSP source expression allowing one inline script: ``'sha256-…'``."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: list[str]) -> str:
    """A policy that allows our inline scripts (by hash) and inline styles, and nothing else.

    ``style-src 'unsafe-inline'`` is needed because vis-network injects its stylesheet at run time;
    ``img-src data:`` for the navigation icons inside that stylesheet.
    """
    hashes = " ".join(csp_hash(s) for s in scripts)
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; "
        "form-action 'none'"
    )


def page_scripts(*extra: str) -> list[str]:
    """The inline scripts of a page with a view: vis-network, the view, then ``extra``."""
    return [_asset("vis-network.min.js"), _asset("view.js"), *extra]


def version() -> str:
    """The package version a page states."""
    return __version__
