"""Pattern search (local search over hidden firing patterns): every result checked by a certificate."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reductions.strategies import hypergraphs, trainer_cases

from reductions import REDUCTIONS
from reductions.errors import InvalidInstanceError
from reductions.generators import planted_hypergraph
from reductions.problems import Hypergraph, TrainingSet, fits, is_splitting
from solvers import train_exact
from solvers.core.result import Status
from solvers.heuristics.local_search import PATTERN_SEARCH_DEFAULTS, pattern_search
from solvers.heuristics.registry import Budget, Heuristic, run_heuristic

PATTERN_SEARCH = Heuristic("pattern-search", "local search over hidden firing patterns, one exact LP per unit",
                           "target", pattern_search, {"restarts": 4, "noise": 0.1}, {})
BLUM_RIVEST = REDUCTIONS["splitting-to-blum-rivest"]


def _splittable(h: Hypergraph) -> bool:
    return any(is_splitting(h, c) for c in itertools.product((0, 1), repeat=h.num_vertices))


@given(trainer_cases(), st.integers(0, 3))
def test_a_network_found_fits_and_none_is_found_where_none_exists(case, seed: int) -> None:
    ts, k, f = case
    budget = Budget(200)
    result = run_heuristic(PATTERN_SEARCH, ts, hidden=k, output=f, budget=budget, seed=seed)
    assert result.restart_steps <= budget.restart_steps
    assert result.details["moves"] == result.restart_steps
    exact = train_exact(ts, k, output=f)
    assert exact.status is not Status.UNKNOWN
    if result.status is Status.SAT:
        assert fits(result.network, ts)
        assert result.network.output.table == f.table
        assert exact.status is Status.SAT
    else:
        assert result.status is Status.UNKNOWN and result.network is None
    if exact.status is Status.UNSAT:
        assert result.status is not Status.SAT
    if result.details["infeasible"]:  # the search claims no network exists: it must be right
        assert exact.status is Status.UNSAT
    again = run_heuristic(PATTERN_SEARCH, ts, hidden=k, output=f, budget=budget, seed=seed)
    assert (again.status, again.network, again.restart_steps, again.details) == (
        result.status, result.network, result.restart_steps, result.details)


@settings(max_examples=30)
@given(hypergraphs(max_vertices=6, max_edges=6), st.integers(0, 3))
def test_on_blum_rivest_sets_a_success_is_a_verified_splitting(h: Hypergraph, seed: int) -> None:
    ts = BLUM_RIVEST(h)
    result = run_heuristic(PATTERN_SEARCH, ts, source=h, reduction=BLUM_RIVEST, budget=Budget(200), seed=seed)
    if result.status is Status.SAT:
        assert result.source_witness is not None and is_splitting(h, result.source_witness)
    if not _splittable(h):
        assert result.status is Status.UNKNOWN
    if result.details["infeasible"]:
        assert not _splittable(h)


def test_splits_most_planted_hypergraphs() -> None:
    """A Blum–Rivest set of a planted-splittable hypergraph (n = 8) is fitted and mapped back to a splitting."""
    solved = 0
    for i in range(10):
        h, _ = planted_hypergraph(8, ratio=1.8, seed=100 + i)
        result = run_heuristic(PATTERN_SEARCH, BLUM_RIVEST(h), source=h, reduction="splitting-to-blum-rivest",
                               budget=Budget(200), seed=i)
        if result.status is Status.SAT:
            assert is_splitting(h, result.source_witness)
            solved += 1
    assert solved >= 8


def test_the_time_limit_ends_a_hopeless_search() -> None:
    """The Fano plane has no splitting: with an endless move budget the search stops on time, without a witness."""
    fano = Hypergraph(7, ((0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)))
    start = time.monotonic()
    result = run_heuristic(PATTERN_SEARCH, BLUM_RIVEST(fano), source=fano, reduction=BLUM_RIVEST,
                           budget=Budget(10**9, time_s=0.5), seed=0)
    assert time.monotonic() - start < 10
    assert result.status is Status.UNKNOWN
    assert result.details["timed_out"] and not result.details["infeasible"]
    assert 0 < result.restart_steps < 10**9


def test_one_restart_step_is_one_move() -> None:
    fano = Hypergraph(7, ((0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)))
    for steps, restarts in ((1, 4), (37, 4), (50, 1)):
        result = run_heuristic(PATTERN_SEARCH, BLUM_RIVEST(fano), budget=Budget(steps), seed=1, restarts=restarts)
        assert result.status is Status.UNKNOWN
        assert result.restart_steps == result.details["moves"] == steps
        assert result.details["restarts"] == min(steps, restarts)


def test_a_label_no_pattern_gives_stops_at_once() -> None:
    ts = TrainingSet.from_points([[0], [1]], [1, 0])
    result = pattern_search(ts, hidden=2, output=_constant(2, True), budget=Budget(100), seed=0)
    assert result.witness is None and result.restart_steps == 0 and result.details["infeasible"]


def _constant(k: int, value: bool):
    from reductions.problems import OutputFunction

    return OutputFunction(k, (value,) * 2**k)


@pytest.mark.parametrize("bad", [{"hidden": 0}, {"restarts": 0}, {"noise": 1.5}, {"output": "majority"},
                                 {"output": _constant(3, False)}])
def test_bad_settings_are_refused(bad) -> None:
    ts = TrainingSet.from_points([[0], [1]], [1, 0])
    kwargs = {"hidden": 2, "output": "and", "budget": Budget(10), "seed": 0, **PATTERN_SEARCH_DEFAULTS, **bad}
    with pytest.raises(InvalidInstanceError):
        pattern_search(ts, **kwargs)
