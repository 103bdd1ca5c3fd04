"""The parts of the batch job on their own: extraction, walking, pair lists, clusters, report columns."""

from __future__ import annotations

import doctest
import io
import itertools
from pathlib import Path

import pytest

import service.batch.clusters
import service.batch.kinds
import service.batch.report
import service.batch.walk
import service.extract
from service.batch.clusters import connected_components
from service.batch.kinds import Kind, at_least
from service.batch.memory import MAX_CACHE_BYTES, MIN_CACHE_BYTES, available_memory, cache_budget
from service.batch.pairlist import ListedPair, PairListError, read_pair_list
from service.batch.progress import Feedback
from service.batch.readers import read_file
from service.batch.walk import walk
from service.extract import extract_page, html_to_text
from tests.cli.conftest import html_page, paragraphs


@pytest.mark.parametrize(
    "module",
    [service.batch.clusters, service.batch.kinds, service.batch.report, service.batch.walk, service.extract],
)
def test_docstring_examples_run(module: object) -> None:
    failures, _ = doctest.testmod(module)  # type: ignore[arg-type]
    assert failures == 0


def test_html_main_text_leaves_out_page_chrome(seed_texts: dict[str, str]) -> None:
    body = paragraphs(seed_texts["000"])[3:]
    page = html_page("Chinese Diplomat Urges West", body)
    text = html_to_text(page)
    lines = text.split("\n")
    assert lines[-len(body) :] == body, "one paragraph per line, text unchanged"
    assert "newsletter" not in text and "cookies" not in text and "privacy policy" not in text
    meta = extract_page(page)
    assert meta.text == text and meta.source == "The Moscow Times" and meta.published_at == "2015-02-27"
    assert html_to_text("<html><body><img src='a.png'></body></html>") == ""


def test_html_with_non_ascii_and_entities() -> None:
    text = "Министр заявил, что переговоры возобновятся в понедельник — в Женеве &amp; Вене."
    page = f"<html><body><article><p>{text}</p><p>Второй абзац статьи о переговорах.</p></article></body></html>"
    assert html_to_text(page).split("\n")[0] == text.replace("&amp;", "&")


def test_walk_lists_nested_files_in_name_order(tmp_path: Path) -> None:
    for rel in ["b/z.txt", "b/a.md", "a.TXT", "c/d/e.jsonl", "c/skip.csv", "b.htm"]:
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("words here", "utf-8")
    found = walk(tmp_path, max_bytes=1000)
    assert [f.rel for f in found.files] == ["a.TXT", "b.htm", "b/a.md", "b/z.txt", "c/d/e.jsonl"]
    assert found.ignored == 1 and found.skipped == []


def test_walk_excludes_the_report_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("words", "utf-8")
    (tmp_path / "report.json").write_text("{}", "utf-8")
    found = walk(tmp_path, max_bytes=1000, exclude=[tmp_path / "report.json"])
    assert [f.rel for f in found.files] == ["a.txt"]


def test_text_is_decoded_without_newline_translation(tmp_path: Path) -> None:
    (tmp_path / "crlf.txt").write_bytes("\ufeffLine one\r\nLine two — done\r\n".encode())
    [found] = walk(tmp_path, max_bytes=1000).files
    [article] = read_file(found).articles
    with open(tmp_path / "crlf.txt", encoding="utf-8", newline="") as fh:
        assert article.text == fh.read()
    assert "\r\n" in article.text and article.text.startswith("\ufeff")


def test_pair_list_parsing(tmp_path: Path) -> None:
    listed = tmp_path / "pairs.tsv"
    listed.write_bytes(b"a.txt\tb.txt\r\n\nb.txt\ta.txt\nc d.txt\ta.json#0\n")
    assert read_pair_list(listed) == [ListedPair(1, "a.txt", "b.txt"), ListedPair(4, "c d.txt", "a.json#0")]
    for content, message in [
        ("a.txt\tb.txt\na.txt\n", "line 2: expected 'idA<TAB>idB'"),
        ("a.txt\tb.txt\tc.txt\n", "line 1: expected"),
        ("\ta.txt\n", "line 1: expected"),
        ("a.txt\ta.txt\n", "line 1: 'a.txt' is paired with itself"),
        ("\n\n", "no pairs listed"),
    ]:
        listed.write_text(content, "utf-8")
        with pytest.raises(PairListError, match=message):
            read_pair_list(listed)
    listed.write_bytes(b"a\xff\tb\n")
    with pytest.raises(PairListError, match="not valid UTF-8"):
        read_pair_list(listed)


def test_clusters_do_not_depend_on_edge_order() -> None:
    edges = [("e", "f"), ("a", "b"), ("c", "b"), ("g", "f"), ("x", "y"), ("d", "d")]
    expected = [["a", "b", "c"], ["e", "f", "g"], ["x", "y"]]
    for order in itertools.permutations(edges):
        flipped = [(b, a) for a, b in order]
        assert connected_components(order) == expected
        assert connected_components(flipped) == expected
    assert connected_components([]) == []


def test_kind_order() -> None:
    assert [k.value for k in Kind] == ["partial", "near_duplicate", "duplicate"]
    assert at_least(None, None) and not at_least(None, Kind.partial)
    assert at_least("partial", Kind.partial) and not at_least("partial", Kind.duplicate)


def test_feedback_on_a_pipe_prints_plain_lines() -> None:
    stream = io.StringIO()
    feedback = Feedback(stream=stream)
    assert not feedback.show_progress
    assert list(feedback.track(iter([1, 2]), total=2, description="reading")) == [1, 2]
    feedback.note("skipped x.txt: empty file")
    feedback.error("nothing could be read")
    quiet = Feedback(quiet=True, stream=stream)
    quiet.note("not shown")
    quiet.error("shown")
    assert stream.getvalue().splitlines() == [
        "syndet: skipped x.txt: empty file",
        "syndet: error: nothing could be read",
        "syndet: error: shown",
    ]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_json_report_streams_pairs_yet_writes_what_one_dump_writes(count: int) -> None:
    """Pairs are written as they come (a large folder can have a million), and the bytes are still those of
    `json.dump(report, indent=2)`: nested values, empty lists and non-ASCII text included."""
    import json

    from service.batch.report import Format, make_writer
    from service.batch.walk import Skipped

    documents = [{"id": "a.txt", "title": "Zürich — 北京", "words": 3}, {"id": "b.txt", "words": 0}]
    skipped = [Skipped("c.bin", "binary"), Skipped("d.jsonl", "no text", id="d.jsonl#2")]
    params = {"engine": {"num_perm": 128}, "scan": {"min_kind": None, "tags": []}}
    pairs = [{"a": "a.txt", "b": f"b{i}.txt", "passages": [{"a": {"start": 0, "end": i}}], "ignored": [],
              "syndication": None if i else {"wire": {"status": "wire_derived", "agency": "reuters"}}}
             for i in range(count)]
    clusters = [["a.txt", "b0.txt"]] if count else []
    out = io.StringIO()
    writer = make_writer(Format.json, out)
    writer.start(documents, skipped, params)
    for entry in pairs:
        writer.pair(entry)
        assert f'"b": "{entry["b"]}"' in out.getvalue()  # written now, not kept for the end
    writer.finish(clusters)
    whole = {"documents": documents, "pairs": pairs, "clusters": clusters,
             "skipped": [s.to_dict() for s in skipped], "params": params}
    assert out.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_available_memory_reads_linux_and_a_container_limit(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683772 kB\nMemFree:  1000 kB\nMemAvailable:   8000000 kB\n", "ascii")
    cgroup = tmp_path / "cgroup"
    cgroup.mkdir()
    assert available_memory(meminfo, cgroup) == 8_000_000 * 1024  # no cgroup files: the machine's figure
    (cgroup / "memory.max").write_text("max\n", "ascii")
    (cgroup / "memory.current").write_text("123\n", "ascii")
    assert available_memory(meminfo, cgroup) == 8_000_000 * 1024  # no limit set
    (cgroup / "memory.max").write_text(f"{4 * 2**30}\n", "ascii")
    (cgroup / "memory.current").write_text(f"{2**30}\n", "ascii")
    assert available_memory(meminfo, cgroup) == 3 * 2**30  # a container's limit leaves less than the host
    v1 = tmp_path / "v1"
    (v1 / "memory").mkdir(parents=True)
    (v1 / "memory" / "memory.limit_in_bytes").write_text("9223372036854771712\n", "ascii")  # v1: no limit
    (v1 / "memory" / "memory.usage_in_bytes").write_text(f"{2**30}\n", "ascii")
    assert available_memory(meminfo, v1) == 8_000_000 * 1024
    (v1 / "memory" / "memory.limit_in_bytes").write_text(f"{2 * 2**30}\n", "ascii")
    assert available_memory(meminfo, v1) == 2**30
    assert available_memory(tmp_path / "absent", tmp_path / "absent") is None


def test_cache_budget_shares_half_the_free_memory_within_bounds() -> None:
    assert cache_budget(2, available=8 * 2**30) == 2 * 2**30
    assert cache_budget(1, available=64 * 2**30) == MAX_CACHE_BYTES
    assert cache_budget(8, available=2**30) == MIN_CACHE_BYTES
    assert MIN_CACHE_BYTES <= cache_budget(2) <= MAX_CACHE_BYTES  # this machine's own figure
