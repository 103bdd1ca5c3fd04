"""`syndet scan` over awkward folders: every format, bad files, symlinks, special files, wrong arguments."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import PHRASE, ScanResult, read

Run = Callable[..., ScanResult]


def flat(message: str) -> str:
    """An error message without the box typer draws around it, on one line."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", message).split())


def skipped(report: dict[str, Any]) -> dict[str, str]:
    return {s.get("id", s["path"]): s["reason"] for s in report["skipped"]}


def test_html_markdown_json_and_jsonl_are_read_and_compared(mixed_dir: Path, run_scan: Run) -> None:
    result = run_scan(mixed_dir, "--with-text")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    docs = {d["id"]: d for d in report["documents"]}
    assert sorted(docs) == [
        "batch.json#0",
        "batch.json#1",
        "feed.jsonl#scmp-2022",
        "independent.md",
        "web/moscow-times.html",
    ]
    page = docs["web/moscow-times.html"]
    assert "Qu Xing, China's ambassador to Belgium" in page["text"]
    for boilerplate in ("Subscribe to our weekly newsletter", "We use cookies", "All rights reserved"):
        assert boilerplate not in page["text"]
    assert page["url"] == "https://www.themoscowtimes.com/2015/02/27/a44283"
    assert page["source"] == "The Moscow Times" and page["published_at"] == "2015-02-27"
    scmp = docs["feed.jsonl#scmp-2022"]
    assert scmp["path"] == "feed.jsonl" and scmp["source"] == "South China Morning Post"
    assert scmp["published_at"] == "2022-01-27" and scmp["url"].startswith("https://www.scmp.com/")
    assert docs["batch.json#0"]["source"] == "The National Interest"
    assert docs["independent.md"]["text"] == read(mixed_dir / "independent.md")
    assert skipped(report) == {"feed.jsonl#1": "record 1: empty text"}

    reused = next(p for p in report["pairs"] if {p["a"], p["b"]} == {"independent.md", "web/moscow-times.html"})
    assert any(
        PHRASE in docs[reused["a"]]["text"][s["a"]["start"] : s["a"]["end"]]
        and PHRASE in docs[reused["b"]]["text"][s["b"]["start"] : s["b"]["end"]]
        for s in reused["passages"]
    )
    story_2022 = {"feed.jsonl#scmp-2022", "batch.json#0"}
    assert any({p["a"], p["b"]} == story_2022 for p in report["pairs"])
    for p in report["pairs"]:
        assert ({p["a"], p["b"]} <= story_2022) or not ({p["a"], p["b"]} & story_2022), p


def test_bad_files_are_skipped_with_a_reason_and_a_line_on_stderr(seeds_dir: Path, run_scan: Run) -> None:
    (seeds_dir / "empty.txt").write_bytes(b"")
    (seeds_dir / "spaces.md").write_text(" \n\t\n", "utf-8")
    (seeds_dir / "dashes.txt").write_text("--- *** ...\n\n— — —\n", "utf-8")
    (seeds_dir / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (seeds_dir / "latin1.txt").write_bytes("Caf\xe9 au lait, d\xe9j\xe0 vu.".encode("latin-1"))
    (seeds_dir / "broken.json").write_text('{"text": "unterminated', "utf-8")
    no_text_page = "<html><body><img src=x.png><script>go()</script></body></html>"
    (seeds_dir / "list.json").write_text(json.dumps([{"html": no_text_page}, 3]), "utf-8")
    (seeds_dir / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    result = run_scan(seeds_dir)
    assert result.exit_code == 0, result.stderr
    report = result.json()
    reasons = skipped(report)
    assert reasons["empty.txt"] == "empty file"
    assert reasons["spaces.md"] == "empty file"
    assert reasons["dashes.txt"] == "no words"
    assert reasons["image.txt"].startswith("binary file")
    assert reasons["latin1.txt"] == "not valid UTF-8 (bad byte at offset 3)"
    assert reasons["broken.json"].startswith("invalid JSON at line 1")
    assert reasons["list.json#0"] == "record 0: no main text found in the HTML"
    assert reasons["list.json#1"] == "record 1: expected a JSON object"
    assert len(reasons) == 8 and "photo.jpg" not in reasons
    assert len(report["documents"]) == 5
    for key, reason in reasons.items():
        assert f"skipped {key}: {reason}" in result.stderr
    assert "ignored 1 file" in result.stderr
    assert "Traceback" not in result.stderr


def test_quiet_keeps_stderr_empty(seeds_dir: Path, run_scan: Run) -> None:
    (seeds_dir / "empty.txt").write_bytes(b"")
    result = run_scan(seeds_dir, "--quiet")
    assert result.exit_code == 0 and result.stderr == ""
    assert skipped(result.json()) == {"empty.txt": "empty file"}


def test_json_records_ids_numbers_and_duplicates(tmp_path: Path, seed_texts: dict[str, str], run_scan: Run) -> None:
    text = seed_texts["004"]
    lines = [
        json.dumps({"id": 7, "text": text}),
        "",
        "not json",
        json.dumps({"text": text[:900], "title": "T", "url": None}),
        '{"id": 7, "text": "again"}',
        '{"id": {"x": 1}, "text": "x"}',
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    report = run_scan(tmp_path).json()
    docs = {d["id"]: d for d in report["documents"]}
    assert sorted(docs) == ["feed.jsonl#2", "feed.jsonl#7"]
    assert docs["feed.jsonl#2"]["title"] == "T" and "url" not in docs["feed.jsonl#2"]
    assert skipped(report) == {
        "feed.jsonl#1": "record 1: invalid JSON on line 3: Expecting value",
        "feed.jsonl#3": "record 3: duplicate id 'feed.jsonl#7' (first used by record 0)",
        "feed.jsonl#4": "record 4: 'id' must be a string or a number",
    }
    [p] = report["pairs"]
    assert (p["a"], p["b"]) == ("feed.jsonl#2", "feed.jsonl#7")
    assert p["passages"][0]["a"]["start"] == 0


def test_symlinks_are_never_followed_out_of_the_folder_or_round_a_loop(
    tmp_path: Path, seed_texts: dict[str, str], run_scan: Run
) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "003.txt").write_text(seed_texts["003"], "utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "004.txt").write_text(seed_texts["004"], "utf-8")
    (outside / "003-copy.txt").write_text(seed_texts["003"], "utf-8")
    (root / "sub" / "up").symlink_to("..", target_is_directory=True)
    (root / "self.txt").symlink_to("self.txt")
    (root / "ping.txt").symlink_to("pong.txt")
    (root / "pong.txt").symlink_to("ping.txt")
    (root / "dangling.txt").symlink_to("nowhere.txt")
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "copy.txt").symlink_to(outside / "003-copy.txt")
    (root / "alias.txt").symlink_to("sub/003.txt")
    (root / "linked-sub").symlink_to("sub", target_is_directory=True)
    result = run_scan(root)
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert [d["id"] for d in report["documents"]] == ["sub/003.txt"]
    assert report["pairs"] == []
    not_followed = "not followed (files are read at their real path)"
    assert skipped(report) == {
        "alias.txt": f"symlink to sub/003.txt; {not_followed}",
        "copy.txt": "symlink points outside the scanned folder; not followed",
        "dangling.txt": "broken symlink",
        "escape": "symlink points outside the scanned folder; not followed",
        "linked-sub": f"symlink to sub; {not_followed}",
        "ping.txt": "symlink loop",
        "pong.txt": "symlink loop",
        "self.txt": "symlink loop",
        "sub/up": "symlink loop: points to an enclosing directory",
    }


def test_fifos_and_oversized_files_are_skipped_without_blocking(seeds_dir: Path, run_scan: Run) -> None:
    os.mkfifo(seeds_dir / "pipe.txt")
    sizes = {p.name: p.stat().st_size for p in seeds_dir.glob("*.txt") if p.is_file()}
    biggest = max(sizes, key=lambda name: sizes[name])
    limit = sizes[biggest] - 1
    result = run_scan(seeds_dir, "--max-bytes", str(limit))
    assert result.exit_code == 0
    reasons = skipped(result.json())
    assert reasons == {
        "pipe.txt": "not a regular file (FIFO)",
        biggest: f"larger than --max-bytes ({sizes[biggest]} > {limit} bytes)",
    }
    assert len(result.json()["documents"]) == 4


def test_unreadable_file_is_skipped(seeds_dir: Path, run_scan: Run) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read files without permission")
    locked = seeds_dir / "locked.txt"
    locked.write_text("Some words that nobody may read.", "utf-8")
    locked.chmod(0)
    try:
        reasons = skipped(run_scan(seeds_dir).json())
    finally:
        locked.chmod(0o644)
    assert reasons["locked.txt"] == "cannot read: Permission denied"


@pytest.mark.parametrize("make", ["missing", "file"])
def test_wrong_dir_argument_exits_2_with_a_message(tmp_path: Path, run_scan: Run, make: str) -> None:
    target = tmp_path / "articles"
    if make == "file":
        target.write_text("not a folder", "utf-8")
    result = run_scan(target)
    assert result.exit_code == 2
    assert ("does not exist" if make == "missing" else "is a file") in flat(result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_nothing_readable_exits_2(tmp_path: Path, run_scan: Run) -> None:
    empty = run_scan(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.bin.txt").write_bytes(b"\x00\x01")
    all_bad = run_scan(tmp_path)
    quiet = run_scan(tmp_path, "-q")
    assert (empty.exit_code, all_bad.exit_code, quiet.exit_code) == (2, 2, 2)
    assert "nothing could be read" in empty.stderr and "(no files)" in empty.stderr
    assert "all 2 file(s) or record(s) were skipped" in all_bad.stderr
    assert "skipped a.txt: empty file" in all_bad.stderr
    assert quiet.stderr.strip().startswith("syndet: error: nothing could be read")
    assert empty.stdout == all_bad.stdout == ""
