"""The exact trainer's time limit: every phase stops at one deadline, within ``TIME_LIMIT_GRACE_S``.

The margins are generous (limits of one or two seconds, three more seconds
of slack for a loaded two-core machine), and the data need far longer than
the limit, so these tests check the contract rather than measure speed.
"""

from __future__ import annotations

import time

import pytest
from helpers import run_cli

from reductions import formats
from reductions.blum_rivest import blum_rivest
from reductions.generators import random_uniform_hypergraph
from reductions.problems import TrainingSet, fits
from solvers.core.result import Status
from solvers.exact.trainer import TIME_LIMIT_GRACE_S, _Sat, _Timeout, count_errors, train_exact

SLACK_S = 3.0  # on top of the documented grace: a loaded CI machine


def _contradictory_duplicates(points: int = 24, copies: int = 3) -> TrainingSet:
    """The unit vectors of R^points, each ``copies`` times labelled 1 and ``copies`` times 0, round-robin.

    The minimum error is ``points * copies``: half the copies of every point
    are wrong, and any labelling of affinely independent points is one
    unit's.  RC2 finds it in about a second, with one core per pair of
    contradictory copies.  Re-proving it with one cardinality constraint is
    another matter: with the copies of a point far apart in the counter's
    order, CaDiCaL and MiniSat both run for minutes (no verdict after 120 s
    on a two-core machine at 24 points).
    """
    order = [(i, y) for _ in range(copies) for y in (1, 0) for i in range(points)]
    return TrainingSet.from_points([[int(j == i) for j in range(points)] for i, _ in order], [y for _, y in order])


# 90 points on a grid of step 0.3 (raw floats: 3 * 0.3 is 0.8999999999999999),
# two overlapping Gaussian classes: "i,j,label" for the point (0.3 i, 0.3 j).
_GRID = (
    "1,7,1 8,8,1 6,3,1 -4,0,0 2,-4,0 1,1,0 2,-4,0 -2,-1,0 -4,6,0 0,3,1 1,7,1 6,4,1 -6,2,1 4,5,1 0,8,1 "
    "-3,-1,1 5,2,1 8,2,1 0,0,1 -2,-3,1 2,2,0 6,-1,1 7,1,1 5,-1,0 -2,1,0 5,2,1 0,-3,1 -5,2,0 5,1,1 -2,5,1 "
    "-3,-1,1 2,-8,0 1,-2,0 2,1,1 1,2,0 -1,6,1 2,3,0 4,3,0 3,0,0 -5,0,0 -3,-5,0 1,-2,0 -3,-3,0 1,1,0 4,0,0 "
    "5,6,1 6,-6,1 6,3,1 1,1,0 3,3,1 0,-5,1 0,-3,0 4,-1,0 2,-1,1 0,2,1 -3,3,1 0,-4,0 -6,3,1 1,0,1 1,8,1 "
    "2,2,1 -3,7,1 5,5,1 0,3,0 3,4,1 -1,-5,0 5,-5,1 1,1,1 -2,4,1 1,0,1 2,-2,0 5,1,0 -2,-6,0 -4,4,0 1,1,1 "
    "7,-3,1 -2,-2,0 4,-1,1 0,-4,1 2,3,0 0,2,1 -3,0,1 5,0,0 8,-3,0 4,1,1 4,2,1 0,-1,1 10,0,0 -5,0,1 2,-2,0"
)


def _float_grid_set() -> TrainingSet:
    rows = [tuple(int(v) for v in item.split(",")) for item in _GRID.split()]
    return TrainingSet.from_points([[i * 0.3, j * 0.3] for i, j, _ in rows], [y for _, _, y in rows])


@pytest.mark.parametrize("solver", ["cadical195", "minisat22"])  # slices; a timer's interrupt()
def test_min_error_stops_at_the_limit_while_re_proving(solver: str) -> None:
    """Reported: with time_limit=60, RC2 ended at 43.7 s and the re-proof of its optimum ran to 119.7 s."""
    ts = _contradictory_duplicates()
    limit = 2.0
    began = time.perf_counter()
    result = train_exact(ts, 2, min_error=True, solver=solver, time_limit=limit)  # two units: the RC2 engine
    took = time.perf_counter() - began
    assert took < limit + TIME_LIMIT_GRACE_S + SLACK_S, took
    assert result.status is Status.UNKNOWN and result.errors is None and "time limit" in result.reason, result
    if result.network is not None:  # RC2 finished in time: its network is an upper bound, no more
        assert "re-proving" in result.reason and "upper bound" in result.reason
        assert count_errors(result.network, ts) == result.misclassified
        assert result.stats["errors_upper_bound"] == len(result.misclassified) == 24 * 3


def _hard_blum_rivest_set() -> TrainingSet:
    """Untrainable, decided in about 2 s; shrinking its core to a minimal one takes more than 20 s."""
    return blum_rivest(random_uniform_hypergraph(200, ratio=2.2, seed=0))


@pytest.mark.parametrize(
    "data, limit, kwargs",
    [
        ("blum-rivest", 1.0, {"minimize_core": False}),  # the SAT + LP loop (undecided)
        ("blum-rivest", 3.0, {"minimize_core": 60.0}),  # core minimisation (cut short: UNSAT, not minimal)
        ("blum-rivest", 1.0, {"method": "milp"}),
        ("float-grid", 1.0, {"hidden": 2, "min_error": True}),  # RC2
        ("float-grid", 1.0, {"hidden": 2, "min_error": True, "method": "milp"}),
        ("blum-rivest", 1.0, {"minimize_core": False, "initial": "net"}),  # phases from a warm start
        ("float-grid", 1.0, {"hidden": 2, "min_error": True, "initial": "net"}),  # RC2 with a warm start
        ("float-grid", 2.0, {"hidden": 2, "min_error": True, "initial": "gd"}),  # gradient descent first
        ("blum-rivest", 2.0, {"minimize_core": False, "initial": "gd"}),
    ],
)
def test_every_phase_stops_at_the_limit(data: str, limit: float, kwargs) -> None:
    from reductions.problems import ThresholdNetwork
    from solvers.exact.trainer import warm_start_config

    ts = _hard_blum_rivest_set() if data == "blum-rivest" else _float_grid_set()
    if kwargs.get("initial") == "net":  # any network of the architecture: a poor warm start
        k = kwargs.get("hidden") or ts.metadata["hidden_units"]
        kwargs = {**kwargs, "initial": ThresholdNetwork.from_numbers([[1] * ts.dim] * k, [0] * k, "and")}
    elif kwargs.get("initial") == "gd":  # more gradient descent than the limit allows: it must stop too
        k = kwargs.get("hidden") or ts.metadata["hidden_units"]
        kwargs = {**kwargs, "initial": warm_start_config(k, "and", restarts=64, steps=100_000)}
    began = time.perf_counter()
    result = train_exact(ts, time_limit=limit, **kwargs)
    took = time.perf_counter() - began
    assert took < limit + TIME_LIMIT_GRACE_S + SLACK_S, took
    if result.status is Status.UNKNOWN:
        assert result.errors is None and "time limit" in result.reason, result.reason
        if result.network is not None:
            assert count_errors(result.network, ts) == result.misclassified
    elif result.status is Status.UNSAT:
        assert result.core and result.network is None
    elif result.errors is None:
        assert fits(result.network, ts)


@pytest.mark.parametrize("solver", ["cadical195", "minisat22"])
def test_sat_solver_stops_at_the_deadline(solver: str) -> None:
    """CaDiCaL cannot be interrupted: it searches in short conflict-budget slices and stops between them."""
    from pysat.examples.genhard import PHP

    sat = _Sat(solver, time.perf_counter() + 0.5)
    try:
        sat.add(PHP(12).clauses)  # 13 pigeons, 12 holes: hopeless for CDCL
        began = time.perf_counter()
        with pytest.raises(_Timeout):
            sat.solve([])
        assert time.perf_counter() - began < 0.5 + TIME_LIMIT_GRACE_S + SLACK_S
    finally:
        sat.close()


def test_cli_min_error_reports_an_unproved_network(tmp_path) -> None:
    """MaxSAT-evaluation lines: ``o`` for the best network found, ``s SATISFIABLE`` while it is not proved optimal."""
    path = tmp_path / "float-xor.npz"
    xor = TrainingSet.from_points([[0.1, 0.1], [0.7, 0.7], [0.7, 0.1], [0.1, 0.7]], [0, 0, 1, 1])
    formats.save_training_set(xor, path)
    code, out, _ = run_cli("train-exact", path, "--hidden", "1", "--min-error", "--method", "milp")
    assert code == 0 and "o 1\n" in out and "s SATISFIABLE" in out and "not proven" in out
    code, out, _ = run_cli("train-exact", path, "--hidden", "1", "--min-error")
    assert code == 10 and "o 1\n" in out and "s OPTIMUM FOUND" in out
