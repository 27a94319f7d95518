"""Learned output tables (``output="any"`` / ``"monotone"``): the minimum over every (monotone) table, by brute force."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from reductions.strategies import trainer_cases
from test_trainer import _brute_min_errors

from reductions.errors import InvalidInstanceError
from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet, fits
from solvers.core.result import Status
from solvers.exact.trainer import LEARNED_OUTPUTS, count_errors, is_monotone, train_exact


def _tables(k: int, family: str) -> list[OutputFunction]:
    every = [OutputFunction(k, tuple(bool(b >> i & 1) for i in range(2**k))) for b in range(2 ** 2**k)]
    return every if family == "any" else [f for f in every if is_monotone(f)]


def test_is_monotone_counts_the_monotone_functions():
    # Dedekind numbers: 3, 6, 20 monotone Boolean functions of 1, 2, 3 variables
    assert [len(_tables(k, "monotone")) for k in (1, 2, 3)] == [3, 6, 20]
    assert is_monotone(OutputFunction.named("and", 3)) and is_monotone(OutputFunction.named("or", 2))
    assert not is_monotone(OutputFunction.named("xor", 2))


@settings(max_examples=40)
@given(trainer_cases(max_points=6, max_hidden=2))
def test_the_learned_minimum_is_the_best_table_by_brute_force(case):
    ts, k, _ = case
    for family in LEARNED_OUTPUTS:
        truth = min(_brute_min_errors(ts, k, f) for f in _tables(k, family))
        best = train_exact(ts, k, output=family, min_error=True)
        assert best.status is Status.SAT and best.output == family
        assert best.errors == best.errors_lower == truth == len(count_errors(best.network, ts))
        assert family == "any" or is_monotone(best.network.output)
        fit = train_exact(ts, k, output=family)
        assert (fit.status is Status.SAT) == (truth == 0)
        if fit.status is Status.SAT:
            assert fits(fit.network, ts)
        else:  # the core is untrainable under every table of the family, checked by brute force
            core = TrainingSet(ts.numerators[list(fit.core)], ts.labels[list(fit.core)], ts.denominator)
            assert min(_brute_min_errors(core, k, f) for f in _tables(k, family)) > 0


def test_xor_needs_no_mistake_with_a_learned_table_and_monotone_ones_fit_it_too():
    xor = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1])
    assert train_exact(xor, 2, output="and", min_error=True).errors == 0  # AND of two halfspaces cuts XOR
    assert train_exact(xor, 1, output="any", min_error=True).errors == 1
    for family in LEARNED_OUTPUTS:
        r = train_exact(xor, 2, output=family, min_error=True)
        assert r.errors == 0 and fits(r.network, xor)


def test_learned_outputs_refuse_the_milp_and_check_warm_starts():
    ts = TrainingSet.from_points([[0], [1], [2]], [0, 1, 0])
    with pytest.raises(InvalidInstanceError, match="lazy method"):
        train_exact(ts, 2, output="any", method="milp")
    xor_net = ThresholdNetwork.from_numbers([[1], [1]], ["1/2", "3/2"], "xor")
    assert train_exact(ts, 2, output="any", initial=xor_net).status is Status.SAT  # any table: XOR allowed
    with pytest.raises(InvalidInstanceError, match="not monotone"):
        train_exact(ts, 2, output="monotone", initial=xor_net)
    # a file's metadata may name the family too
    named = TrainingSet(ts.numerators, ts.labels, 1, {"hidden_units": 2, "output": "monotone"})
    assert train_exact(named, min_error=True).output == "monotone"


def test_cli_learns_and_prints_the_table(tmp_path):
    from helpers import run_cli

    csv = tmp_path / "d.csv"
    csv.write_text("a,b,y\n0,0,0\n1,1,0\n1,0,1\n0,1,1\n2,2,1\n")
    code, out, err = run_cli("train-exact", csv, "--label", "y", "--hidden", "2", "--output", "monotone", "--min-error")
    assert code == 10 and "MONOTONE output" in out and "c learned output table (monotone): " in out, err
    code, out, err = run_cli("train-exact", csv, "--label", "y", "--hidden", "2", "--output", "any", "--json")
    obj = json.loads(out)
    assert code == 10 and obj["output"] == "any" and len(obj["network"]["output"]["table"]) == 4
    code, out, err = run_cli("train-exact", csv, "--label", "y", "--hidden", "2", "--output", "any", "--method", "milp")
    assert code == 2 and err.startswith("error: ") and "lazy method" in err
