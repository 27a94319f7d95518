"""Every result type has to_json() / from_json(): JSON text in between, nothing lost, certificates still verify."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reductions.errors import InvalidInstanceError
from reductions.loading import loads
from reductions.problems import CNF, Hypergraph, Kind, fits, kind_of, verify
from reductions.strategies import cnfs, graphs, hypergraphs, loading_instances, trainer_cases
from solvers import Result, Status, SweepSummary, TrainResult, solve, train_exact
from solvers.exact.loading import MaxLoadingResult, max_loading
from solvers.exact.trainer import HullConflict


def through_json(obj):
    """What a reader of the printed JSON gets back (NaN and infinities refused: they are not JSON)."""
    return json.loads(json.dumps(obj, allow_nan=False))


def _round_trip_result(result: Result) -> Result:
    back = Result.from_json(through_json(result.to_json()))
    assert back.to_json() == result.to_json()
    assert (back.status, back.solver, back.time_s, back.proof) == (result.status, result.solver, result.time_s, result.proof)
    return back


@given(st.one_of(cnfs(), hypergraphs()))
def test_result_of_a_formula_or_splitting_round_trips(instance) -> None:
    result = solve(instance)
    back = _round_trip_result(result)
    if result.status is Status.SAT:  # the witness read back is still a certificate
        assert verify(kind_of(instance), instance, back.witness)


@given(graphs(), st.integers(1, 3))
def test_result_of_a_colouring_round_trips(graph, colors) -> None:
    result = solve(graph, colors=colors)
    back = _round_trip_result(result)
    if result.status is Status.SAT:
        assert verify(Kind.COLORING, graph, back.witness, colors=colors)


@given(trainer_cases(max_points=6))
def test_result_of_a_training_set_round_trips(case) -> None:
    ts, k, output = case
    result = solve(ts, hidden_units=k, output=output)
    back = _round_trip_result(result)
    if result.status is Status.SAT:
        assert fits(back.witness, ts)


@given(loading_instances())
def test_result_of_a_loading_instance_round_trips(instance) -> None:
    result = solve(instance)
    back = _round_trip_result(result)
    if result.status is Status.SAT:
        assert loads(instance, back.witness)


@given(trainer_cases(max_points=6), st.booleans())
def test_train_result_round_trips(case, min_error) -> None:
    ts, k, output = case
    res = train_exact(ts, k, output=output, min_error=min_error)
    back = TrainResult.from_json(through_json(res.to_json()))
    assert back.to_json() == res.to_json()
    assert (back.status, back.network, back.core, back.errors, back.misclassified, back.errors_lower) == (
        res.status, res.network, res.core, res.errors, res.misclassified, res.errors_lower)
    assert back.conflicts == res.conflicts and all(c.verify(ts) for c in back.conflicts)
    if back.network is not None and not min_error:
        assert fits(back.network, ts)


@given(loading_instances(max_pairs=4))
def test_max_loading_result_round_trips(instance) -> None:
    res = max_loading(instance)
    back = MaxLoadingResult.from_json(through_json(res.to_json()))
    assert back.to_json() == res.to_json()
    assert (back.status, back.best, back.optimal, back.certified, back.configuration) == (
        res.status, res.best, res.optimal, res.certified, res.configuration)


def test_sweep_summary_round_trips() -> None:
    summary = SweepSummary(tasks=4, skipped=1, ran=3, statuses={"SAT": 2, "UNKNOWN": 1}, errors=(),
                           inconsistencies=("x",), time_s=1.5, workers=2)
    assert SweepSummary.from_json(through_json(summary.to_json())) == summary


def test_json_dumps_works_on_results_with_awkward_stats() -> None:
    import numpy as np
    from fractions import Fraction

    r = Result(Status.UNSAT, solver="x", stats={"n": np.int64(3), "w": Fraction(2, 3), "t": (1, 2)}, proof=(0, 2))
    obj = through_json(r.to_json())
    assert obj["stats"] == {"n": 3, "w": "2/3", "t": [1, 2]} and obj["core"] == [0, 2]


@pytest.mark.parametrize("bad", [None, {}, {"status": "MAYBE"}, {"status": "SAT", "witness": "abc"},
                                 {"status": "SAT", "witness": [True]}])
def test_malformed_result_objects_are_refused(bad) -> None:
    with pytest.raises(InvalidInstanceError):
        Result.from_json(bad)


def test_malformed_train_result_and_conflict_are_refused() -> None:
    with pytest.raises(InvalidInstanceError):
        TrainResult.from_json({"status": "SAT"})
    with pytest.raises(InvalidInstanceError):
        HullConflict.from_json({"fire": {"0": "1/0"}, "silent": {}})


def test_solve_result_json_is_what_the_cli_prints(tmp_path) -> None:
    """``trainhard solve --json`` prints Result.to_json() (plus the instance line)."""
    from helpers import run_cli
    from reductions import formats

    h = Hypergraph(3, ((0, 1), (1, 2)))
    path = tmp_path / "h.hgr"
    formats.write_instance(h, path)
    code, out, _ = run_cli("solve", path, "--json")
    printed = json.loads(out)
    expected = solve(h).to_json()
    assert code == 10 and printed["status"] == expected["status"] and printed["witness"] is not None
    assert set(printed) == set(expected) | {"instance"}
    assert verify(Kind.SET_SPLITTING, h, Result.from_json(printed).witness)
    assert CNF  # the module's imports are the public API
