"""The project's own labelled reuse set: original articles, seeded variants of them, and the ground truth.

The articles, hand paraphrases and own-reporting paragraphs in ``tests/fixtures/quality/`` were written for
this project (invented events, people and places) and ship with it under its licence. Every variant is
generated from them deterministically (``random.Random`` seeded with a string), so the set, its ground truth
and therefore the gate's figures depend only on the fixtures and this module.

Variants of each article (the "this"/suspicious side; the article is the source):

- ``verbatim``    the whole article, re-typeset with curly quotes and apostrophes;
- ``embedded``    a block of its paragraphs inside unrelated text;
- ``edited``      the whole article with about one word in ten edited: synonyms, inserted and deleted words,
                  changed numbers;
- ``reordered``   headline first, body paragraphs shuffled;
- ``wire``        trimmed wire style: the first paragraphs only, one of them dropped, some last sentences
                  dropped and some sentences cut short;
- ``mixed``       about two thirds of its paragraphs, in order, interleaved with own reporting;
- ``paraphrase``  hand-written paraphrases of a few paragraphs (only where a paraphrase file exists).

Negatives: two articles on the same topic written independently (``negative-same-topic``, both ways round
with a ``mixed`` variant too: ``negative-same-topic-mixed``) and articles on different topics
(``negative-unrelated``).

Ground truth (PAN's convention: one case per stretch reused in order): a case is a run of copied sentences
that follow each other in the variant and keep their order in the source. Sentences dropped inside a
paragraph stay inside the case on the source side (as a PAN obfuscation case keeps its deletions); a dropped
paragraph, own text or a change of order starts a new case.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bench.common import read_text
from bench.plagdet import Annotation
from shingling import tokenize

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "quality"
SEED = "syndet-quality-1"

VARIANTS = ("verbatim", "embedded", "edited", "reordered", "wire", "mixed", "paraphrase")
NEGATIVES = ("negative-same-topic", "negative-same-topic-mixed", "negative-unrelated")
CATEGORIES = VARIANTS + NEGATIVES

EDIT_RATE = 0.1
"""Share of words `edited` changes; above 5 %, so an edited copy is a near duplicate, not a duplicate."""

DUPLICATE_CONTAINMENT = 0.95
NEAR_DUPLICATE_CONTAINMENT = 0.6
"""The README's kind definitions, applied to the ground truth to give each positive pair its expected kind."""

_SENTENCE_END = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]"))\s+(?=["A-Z])')
_PARAPHRASE = re.compile(r"^\[(\d+)\]\s+")
_TOKEN = re.compile(r"(\W+)")

SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "about": "around", "almost": "nearly",
    "began": "started", "start": "begin", "first": "initial", "large": "big", "largest": "biggest",
    "big": "large", "small": "little", "new": "fresh", "old": "former", "people": "residents",
    "residents": "locals", "officials": "authorities", "expected": "due", "help": "assist",
    "show": "demonstrate", "showed": "demonstrated", "found": "discovered", "asked": "requested",
    "warned": "cautioned", "money": "funds", "cost": "price", "costs": "expenses", "rise": "increase",
    "near": "close to", "town": "borough", "company": "firm", "firm": "company", "children": "youngsters",
    "would": "will", "could": "might", "week": "seven days", "night": "evening", "hours": "hrs",
    "still": "yet", "many": "numerous", "several": "a number of", "hard": "difficult", "quickly": "rapidly",
    "fast": "rapidly", "home": "house", "houses": "homes", "spend": "use", "team": "group", "plan": "scheme",
    "road": "route", "work": "labour", "jobs": "posts", "decision": "ruling", "trial": "case",
    "court": "tribunal", "river": "waterway", "school": "academy",
}  # fmt: skip
DELETABLE = frozenset(
    "the a also very more most only just still now nearly almost about several some new old local first all "
    "both other own long last next early late much well even further then there".split()
)
AUXILIARIES = frozenset("will would could should can may might has have had is was are were be been must".split())
INSERTS = ("also", "now", "still", "reportedly", "already", "further", "probably", "soon")

_QUOTE_OPEN = re.compile(r'(^|[\s(\[])"')


@dataclass(frozen=True)
class Article:
    """An original article: a headline (paragraph 0) and body paragraphs, each a tuple of sentences."""

    name: str
    paragraphs: tuple[tuple[str, ...], ...]

    @property
    def topic(self) -> str:
        return self.name.rsplit("-", 1)[0]

    @cached_property
    def layout(self) -> Layout:
        return lay_out([[Piece(s, (p, i, i)) for i, s in enumerate(sents)] for p, sents in enumerate(self.paragraphs)])

    @property
    def text(self) -> str:
        return self.layout.text

    def span(self, source: tuple[int, int, int]) -> tuple[int, int]:
        """Characters of sentences first..last of one paragraph in the article's text."""
        p, first, last = source
        return self.layout.sentence_spans[(p, first)][0], self.layout.sentence_spans[(p, last)][1]


@dataclass(frozen=True)
class Piece:
    """A sentence (or paraphrased paragraph) of a variant; `source` is (paragraph, first, last sentence) of
    the article it reuses, None for own text."""

    text: str
    source: tuple[int, int, int] | None = None


@dataclass
class Layout:
    """Text built from paragraphs of pieces, with where each piece landed."""

    text: str
    placed: list[tuple[Piece, int, int]]
    sentence_spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def lay_out(paragraphs: list[list[Piece]]) -> Layout:
    """Sentences joined by a space, paragraphs by a blank line, as the fixture files are written."""
    parts: list[str] = []
    placed: list[tuple[Piece, int, int]] = []
    pos = 0
    for n, pieces in enumerate(p for p in paragraphs if p):
        if n:
            parts.append("\n\n")
            pos += 2
        for i, piece in enumerate(pieces):
            if i:
                parts.append(" ")
                pos += 1
            parts.append(piece.text)
            placed.append((piece, pos, pos + len(piece.text)))
            pos += len(piece.text)
    spans = {(pc.source[0], pc.source[1]): (s, e) for pc, s, e in placed if pc.source}
    return Layout("".join(parts), placed, spans)


@dataclass(frozen=True)
class GatePair:
    """One labelled pair: a variant (or another article) against a source article, with the reused spans."""

    category: str
    this_id: str
    this_text: str
    source: Article
    cases: tuple[Annotation, ...]
    changed_words: int = 0

    @property
    def derived(self) -> bool:
        return bool(self.cases)

    def containment(self) -> tuple[float, float]:
        """Share of words inside the cases, on this side and on the source side."""
        this = _words_inside(self.this_text, [(c.this_offset, c.this_offset + c.this_length) for c in self.cases])
        src = _words_inside(
            self.source.text, [(c.source_offset, c.source_offset + c.source_length) for c in self.cases]
        )
        return this, src

    @property
    def expected_kind(self) -> str | None:
        """The README's kind rule on the ground truth: duplicate only when nothing was reworded."""
        if not self.cases:
            return None
        low = min(self.containment())
        if low >= DUPLICATE_CONTAINMENT and self.changed_words == 0 and self.category != "paraphrase":
            return "duplicate"
        return "near_duplicate" if low >= NEAR_DUPLICATE_CONTAINMENT else "partial"


def _words_inside(text: str, spans: list[tuple[int, int]]) -> float:
    tokens = tokenize(text)
    if not len(tokens):
        return 0.0
    inside = sum(any(s <= st and en <= e for s, e in spans) for st, en in zip(tokens.starts, tokens.ends, strict=True))
    return inside / len(tokens)


# ---------------------------------------------------------------- fixtures


def split_sentences(paragraph: str) -> tuple[str, ...]:
    """Sentences of a paragraph; a quotation of several sentences stays one sentence."""
    sentences: list[str] = []
    for part in _SENTENCE_END.split(paragraph.strip()):
        if sentences and sentences[-1].count('"') % 2:
            sentences[-1] += " " + part
        else:
            sentences.append(part)
    return tuple(sentences)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def load_article(path: Path) -> Article:
    """An article file: headline, blank line, paragraphs separated by blank lines, single spaces inside."""
    raw = read_text(path).strip()
    article = Article(path.stem, tuple(split_sentences(p) for p in _paragraphs(raw)))
    if article.text != raw:
        raise ValueError(f"{path}: write paragraphs with single spaces and one blank line between them")
    return article


def load_articles(folder: Path = FIXTURES) -> dict[str, Article]:
    return {p.stem: load_article(p) for p in sorted((folder / "articles").glob("*.txt"))}


def load_own(folder: Path = FIXTURES) -> list[str]:
    """Paragraphs of own reporting, written to share nothing with the articles."""
    return _paragraphs(read_text(folder / "own.txt"))


def load_paraphrase(article: Article, folder: Path = FIXTURES) -> list[Piece] | None:
    """Hand paraphrases: paragraphs that start with ``[n]``, n the article paragraph they rewrite."""
    path = folder / "paraphrases" / f"{article.name}.txt"
    if not path.exists():
        return None
    pieces = []
    for para in _paragraphs(read_text(path)):
        m = _PARAPHRASE.match(para)
        if m is None:
            raise ValueError(f"{path}: each paragraph starts with [n], the paragraph it paraphrases")
        p = int(m.group(1))
        pieces.append(Piece(para[m.end() :], (p, 0, len(article.paragraphs[p]) - 1)))
    return pieces


# ---------------------------------------------------------------- edits


def curly_quotes(text: str) -> str:
    """Typographic quotes, as a site re-typesetting wire copy would; same length, same words."""
    text = _QUOTE_OPEN.sub(lambda m: m.group(1) + "\u201c", text)
    return text.replace('"', "\u201d").replace("'", "\u2019")


def _change_number(word: str, rng: random.Random) -> str:
    n = int(word)
    small = n < 20 or 1900 <= n <= 2100  # small counts and years move by a little
    new = n + rng.choice((-2, -1, 1, 2)) if small else round(n * rng.choice((0.8, 0.9, 1.1, 1.2)))
    return str(new if new >= 0 and new != n else n + 1)


def _edit_ops(parts: list[str]) -> list[tuple[int, str]]:
    """The edits a sub-editor could make at each word of a split sentence: (word position, operation)."""
    ops = []
    for i in range(2, len(parts), 2):  # never the first word
        sep, word, lower = parts[i - 1], parts[i], parts[i].lower()
        if not word:
            continue
        if word.isdigit() and not word.startswith("0") and sep == " ":
            ops.append((i, "number"))
        if lower in SYNONYMS:
            ops.append((i, "synonym"))
        if lower in DELETABLE and sep == " " and word.islower():
            ops.append((i, "delete"))
        if parts[i - 2].lower() in AUXILIARIES and sep == " ":
            ops.append((i, "insert"))
    return ops


def edit_pieces(pieces: list[Piece], rng: random.Random, rate: float) -> tuple[list[Piece], int]:
    """Light edits on `rate` of the words: synonyms, changed numbers, adverbs inserted after auxiliaries,
    small words deleted; at most one edit per word, never the first word of a sentence."""
    split = [_TOKEN.split(pc.text) for pc in pieces]
    ops = [(n, i, op) for n, parts in enumerate(split) for i, op in _edit_ops(parts)]
    words = sum(len(tokenize(pc.text)) for pc in pieces)
    chosen: dict[tuple[int, int], str] = {}
    for n, i, op in rng.sample(ops, len(ops)):
        if len(chosen) >= round(rate * words):
            break
        chosen.setdefault((n, i), op)
    out = []
    for n, (pc, parts) in enumerate(zip(pieces, split, strict=True)):
        for i in range(len(parts) - 1, 0, -2):  # right to left, so positions stay valid
            edit = chosen.get((n, i))
            word = parts[i]
            if edit == "number":
                parts[i] = _change_number(word, rng)
            elif edit == "synonym":
                syn = SYNONYMS[word.lower()]
                parts[i] = syn[0].upper() + syn[1:] if word[0].isupper() else syn
            elif edit == "delete":
                parts[i - 1 : i + 1] = []
            elif edit == "insert":
                parts[i] = f"{rng.choice(INSERTS)} {word}"
        out.append(Piece("".join(parts), pc.source))
    return out, len(chosen)


def shorten(sentence: str) -> str | None:
    """The sentence cut at its last comma, when that leaves at least eight words and no quote is cut."""
    if '"' in sentence or ", " not in sentence:
        return None
    head = sentence[: sentence.rindex(", ")]
    return head + "." if len(head.split()) >= 8 else None


# ---------------------------------------------------------------- variants


def _copy(article: Article, p: int) -> list[Piece]:
    return [Piece(s, (p, i, i)) for i, s in enumerate(article.paragraphs[p])]


def _own(texts: list[str]) -> list[list[Piece]]:
    return [[Piece(t)] for t in texts]


def variant_paragraphs(
    article: Article, kind: str, rng: random.Random, own: list[str], folder: Path = FIXTURES
) -> list[list[Piece]] | None:
    """The paragraphs of one variant of `article` (None when there is no such variant, e.g. no paraphrase)."""
    body = list(range(1, len(article.paragraphs)))
    if kind == "verbatim":
        return [[Piece(curly_quotes(pc.text), pc.source) for pc in _copy(article, p)] for p in [0, *body]]
    if kind == "edited":  # the words are edited by make_variant
        return [_copy(article, p) for p in [0, *body]]
    if kind == "embedded":
        size = max(3, math.ceil(len(body) / 2))
        first = rng.randrange(1, len(body) - size + 2)
        texts = rng.sample(own, rng.randint(2, 3) + rng.randint(2, 3))
        before = rng.randint(2, len(texts) - 2)
        return _own(texts[:before]) + [_copy(article, p) for p in range(first, first + size)] + _own(texts[before:])
    if kind == "reordered":
        order = body[:]
        while order == body:
            rng.shuffle(order)
        return [_copy(article, p) for p in [0, *order]]
    if kind == "wire":
        kept = body[: math.ceil(0.7 * len(body))]
        kept.remove(rng.choice(kept[1:]))
        paragraphs = [_copy(article, 0)]
        for p in kept:
            pieces = _copy(article, p)
            if len(pieces) > 1 and rng.random() < 0.5:
                pieces.pop()
            paragraphs.append([Piece(shorten(pc.text) or pc.text, pc.source) if rng.random() < 0.4 else pc
                               for pc in pieces])
        return paragraphs
    if kind == "mixed":
        kept = sorted(rng.sample(body, math.ceil(2 * len(body) / 3)))
        texts = rng.sample(own, 3)
        paragraphs = [_copy(article, 0), [Piece(texts[0])], *(_copy(article, p) for p in kept)]
        for text in texts[1:]:
            paragraphs.insert(rng.randrange(3, len(paragraphs) + 1), [Piece(text)])
        return paragraphs
    if kind == "paraphrase":
        rewritten = load_paraphrase(article, folder)
        return None if rewritten is None else [[pc] for pc in rewritten]
    raise ValueError(f"unknown variant {kind!r}; choose from {VARIANTS}")


def truth(article: Article, this_id: str, layout: Layout) -> tuple[Annotation, ...]:
    """Cases: runs of pieces adjacent in the variant that keep the source's order (see the module doc)."""
    runs: list[list[tuple[Piece, int, int]]] = []
    prev: tuple[int, int, int] | None = None
    for piece, start, end in layout.placed:
        src = piece.source
        if src is None:
            prev = None
            continue
        follows = prev is not None and ((src[0] == prev[0] and src[1] > prev[2]) or src[0] == prev[0] + 1)
        if follows and runs and runs[-1][-1][2] <= start:
            runs[-1].append((piece, start, end))
        else:
            runs.append([(piece, start, end)])
        prev = src
    cases = []
    for run in runs:
        first, last = run[0][0].source, run[-1][0].source
        assert first is not None and last is not None
        s_start, s_end = article.span(first)[0], article.span(last)[1]
        cases.append(Annotation(this_id, run[0][1], run[-1][2] - run[0][1], article.name, s_start, s_end - s_start))
    return tuple(cases)


def make_variant(article: Article, kind: str, own: list[str], folder: Path = FIXTURES) -> GatePair | None:
    """One positive pair, seeded by the set's seed, the article and the kind of variant."""
    rng = random.Random(f"{SEED}:{article.name}:{kind}")
    paragraphs = variant_paragraphs(article, kind, rng, own, folder)
    if paragraphs is None:
        return None
    changed = 0
    if kind == "edited":
        sizes = [len(p) for p in paragraphs]
        flat, changed = edit_pieces([pc for p in paragraphs for pc in p], rng, EDIT_RATE)
        paragraphs = [flat[sum(sizes[:n]) : sum(sizes[: n + 1])] for n in range(len(sizes))]
    layout = lay_out(paragraphs)
    this_id = f"{kind}/{article.name}"
    return GatePair(kind, this_id, layout.text, article, truth(article, this_id, layout), changed)


def build_set(folder: Path = FIXTURES) -> list[GatePair]:
    """Every labelled pair, in a fixed order."""
    articles = load_articles(folder)
    own = load_own(folder)
    pairs: list[GatePair] = []
    for kind in VARIANTS:
        for article in articles.values():
            pair = make_variant(article, kind, own, folder)
            if pair is not None:
                pairs.append(pair)
    mixed = {p.source.name: p for p in pairs if p.category == "mixed"}
    for a, b in _same_topic(articles):
        pairs.append(GatePair("negative-same-topic", f"negative-same-topic/{a.name}", a.text, b, ()))
        for x, y in ((a, b), (b, a)):
            pairs.append(GatePair("negative-same-topic-mixed", f"negative-same-topic-mixed/{x.name}",
                                  mixed[x.name].this_text, y, ()))
    rng = random.Random(f"{SEED}:unrelated")
    names = sorted(articles)
    for name in names:
        other = rng.choice([n for n in names if articles[n].topic != articles[name].topic])
        pairs.append(GatePair("negative-unrelated", f"negative-unrelated/{name}", articles[name].text,
                              articles[other], ()))
    return pairs


def _same_topic(articles: dict[str, Article]) -> Iterator[tuple[Article, Article]]:
    by_topic: dict[str, list[Article]] = {}
    for article in articles.values():
        by_topic.setdefault(article.topic, []).append(article)
    for group in by_topic.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                yield a, b
