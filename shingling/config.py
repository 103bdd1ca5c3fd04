"""All engine parameters in one frozen object, so a change of parameters is visible and comparable."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from shingling.normalise import NORMALISER_VERSION
from shingling.stopwords import WEAK

SIGNATURE_SCHEME = "affine32"
"""datasketch 2.x permutation scheme used for every signature (see `shingling.signatures`)."""

SHINGLE_HASH = "xxh3_64-token/mix64-kgram/low32"
"""How a shingle becomes the 32-bit value fed to the permutations (see `shingling.shingles`)."""


@dataclass(frozen=True)
class EngineConfig:
    """Parameters of signatures, candidate search and alignment.

    The signature part (`signature_params()`) is stored with every signature; the rest only changes
    how candidates are verified, so it can change without re-indexing.
    """

    # signatures and candidates
    num_perm: int = 128
    seed: int = 1
    shingle_size: int = 2
    signature_words: str = "stems"
    lsh_threshold: float = 0.15
    passage_min_words: int = 12
    passage_max_words: int = 80
    window_words: int = 50
    # a text checked against the index also queries with windows of this many words at this stride, across
    # its paragraph breaks (0: its passages only); stored signatures do not change. 40 / 25 rather than 50 / 25:
    # on either half of PAN 2013 retrieval stays within 0.026 of pairwise (0.032 at 50), for 14 % more candidates
    query_window_words: int = 40
    query_window_stride: int = 25
    # a candidate whose text is longer than this many characters is aligned whole only when the query shares
    # a seed chain with the passages the candidate search hit and `screen_margin` passages each side of them
    # (`shingling.screen`; 0: never screened)
    screen_min_chars: int = 20_000
    screen_margin: int = 0
    # alignment
    seed_size: int = 3
    max_seed_occurrences: int = 8
    max_gap: int = 50
    split_window: int = 20
    split_density: float = 0.25
    in_order_share: float = 0.9
    sentence_edge_words: int = 3
    sentence_edge_share: float = 0.5
    explain_terms: int = 2
    explain_share: float = 0.2
    explain_sentences: int = 3
    min_matched_words: int = 8
    min_verbatim_words: int = 5
    verbatim_similarity: float = 0.8
    min_passage_words: int = 6
    min_report_words: int = 15
    min_passage_similarity: float = 0.45
    rewrite_passage_similarity: float = 0.4
    rewrite_word_similarity: float = 0.32
    min_word_similarity: float = 0.3
    max_overlap: float = 0.5
    summary_max_similarity: float = 0.95
    summary_min_pieces: int = 2
    summary_ratio: float = 3.0
    summary_max_ratio: float = 12.0
    summary_max_words: int = 250
    summary_gap: int = 60
    summary_long_gap: int = 1000
    summary_containment: float = 0.75
    summary_min_seeds: int = 3
    summary_with_copies: bool = True
    summary_whole_text: float = 0.5
    summary_max_hole: int = 100
    summary_max_hole_share: float = 0.8
    sentence_min_words: int = 4
    stem_prefix: int = 5
    sentence_similarity: float = 0.25
    max_term_sentences: int = 64
    # kinds
    duplicate_containment: float = 0.95
    near_duplicate_containment: float = 0.6
    near_duplicate_similarity: float = 0.25
    stopwords: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    # function words of languages without a stopword list: matched, but no evidence when the alignment weighs
    # vocabulary (`align._terms`); alignment only, so a change needs no re-signing
    weak_words: frozenset[str] = field(default=WEAK, compare=False, repr=False)

    def signature_params(self) -> dict[str, Any]:
        """What a stored signature depends on; two indexes may mix signatures only if these are equal."""
        return {
            "num_perm": self.num_perm,
            "seed": self.seed,
            "scheme": SIGNATURE_SCHEME,
            "shingle_hash": SHINGLE_HASH,
            "shingle_size": self.shingle_size,
            "signature_words": self.signature_words,
            "stem_prefix": self.stem_prefix,
            "normaliser_version": NORMALISER_VERSION,
            "passage_min_words": self.passage_min_words,
            "passage_max_words": self.passage_max_words,
            "window_words": self.window_words,
        }

    def to_dict(self) -> dict[str, Any]:
        """Every parameter, for reports."""
        d = asdict(self)
        d.pop("stopwords", None)
        d["weak_words"] = len(d["weak_words"])  # how many, not the words themselves
        d.update(self.signature_params())
        return d
