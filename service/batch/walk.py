"""Find the article files under a folder: recursively, in a fixed order, and without leaving the folder.

Symlinks are followed only while they stay inside the folder, each real directory is entered once (so a
symlink loop ends), and special files are never opened (opening a FIFO would block the scan).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SUFFIXES", "FoundFile", "Skipped", "Walk", "walk"]

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
"""File name endings that are read as articles (case-insensitive); other files are ignored."""


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A regular file to read: `rel` is its path under the folder (POSIX form), the document id's root."""

    rel: str
    path: str
    size: int

    @property
    def suffix(self) -> str:
        return os.path.splitext(self.rel)[1].lower()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or one record of a JSON file, then `id` is set) that could not be used, and why."""

    path: str
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, str]:
        entry = {"path": self.path, "reason": self.reason}
        if self.id is not None:
            entry["id"] = self.id
        return entry

    def message(self) -> str:
        return f"skipped {self.id or self.path}: {self.reason}"


@dataclass(slots=True)
class Walk:
    """What a walk found: files to read (sorted by `rel`), files skipped, and how many were ignored."""

    files: list[FoundFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: int = 0


def walk(root: Path, *, max_bytes: int, exclude: Iterable[Path] = ()) -> Walk:
    """Walk `root` for article files no larger than `max_bytes`, leaving out the real paths in `exclude`.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (pathlib.Path(d) / "a.txt").write_text("Some words.")
    ...     [f.rel for f in walk(pathlib.Path(d), max_bytes=100).files]
    ['a.txt']
    """
    real_root = os.path.realpath(root)
    excluded = {os.path.realpath(p) for p in exclude}
    result = Walk()
    visited = {_key(os.stat(real_root))}
    _walk_dir(real_root, "", real_root, visited, excluded, max_bytes, result)
    result.files.sort(key=lambda f: f.rel)
    result.skipped.sort(key=lambda s: s.path)
    return result


def _key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _inside(path: str, real_root: str) -> bool:
    return path == real_root or path.startswith(real_root.rstrip(os.sep) + os.sep)


def _walk_dir(
    dir_path: str,
    rel_dir: str,
    real_root: str,
    visited: set[tuple[int, int]],
    excluded: set[str],
    max_bytes: int,
    result: Walk,
) -> None:
    try:
        with os.scandir(dir_path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        result.skipped.append(Skipped(rel_dir or ".", f"cannot list directory: {exc.strerror or exc}"))
        return
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
        try:
            is_link = entry.is_symlink()
        except OSError as exc:
            result.skipped.append(Skipped(rel, f"cannot stat: {exc.strerror or exc}"))
            continue
        if is_link and not _inside(os.path.realpath(entry.path), real_root):
            result.skipped.append(Skipped(rel, "symlink points outside the scanned folder; not followed"))
            continue
        try:
            st = os.stat(entry.path)
        except OSError as exc:
            result.skipped.append(Skipped(rel, _stat_failure(exc, is_link)))
            continue
        if stat.S_ISDIR(st.st_mode):
            if _key(st) in visited:
                result.skipped.append(Skipped(rel, "symlink loop: directory already scanned"))
                continue
            visited.add(_key(st))
            _walk_dir(entry.path, rel, real_root, visited, excluded, max_bytes, result)
        elif not stat.S_ISREG(st.st_mode):
            result.skipped.append(Skipped(rel, f"not a regular file ({_kind(st.st_mode)})"))
        elif os.path.splitext(entry.name)[1].lower() not in SUFFIXES:
            result.ignored += 1
        elif os.path.realpath(entry.path) in excluded:
            continue
        elif st.st_size > max_bytes:
            result.skipped.append(Skipped(rel, f"larger than --max-bytes ({st.st_size} > {max_bytes} bytes)"))
        else:
            result.files.append(FoundFile(rel=rel, path=entry.path, size=st.st_size))


def _stat_failure(exc: OSError, is_link: bool) -> str:
    if is_link and exc.errno == errno.ELOOP:
        return "symlink loop"
    if is_link and exc.errno == errno.ENOENT:
        return "broken symlink"
    return f"cannot stat: {exc.strerror or exc}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
