"""`syndet scan` on a hostile folder: deep nesting, files swapped between walk and read, undecodable names,
names outside DIR. Each case is a message (a `skipped` entry or a usage error), never a crash or a read
outside the folder."""

from __future__ import annotations

import inspect
import json
import os
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from service.batch.readers import read_file
from service.batch.walk import walk
from service.commands.scan import scan
from tests.helpers import article

SECRET = "Outside text that must never be read: the vault combination is four nine two."


def run(*args: str) -> tuple[int, str, str]:
    app = typer.Typer()
    app.command()(scan)
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "dir"
    root.mkdir()
    (root / "harbour.txt").write_text(article("harbour"), encoding="utf-8")
    (root / "orchard.txt").write_text(article("orchard"), encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return root


def test_nesting_deeper_than_the_recursion_limit(folder: Path) -> None:
    """Nesting deeper than the recursion limit allows; the limit is lowered for the walk, so the tree stays
    shallow enough for any clean-up (pytest's `rmtree` recurses too)."""
    deep = folder
    for _ in range(300):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text(article("harbour") + "\n\nAnd a last line.", encoding="utf-8")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        found = walk(folder, max_bytes=10**6)
    finally:
        sys.setrecursionlimit(limit)
    assert [f.rel.rsplit("/", 1)[-1] for f in found.files] == ["bottom.txt", "harbour.txt", "orchard.txt"]


def test_a_file_swapped_for_a_symlink_after_the_walk_is_not_followed(folder: Path) -> None:
    [harbour, _] = walk(folder, max_bytes=10**6).files
    os.remove(harbour.path)
    os.symlink(folder.parent / "secret.txt", harbour.path)
    result = read_file(harbour)
    assert result.articles == [] and "symlink" in result.skipped[0].reason


def test_a_file_replaced_or_grown_after_the_walk_is_not_read(folder: Path) -> None:
    [harbour, orchard] = walk(folder, max_bytes=6000).files
    os.replace(folder.parent / "secret.txt", harbour.path)  # another inode under the same name
    assert "changed while scanning" in read_file(harbour).skipped[0].reason
    with open(orchard.path, "a", encoding="utf-8") as fh:
        fh.write(" more" * 2000)
    assert "grew larger than --max-bytes" in read_file(orchard).skipped[0].reason


def test_a_file_swapped_for_a_fifo_does_not_block(folder: Path) -> None:
    [harbour, _] = walk(folder, max_bytes=10**6).files
    os.remove(harbour.path)
    os.mkfifo(harbour.path)
    assert "changed while scanning" in read_file(harbour).skipped[0].reason


def test_undecodable_names_are_skipped_and_reports_stay_utf8(folder: Path) -> None:
    name = os.fsdecode(b"bad\xffname.txt")
    (folder / name).write_text(article("harbour"), encoding="utf-8")
    for fmt in ("json", "jsonl", "csv"):
        code, out, err = run(str(folder), "--format", fmt)
        assert code == 0
        out.encode("utf-8")  # no lone surrogates: what was written is valid UTF-8
        assert "bad\\xffname.txt: name is not valid UTF-8" in err
    report = json.loads(run(str(folder))[1])
    reason = "name is not valid UTF-8 (rename it); not read"
    assert report["skipped"] == [{"path": "bad\\xffname.txt", "reason": reason}]
    assert [d["id"] for d in report["documents"]] == ["harbour.txt", "orchard.txt"]


def test_names_outside_the_folder_are_refused(folder: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("../secret.txt\tharbour.txt\n", encoding="utf-8")
    code, _, err = run(str(folder), "--pairs", str(pairs))
    assert code == 2 and "no document with id '../secret.txt'" in err
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    os.symlink(tmp_path, folder / "up")
    os.symlink(folder, folder / "loop")
    code, out, _ = run(str(folder))
    report = json.loads(out)
    assert code == 0 and SECRET not in out
    assert {s["path"]: s["reason"] for s in report["skipped"]} == {
        "link.txt": "symlink points outside the scanned folder; not followed",
        "loop": "symlink loop: points to an enclosing directory",
        "up": "symlink points outside the scanned folder; not followed",
    }
