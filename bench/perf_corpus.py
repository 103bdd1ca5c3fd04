"""A large news-like corpus for speed and memory runs, made from the PAN 2013 sources.

    python bench/perf_corpus.py ../shared/eval/pan13-train/src OUT_DIR --passages 1000000   # write it out

PAN's 3,230 source documents (21 MB, ~85,000 passages) are too few for a million passages, and plain
copies would make every query match a dozen near-duplicates. So the corpus is:

1. every PAN source document as it is (the real texts that PAN's suspicious documents reuse);
2. then *vocabulary-shuffled copies* of them, round after round until the passage count is reached: copy
   `k` of a document keeps its layout, paragraphs, punctuation and function words, and replaces every
   other word through a bijection of the sources' vocabulary drawn for round `k`. Each copy has the
   length, paragraphing and word-frequency profile of real prose but shares no text with its original
   or with the other copies, so index buckets fill as they would with distinct articles;
3. one of 10 boilerplate paragraphs (agency credit lines, copyright notices) appended to 30% of the
   copies, so that some band buckets are as crowded as real boilerplate makes them.

Documents are written as `NNNNNN.txt` (the originals keep their PAN names under `pan/`).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import regex

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import log, read_text  # noqa: E402
from shingling import EngineConfig  # noqa: E402
from shingling.stopwords import DEFAULT as STOPWORDS  # noqa: E402

WORD = regex.compile(r"\p{L}+")
BOILERPLATE = [
    "This article was produced by the Associated Regional Press news service. Copyright {y} Associated "
    "Regional Press. All rights reserved. This material may not be published, broadcast, rewritten or "
    "redistributed without permission.",
    "Reporting by the newsroom staff; editing by the international desk. Our standards: the Trust "
    "Principles apply to every story we publish, in print and online.",
    "Sign up for our morning newsletter to get the most important stories of the day delivered straight "
    "to your inbox, free of charge, every weekday.",
    "Follow us on social media for live updates throughout the day, and download our app to receive "
    "breaking news alerts on your phone as stories develop.",
    "The views expressed in this opinion piece are the author's own and do not necessarily reflect the "
    "editorial position of this newspaper or its owners.",
    "Additional reporting by our correspondents in the region. A previous version of this story "
    "misstated a detail; it has been corrected in the text above.",
    "Copyright {y} Global Wire Media Group. Distributed under licence to subscribing newspapers and "
    "broadcasters only; republication in whole or in part is prohibited.",
    "If you have information about this story, contact our investigations team securely through the "
    "encrypted tip line listed on our website's contact page.",
    "This content is available to subscribers only. Subscribe today for unlimited access to our "
    "journalism, including the daily digital edition and the archive.",
    "Photographs supplied by the agency picture desk. Captions and credits are provided by the "
    "photographers and checked by our editors before publication.",
]


def _vocabulary(texts: list[str]) -> list[str]:
    """Every lower-case content word of the texts, sorted (the domain of the shuffling bijections)."""
    words = {w.lower() for text in texts for w in WORD.findall(text)}
    return sorted(w for w in words if w not in STOPWORDS and len(w) > 1)


def shuffled_copy(text: str, mapping: dict[str, str]) -> str:
    """`text` with every content word replaced through `mapping` (capitalisation kept)."""

    def swap(match: regex.Match[str]) -> str:
        word = match.group()
        new = mapping.get(word.lower())
        if new is None:
            return word
        if word.isupper() and len(word) > 1:
            return new.upper()
        return new.capitalize() if word[0].isupper() else new

    return WORD.sub(swap, text)


def estimate_passages(text: str, config: EngineConfig) -> int:
    """Passages `prepare` will make, estimated from word and paragraph counts (exact enough for sizing)."""
    words = len(WORD.findall(text))
    return max(1, round(words / ((config.passage_min_words + config.passage_max_words) / 2)))


def generate(sources: list[tuple[str, str]], seed: int = 9) -> Iterator[tuple[str, str]]:
    """(name, text) of the corpus documents, endless: the sources, then round after round of shuffled copies."""
    yield from ((f"pan/{name}", text) for name, text in sources)
    vocab = _vocabulary([text for _, text in sources])
    number = 0
    for round_ in itertools.count(1):
        rng = random.Random(f"{seed}:{round_}")
        target = vocab[:]
        rng.shuffle(target)
        mapping = dict(zip(vocab, target, strict=True))
        for _, text in sources:
            copy = shuffled_copy(text, mapping)
            if rng.random() < 0.3:
                copy = copy.rstrip() + "\n\n" + rng.choice(BOILERPLATE).format(y=2000 + rng.randrange(25))
            number += 1
            yield f"{number:06d}.txt", copy


def read_sources(folder: Path) -> list[tuple[str, str]]:
    return [(path.name, read_text(path)) for path in sorted(folder.glob("*.txt"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="PAN 2013 src/ folder")
    parser.add_argument("out", type=Path)
    parser.add_argument("--passages", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    (args.out / "pan").mkdir(parents=True, exist_ok=True)
    count = total = 0
    config = EngineConfig()
    for name, text in generate(read_sources(args.sources)):
        if total >= args.passages:
            break
        (args.out / name).write_text(text, encoding="utf-8", newline="")
        count += 1
        total += estimate_passages(text, config)
    log(f"{count} documents in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
