"""`syndet scan` on the real seed articles: the right pairs, spans that slice the reused text, every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.cli.conftest import PHRASE, ScanResult, read

STORY_2015 = {"000.txt", "001.txt", "002.txt"}
STORY_2022 = {"003.txt", "004.txt"}

Run = Callable[..., ScanResult]


def pair(report: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    matches = [p for p in report["pairs"] if (p["a"], p["b"]) == (a, b)]
    assert len(matches) == 1, f"expected one pair {a} / {b}, got {report['pairs']}"
    return matches[0]


def test_finds_the_reused_quote_with_spans_into_both_files(seeds_dir: Path, run_scan: Run) -> None:
    result = run_scan(seeds_dir)
    assert result.exit_code == 0, result.stderr
    report = result.json()
    text_a, text_b = read(seeds_dir / "000.txt"), read(seeds_dir / "001.txt")
    found = pair(report, "000.txt", "001.txt")
    slices = [(text_a[p["a"]["start"] : p["a"]["end"]], text_b[p["b"]["start"] : p["b"]["end"]])
              for p in found["passages"]]
    assert any(PHRASE in sa and PHRASE in sb for sa, sb in slices), slices
    assert found["kind"] in {"partial", "near_duplicate", "duplicate"}
    assert 0 < found["containment"]["a"] <= 1 and 0 < found["containment"]["b"] <= 1


def test_two_stories_never_pair_across(seeds_dir: Path, run_scan: Run) -> None:
    report = run_scan(seeds_dir).json()
    assert report["pairs"], "the seeds share text within each story"
    for p in report["pairs"]:
        assert p["a"] < p["b"]
        assert {p["a"], p["b"]} <= STORY_2015 or {p["a"], p["b"]} <= STORY_2022, p


def test_documents_describe_each_file(seeds_dir: Path, run_scan: Run) -> None:
    report = run_scan(seeds_dir).json()
    assert [d["id"] for d in report["documents"]] == ["000.txt", "001.txt", "002.txt", "003.txt", "004.txt"]
    for doc in report["documents"]:
        assert doc["path"] == doc["id"]
        assert doc["chars"] == len(read(seeds_dir / doc["path"]))
        assert doc["words"] > 100 and doc["passages"] >= 1
        assert "text" not in doc
    assert report["skipped"] == []
    assert report["params"]["engine"]["num_perm"] > 0
    assert report["params"]["scan"]["candidates"] == "lsh"


def test_every_span_lies_inside_its_text(seeds_dir: Path, run_scan: Run) -> None:
    report = run_scan(seeds_dir, "--with-text").json()
    texts = {d["id"]: d["text"] for d in report["documents"]}
    for doc in report["documents"]:
        assert doc["text"] == read(seeds_dir / doc["path"])
    for p in report["pairs"]:
        for passage in p["passages"]:
            for side in ("a", "b"):
                span = passage[side]
                assert 0 <= span["start"] < span["end"] <= len(texts[p[side]])
            assert 0 < passage["similarity"] <= 1


def test_copies_cluster_by_default_and_partial_reuse_only_on_request(seeds_dir: Path, run_scan: Run) -> None:
    shutil.copy(seeds_dir / "003.txt", seeds_dir / "003-copy.txt")
    report = run_scan(seeds_dir).json()
    assert pair(report, "003-copy.txt", "003.txt")["kind"] == "duplicate"
    assert report["clusters"] == [["003-copy.txt", "003.txt"]]

    wide = run_scan(seeds_dir, "--cluster-on", "partial").json()
    story_2015, story_2022 = wide["clusters"]
    assert {"000.txt", "001.txt"} <= set(story_2015) <= STORY_2015
    assert story_2022 == ["003-copy.txt", "003.txt", "004.txt"]


def test_min_kind_filters_pairs_but_not_clusters(seeds_dir: Path, run_scan: Run) -> None:
    shutil.copy(seeds_dir / "003.txt", seeds_dir / "003-copy.txt")
    report = run_scan(seeds_dir, "--min-kind", "near_duplicate").json()
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("003-copy.txt", "003.txt")]
    assert report["clusters"] == [["003-copy.txt", "003.txt"]]
    assert report["params"]["scan"]["min_kind"] == "near_duplicate"


def test_output_is_the_same_whatever_order_files_were_written(
    tmp_path: Path, seed_texts: dict[str, str], run_scan: Run
) -> None:
    outputs = []
    for name, order in (("forward", sorted(seed_texts)), ("backward", sorted(seed_texts, reverse=True))):
        folder = tmp_path / name
        (folder / "nested").mkdir(parents=True)
        for stem in order:
            target = folder / ("nested" if stem in {"001", "004"} else ".") / f"{stem}.txt"
            target.write_text(seed_texts[stem], "utf-8", newline="")
        outputs.append(run_scan(folder).stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == run_scan(tmp_path / "forward").stdout
    ids = [d["id"] for d in json.loads(outputs[0])["documents"]]
    assert ids == ["000.txt", "002.txt", "003.txt", "nested/001.txt", "nested/004.txt"]


def test_jsonl_streams_documents_then_pairs_then_clusters(seeds_dir: Path, run_scan: Run) -> None:
    full = run_scan(seeds_dir).json()
    lines = [json.loads(line) for line in run_scan(seeds_dir, "--format", "jsonl").stdout.splitlines()]
    head, pairs, tail = lines[0], lines[1:-1], lines[-1]
    assert set(head) == {"documents", "skipped", "params"}
    assert head["documents"] == full["documents"]
    assert pairs == full["pairs"]
    assert tail == {"clusters": full["clusters"]}


def test_csv_has_one_row_per_pair_with_compact_spans(seeds_dir: Path, run_scan: Run) -> None:
    full = run_scan(seeds_dir).json()
    rows = list(csv.DictReader(io.StringIO(run_scan(seeds_dir, "-f", "csv").stdout)))
    assert len(rows) == len(full["pairs"])
    text_a, text_b = read(seeds_dir / "000.txt"), read(seeds_dir / "001.txt")
    for row, p in zip(rows, full["pairs"], strict=True):
        assert (row["a"], row["b"], row["kind"]) == (p["a"], p["b"], p["kind"])
        assert float(row["containment_a"]) == p["containment"]["a"]
        assert float(row["jaccard"]) == p["jaccard"]
        assert int(row["passages"]) == len(p["passages"])
        wire = p["syndication"]["wire"] or {}
        assert (row["origin"], row["wire"], row["agency"]) == (
            p["syndication"]["origin"] or "", wire.get("status", ""), wire.get("agency") or ""
        )
    assert {r["agency"] for r in rows} == {"", "reuters"}  # 000 ~ 002 names no wire; the other pairs Reuters
    row = next(r for r in rows if (r["a"], r["b"]) == ("000.txt", "001.txt"))
    spans = [[tuple(map(int, side.split("-"))) for side in item.split(":")] for item in row["spans"].split(";")]
    assert any(PHRASE in text_a[a0:a1] and PHRASE in text_b[b0:b1] for (a0, a1), (b0, b1) in spans)


def test_out_writes_the_report_to_a_file_and_is_not_read_back(seeds_dir: Path, run_scan: Run) -> None:
    target = seeds_dir / "report.json"
    first = run_scan(seeds_dir, "--out", target)
    assert first.exit_code == 0 and first.stdout == ""
    report = json.loads(target.read_text("utf-8"))
    assert "report.json" in first.stderr
    second = run_scan(seeds_dir, "--out", target)
    assert second.exit_code == 0
    assert json.loads(target.read_text("utf-8")) == report
    assert all(d["id"] != "report.json" for d in report["documents"])


def test_pairs_file_compares_exactly_the_listed_pairs(seeds_dir: Path, tmp_path: Path, run_scan: Run) -> None:
    listed = tmp_path / "pairs.tsv"
    listed.write_text("001.txt\t000.txt\n\n000.txt\t003.txt\n000.txt\t001.txt\n", "utf-8")
    report = run_scan(seeds_dir, "--pairs", listed).json()
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("001.txt", "000.txt"), ("000.txt", "003.txt")]
    reused, unrelated = report["pairs"]
    text_a, text_b = read(seeds_dir / "001.txt"), read(seeds_dir / "000.txt")
    assert any(
        PHRASE in text_a[p["a"]["start"] : p["a"]["end"]] and PHRASE in text_b[p["b"]["start"] : p["b"]["end"]]
        for p in reused["passages"]
    )
    assert unrelated["kind"] is None and unrelated["passages"] == []
    assert report["params"]["scan"]["candidates"] == "pairs-file"


def test_pairs_file_errors_name_the_line(seeds_dir: Path, tmp_path: Path, run_scan: Run) -> None:
    listed = tmp_path / "pairs.tsv"
    listed.write_text("000.txt\t001.txt\n000.txt 002.txt\n", "utf-8")
    bad_format = run_scan(seeds_dir, "--pairs", listed)
    listed.write_text("000.txt\t001.txt\n\n000.txt\tmissing.txt\n", "utf-8")
    unknown = run_scan(seeds_dir, "--pairs", listed)
    for result, needle in ((bad_format, "line 2"), (unknown, "line 3")):
        assert result.exit_code == 2
        assert needle in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    assert "missing.txt" in unknown.stderr


def test_pairs_with_a_skipped_document_are_left_out_with_a_notice(
    seeds_dir: Path, tmp_path: Path, run_scan: Run
) -> None:
    (seeds_dir / "blank.txt").write_text("\n\n", "utf-8")
    listed = tmp_path / "pairs.tsv"
    listed.write_text("000.txt\tblank.txt\n000.txt\t002.txt\n", "utf-8")
    result = run_scan(seeds_dir, "--pairs", listed)
    assert result.exit_code == 0
    assert [(p["a"], p["b"]) for p in result.json()["pairs"]] == [("000.txt", "002.txt")]
    assert "line 1" in result.stderr


def test_out_in_a_missing_folder_exits_2(seeds_dir: Path, tmp_path: Path, run_scan: Run) -> None:
    result = run_scan(seeds_dir, "--out", tmp_path / "no" / "such" / "report.json")
    assert result.exit_code == 2
    assert "cannot write --out" in result.stderr and "No such file or directory" in result.stderr
    assert result.stdout == ""
