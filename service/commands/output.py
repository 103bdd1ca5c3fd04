"""Where a command writes its results: a file named by an option, or stdout."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

import typer

from service.batch.progress import Feedback

__all__ = ["open_output"]


def open_output(out: Path | None, feedback: Feedback, option: str = "--out", to_stdout: bool = True) -> Any:
    """A stream to use in a `with`: the file `out`, else stdout (left open; looked up now, not at import) or
    nothing. A file that cannot be written is a usage error (exit status 2) naming `option`."""
    if out is None:
        return nullcontext(sys.stdout if to_stdout else None)
    try:
        stream: TextIO = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115 - returned to a with
    except OSError as exc:
        feedback.error(f"cannot write {option} {out}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    return stream
