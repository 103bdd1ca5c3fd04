"""Cut one text of a pair into runs for the side-by-side view: shared passages, greyed text, the rest.

A run knows which passages cover it and why it is greyed, if it is. Passages may overlap on one side (a
summary joined over several paragraphs, say); a run then shows the colour of its most specific passage, the
shortest one, so a passage nested in a longer one keeps its own colour on both sides.
The web pages render runs to HTML here (`side_html`); the scan report ships the same runs as JSON
(`runs_json`) and builds the DOM in the browser from them, so both views cut the text in one place.

    >>> [(r.start, r.end, r.passages, r.muted) for r in runs(10, [(2, 6), (4, 9)], [Muted(9, 10, "credit")])]
    [(0, 2, (), None), (2, 4, (0,), None), (4, 6, (0, 1), None), (6, 9, (1,), None), (9, 10, (), 'credit')]
    >>> [r.passages for r in runs(10, [(0, 10), (3, 5)])]
    [(0,), (1, 0), (0,)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

__all__ = ["PALETTE_SIZE", "Muted", "Run", "colour", "runs", "runs_json", "side_html"]

PALETTE_SIZE = 8
"""Passage colours in the style sheet (`.c0` .. `.c7`); passage numbers tell apart colours that repeat."""


@dataclass(frozen=True, slots=True)
class Muted:
    """A span shown greyed (credit lines, picture credits, boilerplate) and why."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Run:
    """`[start, end)` of the text, the passages covering it and its greying reason, if any.

    `passages[0]` is the run's own colour: the shortest covering passage (the lowest number on a tie);
    the others follow in ascending order.
    """

    start: int
    end: int
    passages: tuple[int, ...]
    muted: str | None


def colour(passage: int) -> int:
    """The palette slot of a passage: the same on both sides of a pair."""
    return passage % PALETTE_SIZE


def runs(length: int, spans: Sequence[tuple[int, int]], muted: Sequence[Muted] = ()) -> list[Run]:
    """Cut `[0, length)` at every span edge; passage `i` is `spans[i]`. Spans are clipped to the text."""
    cuts = {0, length}
    for start, end in [*spans, *((m.start, m.end) for m in muted)]:
        cuts.update(min(max(x, 0), length) for x in (start, end))
    edges = sorted(cuts)
    out: list[Run] = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        if lo == hi:
            continue
        covering = sorted(i for i, (s, e) in enumerate(spans) if s <= lo and hi <= e)
        if len(covering) > 1:
            primary = min(covering, key=lambda i: (spans[i][1] - spans[i][0], i))
            covering.remove(primary)
            covering.insert(0, primary)
        reason = next((m.reason for m in muted if m.start <= lo and hi <= m.end), None)
        if out and out[-1].passages == tuple(covering) and out[-1].muted == reason:
            out[-1] = Run(out[-1].start, hi, tuple(covering), reason)
        else:
            out.append(Run(lo, hi, tuple(covering), reason))
    return out


def runs_json(cut: Sequence[Run]) -> list[list[Any]]:
    """Runs as compact JSON rows `[start, end, [passages], reason or null]` for the scan report."""
    return [[r.start, r.end, list(r.passages), r.muted] for r in cut]


def side_html(text: str, cut: Sequence[Run], side: str, other: str, prefix: str = "") -> Markup:
    """One side's text as HTML: each passage's first run in its own colour is a link to its counterpart.

    Every passage run carries `data-ps` (all passages covering it) and `data-p` (its colour's passage).
    Ids are `{prefix}{side}-p{n}`, so several pair views can share a page; a passage that never shows its
    own colour (wholly inside shorter ones) gets an empty anchor where it starts. Must stay in step with
    `buildSide` in static/pairview.js, which builds the same markup from `runs_json`.
    """
    shown = {run.passages[0] for run in cut if run.passages}
    parts: list[str] = []
    placed: set[int] = set()
    for run in cut:
        body = escape(text[run.start : run.end])
        grey = f' muted" title="{escape(run.muted)}' if run.muted else ""
        if not run.passages:
            parts.append(f'<span class="muted" title="{escape(run.muted)}">{body}</span>' if run.muted else str(body))
            continue
        p, *others = run.passages
        for q in others:
            if q not in shown and q not in placed:
                placed.add(q)
                parts.append(f'<span class="anchor" data-p="{q}" data-ps="{q}" id="{prefix}{side}-p{q}"></span>')
        classes = f"p c{colour(p)}" + (" multi" if others else "")
        covering = " ".join(map(str, sorted(run.passages)))
        if p in placed:
            parts.append(f'<mark class="{classes}{grey}" data-p="{p}" data-ps="{covering}">{body}</mark>')
            continue
        placed.add(p)
        parts.append(
            f'<a class="{classes} first{grey}" data-p="{p}" data-ps="{covering}" data-n="{p + 1}" '
            f'id="{prefix}{side}-p{p}" href="#{prefix}{other}-p{p}">{body}</a>'
        )
    return Markup("".join(parts))
