"""The engine's error tree: callers catch `ShinglingError`; the service maps each to an HTTP status."""

from __future__ import annotations


class ShinglingError(Exception):
    """Base class of every error the engine raises on purpose."""


class EmptyDocumentError(ShinglingError, ValueError):
    """The text has no words to compare (empty, whitespace, punctuation only)."""


class ParameterMismatchError(ShinglingError, ValueError):
    """Signatures made with other parameters were mixed with ours; they cannot be compared."""
