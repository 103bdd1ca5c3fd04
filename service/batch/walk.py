"""Find the article files under a folder: recursively, in a fixed order, and without leaving the folder.

Symlinks are never followed: one pointing inside the folder names a file the walk reads at its real path
anyway (following it would report a file as a copy of itself), one pointing out must not be read, and a
loop must not hang the scan. Each is listed as skipped with its reason. Special files are never opened
(opening a FIFO would block the scan). The walk keeps its own stack, so no depth of nesting can exhaust
Python's recursion limit, and each found file carries its device and inode so the reader can refuse a
file that was swapped (for a symlink out of the folder, say) between the walk and the read.
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
    dev: int = 0
    ino: int = 0
    max_bytes: int | None = None

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
    walker = _Walker(os.path.realpath(root), {os.path.realpath(p) for p in exclude}, max_bytes)
    walker.visited.add(_key(os.stat(walker.root)))
    walker.walk()
    walker.result.files.sort(key=lambda f: f.rel)
    walker.result.skipped.sort(key=lambda s: s.path)
    return walker.result


def _key(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _inside(path: str, real_dir: str) -> bool:
    return path == real_dir or path.startswith(real_dir.rstrip(os.sep) + os.sep)


@dataclass(slots=True)
class _Walker:
    root: str
    excluded: set[str]
    max_bytes: int
    result: Walk = field(default_factory=Walk)
    visited: set[tuple[int, int]] = field(default_factory=set)

    def skip(self, rel: str, reason: str) -> None:
        self.result.skipped.append(Skipped(rel, reason))

    def walk(self) -> None:
        """Every folder under the root, depth first, from a stack of our own (not Python's)."""
        pending = [(self.root, "")]
        while pending:
            pending.extend(reversed(self.scan_dir(*pending.pop())))

    def scan_dir(self, dir_path: str, rel_dir: str) -> list[tuple[str, str]]:
        """Record the files of one folder; returns its sub-folders to walk next."""
        subdirs: list[tuple[str, str]] = []
        try:
            with os.scandir(dir_path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.skip(rel_dir or ".", f"cannot list directory: {exc.strerror or exc}")
            return subdirs
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if not _is_utf8(entry.name):  # an id the report (JSON, CSV, HTML) could not write as UTF-8
                self.skip(_shown(rel), "name is not valid UTF-8 (rename it); not read")
                continue
            try:
                if entry.is_symlink():
                    self.skip(rel, self._link_reason(entry.path, dir_path))
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                self.skip(rel, f"cannot stat: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(st.st_mode):
                if _key(st) in self.visited:  # a bind mount can loop like a symlink
                    self.skip(rel, "directory already scanned (mounted twice?)")
                    continue
                self.visited.add(_key(st))
                subdirs.append((entry.path, rel))
            elif not stat.S_ISREG(st.st_mode):
                self.skip(rel, f"not a regular file ({_kind(st.st_mode)})")
            elif os.path.splitext(entry.name)[1].lower() not in SUFFIXES:
                self.result.ignored += 1
            elif entry.path in self.excluded:
                continue
            elif st.st_size > self.max_bytes:
                self.skip(rel, f"larger than --max-bytes ({st.st_size} > {self.max_bytes} bytes)")
            else:
                found = FoundFile(rel, entry.path, st.st_size, st.st_dev, st.st_ino, self.max_bytes)
                self.result.files.append(found)
        return subdirs

    def _link_reason(self, link: str, link_dir: str) -> str:
        """Why a symlink is not followed, in the words a user needs to fix or ignore it."""
        target = os.path.realpath(link)
        if not _inside(target, self.root):
            return "symlink points outside the scanned folder; not followed"
        try:
            st = os.stat(link)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symlink loop"
            if exc.errno == errno.ENOENT:
                return "broken symlink"
            return f"cannot stat: {exc.strerror or exc}"
        if stat.S_ISDIR(st.st_mode) and _inside(link_dir, target):
            return "symlink loop: points to an enclosing directory"
        where = Path(os.path.relpath(target, self.root)).as_posix()
        return f"symlink to {where}; not followed (files are read at their real path)"


def _is_utf8(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(rel: str) -> str:
    """A path with undecodable bytes written as `\\xff` escapes, so it can be printed and reported."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"
