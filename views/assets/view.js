/* sourcing-graph network view: reads the JSON data block, draws it with vis-network, wires the
 * search box, the filters, the tooltips and the details panel. Everything a register supplies is
 * put on the page with textContent or as plain vis-network labels: never as HTML. */
(function () {
  "use strict";

  var timings = { start: performance.now() };
  var data = JSON.parse(document.getElementById("sg-data").textContent);
  timings.parsed = performance.now();
  var container = document.getElementById("sg-network");
  var statusEl = document.getElementById("sg-status");
  var detailsEl = document.getElementById("sg-details");
  var searchEl = document.getElementById("sg-search");
  var resultsEl = document.getElementById("sg-results");
  var supplierEl = document.getElementById("sg-supplier");
  var findingEl = document.getElementById("sg-finding");
  var resetEl = document.getElementById("sg-reset");
  var modeBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-sg-mode]"));
  var words = data.words;

  /* A message of the data block with {name} filled in (numbers in the page's language). */
  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      var value = values[name];
      return typeof value === "number" ? value.toLocaleString(words.locale) : String(value);
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /* A tooltip as DOM: vis-network shows an Element title as it is (a string would be text too,
   * but an element lets us lay it out without ever parsing markup). */
  function tipElement(tip) {
    var box = el("div", "sg-tip");
    box.appendChild(el("div", "sg-tip-title", tip.t));
    var dl = el("dl");
    tip.r.forEach(function (row) {
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", row[0] === words.finding ? "sg-tip-finding" : null, row[1]));
    });
    box.appendChild(dl);
    return box;
  }

  /* Tooltips are filled when first hovered (vis-network emits hoverNode/hoverEdge before it shows
   * the popup): a large view does not build thousands of DOM trees up front. */
  var tips = new Map();
  var byId = new Map();
  var frames = new Map();
  function frame(key, tip) {
    var box = el("div", "sg-tip-frame");
    frames.set(key, { box: box, tip: tip });
    return box;
  }
  function fill(key) {
    var entry = frames.get(key);
    if (entry && !entry.box.firstChild) entry.box.appendChild(tipElement(entry.tip));
  }
  /* A node or edge for vis-network: its tip kept aside in tipsById, a frame as its title. */
  function drawable(entity, tipsById, prefix) {
    var item = Object.assign({}, entity);
    delete item.tip;
    if (entity.tip) {
      tipsById.set(entity.id, entity.tip);
      item.title = frame(prefix + entity.id, entity.tip);
    }
    return item;
  }
  var nodeItems = data.nodes.map(function (n) {
    byId.set(n.id, n);
    return drawable(n, tips, "n");
  });
  var edgeTips = new Map();
  var edgeItems = data.edges.map(function (e) {
    return drawable(e, edgeTips, "e");
  });

  timings.tooltips = performance.now();
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  timings.network = performance.now();
  var hidden = new Map();

  var api = {
    nodes: nodes,
    edges: edges,
    network: network,
    data: data,
    ready: false,
    timings: timings,
    visibleCount: function () {
      return nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    },
    applyFilters: applyFilters,
    select: choose,
  };
  window.sourcingGraph = api;

  function setStatus(text) {
    statusEl.textContent = text;
  }

  function countLine() {
    var shown = api.visibleCount();
    var total = data.nodes.length;
    if (shown === total) return say(words.nodes[total === 1 ? 0 : 1], { n: total });
    return say(words.shown, { shown: shown, total: total });
  }

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    timings.ready = performance.now();
    document.documentElement.setAttribute("data-sg-ready", "1");
    setStatus(countLine());
    if (data.meta.focus && byId.has(data.meta.focus)) {
      network.selectNodes([data.meta.focus]);
      showDetails(data.meta.focus);
    }
  }

  /* ---- labels that do not overlap ------------------------------------------------------- */

  /* What a node covers on the canvas: its shape and its label (canvas units, so the same at any
   * zoom), as [left, top, right, bottom]; known after the node has been drawn once. */
  function footprint(id) {
    var node = network.body.nodes[id];
    var box = node.shape.boundingBox;
    var out = [box.left, box.top, box.right, box.bottom];
    var label = node.labelModule.size;
    if (node.options.label && label.width > 0) {
      out = [Math.min(out[0], label.left), Math.min(out[1], label.top),
        Math.max(out[2], label.left + label.width), Math.max(out[3], label.top + label.height)];
    }
    return out;
  }

  /* Move nodes apart until no two footprints overlap (at most `rounds` sweeps): each overlapping
   * pair is pushed apart along the axis where they overlap least. Views of a few hundred nodes
   * only (a pass looks at every pair). Returns how many nodes moved. */
  var DECLUTTER_MAX = 400;
  function declutter(rounds) {
    var ids = data.nodes.map(function (n) { return n.id; });
    if (ids.length < 2 || ids.length > DECLUTTER_MAX) return 0;
    var boxes = ids.map(footprint);
    var shift = ids.map(function () { return [0, 0]; });
    var gap = 4;
    for (var round = 0; round < rounds; round++) {
      var moved = false;
      for (var i = 0; i < ids.length; i++) {
        for (var j = i + 1; j < ids.length; j++) {
          var a = boxes[i], b = boxes[j];
          var ox = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + gap;
          var oy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + gap;
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          var dx = 0, dy = 0;
          if (ox < oy) dx = (a[0] + a[2] <= b[0] + b[2] ? -1 : 1) * (ox / 2 + 0.5);
          else dy = (a[1] + a[3] <= b[1] + b[3] ? -1 : 1) * (oy / 2 + 0.5);
          [[i, 1], [j, -1]].forEach(function (pair) {
            var k = pair[0], sign = pair[1], box = boxes[k];
            box[0] += sign * dx; box[2] += sign * dx; box[1] += sign * dy; box[3] += sign * dy;
            shift[k][0] += sign * dx; shift[k][1] += sign * dy;
          });
        }
      }
      if (!moved) break;
    }
    var positions = network.getPositions(ids);
    var count = 0;
    ids.forEach(function (id, k) {
      if (shift[k][0] || shift[k][1]) {
        network.moveNode(id, positions[id].x + shift[k][0], positions[id].y + shift[k][1]);
        count++;
      }
    });
    return count;
  }

  /* The first picture: fit, draw once (so labels have their sizes), move overlapping labels
   * apart, fit again, then ready. */
  function settle() {
    network.fit();
    network.once("afterDrawing", function () {
      timings.decluttered = declutter(200);
      if (timings.decluttered) {
        network.fit();
        network.once("afterDrawing", markReady);
        network.redraw();
      } else {
        markReady();
      }
    });
    network.redraw();
  }

  var physics = data.options.physics && data.options.physics.enabled;
  if (physics && data.nodes.length > 0) {
    setStatus(words.layout);
    network.on("stabilizationProgress", function (p) {
      setStatus(words.layout + " " + Math.round((100 * p.iterations) / p.total) + "%");
    });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settle();
    });
  } else if (data.nodes.length > 0 && data.nodes.length <= DECLUTTER_MAX) {
    settle();
  } else {
    network.once("afterDrawing", markReady);
    network.redraw();
  }

  /* ---- printing (the report) ------------------------------------------------------------ */

  /* When the page is printed, the box has its printed size (no side panel): draw the whole
   * network again at that size (at "beforeprint" and again once the print layout is there);
   * afterwards, back to where the reader was. */
  var beforePrint = null;
  function drawForPrint() {
    if (!api.ready) return;
    if (!beforePrint) beforePrint = { position: network.getViewPosition(), scale: network.getScale() };
    network.redraw();
    network.fit({ animation: false });
    network.redraw();
  }
  function drawForScreen() {
    if (!beforePrint) return;
    network.moveTo({ position: beforePrint.position, scale: beforePrint.scale, animation: false });
    beforePrint = null;
  }
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) {
      printing.addEventListener("change", function (event) {
        if (event.matches) drawForPrint();
        else drawForScreen();
      });
    }
  }
  window.addEventListener("beforeprint", drawForPrint);
  window.addEventListener("afterprint", drawForScreen);

  /* ---- details --------------------------------------------------------------------------- */

  function showDetails(id, isEdge) {
    clear(detailsEl);
    var tip = isEdge ? edgeTips.get(id) : tips.get(id);
    if (tip) {
      detailsEl.appendChild(tipElement(tip));
    } else {
      detailsEl.appendChild(el("p", "sg-muted", words.select));
    }
  }

  network.on("hoverNode", function (params) {
    fill("n" + params.node);
  });
  network.on("hoverEdge", function (params) {
    fill("e" + params.edge);
  });

  network.on("select", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
    else if (params.edges.length) showDetails(params.edges[0], true);
    else showDetails(null);
  });

  /* ---- search ---------------------------------------------------------------------------- */

  var index = data.nodes.map(function (n) {
    return {
      id: n.id,
      name: String(n.name).toLocaleLowerCase(),
      ref: String(n.ref).toLocaleLowerCase(),
    };
  });

  function matches(query) {
    var q = query.trim().toLocaleLowerCase();
    if (!q) return [];
    var exact = [];
    var prefix = [];
    var inner = [];
    index.forEach(function (entry) {
      if (entry.name === q || entry.ref === q) exact.push(entry.id);
      else if (entry.name.indexOf(q) === 0 || entry.ref.indexOf(q) === 0) prefix.push(entry.id);
      else if (entry.name.indexOf(q) >= 0 || entry.ref.indexOf(q) >= 0) inner.push(entry.id);
    });
    return exact.concat(prefix, inner);
  }

  var KIND = words.kinds;

  function renderResults() {
    clear(resultsEl);
    var q = searchEl.value;
    if (!q.trim()) return;
    var found = matches(q);
    if (!found.length) {
      resultsEl.appendChild(el("li", "sg-muted", words.noMatch));
      return;
    }
    found.slice(0, 25).forEach(function (id) {
      var n = byId.get(id);
      var li = el("li");
      var button = el("button", "sg-result");
      button.type = "button";
      button.dataset.id = id;
      button.appendChild(el("span", "sg-result-name", n.name));
      button.appendChild(el("span", "sg-result-kind", KIND[n.kind] + " " + n.ref));
      button.addEventListener("click", function () {
        choose(id);
      });
      li.appendChild(button);
      resultsEl.appendChild(li);
    });
    if (found.length > 25) resultsEl.appendChild(el("li", "sg-muted", say(words.more, { n: found.length - 25 })));
  }

  function choose(id) {
    if (!byId.has(id)) return false;
    if (hidden.get(id)) resetFilters();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
    showDetails(id);
    return true;
  }

  searchEl.addEventListener("input", renderResults);
  searchEl.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      var found = matches(searchEl.value);
      if (found.length) choose(found[0]);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== searchEl) {
      event.preventDefault();
      searchEl.focus();
    }
  });

  /* ---- filters --------------------------------------------------------------------------- */

  data.suppliers.forEach(function (s) {
    var option = el("option", null, s[1]);
    option.value = s[0];
    supplierEl.appendChild(option);
  });
  data.findings.forEach(function (f) {
    var option = el("option", null, f[1] + " (" + f[2] + ")");
    option.value = f[0];
    option.disabled = f[2] === 0;
    findingEl.appendChild(option);
  });

  function applyFilters() {
    var modes = new Set();
    modeBoxes.forEach(function (box) {
      if (box.checked) modes.add(box.getAttribute("data-sg-mode"));
    });
    var supplier = supplierEl.value;
    var finding = findingEl.value;
    var updates = [];
    data.nodes.forEach(function (n) {
      var show =
        (!n.mode || modes.has(n.mode)) &&
        (!supplier || n.suppliers.indexOf(supplier) >= 0) &&
        (!finding || (finding === "*" ? n.findings.length > 0 : n.findings.indexOf(finding) >= 0));
      var hide = !show;
      if ((hidden.get(n.id) || false) !== hide) {
        hidden.set(n.id, hide);
        updates.push({ id: n.id, hidden: hide });
      }
    });
    if (updates.length) nodes.update(updates);
    if (api.ready) setStatus(countLine());
    return api.visibleCount();
  }

  function resetFilters() {
    modeBoxes.forEach(function (box) {
      box.checked = true;
    });
    supplierEl.value = "";
    findingEl.value = "";
    applyFilters();
  }

  modeBoxes.forEach(function (box) {
    box.addEventListener("change", applyFilters);
  });
  supplierEl.addEventListener("change", applyFilters);
  findingEl.addEventListener("change", applyFilters);
  resetEl.addEventListener("click", resetFilters);
})();
