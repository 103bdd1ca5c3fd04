"""How much memory the scan's workers may keep prepared articles in: a share of what the machine (or the
container) has free when the comparing starts, so a big folder runs as fast as memory allows without
filling it."""

from __future__ import annotations

from pathlib import Path

CACHE_SHARE = 0.5
"""Of the memory available when the comparing starts, the share all workers' caches may fill together: the
rest is the main process's, for the pairs it collects, and the system's."""

MIN_CACHE_BYTES = 256 * 2**20
MAX_CACHE_BYTES = 4 * 2**30
FALLBACK_CACHE_BYTES = 2**30
"""Each worker's cache where the system does not say how much memory is free."""


def available_memory(meminfo: Path = Path("/proc/meminfo"), cgroup: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Bytes that can be used without swapping: Linux's MemAvailable, or less where a cgroup limit (v2 or v1)
    leaves less (a container sees the host's MemAvailable, and its own cgroup at the mount's root; a limit set
    on a cgroup below the root, such as a systemd slice's, is not looked for); None where none can be read."""
    found: list[int] = []
    try:
        with open(meminfo, encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    # cgroup v2, then v1 (whose "no limit" is a huge number, which min() passes over)
    for limit_file, usage_file in (("memory.max", "memory.current"),
                                   ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        try:
            limit = (cgroup / limit_file).read_text(encoding="ascii").strip()
            if limit != "max":
                found.append(max(0, int(limit) - int((cgroup / usage_file).read_text(encoding="ascii"))))
        except (OSError, ValueError):
            pass
    return min(found) if found else None


def cache_budget(workers: int, available: int | None = None) -> int:
    """Each worker's share of `CACHE_SHARE` of the available memory, within [MIN, MAX]_CACHE_BYTES (with
    4 GiB, a 47-million-word corpus scanned as fast as when every article stayed prepared)."""
    available = available_memory() if available is None else available
    if available is None:
        return FALLBACK_CACHE_BYTES
    return max(MIN_CACHE_BYTES, min(MAX_CACHE_BYTES, int(available * CACHE_SHARE / max(1, workers))))
