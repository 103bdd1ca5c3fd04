"""The real server: `syndet serve` in a subprocess on 127.0.0.1, talked to with httpx, `syndet check` and
`syndet ingest`."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from service.commands.check import check
from service.commands.ingest import ingest
from tests.backends.support import Backend
from tests.service.conftest import PHRASE

ROOT = Path(__file__).resolve().parents[2]
Server = Callable[[], AbstractContextManager[str]]


def free_port() -> int:
    """A port nobody listens on (for the unreachable-server case)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_ingest(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """`syndet ingest ARGS` in this process, as a user runs it."""
    app = typer.Typer()
    app.command()(ingest)
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def server(tmp_path: Path, backend: Backend) -> Server:
    """Start `syndet serve` on the test's database; yields its base URL once /readyz is 200.

    The server binds port 0 and the URL is read from its log, so two test runs never race for a port.
    """

    @contextmanager
    def _start() -> Iterator[str]:
        env = {**os.environ, **backend.env}
        log = tempfile.NamedTemporaryFile("w+", dir=tmp_path, prefix="server-", suffix=".log")  # noqa: SIM115
        command = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            base: str | None = None
            while True:
                log.seek(0)
                output = log.read()
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not become ready:\n{output}")
                if base is None and (match := re.search(r"Uvicorn running on (http://\S+)", output)):
                    base = match.group(1)
                if base is not None and ready(base):
                    break
                time.sleep(0.1)
            try:
                yield base
            except BaseException:
                log.seek(0)
                sys.stderr.write(f"--- server log ---\n{log.read()}")
                raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()

    return _start


def test_post_check_get_delete(server: Server, seed_texts: dict[str, str]) -> None:
    with server() as base, httpx.Client(base_url=f"{base}/api/v1", timeout=30) as http:
        ids = {}
        for stem in ("000", "001", "003"):
            response = http.post("/articles", json={"text": seed_texts[stem], "external_id": stem, "source": "seeds"})
            assert response.status_code == 201
            ids[stem] = response.json()["article"]["id"]
        report = http.post("/articles", json={"text": seed_texts["001"]})
        assert report.status_code == 200
        overlap = next(o for o in report.json()["overlaps"] if o["article"]["id"] == ids["000"])
        stored = http.get(f"/articles/{ids['000']}").json()["text"]
        assert any(
            PHRASE in p["text"] and PHRASE in stored[p["existing"]["start"] : p["existing"]["end"]]
            for p in overlap["passages"]
        )
        checked = http.post("/check", json={"text": seed_texts["004"]})
        assert checked.status_code == 200
        assert [o["article"]["id"] for o in checked.json()["overlaps"]] == [ids["003"]]
        assert http.get("/articles").json()["count"] == 3
        assert http.delete(f"/articles/{ids['003']}").status_code == 204
        assert http.post("/check", json={"text": seed_texts["004"]}).json()["overlaps"] == []
        assert http.get(f"/articles/{ids['003']}").status_code == 404
        assert http.post("/check", json={"text": "..."}).status_code == 422


def test_concurrent_writes_and_reads_stay_consistent(
    server: Server, backend: Backend, seed_texts: dict[str, str]
) -> None:
    """Many clients posting, re-posting, checking, deleting and replacing at once: no lost write, index ==
    database."""
    variants = [
        f"{text}\n\nUpdate {n}: this version was filed by desk {n}." for n in range(4) for text in seed_texts.values()
    ]
    with server() as base:

        def post(text: str) -> tuple[int, int]:
            with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as http:
                response = http.post("/articles", json={"text": text})
                http.post("/check", json={"text": text})
                return response.status_code, response.json()["article"]["id"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(post, variants + variants[:6]))
        created = [article_id for status, article_id in results if status == 201]
        assert len(created) == len(set(created)) == len(variants)
        assert {article_id for _, article_id in results} == set(created)

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(lambda i: httpx.delete(f"{base}/api/v1/articles/{i}").status_code, created[:5]))
        assert statuses == [204] * 5

        # corrections of six articles while others check and post: each keeps its id and is found by its new text
        fixed = {article_id: f"{variants[n]}\n\nCorrection {n}: an earlier version misnamed the minister."
                 for n, article_id in enumerate(created[5:11], start=5)}

        def correct(item: tuple[int, str]) -> int:
            with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as http:
                http.post("/check", json={"text": item[1]})
                return http.put(f"/articles/{item[0]}", json={"text": item[1]}).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            extra = pool.map(post, [f"{v}\n\nLate edition." for v in variants[:6]])
            assert list(pool.map(correct, fixed.items())) == [200] * 6
            assert [status for status, _ in extra] == [201] * 6
        for article_id, text in fixed.items():
            report = httpx.post(f"{base}/api/v1/check", json={"text": text}, timeout=60).json()
            assert {o["article"]["id"]: o["kind"] for o in report["overlaps"]}[article_id] == "duplicate"
            assert httpx.get(f"{base}/api/v1/articles/{article_id}").json()["text"] == text
        ready = httpx.get(f"{base}/readyz").json()
        listing = httpx.get(f"{base}/api/v1/articles", params={"limit": 500}).json()
        assert ready["articles"] == listing["count"] == len(variants) - 5 + 6
        report = httpx.post(f"{base}/api/v1/check", json={"text": variants[-1]}, timeout=60).json()
        assert {o["article"]["id"] for o in report["overlaps"]} <= {a["id"] for a in listing["data"]}

    with server() as base:  # a restart rebuilds the same index from the database
        assert httpx.get(f"{base}/readyz").json()["articles"] == len(variants) - 5 + 6
        assert httpx.post(f"{base}/api/v1/check", json={"text": variants[-1]}, timeout=60).json() == report
    if backend.settings.get("index_backend") == "redis":  # a shared index outlives the server: verify it too
        verified = subprocess.run([sys.executable, "-m", "service.cli", "index", "verify"], cwd=ROOT,
                                  env={**os.environ, **backend.env}, capture_output=True, text=True, timeout=120)
        assert verified.returncode == 0, verified.stdout + verified.stderr


def test_check_command(server: Server, seed_texts: dict[str, str], tmp_path: Path) -> None:
    app = typer.Typer()
    app.command()(check)
    runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that rich does not wrap table cells
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(seed_texts["000"], encoding="utf-8")
    second.write_text(seed_texts["001"], encoding="utf-8")
    with server() as base:
        stored = runner.invoke(app, [str(first), "--server", base, "--store", "--external-id", "moscow-times"])
        assert stored.exit_code == 0, stored.output
        assert "stored as article 1" in stored.output
        edited = tmp_path / "edited.txt"
        edited.write_text(seed_texts["000"] + "\n\nCorrection: the interview was on Thursday.", encoding="utf-8")
        again = runner.invoke(app, [str(edited), "--server", base, "--store", "--external-id", "moscow-times"])
        assert again.exit_code == 0 and "already stored as article 1" in again.output, again.output
        assert "stored text differs from edited.txt" in again.output and "--update" in again.output
        same = runner.invoke(app, [str(first), "--server", base, "--store", "--external-id", "moscow-times"])
        assert "already stored as article 1" in same.output and "differs" not in same.output
        # a date given for a text stored without one is not silently dropped: the answer says it was kept as stored
        dated_again = ["--store", "--external-id", "moscow-times", "--published-at", "2015-02-27T09:00:00Z"]
        undated = runner.invoke(app, [str(first), "--server", base, *dated_again])
        assert "already stored as article 1" in undated.output, undated.output
        assert "stored published_at differ from what you gave and are kept" in " ".join(undated.output.split())
        table = runner.invoke(app, [str(second), "--server", base])
        assert table.exit_code == 0, table.output
        assert "moscow-times" in table.output and "partial" in table.output
        # the syndication reading: the credited agency as a probable wire source, the likely origin, credits
        dated = ["--source", "The Independent", "--published-at", "2015-02-27T17:42:00Z", "--explain"]
        read = runner.invoke(app, [str(second), "--server", base, *dated])
        assert read.exit_code == 0, read.output
        assert "reuters?" in read.output and "Additional reporting by Reuters" in read.output
        assert "origin: " in read.output
        bad_date = runner.invoke(app, [str(second), "--server", base, "--published-at", "yesterday"])
        assert bad_date.exit_code == 1 and "published_at" in bad_date.output and "Traceback" not in bad_date.output
        as_json = runner.invoke(app, [str(second), "--server", base, "--json"])
        assert as_json.exit_code == 0
        report = json.loads(as_json.stdout)
        assert report["overlaps"][0]["article"]["external_id"] == "moscow-times"
        empty = tmp_path / "empty.txt"
        empty.write_text("... !!", encoding="utf-8")
        refused = runner.invoke(app, [str(empty), "--server", base])
        assert refused.exit_code == 1 and "no words" in refused.output and "Traceback" not in refused.output
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == 1
    down = runner.invoke(app, [str(second), "--server", f"http://127.0.0.1:{free_port()}"])
    assert down.exit_code == 2
    assert "cannot reach" in down.output and "Traceback" not in down.output


def _archive(folder: Path, seed_texts: dict[str, str]) -> None:
    """The seeds in one folder per site, a JSON lines feed (two good records, one of them dated in ISO's basic
    form, one with a date the server refuses, one without text) and an empty file."""
    for site, stems in (("moscow-times", ["000"]), ("independent", ["001", "002"]), ("wire", ["003", "004"])):
        (folder / site).mkdir(parents=True)
        for stem in stems:
            (folder / site / f"{stem}.txt").write_text(seed_texts[stem], encoding="utf-8")
    records = [
        {"id": "r1", "text": seed_texts["003"][:1500], "source": "Feed", "published_at": "2022-02-24T10:00:00Z"},
        {"id": "r2", "text": "A short dispatch about the harbour and the weather.", "published_at": "yesterday"},
        {"id": "r3", "title": "no text"},
        {"id": "r4", "text": seed_texts["004"][:1200], "source": "Feed", "published_at": "20220224"},
    ]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")


def test_ingest_command_loads_a_folder_once(server: Server, seed_texts: dict[str, str], tmp_path: Path) -> None:
    folder, out = tmp_path / "archive", tmp_path / "outcomes.jsonl"
    _archive(folder, seed_texts)
    with server() as base:
        first = run_ingest(folder, "--server", base, "--source-from-folder", "--out", out)
        assert first.exit_code == 1, first.output  # one record refused by the server
        assert "7 stored, 0 already stored, 1 rejected, 0 failed, 2 skipped" in first.output
        outcomes = {o["id"]: o for o in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
        refused = outcomes["feed.jsonl#r2"]
        assert refused["status"] == "rejected" and "published_at" in refused["detail"]
        assert {outcomes[i]["status"] for i in ("feed.jsonl#2", "empty.txt")} == {"skipped"}
        stored = {i: o["article_id"] for i, o in outcomes.items() if o["status"] == "stored"}
        assert len(stored) == 7 and len(set(stored.values())) == 7
        listing = httpx.get(f"{base}/api/v1/articles", params={"limit": 50}).json()
        assert listing["count"] == 7
        by_id = {a["external_id"]: a for a in listing["data"]}
        assert {i: a["id"] for i, a in by_id.items()} == stored
        assert by_id["independent/001.txt"]["source"] == "independent" and by_id["feed.jsonl#r1"]["source"] == "Feed"
        # "20220224" is a date (ISO's basic form), not a Unix timestamp in 1970
        assert by_id["feed.jsonl#r4"]["published_at"] == "2022-02-24T00:00:00Z"
        # stored without comparisons, but indexed: a check finds the archive's articles
        report = httpx.post(f"{base}/api/v1/check", json={"text": seed_texts["001"]}, timeout=60).json()
        found = {o["article"]["external_id"] for o in report["overlaps"]}
        assert {"moscow-times/000.txt", "independent/002.txt"} <= found and "wire/003.txt" not in found
        # again, as after an interruption: nothing is stored twice
        again = run_ingest(folder, "--server", base)
        assert again.exit_code == 1 and "0 stored, 7 already stored, 1 rejected" in again.output
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == 7
        nothing = run_ingest(folder / "moscow-times" / "000.txt", "--server", base)
        assert nothing.exit_code == 2 and "Traceback" not in nothing.output
    down = run_ingest(folder, "--server", f"http://127.0.0.1:{free_port()}")
    assert down.exit_code == 2 and "cannot reach" in down.output and "Traceback" not in down.output


def test_ingest_update_replaces_changed_articles_in_place(
    server: Server, seed_texts: dict[str, str], tmp_path: Path
) -> None:
    """A story corrected in the archive after it was loaded: a plain run leaves it as stored and says it
    differs; `--update` replaces it under the same id (keeping the source the folder does not give), and a
    check then finds the corrected text whole."""
    folder, out = tmp_path / "archive", tmp_path / "outcomes.jsonl"
    _archive(folder, seed_texts)
    with server() as base:
        first = run_ingest(folder, "--server", base, "--source-from-folder", "--out", out)
        assert "7 stored" in first.output, first.output
        ids = {o["id"]: o.get("article_id") for o in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
        corrected = seed_texts["003"] + "\n\nCorrection: this story has been updated to add the minister's reply."
        (folder / "wire" / "003.txt").write_text(corrected, encoding="utf-8")

        plain = run_ingest(folder, "--server", base, "--source-from-folder", "--out", out)
        assert plain.exit_code == 1, plain.output  # the refused record again
        assert "0 stored, 6 already stored" in plain.output and "1 stored with another text" in plain.output
        differs = [o for o in map(json.loads, out.read_text(encoding="utf-8").splitlines()) if o["status"] == "differs"]
        assert [(o["id"], o["article_id"]) for o in differs] == [("wire/003.txt", ids["wire/003.txt"])]
        target = ids["wire/003.txt"]
        assert httpx.get(f"{base}/api/v1/articles/{target}").json()["text"] == seed_texts["003"]

        updated = run_ingest(folder, "--server", base, "--update", "--out", out)
        assert "0 stored, 6 already stored" in updated.output and "1 updated" in updated.output, updated.output
        stored = httpx.get(f"{base}/api/v1/articles/{target}").json()
        assert stored["text"] == corrected and stored["source"] == "wire"  # no --source-from-folder: source kept
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == 7
        report = httpx.post(f"{base}/api/v1/check", json={"text": corrected}, timeout=60).json()
        assert {o["article"]["id"]: o["kind"] for o in report["overlaps"]}[target] == "duplicate"

        settled = run_ingest(folder, "--server", base, "--update", "--source-from-folder")
        assert "0 stored, 7 already stored" in settled.output and "updated" not in settled.output, settled.output


def test_ingest_stops_without_a_write_key_and_goes_on_with_one(
    server: Server, backend: Backend, seed_texts: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for stem in ("000", "001", "002"):
        (folder / f"{stem}.txt").write_text(seed_texts[stem], encoding="utf-8")
    runner = CliRunner()
    with server():
        pass  # the schema, for the key
    made = subprocess.run([sys.executable, "-m", "service.cli", "keys", "create", "archive-loader"], cwd=ROOT,
                          env={**os.environ, **backend.env}, capture_output=True, text=True, check=True)
    key = made.stdout.strip()
    with server() as base:
        refused = run_ingest(folder, "--server", base)
        assert refused.exit_code == 2 and "--api-key" in refused.output and "Traceback" not in refused.output
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == 0
        keyed = run_ingest(folder, "--server", base, env={"SYNDET_API_KEY": key})
        assert keyed.exit_code == 0, keyed.output
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == 3
        checker = typer.Typer()
        checker.command()(check)
        extra = tmp_path / "003.txt"
        extra.write_text(seed_texts["003"], encoding="utf-8")
        unkeyed = runner.invoke(checker, [str(extra), "--server", base, "--store"])
        assert unkeyed.exit_code == 1 and "401" in unkeyed.output
        stored = runner.invoke(checker, [str(extra), "--server", base, "--store", "--api-key", key])
        assert stored.exit_code == 0 and "stored as article 4" in stored.output


def test_ingest_waits_out_the_rate_limit(
    server: Server, seed_texts: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that allows one request a second: the 429 answers are waited out (Retry-After) and every
    article is stored once."""
    folder = tmp_path / "archive"
    folder.mkdir()
    texts = [f"{text}\n\nFiled by the night desk." for text in seed_texts.values()]
    for n, text in enumerate(texts):
        (folder / f"{n:02d}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SYNDET_RATE_LIMIT", "1")
    monkeypatch.setenv("SYNDET_RATE_BURST", "1")
    with server() as base:
        statuses = [httpx.post(f"{base}/api/v1/check", json={"text": "Two words."}).status_code for _ in range(3)]
        assert 429 in statuses  # the limit is on
        result = run_ingest(folder, "--server", base, "--concurrency", "4")
        assert result.exit_code == 0, result.output
        assert f"{len(texts)} stored, 0 already stored" in result.output
        time.sleep(1.1)  # a token for the listing
        assert httpx.get(f"{base}/api/v1/articles").json()["count"] == len(texts)
