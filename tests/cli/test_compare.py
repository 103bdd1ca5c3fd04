"""`syndet compare A B`: two articles compared as the scan compares them, plus how much of each one's wording
comes from the other, and a clear refusal of whatever cannot be read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.cli.conftest import PHRASE, SEEDS, ScanResult

COUNTER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "counter-dev"


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["compare", *(str(a) for a in args)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def compared(*args: str | Path) -> dict[str, Any]:
    status, out, err = run(*args, "--json")
    assert status == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


def test_two_seeds_are_compared_as_the_scan_compares_them(seeds_dir: Path, run_scan: Callable[..., ScanResult]) -> None:
    report = compared(seeds_dir / "000.txt", seeds_dir / "001.txt")
    scanned = json.loads(run_scan(seeds_dir).stdout)
    pair = next(p for p in scanned["pairs"] if (p["a"], p["b"]) == ("000.txt", "001.txt"))
    for field in ("kind", "containment", "jaccard", "passages", "syndication"):
        assert report[field] == pair[field], field
    text_a, text_b = ((seeds_dir / n).read_text(encoding="utf-8") for n in ("000.txt", "001.txt"))
    assert any(
        PHRASE in text_a[p["a"]["start"] : p["a"]["end"]] and PHRASE in text_b[p["b"]["start"] : p["b"]["end"]]
        for p in report["passages"]
    )
    credited = {c["agency"] for c in report["b"]["attributions"]}
    assert {"reuters", "afp", "xinhua"} <= credited  # 001 credits them; they are never counted as reuse
    assert report["syndication"]["wire"] == {"status": "probably_wire_derived", "agency": "reuters"}
    for key in ("a_from_b", "b_from_a"):
        assert report["derived"][key]["label"] != "none"


def test_articles_on_different_stories_share_nothing(seeds_dir: Path) -> None:
    report = compared(seeds_dir / "000.txt", seeds_dir / "003.txt")
    assert report["passages"] == [] and report["kind"] is None and report["syndication"] is None
    assert report["derived"]["a_from_b"]["label"] == report["derived"]["b_from_a"]["label"] == "none"
    status, out, _ = run(seeds_dir / "000.txt", seeds_dir / "003.txt")
    assert status == 0
    assert "share no passage" in out


def test_the_table_shows_both_sides_of_each_passage(seeds_dir: Path) -> None:
    status, out, _ = run(seeds_dir / "000.txt", seeds_dir / "001.txt", "--full")
    assert status == 0
    assert "share 4 passage(s): partial" in out
    assert "Sergei Lavrov accused Western powers" in out
    assert "Additional reporting by Reuters" in out  # listed as a credit line of 001.txt


@pytest.mark.skipif(not COUNTER.is_dir(), reason=f"COUNTER corpus not found at {COUNTER}")
def test_a_rewrite_that_kept_no_passage_is_still_read_as_derived(tmp_path: Path) -> None:
    # COUNTER pair 0158 (Urdu): the newspaper rewrote the agency story, partially derived by the corpus's
    # annotators; no passage survived the rewrite, its wording did
    from bench.counter import read_story

    paper, agency = tmp_path / "paper.txt", tmp_path / "agency.txt"
    paper.write_text(read_story(COUNTER / "COUNTER" / "0158p.xml"), encoding="utf-8")
    agency.write_text(read_story(COUNTER / "COUNTER" / "0158.xml"), encoding="utf-8")
    report = compared(paper, agency)
    assert report["passages"] == []
    assert report["derived"]["a_from_b"]["label"] in ("partially", "wholly")
    assert report["derived"]["a_from_b"]["coverage"] > report["derived"]["b_from_a"]["coverage"]


def test_one_record_of_a_json_file_is_named_by_its_id(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    records = [
        {"id": "mt", "text": (SEEDS / "000.txt").read_text(encoding="utf-8"), "source": "The Moscow Times",
         "published_at": "2015-02-27T09:00:00Z"},
        {"id": "ind", "text": (SEEDS / "001.txt").read_text(encoding="utf-8"), "source": "The Independent",
         "published_at": "2015-02-27T17:42:00Z"},
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = compared(f"{feed}#ind", f"{feed}#mt")
    assert (report["a"]["id"], report["a"]["source"]) == ("feed.jsonl#ind", "The Independent")
    assert report["b"]["id"] == "feed.jsonl#mt"
    assert report["syndication"]["origin"] == "feed.jsonl#mt"  # published first
    assert report["passages"]

    status, _, err = run(feed, f"{feed}#mt")
    assert status == 2 and "holds 2 articles; name one as FILE#ID" in err and "feed.jsonl#mt" in err
    status, _, err = run(f"{feed}#nope", f"{feed}#mt")
    assert status == 2 and "no record 'nope' (records: feed.jsonl#mt, feed.jsonl#ind)" in " ".join(err.split())


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", "   \n", "empty file"),
        ("binary.txt", b"\x00\x01", "binary file"),
        ("notes.pdf", "text", "not an article file"),
        ("page.html", "<html><head><title></title></head><body></body></html>", "no main text"),
        ("marks.txt", "... --- !!!", "has no words"),
        ("feed.json", "{not json", "invalid JSON"),
    ],
)
def test_what_cannot_be_compared_is_refused_with_its_reason(
    tmp_path: Path, name: str, content: str | bytes | None, reason: str
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("The minister said the talks in Geneva would resume on Monday after a pause.", encoding="utf-8")
    target = tmp_path / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    elif content is not None:
        target.write_text(content, encoding="utf-8")
    status, out, err = run(other, target)
    assert status == 2
    assert reason in err and str(target) in err
    assert "Traceback" not in out + err
