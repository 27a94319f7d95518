"""Anytime minimum error: bounds that bracket the brute-force optimum, warm starts, affine maps, JSON."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reductions.strategies import trainer_cases
from test_trainer import _brute_min_errors

from reductions.errors import InvalidInstanceError
from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet
from solvers.core.result import Status
from solvers.exact.trainer import _min_error_engine, count_errors, train_exact


def _bracket(ts, result, truth):
    assert result.errors_lower is not None and result.errors_lower <= truth
    if result.network is not None:
        assert result.errors_upper == len(count_errors(result.network, ts)) >= truth
    if result.status is Status.SAT:
        assert result.errors == result.errors_lower == result.errors_upper == truth


@settings(max_examples=30)
@given(trainer_cases(max_points=6, max_hidden=2), st.sampled_from([None, 1e-3, 0.05]))
def test_the_bracket_always_holds_the_brute_force_optimum(case, limit):
    ts, k, f = case
    truth = _brute_min_errors(ts, k, f)
    seen: list[int] = []
    result = train_exact(ts, k, output=f, min_error=True, time_limit=limit, on_upper=seen.append)
    _bracket(ts, result, truth)
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == len(seen)
    if seen:
        assert seen[-1] == result.errors_upper
    if limit is None:
        assert result.status is Status.SAT


@settings(max_examples=25)
@given(trainer_cases(max_points=6, max_hidden=2), st.integers(0, 2**32 - 1))
def test_a_warm_start_never_changes_the_optimum(case, seed):
    import numpy as np

    ts, k, f = case
    rng = np.random.default_rng(seed)
    initial = ThresholdNetwork.from_numbers(rng.integers(-3, 4, size=(k, ts.dim)).tolist(),
                                            rng.integers(-3, 4, size=k).tolist(), f)
    cold = train_exact(ts, k, output=f, min_error=True)
    warm = train_exact(ts, k, output=f, min_error=True, initial=initial)
    assert warm.status is cold.status is Status.SAT and warm.errors == cold.errors == _brute_min_errors(ts, k, f)
    assert warm.errors <= len(count_errors(initial, ts))
    # consistency mode: a warm start that fits is the answer at once, one that does not changes no verdict
    plain = train_exact(ts, k, output=f, minimize_core=False)
    assert train_exact(ts, k, output=f, initial=initial, minimize_core=False).status is plain.status


@settings(max_examples=20)
@given(trainer_cases(max_points=6, max_hidden=2), st.fractions(-3, 3).filter(bool), st.fractions(-5, 5))
def test_an_affine_map_of_the_data_changes_no_optimum(case, scale, shift):
    ts, k, f = case
    moved = TrainingSet.from_points([[x * scale + shift for x in ts.point(i)] for i in range(ts.num_points)],
                                    ts.labels.tolist())
    assert train_exact(moved, k, output=f, min_error=True).errors == train_exact(ts, k, output=f, min_error=True).errors


def test_every_engine_is_used_and_they_agree(monkeypatch):
    from solvers.exact import trainer

    ts = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1], [2, 2], [2, 0]], [0, 0, 1, 1, 1, 0])
    and1, and2 = OutputFunction.named("and", 1), OutputFunction.named("and", 2)
    assert _min_error_engine(1, and1, ts) == "pencils" and _min_error_engine(2, and2, ts) == "rc2"
    swept = train_exact(ts, 1, min_error=True)
    monkeypatch.setattr(trainer, "PENCILS_MAX_WORK", -1)  # the one switch: too big to sweep
    assert _min_error_engine(1, and1, ts) == "hitting-sets"
    hit = train_exact(ts, 1, min_error=True)
    two = train_exact(ts, 2, min_error=True)
    assert (swept.stats["engine"], hit.stats["engine"], two.stats["engine"]) == ("pencils", "hitting-sets", "rc2")
    assert hit.stats["optimality_rechecked_by"] == f"RC2 ({trainer.RC2_ORACLE_NAME}) on the learned clauses"
    assert swept.errors == hit.errors == _brute_min_errors(ts, 1, and1)
    assert two.errors == _brute_min_errors(ts, 2, and2)


def test_a_fitting_warm_start_answers_at_once_and_a_wrong_one_is_refused():
    ts = TrainingSet.from_points([[0], [1], [2]], [0, 1, 1])
    good = ThresholdNetwork.from_numbers([[1]], ["1/2"], "and")
    res = train_exact(ts, 1, initial=good)
    assert res.status is Status.SAT and res.network == good and res.stats["warm_start"] == "fits"
    best = train_exact(ts, 1, min_error=True, initial=good)
    assert best.errors == best.errors_lower == best.errors_upper == 0
    with pytest.raises(InvalidInstanceError, match="2 hidden units"):
        train_exact(ts, 1, initial=ThresholdNetwork.from_numbers([[1], [1]], [0, 0], "and"))
    with pytest.raises(InvalidInstanceError, match="inputs"):
        train_exact(ts, 1, initial=ThresholdNetwork.from_numbers([[1, 1]], [0], "and"))
    with pytest.raises(InvalidInstanceError, match="ThresholdNetwork"):
        train_exact(ts, 1, initial="net.json")


def test_json_carries_the_bracket_and_the_network():
    ts = TrainingSet.from_points([[0], [1], [2], [3]], [1, 0, 1, 0])
    obj = json.loads(json.dumps(train_exact(ts, 1, min_error=True).to_json()))
    truth = _brute_min_errors(ts, 1, OutputFunction.named("and", 1))
    assert obj["errors"] == obj["errors_lower"] == obj["errors_upper"] == truth == 1 and obj["network"] is not None
    assert Fraction(obj["network"]["hidden"][0]["threshold"]) is not None


def test_cli_o_lines_bracket_csv_and_warm_starts(tmp_path):
    from helpers import run_cli

    from reductions import formats

    csv = tmp_path / "d.csv"
    rows = [(0, 0, 1), (1, 0, 0), (2, 1, 1), (3, 1, 0), (4, 0, 1), (5, 2, 0), (1, 1, 1)]
    csv.write_text("a,b,y\n" + "".join(f"{a},{b},{y}\n" for a, b, y in rows))
    code, out, err = run_cli("train-exact", csv, "--label", "y", "--hidden", "1", "--min-error")
    ts = formats.read_instance(csv, label="y")
    truth = _brute_min_errors(ts, 1, OutputFunction.named("and", 1))
    o = [int(line.split()[1]) for line in out.splitlines() if line.startswith("o ")]
    assert code == 10 and o == sorted(o, reverse=True) and o[-1] == truth, out + err
    assert f"c minimum error in [{truth}, {truth}]" in out and "s OPTIMUM FOUND" in out
    # a warm start from a file: a network that fits answers the consistency question at once
    easy = tmp_path / "easy.csv"
    easy.write_text("x,y\n0,0\n1,1\n2,1\n")
    net = tmp_path / "net.json"
    formats.save_network(ThresholdNetwork.from_numbers([[1]], ["1/2"], "and"), net)
    code, out, err = run_cli("train-exact", easy, "--hidden", "1", "--warm-start", net, "--json")
    assert code == 10 and json.loads(out)["stats"]["warm_start"] == "fits", err
    # gradient descent's best network as the first upper bound
    code, out, err = run_cli("train-exact", csv, "--hidden", "2", "--min-error", "--warm-start", "gd",
                             "--gd-restarts", "4", "--gd-steps", "50", "--json")
    obj = json.loads(out)
    assert code == 10 and obj["errors"] == obj["errors_lower"] == obj["errors_upper"] == _brute_min_errors(
        ts, 2, OutputFunction.named("and", 2))


@pytest.mark.parametrize("argv, message", [
    (["--gd-steps", "5"], "applies to --warm-start gd only"),
    (["--warm-start", "gd", "--gd-restarts", "0"], "--gd-restarts must be between"),
    (["--warm-start", "net.npz"], "--warm-start takes a network file"),
])
def test_cli_bad_warm_start_options(tmp_path, argv, message):
    from helpers import run_cli

    csv = tmp_path / "d.csv"
    csv.write_text("x,y\n0,0\n1,1\n")
    code, out, err = run_cli("train-exact", csv, "--hidden", "1", *argv)
    assert code == 2 and out == "" and err.startswith("error: ") and message in err and err.count("\n") == 1


def test_ctrl_c_returns_the_bounds_reached():
    """A KeyboardInterrupt during the search (here raised by the progress callback) ends it UNKNOWN with its bracket."""
    ts = TrainingSet.from_points([[i, (i * 7) % 5] for i in range(12)], [int(bin(i).count("1") % 2) for i in range(12)])
    truth = _brute_min_errors(ts, 1, OutputFunction.named("and", 1))
    calls: list[int] = []

    def stop(errors: int) -> None:
        calls.append(errors)
        raise KeyboardInterrupt

    result = train_exact(ts, 1, min_error=True, on_upper=stop)
    assert calls and result.status is Status.UNKNOWN and "interrupted" in result.reason
    _bracket(ts, result, truth)
    assert result.errors_upper == calls[0]


@settings(max_examples=8, deadline=None)
@given(trainer_cases(max_points=6, max_hidden=2), st.booleans())
def test_a_gradient_descent_warm_start_changes_no_verdict_and_no_optimum(case, min_error):
    """``initial=GDConfig`` (or ``"gd"``): gradient descent runs first; verdicts and optima stay the cold ones."""
    from solvers.exact.trainer import warm_start_config

    ts, k, f = case
    name = next((n for n in ("and", "or", "xor") if OutputFunction.named(n, k).table == f.table), None)
    if name is None:
        with pytest.raises(InvalidInstanceError, match="gradient-descent warm start"):
            train_exact(ts, k, output=f, initial="gd")
        return
    cold = train_exact(ts, k, output=f, min_error=min_error, minimize_core=False)
    warm = train_exact(ts, k, output=f, min_error=min_error, minimize_core=False,
                       initial=warm_start_config(k, name, restarts=2, steps=20))
    assert warm.status is cold.status and warm.errors == cold.errors
    gd = warm.stats["warm_start_gd"]
    assert gd["source"] == "gd" and gd["restarts"] == 2 and gd["steps"] == 20
    if warm.status is Status.SAT and not min_error:
        from reductions.problems import fits

        assert fits(warm.network, ts)
    if gd["errors"] == 0:  # gradient descent fitted it: the answer came at once, from its network
        assert warm.stats.get("warm_start") == "fits" and warm.status is Status.SAT


def test_gradient_descent_warm_start_settings_are_checked():
    from solvers.exact.trainer import WARM_START_GD, warm_start_config

    ts = TrainingSet.from_points([[0], [1], [2]], [0, 1, 0])
    config = warm_start_config(2, "any")
    assert (config.hidden, config.output, config.restarts, config.steps) == (
        2, "and", WARM_START_GD["restarts"], WARM_START_GD["steps"])
    with pytest.raises(InvalidInstanceError, match="3 hidden units"):
        train_exact(ts, 2, initial=warm_start_config(3, "and", restarts=1, steps=1))
    with pytest.raises(InvalidInstanceError, match="trains 'or'"):
        train_exact(ts, 2, output="and", initial=warm_start_config(2, "or", restarts=1, steps=1))
    with pytest.raises(InvalidInstanceError, match="not monotone"):
        train_exact(ts, 2, output="monotone", initial=warm_start_config(2, "xor", restarts=1, steps=1))
    with pytest.raises(InvalidInstanceError, match="GDConfig or 'gd'"):
        train_exact(ts, 2, initial=3.5)
    with pytest.raises(InvalidInstanceError, match="not 'table'"):
        warm_start_config(2, "table")
    # the time limit covers gradient descent too: it gets at most WARM_START_SHARE of it
    result = train_exact(ts, 2, min_error=True, time_limit=5, initial=warm_start_config(2, "and", restarts=2, steps=50))
    assert result.status is Status.SAT and result.errors == 0 and result.stats["warm_start_gd"]["time_s"] <= 5


def test_solution_guided_phases_are_the_warm_starts_hidden_patterns():
    from solvers.exact.trainer import _Lazy

    ts = TrainingSet.from_points([[0, 0], [3, 1], [1, 2], [2, 2]], [1, 0, 1, 0])
    net = ThresholdNetwork.from_numbers([[1, 0], [0, -1]], ["1/2", "-3/2"], "and")
    lazy = _Lazy(ts, 2, OutputFunction.named("and", 2), None)
    hidden = net.hidden(ts)
    phases = lazy.phases(net)
    assert sorted(abs(x) for x in phases) == [lazy.h(p, u) for p in range(4) for u in range(2)]
    assert all((lit > 0) == bool(hidden[p][u]) for p in range(4) for u in range(2)
               for lit in phases if abs(lit) == lazy.h(p, u))


def test_cli_reports_the_gradient_descent_warm_start(tmp_path):
    from helpers import run_cli

    csv = tmp_path / "d.csv"
    csv.write_text("x,y\n0,0\n1,1\n2,0\n")
    code, out, err = run_cli("train-exact", csv, "--hidden", "2", "--warm-start", "gd", "--gd-restarts", "3",
                             "--gd-steps", "40")
    line = next(x for x in out.splitlines() if x.startswith("c warm start: gradient descent"))
    assert code == 10 and "3 restarts x 40 steps" in line and "s SATISFIABLE" in out, out + err
    code, out, err = run_cli("train-exact", csv, "--hidden", "2", "--output", "0110", "--warm-start", "gd")
    assert code == 2 and out == "" and err.startswith("error: ") and "not 'table'" in err and err.count("\n") == 1
