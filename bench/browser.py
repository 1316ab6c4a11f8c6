"""The view in headless Chromium: the time until the page is interactive, and until it is ready."""

from __future__ import annotations

import contextlib
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Runs before the page's scripts: catches the vis.Network the page creates (vis-network's UMD
# bundle assigns ``Network`` onto an existing ``window.vis``) and records when it first draws and
# when it stabilises, and when the page's own API (``window.sourcingGraph``, views/assets/view.js)
# says it is ready -- all in the page's clock (performance.now(), from navigation start).
BROWSER_HOOK = """
(() => {
  const marks = (window.__sgBench = {drawn: null, stabilized: null, ready: null, network: false});
  const now = () => performance.now();
  const watch = (net) => {
    if (!net || net.__sgWatched || typeof net.once !== 'function') return;
    net.__sgWatched = true;
    marks.network = true;
    net.once('afterDrawing', () => { if (marks.drawn === null) marks.drawn = now(); });
    net.once('stabilized', () => { if (marks.stabilized === null) marks.stabilized = now(); });
    net.once('stabilizationIterationsDone', () => {
      if (marks.stabilized === null) marks.stabilized = now();
    });
  };
  let Network;
  const vis = window.vis || {};
  Object.defineProperty(vis, 'Network', {
    configurable: true, enumerable: true,
    get() { return Network; },
    set(Original) {
      Network = function (...args) { const net = new Original(...args); watch(net); return net; };
      Network.prototype = Original.prototype;
      Object.setPrototypeOf(Network, Original);
    },
  });
  window.vis = vis;
  let api;
  Object.defineProperty(window, 'sourcingGraph', {
    configurable: true, enumerable: true,
    get() { return api; },
    set(value) {
      api = value;
      if (!value || typeof value !== 'object') return;
      watch(value.network);
      let ready = value.ready;
      if (ready === true && marks.ready === null) marks.ready = now();
      Object.defineProperty(value, 'ready', {
        configurable: true, enumerable: true,
        get() { return ready; },
        set(v) { ready = v; if (v === true && marks.ready === null) marks.ready = now(); },
      });
    },
  });
})();
"""

BROWSER_INTERACTIVE = """
() => { const m = window.__sgBench;
        return !!m && (m.drawn !== null || m.stabilized !== null || m.ready !== null); }
"""
BROWSER_READY = "() => !!window.__sgBench && window.__sgBench.ready !== null"


def browser_time_to_interactive(html: Path, timeout_s: float) -> dict[str, float | None]:
    """Open ``html`` in headless Chromium; milliseconds from navigation start until the network
    first drew or stabilised (interactive), and until ``window.sourcingGraph.ready`` (the page's
    own "laid out and drawn"). ``timeout`` is set when it was not interactive in time."""
    # playwright is optional (a test and bench extra): imported only when the browser is measured
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS[1:]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.add_init_script(BROWSER_HOOK)
            page.goto(html.resolve().as_uri(), wait_until="commit", timeout=timeout_s * 1000)
            try:
                page.wait_for_function(BROWSER_INTERACTIVE, timeout=timeout_s * 1000, polling=20)
            except Exception:
                return {"interactive_ms": None, "ready_ms": None, "timeout": timeout_s}
            with contextlib.suppress(Exception):
                page.wait_for_function(BROWSER_READY, timeout=timeout_s * 1000, polling=50)
            marks = page.evaluate("() => window.__sgBench")
        finally:
            browser.close()
    seen = [marks.get(k) for k in ("drawn", "stabilized", "ready") if marks.get(k) is not None]
    return {
        "interactive_ms": min(seen) if seen else None,
        "ready_ms": marks.get("ready"),
        "timeout": None,
    }
