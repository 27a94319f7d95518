"""The MLP heuristic (a learned output layer): every success is an exact fit, within budget, reproducible."""

from __future__ import annotations

import pytest
from helpers import one_torch_thread
from hypothesis import given, settings
from reductions.strategies import trainer_cases

from reductions.errors import InvalidInstanceError
from reductions.problems import Hypergraph, OutputFunction, TrainingSet, fits
from solvers.core.result import Status
from solvers.exact.trainer import train_exact
from solvers.heuristics.mlp import MLP_DEFAULTS, MLP_TUNING, learned_table, mlp_gradients, mlp_search
from solvers.heuristics.registry import HEURISTICS, Budget, Heuristic, run_heuristic

MLP = HEURISTICS["mlp"]  # the registered entry

XOR = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1])


@pytest.fixture(autouse=True)
def _one_thread():
    yield from one_torch_thread()


def test_defaults_and_tuning_name_only_its_settings():
    assert MLP_DEFAULTS == MLP.defaults
    Heuristic("mlp", "", "target", mlp_search, MLP_DEFAULTS, MLP_TUNING)  # tuning names known settings


def test_learned_table_is_the_thresholded_output_unit():
    assert learned_table([1.0, 1.0], -1.5) == OutputFunction.named("and", 2)
    assert learned_table([1.0, 1.0], -0.5).table == OutputFunction.named("or", 2).table
    assert learned_table([1.0], 0.0).table == (False, True)  # strict: 0 > 0 is false
    assert learned_table([], 0.25).table == (True,)


def test_closed_form_gradients_match_autograd():
    import torch

    g = torch.Generator().manual_seed(0)
    points = torch.cat([torch.rand(7, 3, generator=g, dtype=torch.float64), torch.ones(7, 1, dtype=torch.float64)], 1)
    labels = (torch.rand(7, generator=g, dtype=torch.float64) > 0.5).to(torch.float64)
    hidden = (torch.rand(5, 2, 4, generator=g, dtype=torch.float64) * 4 - 2).requires_grad_()
    out = (torch.rand(5, 3, generator=g, dtype=torch.float64) * 4 - 2).requires_grad_()
    loss, grad_hidden, grad_out = mlp_gradients(points, labels, hidden.detach(), out.detach())
    h = torch.sigmoid(torch.einsum("nd,rkd->rnk", points, hidden))
    p = torch.sigmoid(torch.einsum("rnk,rk->rn", h, out[:, :2]) + out[:, 2:])
    reference = -(labels * torch.log(p) + (1 - labels) * torch.log(1 - p)).mean(dim=1)
    reference.sum().backward()
    assert torch.allclose(loss, reference.detach(), rtol=1e-12, atol=1e-12)
    assert torch.allclose(grad_hidden, hidden.grad, rtol=1e-10, atol=1e-12)
    assert torch.allclose(grad_out, out.grad, rtol=1e-10, atol=1e-12)


def test_xor_is_fitted_with_a_learned_table():
    result = run_heuristic(MLP, XOR, hidden=2, output="any", budget=Budget(4000), seed=0)
    assert result.status is Status.SAT and fits(result.network, XOR)
    assert result.best_errors == 0 and result.restart_steps <= 4000
    assert result.details["learned_output"] is True
    assert list(result.network.output.table) == [bool(t) for t in result.details["table"]]
    assert result.network.output.arity == 2


def test_one_hidden_unit_cannot_fit_xor_and_reports_its_best_exactly():
    result = run_heuristic(MLP, XOR, hidden=1, output="any", budget=Budget(1000), seed=0)
    assert result.status is Status.UNKNOWN and result.network is None
    assert result.best_errors == 1  # a halfspace gets 3 of the 4 XOR points, never 4
    assert result.restart_steps == 16 * (1000 // 16)  # every planned step ran (the remainder is left unspent)


def test_a_learned_output_fits_a_blum_rivest_set_whose_hypergraph_has_no_splitting():
    """With the output learned the Blum–Rivest set is easy: ``x == 0 or sum(x) >= 2`` is an OR of two halfspaces."""
    from reductions.registry import REDUCTIONS

    fano = Hypergraph(7, ((0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)))
    ts = REDUCTIONS["splitting-to-blum-rivest"](fano)
    assert train_exact(ts, 2, output="and").status is Status.UNSAT
    result = run_heuristic(MLP, ts, hidden=2, output="any", budget=Budget(4000), seed=0, lr=0.5)
    assert result.status is Status.SAT and fits(result.network, ts)
    assert result.network.output.table != OutputFunction.named("and", 2).table
    # asked the Blum–Rivest question (an AND), the same fit is kept but certifies nothing
    asked = run_heuristic(MLP, ts, hidden=2, budget=Budget(4000), seed=0, lr=0.5,
                          source=fano, reduction="splitting-to-blum-rivest")
    assert asked.status is Status.UNKNOWN and asked.relaxed and asked.source_witness is None
    assert fits(asked.network, ts)
    # asked the learned-table question with the source given: a fit, and no splitting claimed (none exists)
    anyone = run_heuristic(MLP, ts, hidden=2, output="any", budget=Budget(4000), seed=0, lr=0.5,
                           source=fano, reduction="splitting-to-blum-rivest")
    assert anyone.status is Status.SAT and not anyone.relaxed and anyone.source_witness is None


@settings(max_examples=20, deadline=None)
@given(trainer_cases(max_points=6))
def test_results_are_exact_within_budget_reproducible_and_never_beat_the_exact_trainer(case):
    ts, k, _ = case
    budget = Budget(2000)
    first = run_heuristic(MLP, ts, hidden=k, output="any", budget=budget, seed=3)
    again = run_heuristic(MLP, ts, hidden=k, output="any", budget=budget, seed=3)
    assert first.restart_steps <= budget.restart_steps
    assert (first.status, first.network, first.restart_steps, first.best_errors, first.details) == (
        again.status, again.network, again.restart_steps, again.best_errors, again.details)
    if first.status is Status.SAT:
        assert fits(first.network, ts) and first.network.hidden_units == k
    else:
        assert 0 < first.best_errors <= ts.num_points
    if train_exact(ts, k, output="any").status is Status.UNSAT:
        assert first.status is not Status.SAT


def test_a_time_limit_is_honoured():
    from reductions.generators import planted_hypergraph
    from reductions.registry import REDUCTIONS

    hypergraph, _ = planted_hypergraph(40, ratio=1.8, seed=0)
    ts = REDUCTIONS["splitting-to-blum-rivest"](hypergraph)
    budget = Budget(10**8, time_s=0.5)
    result = run_heuristic(MLP, ts, hidden=2, output="any", budget=budget, seed=0, check_every=10**6)
    assert result.restart_steps < budget.restart_steps
    assert result.time_s < 30  # no tight timing: the limit stopped it long before 10**8 restart-steps
    if result.status is not Status.SAT:
        assert result.details["timed_out"] is True
        assert result.best_errors is not None and result.details["table"] is not None  # the last weights were judged


def test_bad_settings_are_refused():
    for bad in ({"restarts": 0}, {"lr": 0.0}, {"init_scale": -1.0}, {"check_every": True}, {"lr": float("nan")}):
        with pytest.raises(InvalidInstanceError):
            run_heuristic(MLP, XOR, hidden=2, budget=Budget(100), seed=0, **bad)
    with pytest.raises(InvalidInstanceError, match="no setting"):
        run_heuristic(MLP, XOR, hidden=2, budget=Budget(100), seed=0, momentum=0.9)
