"""bench/load.py: bounded arguments and its percentile (the full run is measured by hand: see the report)."""

from __future__ import annotations

import pytest

from bench.load import main, percentile


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 50) == 0.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([float(n) for n in range(1, 101)], 99) == 99.0


@pytest.mark.parametrize("args", [["--clients", "0"], ["--clients", "65"], ["--seconds", "601"], ["--post-share", "2"]])
def test_unbounded_runs_are_refused(args: list[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main(args)
    assert refused.value.code == 2
