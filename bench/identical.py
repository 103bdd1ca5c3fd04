"""Check that a speed change leaves every comparison exactly as it was.

    python bench/identical.py ../shared/eval/pan13-train save before.pkl     # on the commit before the change
    python bench/identical.py ../shared/eval/pan13-train check before.pkl    # on the change: exit 1 if any differs

The pairs: 1,500 listed PAN pairs and 2,500 random unlisted (suspicious, source) pairs, both drawn with a fixed
seed, plus every pair of the seed articles when `--seeds` is given (default `../shared/seeds`). Each pair's
`Comparison` (kind, containments, passages with their spans and similarities) is pickled, so "identical" means
equal to the last float. It also prints the time the comparisons took, a rough figure only (the documents'
per-text tables are built during that pass).
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import read_text  # noqa: E402
from shingling import Document, prepare  # noqa: E402
from shingling.align import compare  # noqa: E402


def pairs(pan: Path, listed: int, unlisted: int, seed: int) -> list[tuple[Path, Path]]:
    """The fixed sample of (suspicious, source) paths."""
    rng = random.Random(seed)
    rows = [line.split() for line in (pan / "pairs").read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = rng.sample(rows, min(listed, len(rows)))
    susp = sorted(p.name for p in (pan / "susp").glob("*.txt"))
    src = sorted(p.name for p in (pan / "src").glob("*.txt"))
    chosen += [[rng.choice(susp), rng.choice(src)] for _ in range(unlisted)]
    return [(pan / "susp" / a, pan / "src" / b) for a, b in chosen]


def documents(paths: list[tuple[Path, Path]], seeds: Path | None) -> list[tuple[Document, Document]]:
    """The prepared pairs (each text prepared once), seed pairs last."""
    made: dict[Path, Document] = {}

    def doc(path: Path) -> Document:
        if path not in made:
            made[path] = prepare(read_text(path))
        return made[path]

    out = [(doc(a), doc(b)) for a, b in paths]
    if seeds is not None and seeds.is_dir():
        articles = [doc(p) for p in sorted(seeds.glob("*.txt"))]
        out += [(x, y) for i, x in enumerate(articles) for y in articles[i + 1 :]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pan", type=Path, help="the PAN 2013 training corpus (pairs, src/, susp/)")
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("reference", type=Path, help="the pickled comparisons to write or to compare with")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--listed", type=int, default=1500)
    parser.add_argument("--unlisted", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not (args.pan / "pairs").is_file():
        print(f"SKIP: the PAN 2013 corpus is not at {args.pan}; nothing to compare.")
        return 0
    docs = documents(pairs(args.pan, args.listed, args.unlisted, args.seed), args.seeds)
    start = time.perf_counter()
    found = [compare(a, b) for a, b in docs]
    print(f"{len(docs)} pairs compared in {time.perf_counter() - start:.2f} s, "
          f"{sum(bool(c.passages) for c in found)} with passages")
    if args.action == "save":
        args.reference.write_bytes(pickle.dumps(found))
        print(f"saved to {args.reference}")
        return 0
    if not args.reference.is_file():
        print(f"error: no reference at {args.reference} (run `save` on the commit before the change)")
        return 2
    before = pickle.loads(args.reference.read_bytes())
    if len(before) != len(found):
        print(f"DIFFERENT: {len(before)} pairs in the reference, {len(found)} now (other corpus or options?)")
        return 1
    differ = [i for i, (x, y) in enumerate(zip(before, found, strict=True)) if x != y]
    if differ:
        print(f"DIFFERENT: {len(differ)} of {len(found)} comparisons changed, first at pairs {differ[:10]}")
        return 1
    print(f"IDENTICAL: all {len(found)} comparisons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
