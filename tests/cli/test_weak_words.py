"""`--weak-words FILE`: a language's function words, given by the user, are no evidence of reuse in the scan and
in `compare`; a file that cannot be used stops the command with its reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from service.cli import app
from tests.cli.conftest import ScanResult
from tests.helpers import ARTICLES, article

ROMANIAN = ARTICLES.parent / "wordlists" / "ro.txt"


def romanian_folder(tmp_path: Path) -> Path:
    """Two unrelated Romanian reports of one kind (a fire, a crash) and a paper's retelling of the first: Romanian
    has no function words built in (`shingling.stopwords.LANGUAGES`)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    for name in ("ro-bucharest-fire", "ro-cluj-crash", "ro-bucharest-fire-retold"):
        (folder / f"{name}.txt").write_text(article(name), encoding="utf-8")
    return folder


def linked(result: ScanResult) -> set[tuple[str, str]]:
    assert result.exit_code == 0, result.stderr
    return {(p["a"], p["b"]) for p in json.loads(result.stdout)["pairs"]}


def test_the_scan_takes_the_function_words_of_the_articles_language(
    tmp_path: Path, run_scan: Callable[..., ScanResult]
) -> None:
    folder = romanian_folder(tmp_path)
    retold = ("ro-bucharest-fire-retold.txt", "ro-bucharest-fire.txt")
    assert linked(run_scan(folder)) >= {retold, ("ro-bucharest-fire.txt", "ro-cluj-crash.txt")}
    with_romanian = run_scan(folder, "--weak-words", ROMANIAN)
    assert linked(with_romanian) == {retold}
    assert json.loads(with_romanian.stdout)["params"]["engine"]["weak_words"] > len(ROMANIAN.read_text().split()) // 2


def test_compare_takes_them_too(tmp_path: Path) -> None:
    folder = romanian_folder(tmp_path)
    runner = CliRunner()
    args = ["compare", str(folder / "ro-bucharest-fire.txt"), str(folder / "ro-cluj-crash.txt"), "--json"]
    assert json.loads(runner.invoke(app, args).stdout)["passages"]
    assert json.loads(runner.invoke(app, [*args, "--weak-words", str(ROMANIAN)]).stdout)["passages"] == []


def test_a_word_list_that_cannot_be_used_stops_the_command(tmp_path: Path) -> None:
    folder = romanian_folder(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n", encoding="utf-8")
    runner = CliRunner()
    two = [str(folder / "ro-bucharest-fire.txt"), str(folder / "ro-cluj-crash.txt")]
    for command in (["scan", str(folder)], ["compare", *two]):
        for bad, reason in ((tmp_path / "missing.txt", "cannot read the word list"), (empty, "holds no words")):
            result = runner.invoke(app, [*command, "--weak-words", str(bad)])
            assert result.exit_code == 2
            assert reason in result.stderr and "Traceback" not in result.output
