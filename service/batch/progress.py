"""Progress bars and one-line messages on stderr, so stdout carries nothing but the report.

Bars are drawn only when stderr is a terminal and `--quiet` is off; messages then print above the bar.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["Feedback"]

T = TypeVar("T")


class Feedback:
    """What the scan says while it runs: warnings and a summary unless quiet, errors always."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.show_progress = not quiet and self.stream.isatty()
        self._progress: Progress | None = None

    def track(self, items: Iterable[T], *, total: int, description: str) -> Iterator[T]:
        """Yield `items`, advancing a bar of `total` steps when bars are on."""
        if not self.show_progress:
            yield from items
            return
        console = Console(file=self.stream, highlight=False)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(
            *columns, console=console, transient=True, redirect_stdout=False, redirect_stderr=False
        ) as progress:
            self._progress = progress
            task = progress.add_task(description, total=total)
            try:
                for item in items:
                    yield item
                    progress.advance(task)
            finally:
                self._progress = None

    def note(self, message: str) -> None:
        """A one-line notice (a skipped file, the summary), silenced by `--quiet`."""
        if not self.quiet:
            self._print(f"syndet: {message}")

    def error(self, message: str) -> None:
        """Printed even with `--quiet`: the user must learn why the command failed."""
        self._print(f"syndet: error: {message}")

    def _print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self.stream, flush=True)
