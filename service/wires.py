"""The wire agencies this process knows: the built-in registry plus the deployment's own (SYNDET_WIRES_FILE,
`syndet scan --wires`), set once at start-up and read wherever an agency is named or recognised."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from shingling import WireRegistry

__all__ = ["WiresFileError", "load", "registry", "use"]

_active: WireRegistry = WireRegistry.default()


class WiresFileError(ValueError):
    """The wire agencies file cannot be read or is not a valid registry; the message says why."""


def registry() -> WireRegistry:
    """The registry in use (the built-in one unless `use` was called)."""
    return _active


def use(chosen: WireRegistry) -> None:
    """Make `chosen` the registry of this process (at start-up, before any request)."""
    global _active
    _active = chosen


def load(path: Path | None) -> WireRegistry:
    """The built-in registry with the agencies of a JSON file added (`{id: {"name", "aliases", ...}}`, or
    `{id: [aliases]}`; known ids get more names); the built-in one when `path` is None."""
    return WireRegistry.default() if path is None else _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> WireRegistry:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise WiresFileError(f"cannot read the wire agencies file {path}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise WiresFileError(f"the wire agencies file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise WiresFileError(f"the wire agencies file {path} must hold one JSON object: {{agency id: names}}")
    try:
        return WireRegistry.default().with_extra(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise WiresFileError(f"the wire agencies file {path} is not a valid registry: {exc}") from None
