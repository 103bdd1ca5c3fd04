/* syndet pair view: click (or Enter on) a passage to bring its counterpart into view in the other text.
   Works on every [data-pair] element of the page, including ones added later (the scan report builds
   them from embedded JSON with syndet.buildSide). No dependencies, nothing fetched. */
(function () {
  "use strict";

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function otherSide(side) {
    return side === "a" ? "b" : "a";
  }

  function anchor(pair, side, p) {
    return document.getElementById((pair.getAttribute("data-prefix") || "") + side + "-p" + p);
  }

  function reveal(el) {
    el.scrollIntoView({ block: "center", inline: "nearest", behavior: reduceMotion ? "auto" : "smooth" });
  }

  function markCurrent(pair, p) {
    var old = pair.querySelectorAll(".text .current");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("current");
    var now = pair.querySelectorAll('.text [data-ps~="' + p + '"]');
    for (var j = 0; j < now.length; j++) now[j].classList.add("current");
    pair.setAttribute("data-current", String(p));
    var status = pair.querySelector(".status");
    if (status) status.textContent = "Passage " + (p + 1) + " of " + pair.getAttribute("data-count");
  }

  /* Show passage p: its counterpart when clicked on one side (`from`), both sides otherwise. */
  function show(pair, p, from) {
    markCurrent(pair, p);
    var sides = from ? [otherSide(from)] : ["a", "b"];
    for (var i = 0; i < sides.length; i++) {
      var target = anchor(pair, sides[i], p);
      if (target) reveal(target);
    }
    var focus = anchor(pair, from ? otherSide(from) : "a", p);
    if (focus && focus.tabIndex >= 0) focus.focus({ preventScroll: true });
  }

  function step(pair, delta) {
    var count = parseInt(pair.getAttribute("data-count") || "0", 10);
    if (!count) return;
    var current = parseInt(pair.getAttribute("data-current") || "-1", 10);
    var next = current < 0 ? (delta > 0 ? 0 : count - 1) : (current + delta + count) % count;
    show(pair, next, null);
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var button = target.closest("[data-step]");
    var pair = target.closest("[data-pair]");
    if (!pair) return;
    if (button) {
      step(pair, parseInt(button.getAttribute("data-step"), 10));
      return;
    }
    var passage = target.closest("[data-p]");
    if (!passage) return;
    event.preventDefault();
    var text = passage.closest(".text");
    show(pair, parseInt(passage.getAttribute("data-p"), 10), text ? text.getAttribute("data-side") : null);
  });

  /* n / p (or j / k) step through the passages of the pair that holds the focus. */
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target instanceof Element ? event.target : null;
    if (!target || target.closest("input, textarea, select, [contenteditable]")) return;
    var pair = target.closest("[data-pair]") || document.querySelector("[data-pair]:not([hidden])");
    if (!pair) return;
    if (event.key === "n" || event.key === "j") step(pair, 1);
    else if (event.key === "p" || event.key === "k") step(pair, -1);
    else return;
    event.preventDefault();
  });

  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    var pair = el && el.closest("[data-pair]");
    if (pair && el.hasAttribute("data-p")) markCurrent(pair, parseInt(el.getAttribute("data-p"), 10));
  }
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("DOMContentLoaded", fromHash);

  /* Build one side's text from runs [start, end, [passages, own colour's first], greyed reason or null], as
     side_html in service/ui/segments.py does on the server. Offsets count code points (Python), so the text
     is cut as code points. */
  function buildSide(container, text, runs, side, prefix) {
    var chars = Array.from(text);
    var other = otherSide(side);
    var shown = {};
    var placed = {};
    runs.forEach(function (run) { if (run[2].length) shown[run[2][0]] = true; });
    var frag = document.createDocumentFragment();
    for (var i = 0; i < runs.length; i++) {
      var run = runs[i];
      var body = chars.slice(run[0], run[1]).join("");
      var passages = run[2];
      var reason = run[3];
      if (!passages.length) {
        if (reason) {
          var span = document.createElement("span");
          span.className = "muted";
          span.title = reason;
          span.textContent = body;
          frag.appendChild(span);
        } else {
          frag.appendChild(document.createTextNode(body));
        }
        continue;
      }
      var p = passages[0];
      for (var k = 1; k < passages.length; k++) {
        var q = passages[k];
        if (shown[q] || placed[q]) continue;
        placed[q] = true;
        var empty = document.createElement("span");
        empty.className = "anchor";
        empty.setAttribute("data-p", String(q));
        empty.setAttribute("data-ps", String(q));
        empty.id = prefix + side + "-p" + q;
        frag.appendChild(empty);
      }
      var first = !placed[p];
      placed[p] = true;
      var el = document.createElement(first ? "a" : "mark");
      el.className = "p c" + (p % 8) + (passages.length > 1 ? " multi" : "") + (first ? " first" : "") +
        (reason ? " muted" : "");
      if (reason) el.title = reason;
      el.setAttribute("data-p", String(p));
      el.setAttribute("data-ps", passages.slice().sort(function (x, y) { return x - y; }).join(" "));
      if (first) {
        el.setAttribute("data-n", String(p + 1));
        el.id = prefix + side + "-p" + p;
        el.setAttribute("href", "#" + prefix + other + "-p" + p);
      }
      el.textContent = body;
      frag.appendChild(el);
    }
    container.textContent = "";
    container.appendChild(frag);
  }

  window.syndet = { buildSide: buildSide, show: show, markCurrent: markCurrent };
})();
