"""`syndet scan DIR --html report.html`: one self-contained page with the clusters, the ranked pairs and
every pair's side-by-side view."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from service.batch.html_report import HtmlReport, comparison_from_entry
from service.batch.readers import Article
from service.cli import app as cli
from tests.helpers import SEEDS, seeds

PHRASE = "become a distraction in its foreign policy"


def embedded(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="scan-data">(.*?)</script>', page, re.S)
    assert match
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_the_page_is_one_self_contained_file(seed_report: dict[str, Any]) -> None:
    page = seed_report["html"].read_text(encoding="utf-8")
    assert "<style>" in page and "<script>" in page
    # nothing to fetch: no external script, style sheet, image or font
    assert not re.search(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)=', page)
    assert "url(" not in page and "@import" not in page
    assert "HTML report in" not in seed_report["result"].output  # -q: no notices


def test_the_page_holds_the_scan_pairs_ranked_with_texts_and_runs(seed_report: dict[str, Any]) -> None:
    report = json.loads(seed_report["json"].read_text(encoding="utf-8"))
    page = seed_report["html"].read_text(encoding="utf-8")
    data = embedded(page)
    assert {(p["a"], p["b"]) for p in data["pairs"]} == {(p["a"], p["b"]) for p in report["pairs"]}
    shares = [max(p["containment"]["a"], p["containment"]["b"]) for p in data["pairs"]]
    assert shares == sorted(shares, reverse=True)
    texts = seeds()
    for doc_id, doc in data["docs"].items():
        assert doc["text"] == texts[doc_id.removesuffix(".txt")]
    pair = next(p for p in data["pairs"] if (p["a"], p["b"]) == ("000.txt", "001.txt"))
    assert pair["wire"] == "probably Reuters"
    for side in ("a", "b"):
        runs, text = pair["runs"][side], data["docs"][pair[side]]["text"]
        assert runs[0][0] == 0 and runs[-1][1] == len(text)
        assert all(x[1] == y[0] for x, y in zip(runs, runs[1:], strict=False))
        own = {run[2][0] for run in runs if run[2]}
        assert own == set(range(len(pair["passages"]))), "every passage shows in its own colour"
    shared = "".join(data["docs"]["001.txt"]["text"][p[2] : p[3]] for p in pair["passages"])
    assert PHRASE in shared
    # every pair is listed and linked to its view
    for i in range(len(data["pairs"])):
        assert f'href="#pair-{i}"' in page


def test_site_boilerplate_is_greyed_on_both_sides(boilerplate_report: dict[str, Any]) -> None:
    report = json.loads(boilerplate_report["json"].read_text(encoding="utf-8"))
    assert [(p["a"], p["b"]) for p in report["pairs"]] == [("site.jsonl#harbour", "site.jsonl#retold")]
    assert {i["reason"] for i in report["pairs"][0]["ignored"]} == {"boilerplate"}
    data = embedded(boilerplate_report["html"].read_text(encoding="utf-8"))
    pair = data["pairs"][0]
    for side in ("a", "b"):
        text = data["docs"][pair[side]]["text"]
        greyed = "".join(text[r[0] : r[1]] for r in pair["runs"][side] if r[3] and r[3].startswith("boilerplate"))
        assert "Your support helps us to tell the story" in greyed and "Join our commenting forum" in greyed
        shared = "".join(text[r[0] : r[1]] for r in pair["runs"][side] if r[2])
        assert "largest investment in the harbour" in shared and "Your support" not in shared


def test_html_and_report_files_inside_the_folder_are_not_read_as_articles(tmp_path: Path) -> None:
    seeds()
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    args = ["scan", str(folder), "--html", str(folder / "report.html"), "--out", str(folder / "r.json"), "-q"]
    for _ in range(2):  # the second run finds the first run's files in the folder
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert len(json.loads((folder / "r.json").read_text(encoding="utf-8"))["documents"]) == 5


def test_an_unwritable_html_path_is_a_usage_error_not_a_traceback(tmp_path: Path) -> None:
    seeds()
    result = CliRunner().invoke(cli, ["scan", str(SEEDS), "--html", str(tmp_path / "missing" / "r.html")])
    assert result.exit_code == 2
    assert "cannot write --html" in result.output and "Traceback" not in result.output


def test_a_text_that_would_close_the_script_stays_inside_it(tmp_path: Path) -> None:
    """Article text is data: `</script>` or `<!--` in it cannot end the embedded JSON early."""
    hostile = "Officials said </script><script>alert(1)</script> and <!-- that the talks would resume on Monday."
    text_a = "The minister said the talks would resume on Monday in Geneva after a long pause. " + hostile
    text_b = hostile + " The minister said the talks would resume on Monday in Geneva after a long pause."
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(text_a, encoding="utf-8")
    (folder / "b.txt").write_text(text_b, encoding="utf-8")
    page = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["scan", str(folder), "--html", str(page), "-q"])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in html and "<!-- that" not in html
    assert embedded(html)["docs"]["a.txt"]["text"] == text_a


def test_the_writer_reads_back_what_the_scan_entries_say() -> None:
    texts = seeds()
    entry = {
        "a": "x",
        "b": "y",
        "kind": "partial",
        "containment": {"a": 0.5, "b": 0.25},
        "jaccard": 0.2,
        "passages": [{"a": {"start": 0, "end": 5}, "b": {"start": 3, "end": 9}, "similarity": 0.9}],
        "ignored": [{"a": {"start": 6, "end": 9}, "b": {"start": 10, "end": 14}, "similarity": 1.0,
                     "reason": "boilerplate"}],
    }
    comparison = comparison_from_entry(entry)
    assert comparison.passages[0].b.start == 3 and comparison.ignored[0].reason == "boilerplate"
    writer = HtmlReport(io.StringIO(), [Article("x", "x", texts["000"]), Article("y", "y", texts["001"])])
    writer.start([], [], {"scan": {"cluster_on": "near_duplicate"}})
    writer.pair(entry)
    page = writer.render([["x", "y"]])
    pair = embedded(page)["pairs"][0]
    assert [6, 9, [], "boilerplate: matched, not counted as reuse"] in pair["runs"]["a"]
    assert 'href="#pair-0">x ~ y</a>' in page



def test_a_page_shows_the_most_shared_pairs_and_says_how_many_there_are() -> None:
    """A large folder can have a million pairs, each shown with both texts: the page keeps the most shared."""
    texts = seeds()
    articles = [Article(f"d{i}", f"d{i}", texts["000"]) for i in range(12)]
    writer = HtmlReport(io.StringIO(), articles, max_pairs=3)
    writer.start([], [], {"scan": {"cluster_on": "near_duplicate"}})
    for i in range(11):  # containment rising with i: the last three are the most shared
        share = round(0.05 * (i + 1), 2)
        writer.pair({"a": f"d{i}", "b": f"d{i + 1}", "kind": "partial", "containment": {"a": share, "b": share},
                     "jaccard": share, "passages": [{"a": {"start": 0, "end": 5}, "b": {"start": 0, "end": 5},
                                                     "similarity": 1.0}]})
    assert len(writer.entries) < 6  # cut as it goes, not kept whole until the end
    page = writer.render([])
    shown = [(p["a"], p["b"]) for p in embedded(page)["pairs"]]
    assert shown == [("d10", "d11"), ("d9", "d10"), ("d8", "d9")]
    assert "<strong>11</strong> pairs share text (the 3 most shared are shown here" in page
