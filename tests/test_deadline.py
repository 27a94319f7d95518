"""Tests of the one deadline runner for work that cannot be interrupted (:mod:`solvers.core.deadline`).

Timings are checked with generous bounds only: these are correctness checks
(the child is stopped and reaped), not benchmarks.
"""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

import solvers.core.deadline as deadline_module
from solvers.core.deadline import DeadlineResult, run_with_deadline


def _add(a: int, b: int) -> int:
    return a + b


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke up"


def _raise(text: str) -> None:
    raise ValueError(text)


def _die(code: int) -> None:
    os._exit(code)


@pytest.fixture(autouse=True)
def no_children_left():
    yield
    assert multiprocessing.active_children() == []  # every child was reaped


def test_a_quick_target_gives_its_value():
    r = run_with_deadline(_add, (2, 3), deadline=time.monotonic() + 30, what="add")
    assert r == DeadlineResult(True, 5)


def test_a_slow_target_is_killed_at_the_deadline():
    start = time.monotonic()
    r = run_with_deadline(_sleep, (60,), deadline=start + 0.5, what="sleep")
    assert r == DeadlineResult(False, None)
    assert time.monotonic() - start < 0.5 + 5


def test_a_target_that_raises_gives_runtime_error_with_its_message():
    with pytest.raises(RuntimeError, match=r"^thrower failed in its child process: ValueError: no good$"):
        run_with_deadline(_raise, ("no good",), deadline=time.monotonic() + 30, what="thrower")


def test_a_target_that_kills_its_process_is_reported():
    with pytest.raises(RuntimeError, match=r"^suicide died in its child process \(exit code 7\)$"):
        run_with_deadline(_die, (7,), deadline=time.monotonic() + 30, what="suicide")


def test_a_past_deadline_starts_nothing():
    r = run_with_deadline(_die, (7,), deadline=time.monotonic() - 1, what="suicide")
    assert r == DeadlineResult(False)


def test_without_a_deadline_the_target_runs_here():
    assert run_with_deadline(_add, (2, 3), deadline=None, what="add") == DeadlineResult(True, 5)
    with pytest.raises(ValueError, match="here"):  # unchanged, not wrapped
        run_with_deadline(_raise, ("here",), deadline=None, what="thrower")


def test_spawn_works_with_a_module_level_target(monkeypatch: pytest.MonkeyPatch):
    """The target is pickled by reference under ``spawn``; keep that working wherever ``fork`` is the default."""
    monkeypatch.setattr(deadline_module, "START_METHOD", "spawn")
    r = run_with_deadline(_add, (20, 22), deadline=time.monotonic() + 60, what="add")
    assert r == DeadlineResult(True, 42)


def test_result_validates():
    with pytest.raises(ValueError):
        DeadlineResult(False, 1)
    with pytest.raises(TypeError):
        DeadlineResult(1, 1)  # type: ignore[arg-type]
