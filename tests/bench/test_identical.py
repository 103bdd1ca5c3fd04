"""`bench/identical.py` says IDENTICAL only when every comparison is unchanged, and names the pairs that moved."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from bench.identical import main
from tests.helpers import SEEDS

needs_seeds = pytest.mark.skipif(not (SEEDS / "000.txt").exists(), reason=f"seed articles not at {SEEDS}")


def _corpus(root: Path) -> Path:
    """A PAN-shaped folder made of the seeds: 000-002 as suspicious, 003-004 and 000 as sources."""
    for folder, names in (("susp", ["000", "001", "002"]), ("src", ["003", "004", "000"])):
        (root / folder).mkdir(parents=True)
        for name in names:
            shutil.copy(SEEDS / f"{name}.txt", root / folder / f"{name}.txt")
    (root / "pairs").write_text("001.txt 000.txt\n002.txt 000.txt\n", encoding="utf-8")
    return root


@needs_seeds
def test_save_then_check_is_identical_and_a_changed_reference_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pan, ref = _corpus(tmp_path / "pan"), tmp_path / "ref.pkl"
    options = ["--listed", "2", "--unlisted", "3", "--seeds", str(SEEDS)]
    assert main([str(pan), "save", str(ref), *options]) == 0
    assert main([str(pan), "check", str(ref), *options]) == 0
    assert "IDENTICAL: all 15 comparisons" in capsys.readouterr().out  # 2 + 3 sampled, 10 seed pairs

    saved = pickle.loads(ref.read_bytes())
    assert saved[0].passages  # 001 reuses 000
    saved[0] = saved[-1]  # one comparison replaced by another pair's
    ref.write_bytes(pickle.dumps(saved))
    assert main([str(pan), "check", str(ref), *options]) == 1
    assert "DIFFERENT: 1 of 15 comparisons changed, first at pairs [0]" in capsys.readouterr().out


def test_a_missing_corpus_is_skipped_and_a_missing_reference_is_an_error(tmp_path: Path) -> None:
    assert main([str(tmp_path / "absent"), "check", str(tmp_path / "ref.pkl")]) == 0
    if (SEEDS / "000.txt").exists():
        pan = _corpus(tmp_path / "pan")
        assert main([str(pan), "check", str(tmp_path / "ref.pkl"), "--listed", "1", "--unlisted", "1"]) == 2
