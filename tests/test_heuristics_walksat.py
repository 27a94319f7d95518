"""probSAT and WalkSAT/SKC on the source instance, run through the heuristic registry and judged exactly."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reductions.strategies import cnfs, graphs, hypergraphs, nae_formulas

from reductions.errors import InvalidInstanceError
from reductions.generators import planted_kcnf, random_kcnf
from reductions.problems import CNF, Graph, Hypergraph, kind_of, verify
from solvers import solve
from solvers.core.result import Status
from solvers.heuristics.registry import Budget, Heuristic, HeuristicResult, run_heuristic
from solvers.heuristics.walksat import (
    PROBSAT_DEFAULTS,
    PROBSAT_TUNING,
    WALKSAT_DEFAULTS,
    WALKSAT_TUNING,
    probsat_search,
    walksat_search,
)

PROBSAT = Heuristic("probsat", "probSAT (polynomial break-only) on the source's CNF encoding", "source",
                    probsat_search, PROBSAT_DEFAULTS, PROBSAT_TUNING)
WALKSAT = Heuristic("walksat", "WalkSAT/SKC on the source's CNF encoding", "source",
                    walksat_search, WALKSAT_DEFAULTS, WALKSAT_TUNING)
BOTH = pytest.mark.parametrize("heuristic", [PROBSAT, WALKSAT], ids=["probsat", "walksat"])


def pigeonhole(holes: int) -> CNF:
    """``holes + 1`` pigeons in ``holes`` holes: unsatisfiable, and hard for resolution and local search alike."""
    def var(p: int, h: int) -> int:
        return p * holes + h + 1

    pigeons = range(holes + 1)
    clauses = [tuple(var(p, h) for h in range(holes)) for p in pigeons]
    clauses += [(-var(p, h), -var(q, h)) for h in range(holes) for p in pigeons for q in pigeons if p < q]
    return CNF((holes + 1) * holes, tuple(clauses))


def judged(heuristic: Heuristic, instance: Any, hidden: int | None, seed: int = 0, steps: int = 5000) -> HeuristicResult:
    """Run through the registry, and check what every result must satisfy whatever the instance."""
    r = run_heuristic(heuristic, instance, budget=Budget(steps), seed=seed, hidden=hidden)
    assert 0 <= r.restart_steps <= steps
    assert r.restart_steps == r.details["flips"]
    if r.status is Status.SAT:
        assert verify(kind_of(instance, colors=hidden), instance, r.source_witness,
                      **({"colors": hidden} if kind_of(instance, colors=hidden).value == "coloring" else {}))
        assert r.best_errors == 0
    else:
        assert r.status is Status.UNKNOWN and r.source_witness is None
        assert r.best_errors is None or r.best_errors >= 1
    return r


def agrees_with_the_exact_solver(heuristic: Heuristic, instance: Any, hidden: int | None) -> None:
    """Never SAT on an UNSAT instance; on these tiny SAT instances 5000 flips always suffice (a few hundred at most seen)."""
    r = judged(heuristic, instance, hidden)
    exact = solve(instance, colors=hidden).status
    assert exact in (Status.SAT, Status.UNSAT)
    assert r.status is exact if exact is Status.SAT else r.status is Status.UNKNOWN


@BOTH
@given(f=cnfs(), seed=st.integers(0, 2**32))
def test_cnf(heuristic: Heuristic, f: CNF, seed: int) -> None:
    agrees_with_the_exact_solver(heuristic, f, None)


@BOTH
@given(f=nae_formulas())
def test_nae_formula(heuristic: Heuristic, f: Any) -> None:
    agrees_with_the_exact_solver(heuristic, f, None)


@BOTH
@given(h=hypergraphs(), colors=st.sampled_from([None, 2, 3]))
def test_hypergraph_splitting_and_colouring(heuristic: Heuristic, h: Hypergraph, colors: int | None) -> None:
    agrees_with_the_exact_solver(heuristic, h, colors)


@BOTH
@given(g=graphs(), colors=st.integers(1, 3))
def test_graph_colouring(heuristic: Heuristic, g: Graph, colors: int) -> None:
    agrees_with_the_exact_solver(heuristic, g, colors)


@BOTH
@given(f=cnfs(max_vars=10, max_clauses=30, max_width=3), seed=st.integers(0, 2**32),
       restarts=st.integers(1, 20), steps=st.integers(1, 300))
def test_same_seed_same_result_within_budget(heuristic: Heuristic, f: CNF, seed: int, restarts: int, steps: int) -> None:
    runs = [run_heuristic(heuristic, f, budget=Budget(steps), seed=seed, restarts=restarts) for _ in range(2)]
    a, b = (r.to_json() | {"time_s": 0} for r in runs)
    assert a == b
    assert runs[0].restart_steps <= steps and runs[0].details["restarts"] <= min(restarts, steps)


@BOTH
def test_planted_3cnf_is_solved(heuristic: Heuristic) -> None:
    """n = 50 at 3 clauses per variable: a few hundred flips at most (the search seed differs from the
    instance's, which plants the model the generator draws first from the same seed)."""
    found = [judged(heuristic, planted_kcnf(50, ratio=3.0, seed=s)[0], None, seed=1000 + s, steps=10**5).status
             for s in range(10)]
    assert found.count(Status.SAT) >= 8


def test_planted_3cnf_near_the_threshold_needs_the_break_bias() -> None:
    """n = 100 at 4.2: probSAT needs under 1000 flips (seen), a pure random walk (cb = 0) tens of thousands."""
    def solved(**settings: Any) -> int:
        return sum(run_heuristic(PROBSAT, planted_kcnf(100, ratio=4.2, seed=s)[0], budget=Budget(20_000),
                                 seed=1000 + s, **settings).status is Status.SAT for s in range(10))

    assert solved() >= 8
    assert solved(cb=0.0) < 8  # the test above can fail: a walk without the bias does


@BOTH
def test_time_limit_is_honoured(heuristic: Heuristic) -> None:
    start = time.monotonic()
    r = run_heuristic(heuristic, pigeonhole(8), budget=Budget(10**9, time_s=0.5), seed=0)
    assert r.status is Status.UNKNOWN and r.details["timed_out"]
    assert 0 < r.restart_steps < 10**9 and r.best_errors >= 1
    assert time.monotonic() - start < 10


@BOTH
def test_the_budget_is_split_over_restarts(heuristic: Heuristic) -> None:
    php = pigeonhole(4)
    r = run_heuristic(heuristic, php, budget=Budget(1000), seed=0, restarts=10)
    assert (r.restart_steps, r.details["restarts"]) == (1000, 10)
    r = run_heuristic(heuristic, php, budget=Budget(1000), seed=0, restarts=5, max_flips=30)
    assert (r.restart_steps, r.details["restarts"]) == (150, 5)
    r = run_heuristic(heuristic, php, budget=Budget(1000), seed=0, restarts=50, max_flips=30)
    assert (r.restart_steps, r.details["restarts"]) == (1000, 34)  # the last try is cut short
    r = run_heuristic(heuristic, php, budget=Budget(3), seed=0, restarts=10)
    assert (r.restart_steps, r.details["restarts"]) == (3, 3)


@pytest.mark.parametrize("search", [probsat_search, walksat_search])
def test_edge_cases(search: Any) -> None:
    kw: dict[str, Any] = {"hidden": None, "output": None, "budget": Budget(100), "seed": 0}
    empty_clause = search(CNF(3, [(1, 2), ()]), **kw)
    assert empty_clause.witness is None and empty_clause.restart_steps == 0
    nothing = search(CNF(3, []), **kw)
    assert nothing.witness == (-1, -2, -3) and nothing.restart_steps == 0 and nothing.best_errors == 0
    tautologies = search(CNF(2, [(1, -1), (2, 2, -2)]), **kw)
    assert tautologies.witness is not None and tautologies.restart_steps == 0
    assert search(Hypergraph(0, ()), **kw).witness == ()
    details = search(random_kcnf(20, ratio=2.0, seed=0), **kw).details
    assert (details["clauses"], details["variables"]) == (40, 20)
    with pytest.raises(InvalidInstanceError):
        search(Graph(2, [(0, 1)]), **kw)  # a graph needs its number of colours
    with pytest.raises(InvalidInstanceError):
        search(CNF(1, [(1,)]), **kw | {"restarts": 0})
    with pytest.raises(InvalidInstanceError):
        search(CNF(1, [(1,)]), **kw | {"max_flips": 0})


def test_bad_settings_are_refused() -> None:
    kw: dict[str, Any] = {"hidden": None, "output": None, "budget": Budget(10), "seed": 0}
    for bad in ({"eps": 0.0}, {"cb": -1.0}, {"cb": float("nan")}, {"cb": "2"}):
        with pytest.raises(InvalidInstanceError):
            probsat_search(CNF(1, [(1,)]), **kw, **bad)
    for noise in (-0.1, 1.5, True):
        with pytest.raises(InvalidInstanceError):
            walksat_search(CNF(1, [(1,)]), **kw, noise=noise)
    with pytest.raises(InvalidInstanceError):
        run_heuristic(PROBSAT, CNF(1, [(1,)]), budget=Budget(10), noise=0.5)  # not a probSAT setting
