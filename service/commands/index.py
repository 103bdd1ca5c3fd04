"""`syndet index`: rebuild the shared passage index from the database, or check it against the database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated

import numpy as np
import typer
from sqlalchemy.exc import SQLAlchemyError

from service.batch.progress import Feedback
from service.commands.db import DatabaseUrl
from service.commands.settings import settings_or_exit
from service.core.db import SchemaError, make_engine, make_session_factory, require_current_schema
from service.detection import OverlapDetector
from service.index_backend import IndexUnavailableError, make_index_backend, rebuild, verify
from shingling import ParameterMismatchError

__all__ = ["app"]

app = typer.Typer(
    help="The passage index: rebuild it from the database (after a crash, a parameter change or a Redis "
    "flush) or report where it disagrees with the database. Other settings come from SYNDET_* variables.",
    no_args_is_help=True,
)

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary, errors only.")]


@contextmanager
def _detector(database_url: str | None, feedback: Feedback) -> Iterator[OverlapDetector]:
    """A detector on the configured database and index, refusing a database it cannot serve."""
    settings = settings_or_exit(database_url)
    engine = make_engine(settings.database_url)
    try:
        require_current_schema(engine)
        config = settings.engine_config()
        detector = OverlapDetector(config, make_session_factory(engine), index=make_index_backend(settings, config))
        try:
            detector.check_parameters()
            if not detector.index.shared:
                feedback.error(
                    "the in-process index (SYNDET_INDEX_BACKEND=memory) lives inside `syndet serve` and is "
                    "rebuilt at each start; set SYNDET_INDEX_BACKEND=redis to work on a shared index"
                )
                raise typer.Exit(2)
            yield detector
        finally:
            detector.index.close()
    except (SchemaError, ParameterMismatchError, SQLAlchemyError, IndexUnavailableError) as exc:
        feedback.error(str(exc))
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@app.command("rebuild")
def rebuild_command(
    database_url: DatabaseUrl = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for running writes to let go of the index.")] = 120,
    quiet: Quiet = False,
) -> None:
    """Rebuild the shared index from the stored signatures. Servers keep answering from the old index
    until the new one is complete; writes wait for it."""
    feedback = Feedback(quiet=quiet)
    with _detector(database_url, feedback) as detector, detector.sessions() as session:

        def track(items: Iterable[tuple[str, np.ndarray]], total: int) -> Iterable[tuple[str, np.ndarray]]:
            return feedback.track(items, total=total, description="indexing")

        count = rebuild(detector.index, session, track=track, wait=wait)
        feedback.note(f"indexed {count} article(s) into {detector.index.describe()}")


@app.command("verify")
def verify_command(database_url: DatabaseUrl = None, quiet: Quiet = False) -> None:
    """Compare the shared index with the database; exit 1 and list the disagreements when there are any."""
    feedback = Feedback(quiet=quiet)
    with _detector(database_url, feedback) as detector, detector.sessions() as session:
        result = verify(detector.index, session)
        for problem in result.problems:
            typer.echo(problem)
        if not result.ok:
            feedback.error("the index disagrees with the database; run `syndet index rebuild`")
            raise typer.Exit(1)
        feedback.note(f"the index agrees with the database: {result.articles} article(s), {detector.index.describe()}")
