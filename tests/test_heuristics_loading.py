"""Heuristics on Judd's loading instances (issue 15, "an atlas beyond Blum–Rivest").

``gd-loading`` searches a configuration of a loading instance; a success is
checked with ``loads`` and mapped back through ``cnf-to-loading`` to a
checked model.  On an unsatisfiable formula a success is impossible, so a
search that claims one is a bug.  probSAT and WalkSAT search the CNF source
of the same cases, and the sweep's heuristic kind runs each heuristic only
where it can search, recording why elsewhere.

References: J. S. Judd, J. Complexity 4:177–192, 1988; *Neural Network
Design and the Complexity of Learning*, MIT Press, 1990.
"""

from __future__ import annotations

import json

import pytest
from helpers import one_torch_thread
from hypothesis import given, settings
from hypothesis import strategies as st

from reductions import REDUCTIONS, CNF, Hypergraph, Kind, satisfies, verify
from reductions.errors import InvalidInstanceError
from reductions.generators import planted_kcnf
from reductions.judd import cnf_to_loading_forward
from reductions.loading import Configuration, loads, num_correct
from reductions.strategies import cnfs
from solvers import Status, solve
from solvers.heuristics.loading import GD_LOADING_DEFAULTS, gd_loading_config
from solvers.heuristics.registry import (
    HEURISTICS,
    Attempt,
    Budget,
    Heuristic,
    HeuristicBugError,
    HeuristicResult,
    run_heuristic,
)
from solvers.heuristics.tuning import grid

TO_LOADING = REDUCTIONS["cnf-to-loading"]
TWO_THIRDS = REDUCTIONS["cnf-to-loading-two-thirds"]
BR = REDUCTIONS["splitting-to-blum-rivest"]
LOADING = sorted(n for n, h in HEURISTICS.items() if h.acts_on == "target" and Kind.LOADING in h.targets)
TRAINING = sorted(n for n, h in HEURISTICS.items() if h.acts_on == "target" and Kind.TRAINING in h.targets)
SOURCE = sorted(n for n, h in HEURISTICS.items() if h.acts_on == "source")
UNSAT_CNF = CNF(2, ((1, 2), (-1, 2), (1, -2), (-1, -2)))  # every sign pattern on two variables
SMALL = Budget(64 * 60)

one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)


def test_the_registry_says_which_targets_each_heuristic_searches() -> None:
    assert LOADING == ["gd-loading"] and "pattern-search" in TRAINING and not set(LOADING) & set(TRAINING)
    assert HEURISTICS["gd-loading"].targets == (Kind.LOADING,)
    named = Heuristic("x", "targets given by name", "target", lambda *a, **k: None, targets=("loading", "training"))
    assert named.targets == (Kind.LOADING, Kind.TRAINING)
    for bad in ((), ("sat",), ("nonsense",)):
        with pytest.raises(InvalidInstanceError, match="targets"):
            Heuristic("x", "bad targets", "target", lambda *a, **k: None, targets=bad)


# ---------------------------------------------------------------------------
# gd-loading: successes verified and mapped back; impossible on UNSAT
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", LOADING)
@settings(max_examples=10, deadline=None)
@given(f=cnfs(max_vars=4, max_clauses=5, max_width=3), two_thirds=st.booleans())
def test_loading_successes_map_back_to_checked_models(name, f, two_thirds) -> None:
    reduction = TWO_THIRDS if two_thirds else TO_LOADING
    target = reduction(f)
    result = run_heuristic(name, target, source=f, reduction=reduction, budget=SMALL, seed=1)
    assert result.restart_steps <= SMALL.restart_steps and result.network is None and result.hidden is None
    if result.status is Status.SAT:
        assert loads(target, result.configuration) and verify(Kind.LOADING, target, result.configuration)
        assert satisfies(f, result.source_witness)
        assert result.best_errors == target.num_pairs - num_correct(target, result.configuration)
    else:
        assert result.configuration is None and result.source_witness is None
        assert result.best_errors is None or 0 <= result.best_errors <= target.num_pairs
    if solve(f).status is Status.UNSAT:
        assert result.status is Status.UNKNOWN  # a success would be a model
        assert result.best_errors is None or target.num_pairs - result.best_errors < target.required  # exact count


@pytest.mark.parametrize("seed", range(3))
def test_gd_loading_loads_small_planted_formulas(seed) -> None:
    f, _ = planted_kcnf(5, ratio=2.0, seed=seed)
    target = TO_LOADING(f)
    result = run_heuristic("gd-loading", target, source=f, reduction=TO_LOADING, budget=Budget(64 * 200), seed=0)
    assert result.status is Status.SAT and result.best_errors == 0
    assert loads(target, result.configuration) and satisfies(f, result.source_witness)
    back = HeuristicResult.from_json(json.loads(json.dumps(result.to_json())))
    assert back.to_json() == result.to_json()
    assert (back.status, back.configuration, back.source_witness) == (Status.SAT, result.configuration, result.source_witness)
    assert loads(target, back.configuration)


def test_gd_loading_never_succeeds_on_an_unsatisfiable_formula() -> None:
    target = TO_LOADING(UNSAT_CNF)
    result = run_heuristic("gd-loading", target, source=UNSAT_CNF, reduction=TO_LOADING, budget=SMALL, seed=0)
    assert result.status is Status.UNKNOWN and result.configuration is None
    assert result.best_errors is not None and result.best_errors >= 1  # counted exactly: some pair is wrong


def _liar(witness, steps):
    def search(problem, **kwargs):
        return Attempt(witness=witness, restart_steps=steps)

    return search


def _loading_liar(witness, steps=1) -> Heuristic:
    return Heuristic("liar", "returns what it is told to", "target", _liar(witness, steps), targets=(Kind.LOADING,))


def test_a_bogus_configuration_on_an_unsatisfiable_formula_is_a_bug() -> None:
    satisfiable, model = CNF(2, ((1, 2), (1, -2), (-1, 2), (1, 2))), (1, 2)  # UNSAT_CNF's shape, one clause changed
    bogus = cnf_to_loading_forward(satisfiable, TO_LOADING(satisfiable), model)  # loads another task
    target = TO_LOADING(UNSAT_CNF)
    assert target.architecture.num_nodes == len(bogus.functions) and not loads(target, bogus)
    with pytest.raises(HeuristicBugError, match="does not load"):
        run_heuristic(_loading_liar(bogus), target, source=UNSAT_CNF, reduction=TO_LOADING)
    for wrong in (Configuration(bogus.functions[:-1]), BR(Hypergraph(2, ((0, 1),))), (1, 2)):  # wrong shape, wrong type
        with pytest.raises(HeuristicBugError, match="does not load"):
            run_heuristic(_loading_liar(wrong), target)


def test_a_configuration_mapping_back_to_a_non_model_is_a_bug() -> None:
    f, model = planted_kcnf(3, ratio=2.0, seed=1)
    target = TO_LOADING(f)
    good = cnf_to_loading_forward(f, target, model)
    assert run_heuristic(_loading_liar(good), target, source=f, reduction=TO_LOADING).status is Status.SAT
    stranger = CNF(3, tuple((-lit,) for lit in model))  # read through the wrong source: the model falsifies it
    with pytest.raises(HeuristicBugError, match="fails its check"):
        run_heuristic(_loading_liar(good), target, source=stranger, reduction=TO_LOADING)


# ---------------------------------------------------------------------------
# budgets
# ---------------------------------------------------------------------------


@settings(max_examples=8, deadline=None)
@given(restart_steps=st.integers(1, 600), restarts=st.integers(1, 300))
def test_gd_loading_budget_is_restarts_times_steps(restart_steps, restarts) -> None:
    f, _ = planted_kcnf(3, ratio=2.0, seed=restarts)
    budget = Budget(restart_steps)
    result = run_heuristic("gd-loading", TO_LOADING(f), budget=budget, seed=0, restarts=restarts)
    d = result.details
    assert d["restarts"] == min(restarts, restart_steps) and d["steps"] == max(1, restart_steps // d["restarts"])
    assert d["restarts"] * d["steps"] <= budget.restart_steps
    assert result.restart_steps <= d["restarts"] * d["steps"] and result.restart_steps % d["restarts"] == 0


def test_spending_more_than_the_budget_on_a_loading_instance_is_a_bug() -> None:
    with pytest.raises(HeuristicBugError, match="budget"):
        run_heuristic(_loading_liar(None, 11), TO_LOADING(UNSAT_CNF), budget=Budget(10))


def test_every_tuning_point_is_a_loading_configuration() -> None:
    h = HEURISTICS["gd-loading"]
    points = grid(h)
    assert len(points) >= 2 and set(h.tuning) <= set(h.defaults)
    for point in points:
        config = gd_loading_config(Budget(1000), seed=0, **{**h.defaults, **point})  # check_loading_config inside
        assert config.restarts * config.steps <= 1000
    with pytest.raises(InvalidInstanceError, match="not defined for the loading networks"):
        gd_loading_config(Budget(1000), seed=0, **{**GD_LOADING_DEFAULTS, "surrogate": "hinge"})
    with pytest.raises(InvalidInstanceError, match="not defined for the loading networks"):
        run_heuristic("gd-loading", TO_LOADING(UNSAT_CNF), budget=Budget(10), surrogate="hinge")


# ---------------------------------------------------------------------------
# refusals: one place decides (Heuristic.refuses)
# ---------------------------------------------------------------------------


def test_a_heuristic_refuses_a_target_it_does_not_search() -> None:
    loading = TO_LOADING(UNSAT_CNF)
    ts = BR(Hypergraph(3, ((0, 1), (1, 2))))
    for name in TRAINING:
        assert "not loading configurations" in HEURISTICS[name].refuses(loading)
        with pytest.raises(InvalidInstanceError, match="searches threshold networks, not loading configurations"):
            run_heuristic(name, loading, budget=Budget(10))
    for name in LOADING:
        assert HEURISTICS[name].refuses(loading) is None
        with pytest.raises(InvalidInstanceError, match="searches loading configurations, not threshold networks"):
            run_heuristic(name, ts, budget=Budget(10))
        with pytest.raises(InvalidInstanceError, match="give it a loading instance, not a CNF"):
            run_heuristic(name, UNSAT_CNF, budget=Budget(10))
        with pytest.raises(InvalidInstanceError, match="carries its architecture"):
            run_heuristic(name, loading, hidden=2, budget=Budget(10))
    for name in SOURCE:
        assert HEURISTICS[name].refuses(loading) is None and HEURISTICS[name].refuses(ts) is None


# ---------------------------------------------------------------------------
# probSAT and WalkSAT on the CNF source of a loading case
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", SOURCE)
@settings(max_examples=6, deadline=None)
@given(n=st.integers(3, 12), seed=st.integers(0, 2**20))
def test_source_heuristics_solve_the_cnf_of_a_loading_case(name, n, seed) -> None:
    f, _ = planted_kcnf(n, ratio=3.0, seed=seed)
    target = TO_LOADING(f)
    result = run_heuristic(name, target, source=f, reduction=TO_LOADING, budget=Budget(20_000), seed=0)
    assert result.status is Status.SAT and satisfies(f, result.source_witness)
    assert result.configuration is None and result.restart_steps <= 20_000
    assert loads(target, cnf_to_loading_forward(f, target, result.source_witness))  # and the model loads the task


@pytest.mark.parametrize("name", SOURCE)
def test_source_heuristics_find_nothing_on_an_unsatisfiable_loading_source(name) -> None:
    result = run_heuristic(name, TO_LOADING(UNSAT_CNF), source=UNSAT_CNF, reduction=TO_LOADING, budget=Budget(500))
    assert result.status is Status.UNKNOWN and result.source_witness is None


# ---------------------------------------------------------------------------
# the sweep's heuristic kind
# ---------------------------------------------------------------------------


def _sweep_rows(family: str, reduction: str, heuristics: list[str]) -> dict[str, tuple[dict, dict]]:
    from solvers.experiments.sweep import execute_task, expand, parse_config

    extra = f'reduction = "{reduction}"\n' if reduction else ""
    solvers = "".join(f'[[solvers]]\nname = "{h}"\nkind = "heuristic"\nheuristic = "{h}"\nrestart_steps = {64 * 200}\n\n'
                      for h in heuristics)
    text = (f'seed = 3\ninstances = 1\ntime_limit = 60\n\n[[families]]\nfamily = "{family}"\nn = [4]\n'
            f'density = [1.0]\n{extra}\n{solvers}')
    return {t.payload["options"]["heuristic"]: (t.payload, execute_task(t.payload)) for t in expand(parse_config(text))}


def test_a_sweep_runs_gd_loading_on_loading_targets_and_says_why_not_elsewhere() -> None:
    from solvers.experiments.sweep import _PARSERS

    rows = _sweep_rows("cnf", "cnf-to-loading", ["gd-loading", "pattern-search", "probsat"])
    payload, gd = rows["gd-loading"]
    source = _PARSERS[payload["source_kind"]](payload["source"], source="<test>")
    assert solve(source).status is Status.SAT  # the seed gives a satisfiable formula
    assert gd["status"] == "SAT" and gd["verified"] == 1 and gd["min_errors"] == 0 and gd["reason"] is None
    assert 0 < gd["restart_steps"] <= 64 * 200 and gd["num_points"] == TO_LOADING(source).num_pairs
    _, pattern = rows["pattern-search"]
    assert pattern["status"] == "UNKNOWN" and pattern["verified"] is None and pattern["restart_steps"] == 0
    assert pattern["reason"].startswith("pattern-search searches threshold networks, not loading configurations")
    _, probsat = rows["probsat"]
    assert probsat["status"] == "SAT" and probsat["verified"] == 1

    rows = _sweep_rows("planted-hypergraph", "", ["gd-loading"])  # Blum–Rivest training sets
    _, refused = rows["gd-loading"]
    assert refused["status"] == "UNKNOWN" and refused["restart_steps"] == 0
    assert refused["reason"].startswith("gd-loading searches loading configurations, not threshold networks")


def test_a_sweep_row_of_an_unsatisfiable_loading_case_is_never_sat() -> None:
    from solvers.experiments.kinds import SOLVER_KINDS, SweepCase

    case = SweepCase(UNSAT_CNF, TO_LOADING, None)
    row = SOLVER_KINDS["heuristic"].run(case, {"heuristic": "gd-loading", "restart_steps": 64 * 30, "settings": {}}, None)
    assert row["status"] == "UNKNOWN" and row["verified"] is None and "pairs wrong" in row["reason"]
    assert 0 < row["restart_steps"] <= 64 * 30
