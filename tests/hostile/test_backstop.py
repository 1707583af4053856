"""The `--timeout` backstop (checker/explicit/deadline.py) holds even when its stop is raised
where Python cannot propagate it: in a `__del__` (or a garbage-collector callback, such as
Hypothesis's), the exception is reported as ignored and the work goes on."""

from __future__ import annotations

import gc
import sys
import time

import pytest

from numaspec.checker.explicit.deadline import deadline
from numaspec.model.outcome import LimitReached


class _SlowFinaliser:
    def __del__(self) -> None:
        time.sleep(0.6)  # the backstop's tick comes in here, and its exception is lost


def test_a_stop_raised_inside_a_finaliser_is_raised_again() -> None:
    start = time.perf_counter()
    with pytest.raises(LimitReached, match="--timeout 0.2 s"):
        with deadline(0.2, strict=True):
            _SlowFinaliser()  # dropped at once: __del__ runs past the limit
            gc.collect()
            while time.perf_counter() - start < 5:  # without the retry: unbounded
                time.sleep(0.01)
    assert time.perf_counter() - start < 2


def test_other_ignored_exceptions_still_reach_the_previous_hook(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(u.exc_type))

    class _Failing:
        def __del__(self) -> None:
            raise KeyError("not the backstop's")

    with deadline(5.0, strict=True):
        _Failing()
        gc.collect()
    assert seen == [KeyError]
