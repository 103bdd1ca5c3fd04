"""Syndication in `syndet scan`: credit lines with spans, wire labels, direction, boilerplate, time window."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from service.batch import scanner
from tests.cli.conftest import ScanResult
from tests.helpers import article, seeds

Run = Callable[..., ScanResult]


def pair(report: dict[str, Any], a: str, b: str) -> dict[str, Any] | None:
    return next((p for p in report["pairs"] if {p["a"], p["b"]} == {a, b}), None)


def test_seed_credits_and_the_probable_wire_source(tmp_path: Path, run_scan: Run) -> None:
    for name, text in seeds().items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
    report = run_scan(tmp_path).json()
    docs = {d["id"]: d for d in report["documents"]}
    for doc_id in ("001.txt", "003.txt"):
        text = (tmp_path / doc_id).read_text(encoding="utf-8")
        credits = [a for a in docs[doc_id]["attributions"] if a["kind"] == "additional_reporting"]
        assert [(a["agency"], text[a["span"]["start"] : a["span"]["end"]]) for a in credits] == [
            ("reuters", "Additional reporting by Reuters")
        ]
    shared = pair(report, "000.txt", "001.txt")
    assert shared is not None
    assert shared["syndication"]["wire"] == {"status": "probably_wire_derived", "agency": "reuters"}
    assert shared["syndication"]["origin"] in ("000.txt", "001.txt") and shared["syndication"]["reason"]


def test_site_boilerplate_links_nothing_but_shared_text_still_does(tmp_path: Path, run_scan: Run) -> None:
    s = seeds()["001"]
    head = s[s.index("Your support helps us") : s.index("China has voiced its support")]
    tail = s[s.index("Join our commenting forum") :]
    records = [
        {"id": "original", "text": s, "source": "The Independent"},
        {"id": "harbour", "text": head + article("harbour") + "\n\n" + tail, "source": "The Independent"},
        {"id": "orchard", "text": head + article("orchard") + "\n\n" + tail, "source": "The Independent"},
        {"id": "wire", "text": "\n\n".join(article("harbour").split("\n\n")[2:6]), "source": "Reuters"},
    ]
    (tmp_path / "site.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = run_scan(tmp_path).json()
    assert pair(report, "site.jsonl#harbour", "site.jsonl#orchard") is None
    assert pair(report, "site.jsonl#original", "site.jsonl#orchard") is None
    reused = pair(report, "site.jsonl#harbour", "site.jsonl#wire")
    assert reused is not None
    assert reused["syndication"]["wire"] == {"status": "wire_derived", "agency": "reuters"}
    assert reused["syndication"]["origin"] == "site.jsonl#wire"


def _site_folders(root: Path) -> None:
    """Seed 001 and two stories wrapped in its site's share bar and comment prompt, in a folder named for the
    site, and a wire excerpt of one of them in another."""
    s = seeds()["001"]
    head = s[s.index("Your support helps us") : s.index("China has voiced its support")]
    tail = s[s.index("Join our commenting forum") :]
    files = {
        "independent/original.txt": s,
        "independent/harbour.txt": head + article("harbour") + "\n\n" + tail,
        "independent/orchard.txt": head + article("orchard") + "\n\n" + tail,
        "reuters/wire.txt": "\n\n".join(article("harbour").split("\n\n")[2:6]),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8", newline="")


def test_plain_files_learn_boilerplate_from_their_folder_when_asked(tmp_path: Path, run_scan: Run) -> None:
    """Plain text has no source, so its site's boilerplate is learned only with --source-from-folder."""
    _site_folders(tmp_path)
    plain = run_scan(tmp_path).json()
    assert pair(plain, "independent/harbour.txt", "independent/orchard.txt") is not None  # the boilerplate
    assert all("source" not in d for d in plain["documents"])
    report = run_scan(tmp_path, "--source-from-folder").json()
    assert {d["id"]: d["source"] for d in report["documents"]} == {
        "independent/harbour.txt": "independent", "independent/orchard.txt": "independent",
        "independent/original.txt": "independent", "reuters/wire.txt": "reuters",
    }
    assert report["params"]["scan"]["source_from_folder"] is True
    assert pair(report, "independent/harbour.txt", "independent/orchard.txt") is None
    assert pair(report, "independent/original.txt", "independent/orchard.txt") is None
    reused = pair(report, "independent/harbour.txt", "reuters/wire.txt")
    assert reused is not None
    wire = (tmp_path / "reuters/wire.txt").read_text(encoding="utf-8")
    spans = [p["b"] if reused["b"] == "reuters/wire.txt" else p["a"] for p in reused["passages"]]
    assert sum(span["end"] - span["start"] for span in spans) > 0.8 * len(wire.strip())


def test_within_days_compares_only_close_dates(tmp_path: Path, run_scan: Run) -> None:
    base = article("orchard")
    records = [
        {"id": "may", "text": base, "published_at": "2024-05-01"},
        {"id": "june", "text": base.replace("Sunday", "Monday"), "published_at": "2024-06-20"},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert pair(run_scan(tmp_path).json(), "a.jsonl#may", "a.jsonl#june") is not None
    assert run_scan(tmp_path, "--within-days", "30").json()["pairs"] == []


def test_a_wires_file_adds_agencies(tmp_path: Path, run_scan: Run) -> None:
    """An agency the built-in registry lacks is recognised in sources and credits once a wires file names it."""
    from service import wires

    body = "\n\n".join(article("harbour").split("\n\n")[1:6])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {"id": "nampa", "text": body, "source": "NAMPA"},
        {"id": "paper", "text": "WINDHOEK (Nampa) - " + body + "\n\nOwn reporting: the council meets on Friday."},
    ]
    (corpus / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    agencies = tmp_path / "wires.json"
    agencies.write_text(json.dumps({"nampa": {"name": "Namibia Press Agency", "aliases": ["Nampa"]}}))
    try:
        plain = pair(run_scan(corpus).json(), "feed.jsonl#nampa", "feed.jsonl#paper")
        assert plain is not None and plain["syndication"]["wire"] is None
        report = run_scan(corpus, "--wires", agencies).json()
        found = pair(report, "feed.jsonl#nampa", "feed.jsonl#paper")
        assert found is not None
        assert found["syndication"]["wire"] == {"status": "wire_derived", "agency": "nampa"}
        assert found["syndication"]["origin"] == "feed.jsonl#nampa"
        docs = {d["id"]: d for d in report["documents"]}
        assert [a["agency"] for a in docs["feed.jsonl#paper"]["attributions"]] == ["nampa"]
        bad = tmp_path / "bad.json"
        bad.write_text("[1, 2")
        refused = run_scan(corpus, "--wires", bad)
        assert refused.exit_code == 2 and "not valid JSON" in refused.stderr
    finally:
        wires.use(wires.load(None))  # the registry is per process: leave the built-in one for other tests


def test_worker_processes_discount_and_label_as_one_process_does(
    tmp_path: Path, run_scan: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers, which hold the prepared articles, discount boilerplate and credit lines and label the pairs:
    the report is the one a single process writes, whatever their caches hold."""
    _site_folders(tmp_path)
    monkeypatch.setattr(scanner, "MIN_PARALLEL", 2)  # a pool even for four articles
    parallel = run_scan(tmp_path, "--source-from-folder", "--cache-mb", "1")
    monkeypatch.setattr(scanner, "default_workers", lambda: 1)
    single = run_scan(tmp_path, "--source-from-folder")
    assert parallel.exit_code == 0 and parallel.stdout == single.stdout
    report = parallel.json()
    assert pair(report, "independent/harbour.txt", "independent/orchard.txt") is None
    reused = pair(report, "independent/harbour.txt", "reuters/wire.txt")
    assert reused is not None and reused["syndication"]["wire"]["agency"] == "reuters"
