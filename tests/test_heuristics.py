"""The conformance suite every registered heuristic gets for free (issue 15).

A success is verified exactly and mapped back to a checked source
certificate; on an unsatisfiable instance a success is impossible; budgets
are charged as documented; runs are reproducible; results serialise.
"""

from __future__ import annotations

import json

import pytest
from helpers import one_torch_thread
from hypothesis import given, settings
from hypothesis import strategies as st

from reductions import REDUCTIONS, Kind, ThresholdNetwork, fits, verify
from reductions.errors import InvalidInstanceError
from reductions.strategies import cnfs, hypergraphs, trainer_cases
from solvers import Status, solve, train_exact
from solvers.heuristics.registry import (
    HEURISTICS,
    Attempt,
    Budget,
    Heuristic,
    HeuristicBugError,
    HeuristicResult,
    run_heuristic,
)

# heuristics on training sets; those on loading instances are tested in test_heuristics_loading.py
TARGET = sorted(n for n, h in HEURISTICS.items() if h.acts_on == "target" and Kind.TRAINING in h.targets)
SOURCE = sorted(n for n, h in HEURISTICS.items() if h.acts_on == "source")
BR = REDUCTIONS["splitting-to-blum-rivest"]
SMALL = Budget(600)


one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)


@pytest.mark.parametrize("name", TARGET)
@settings(max_examples=8, deadline=None)
@given(case=trainer_cases(max_points=6, max_hidden=2))
def test_target_heuristics_succeed_only_where_a_network_exists(name, case) -> None:
    ts, k, output = case
    if name.startswith("gd") and output.name == "table":
        output = "and"  # gradient descent trains named outputs
    try:
        result = run_heuristic(name, ts, hidden=k, output=output, budget=SMALL, seed=1)
    except InvalidInstanceError:
        return  # a heuristic may refuse an architecture it cannot train (a truth table), never silently
    assert result.restart_steps <= SMALL.restart_steps
    if result.status is Status.SAT:  # the architecture asked fits: the exact trainer agrees
        assert fits(result.network, ts) and result.network.hidden_units == k and not result.relaxed
        assert train_exact(ts, k, output=output).status is Status.SAT
    elif result.network is not None:  # a fit of another architecture, kept but certifying nothing
        assert result.relaxed and fits(result.network, ts)


@pytest.mark.parametrize("name", TARGET)
@settings(max_examples=6, deadline=None)
@given(h=hypergraphs(max_vertices=6, max_edges=6))
def test_target_successes_map_back_to_checked_colourings(name, h) -> None:
    ts = BR(h)
    result = run_heuristic(name, ts, source=h, reduction=BR, budget=SMALL, seed=2)
    if result.status is Status.SAT:  # a splitting, checked
        assert result.hidden == 2 and verify(Kind.SET_SPLITTING, h, result.source_witness)
    elif result.source_witness is not None:  # an AND of k' units: a k'-colouring, checked
        assert result.relaxed and verify(Kind.COLORING, h, result.source_witness, colors=result.hidden)
    if solve(h).status is Status.UNSAT:
        assert result.status is not Status.SAT  # impossible: it would be a splitting


@pytest.mark.parametrize("name", SOURCE)
@settings(max_examples=10, deadline=None)
@given(f=cnfs(max_vars=6, max_clauses=10))
def test_source_heuristics_succeed_only_on_satisfiable_formulas(name, f) -> None:
    result = run_heuristic(name, f, budget=SMALL, seed=3)
    assert result.restart_steps <= SMALL.restart_steps
    if result.status is Status.SAT:
        assert verify(Kind.SAT, f, result.source_witness)
    if solve(f).status is Status.UNSAT:
        assert result.status is Status.UNKNOWN


@pytest.mark.parametrize("name", sorted(HEURISTICS))
def test_runs_are_reproducible_and_serialise(name) -> None:
    from reductions.generators import planted_hypergraph

    made = planted_hypergraph(8, ratio=1.5, seed=4)
    source, reduction = made[0] if isinstance(made, tuple) else made, BR
    h = HEURISTICS[name]
    if h.acts_on == "target" and Kind.TRAINING not in h.targets:  # a loading heuristic: Judd's loading of a CNF
        from reductions.generators import planted_kcnf

        source, reduction = planted_kcnf(5, ratio=2.0, seed=4)[0], REDUCTIONS["cnf-to-loading"]
    target = reduction(source)
    problem = target if h.acts_on == "target" else source
    one = run_heuristic(name, problem, source=source, reduction=reduction, budget=Budget(2000), seed=5)
    two = run_heuristic(name, problem, source=source, reduction=reduction, budget=Budget(2000), seed=5)
    assert (one.status, one.network, one.configuration, one.source_witness, one.restart_steps) == (
        two.status, two.network, two.configuration, two.source_witness, two.restart_steps)
    back = HeuristicResult.from_json(json.loads(json.dumps(one.to_json())))
    assert back.to_json() == one.to_json()
    assert (back.status, back.network, back.configuration, back.source_witness) == (
        one.status, one.network, one.configuration, one.source_witness)


def test_every_heuristic_declares_its_settings_and_tuning() -> None:
    assert TARGET  # the portfolio has heuristics on the network at least
    for h in HEURISTICS.values():
        assert h.description and "\n" not in h.description
        assert set(h.tuning) <= set(h.defaults)
        for values in h.tuning.values():
            assert len(values) >= 2


def test_unknown_settings_and_heuristics_are_refused() -> None:
    ts = BR(hypergraphs_example())
    with pytest.raises(InvalidInstanceError, match="no setting"):
        run_heuristic(TARGET[0], ts, budget=SMALL, nonsense=1)
    with pytest.raises(InvalidInstanceError, match="unknown heuristic"):
        run_heuristic("no-such-heuristic", ts)
    with pytest.raises(InvalidInstanceError, match="restart-step"):
        Budget(0)
    with pytest.raises(InvalidInstanceError, match="time limit"):
        Budget(10, time_s=-1)


def hypergraphs_example():
    from reductions import Hypergraph

    return Hypergraph(3, ((0, 1), (1, 2)))


def _liar(network_or_witness, steps):
    def search(problem, **kwargs):
        return Attempt(witness=network_or_witness, restart_steps=steps)

    return search


def test_a_network_that_does_not_fit_is_a_bug_not_a_result() -> None:
    h = hypergraphs_example()
    ts = BR(h)
    wrong = ThresholdNetwork.from_numbers([[0, 0, 0], [0, 0, 0]], [1, 1], "and")  # rejects everything
    liar = Heuristic("liar", "returns a network that does not fit", "target", _liar(wrong, 1))
    with pytest.raises(HeuristicBugError, match="does not fit"):
        run_heuristic(liar, ts)


def test_a_success_on_an_unsatisfiable_source_raises() -> None:
    from reductions import CNF

    f = CNF(1, ((1,), (-1,)))
    liar = Heuristic("liar", "claims a model of an unsatisfiable formula", "source", _liar([1], 1))
    with pytest.raises(HeuristicBugError, match="verifier"):
        run_heuristic(liar, f)


def test_spending_more_than_the_budget_is_a_bug() -> None:
    ts = BR(hypergraphs_example())
    greedy = Heuristic("greedy", "spends more than it may", "target", _liar(None, 11))
    with pytest.raises(HeuristicBugError, match="budget"):
        run_heuristic(greedy, ts, budget=Budget(10))


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 3))
def test_gradient_descent_budget_is_restarts_times_steps(extra) -> None:
    ts = BR(hypergraphs_example())
    budget = Budget(1000)
    result = run_heuristic("gd-wide", ts, budget=budget, seed=0, extra_units=extra, restarts=8)
    assert result.details["restarts"] * result.details["steps"] <= budget.restart_steps
    assert result.restart_steps <= result.details["restarts"] * result.details["steps"]
    assert result.hidden == 2 + extra
    assert (result.status is Status.SAT) == (result.network is not None and extra == 0)
