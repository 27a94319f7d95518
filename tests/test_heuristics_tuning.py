"""Fair tuning (disjoint seeds) and the width price (against exact chromatic numbers) of issue 15."""

from __future__ import annotations

import itertools

import pytest
from helpers import one_torch_thread
from hypothesis import given, settings
from hypothesis import strategies as st

from reductions import REDUCTIONS, Hypergraph, Kind, verify
from reductions.errors import InvalidInstanceError
from reductions.generators import planted_hypergraph
from reductions.strategies import graphs, hypergraphs
from solvers.heuristics.registry import Attempt, Budget, Heuristic
from solvers.heuristics.tuning import (
    TUNING_SEED_BASE,
    check_disjoint,
    evaluation_seeds,
    grid,
    tune,
    tuning_seeds,
)
from solvers.heuristics.width import chromatic_number, width_price

one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)
BR = REDUCTIONS["splitting-to-blum-rivest"]


@given(st.integers(1, 50), st.integers(0, 10**6), st.integers(1, 50), st.integers(0, 10**6))
def test_tuning_and_evaluation_seeds_never_meet(nt, ot, ne, oe) -> None:
    tuning, evaluation = tuning_seeds(nt, offset=ot), evaluation_seeds(ne, offset=oe)
    assert min(tuning) >= TUNING_SEED_BASE > max(evaluation)
    assert not set(tuning) & set(evaluation)
    check_disjoint(tuning, evaluation)


def test_overlapping_seeds_are_refused() -> None:
    with pytest.raises(InvalidInstanceError, match="share seeds"):
        check_disjoint([1, 2, 3], [3, 4])
    with pytest.raises(InvalidInstanceError, match="tuning range"):
        check_disjoint(tuning_seeds(2), [TUNING_SEED_BASE + 7])
    fake = _fake()
    with pytest.raises(InvalidInstanceError, match="share seeds"):
        tune(fake, _make, seeds=[5, 6], budget=Budget(10), evaluation=[6])


def _make(seed: int) -> dict:
    made, _ = planted_hypergraph(6, ratio=1.0, seed=seed)
    return {"problem": BR(made), "source": made, "reduction": BR}


def _fake() -> Heuristic:
    """Succeeds only with lr = 0.2, spending fewer steps with more restarts: a known best point."""

    def search(problem, *, hidden, output, budget, seed, lr, restarts):
        from solvers import train_exact

        network = train_exact(problem, hidden, output=output).network if lr == 0.2 else None
        return Attempt(witness=network, restart_steps=min(budget.restart_steps, 100 // restarts))

    return Heuristic("fake", "a heuristic whose best settings are known", "target", search,
                     {"lr": 0.05, "restarts": 1}, {"lr": (0.05, 0.2), "restarts": (1, 4)})


def test_tune_keeps_the_best_grid_point_and_records_every_one() -> None:
    fake = _fake()
    points = grid(fake)
    assert points[0] == {"lr": 0.05, "restarts": 1}  # the defaults first
    assert len(points) == 4 and {tuple(sorted(p.items())) for p in points} == {
        tuple(sorted({"lr": a, "restarts": b}.items())) for a, b in itertools.product((0.05, 0.2), (1, 4))}
    tuned = tune(fake, _make, seeds=tuning_seeds(3), budget=Budget(1000), evaluation=evaluation_seeds(10))
    assert tuned.settings == {"lr": 0.2, "restarts": 4}
    assert len(tuned.table) == 4 and all(t[1] in (0, 3) for t in tuned.table)
    assert tuned.to_json()["seeds"] == list(tuning_seeds(3))


def _brute_chromatic(h: Hypergraph) -> int:
    for k in range(1, h.num_vertices + 1):
        for colouring in itertools.product(range(k), repeat=h.num_vertices):
            if all(len({colouring[v] for v in e}) > 1 for e in h.edges):
                return k
    return 0


@settings(max_examples=25, deadline=None)
@given(st.one_of(hypergraphs(max_vertices=6, max_edges=6), graphs(max_vertices=6, max_edges=8)))
def test_chromatic_number_against_brute_force(instance) -> None:
    h = instance.to_hypergraph() if hasattr(instance, "to_hypergraph") else instance
    if any(len(set(e)) < 2 for e in h.edges):
        with pytest.raises(InvalidInstanceError):
            chromatic_number(instance)
        return
    expected = _brute_chromatic(h) if h.edges else (1 if h.num_vertices else 0)
    assert chromatic_number(instance) == expected


@settings(max_examples=6, deadline=None)
@given(hypergraphs(max_vertices=7, max_edges=7))
def test_wide_fits_map_back_to_colourings_the_verifier_accepts(h) -> None:
    if any(len(set(e)) < 2 for e in h.edges) or not h.edges:
        return
    price = width_price("gd-wide", h, budget=Budget(3000), max_extra=2, restarts=16)
    chi = chromatic_number(h)
    assert price.chromatic == chi
    for run in price.runs:
        assert run.hidden >= chi  # never fewer units than the exact minimum
    if price.width is not None:
        last = price.runs[-1]
        assert last.hidden == price.width and price.extra == price.width - chi
        assert verify(Kind.COLORING, h, last.source_witness, colors=price.width)


def test_a_three_unit_fit_of_a_splitting_set_is_a_three_colouring() -> None:
    """Over-parameterised: an AND of 3 units fitting a Blum–Rivest set gives a 3-colouring, checked."""
    from solvers.heuristics.registry import run_heuristic

    solved = 0
    for seed in range(4):
        h, _ = planted_hypergraph(10, ratio=1.5, seed=seed)
        result = run_heuristic("gd-wide", BR(h), source=h, reduction=BR, budget=Budget(20000), seed=seed, extra_units=1)
        if result.network is not None:
            solved += 1
            assert result.relaxed and result.status.value == "UNKNOWN"  # 3 units do not answer the 2-unit question
            assert result.hidden == 3 and verify(Kind.COLORING, h, result.source_witness, colors=3)
    assert solved >= 3
