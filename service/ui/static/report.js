/* syndet scan report: the pair list filter and the side-by-side view of a pair (#pair-N), built on demand
   from the JSON embedded in the page. The markup matches the web pages' (service/ui/templates/_macros.html),
   so pairview.js drives both. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("scan-data").textContent);
  var overview = document.getElementById("overview-sections");
  var viewer = document.getElementById("viewer");
  var title = document.getElementById("viewer-title");
  var body = document.getElementById("viewer-body");
  var SNIPPET = 140;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function pct(x) {
    return x > 0 && x < 0.005 ? "<1%" : Math.round(x * 100) + "%";
  }

  function snippet(chars, start, end) {
    var text = chars.slice(start, end).join("").split(/\s+/).filter(Boolean).join(" ");
    return text.length <= SNIPPET ? text : text.slice(0, SNIPPET - 1).replace(/\s+$/, "") + "\u2026";
  }

  function sidePanel(pair, key, prefix) {
    var doc = data.docs[pair[key]];
    var sub = [doc.source, doc.published_at].filter(Boolean).join(" \u00b7 ");
    var share = "shares " + pct(pair.containment[key]) + " of its words";
    var text = el("div", { "class": "text", "data-side": key, tabindex: "0", role: "region",
                           "aria-label": "Text of " + doc.label });
    window.syndet.buildSide(text, doc.text, pair.runs[key], key, prefix);
    var heading = doc.label === pair[key] ? pair[key] : doc.label + " (" + pair[key] + ")";
    return el("section", { "class": "side", "aria-labelledby": prefix + key + "-h" }, [
      el("h3", { id: prefix + key + "-h" }, [heading]),
      el("p", { "class": "sub" }, [(sub ? sub + " \u00b7 " : "") + share]),
      text,
    ]);
  }

  function pairPanel(pair, index) {
    var prefix = "pair-" + index + "-";
    var chars = Array.from(data.docs[pair.a].text);
    var summary = el("div", { "class": "summary" }, [
      el("span", { "class": "kind" }, [(pair.kind || "no reuse").replace(/_/g, " ")]),
      el("span", {}, ["shares " + pct(pair.containment.a) + " of the left text and " + pct(pair.containment.b) +
                      " of the right"]),
      el("span", {}, ["Jaccard " + pair.jaccard.toFixed(2)]),
      el("span", {}, ["wire: ", pair.wire ? el("span", { "class": "wire", title: pair.wire_reason }, [pair.wire])
                                          : el("span", { "class": "note", title: pair.wire_reason }, ["\u2014"])]),
    ]);
    if (pair.origin) {
      summary.appendChild(el("span", {}, ["likely origin: ", el("strong", {}, [pair.origin]), " ",
                                          el("span", { "class": "note" }, ["(" + pair.origin_reason + ")"])]));
    }
    var legend = el("p", { "class": "legend" }, [
      el("span", {}, ["Each colour and number marks one passage found in both texts; select a passage (click, or " +
                      "Tab and Enter) to bring its counterpart into view."]),
      el("span", {}, [el("span", { "class": "muted-sample" }, ["Greyed"]),
                      ": credit lines, picture credits and matches that do not count as reuse (site boilerplate); " +
                      "hover for why."]),
    ]);
    var parts = [summary, legend];
    if (pair.passages.length) {
      var items = pair.passages.map(function (p, n) {
        return el("li", {}, [el("a", { href: "#" + prefix + "a-p" + n, "data-p": String(n) }, [
          el("span", { "class": "swatch c" + (n % 8) }, [String(n + 1)]), " ",
          el("span", { "class": "sim" }, [p[4].toFixed(2)]), " ",
          el("span", { "class": "snip" }, [snippet(chars, p[0], p[1])]),
        ])]);
      });
      var count = pair.passages.length;
      parts.push(el("details", { "class": "passages", open: "" }, [
        el("summary", {}, [count + " shared passage" + (count === 1 ? "" : "s")]),
        el("ol", {}, items),
      ]));
      parts.push(el("div", { "class": "steps" }, [
        el("button", { type: "button", "class": "secondary", "data-step": "-1", "aria-keyshortcuts": "p" },
           ["Previous passage"]),
        el("button", { type: "button", "class": "secondary", "data-step": "1", "aria-keyshortcuts": "n" },
           ["Next passage"]),
        el("span", { "class": "status", "aria-live": "polite" }, []),
      ]));
    } else {
      parts.push(el("p", { "class": "note" }, ["These two texts share no passage."]));
    }
    parts.push(el("div", { "class": "sides" }, [sidePanel(pair, "a", prefix), sidePanel(pair, "b", prefix)]));
    return el("section", { "class": "pair", "data-pair": "", "data-prefix": prefix,
                           "data-count": String(pair.passages.length), "aria-label": "Side by side" }, parts);
  }

  var shown = -1;

  function route() {
    var match = /^#pair-(\d+)(?:-[ab]-p\d+)?$/.exec(location.hash);
    var index = match ? parseInt(match[1], 10) : -1;
    if (index < 0 || index >= data.pairs.length) {
      viewer.hidden = true;
      overview.hidden = false;
      return;
    }
    if (index !== shown) {
      var pair = data.pairs[index];
      title.textContent = pair.a + " and " + pair.b;
      body.textContent = "";
      body.appendChild(pairPanel(pair, index));
      shown = index;
    }
    overview.hidden = true;
    viewer.hidden = false;
    window.scrollTo(0, 0);
    title.focus();
  }

  var filter = document.getElementById("filter");
  if (filter) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#pair-table tbody tr"));
    var count = document.getElementById("filter-count");
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      var visible = 0;
      rows.forEach(function (row) {
        var hit = !q || row.getAttribute("data-search").indexOf(q) >= 0;
        row.hidden = !hit;
        if (hit) visible++;
      });
      count.textContent = q ? visible + " of " + rows.length + " pairs" : "";
    });
  }

  window.addEventListener("hashchange", route);
  route();
})();
