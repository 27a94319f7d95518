"""The surrogate registry: every entry gets every generic check (a conformance suite, as scikit-learn's).

The checks run over :data:`solvers.gd.surrogates.SURROGATES` and over a toy
surrogate (a squared hinge, defined below) registered for the test only: that
one entry in the dict is all a new surrogate needs for the engines, the
reference loss and the configuration to accept it.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch
from helpers import one_torch_thread

from reductions.blum_rivest import blum_rivest
from reductions.errors import InvalidInstanceError
from reductions.generators import planted_kcnf, random_uniform_hypergraph
from reductions.registry import get_reduction
from solvers.gd import loading as gl
from solvers.gd import networks
from solvers.gd import surrogates as sg
from solvers.gd.networks import GDConfig, relaxed_loss, train_gd

one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)


# ---------------------------------------------------------------------------
# a toy surrogate, registered only inside the tests that ask for it
# ---------------------------------------------------------------------------


def _square_costs(A, k, margin):
    cp = [torch.relu(margin - A[..., u]) for u in range(k)]  # shortfall if unit u should fire
    cm = [torch.relu(margin + A[..., u]) for u in range(k)]  # if it should not
    return cp, cm


def square_loss(a, consistent, k, *, temperature, margin):
    """``min_{b consistent} sum_u relu(margin - s_u(b) a_u)**2``."""
    cp, cm = _square_costs(a, k, margin)
    costs = [sum((cp[u] ** 2 if b >> u & 1 else cm[u] ** 2) for u in range(k)) for b in range(2**k)]
    stacked = torch.stack([torch.where(c, cost, torch.full_like(cost, math.inf)) for c, cost in zip(consistent, costs)], -1)
    return stacked.min(-1).values


def square_gradient(A, consistent, k, *, inv_t, margin):
    """Through the cheapest consistent pattern (lowest on ties), elementwise in a fixed order."""
    cp, cm = _square_costs(A, k, margin)
    best = choice = None
    for b in range(2**k):
        cost = (cp[0] if b & 1 else cm[0]) * (cp[0] if b & 1 else cm[0])
        for u in range(1, k):
            x = cp[u] if b >> u & 1 else cm[u]
            cost = cost + x * x
        cost = torch.where(consistent[b], cost, torch.full_like(cost, math.inf))
        if best is None:
            best, choice = cost, torch.zeros_like(cost, dtype=torch.int64)
        else:
            better = cost < best
            best = torch.where(better, cost, best)
            choice = torch.where(better, torch.full_like(choice, b), choice)
    fire = [(choice >> u & 1).to(torch.bool) for u in range(k)]
    return torch.stack([torch.where(fire[u], -2 * cp[u], 2 * cm[u]) for u in range(k)], -1)


TOY = sg.Surrogate("toy-square", "squared hinge of the nearest consistent pattern (a test-only entry)",
                   anneals=False, loading=False, loss=square_loss, gradient=square_gradient)

NAMES = list(sg.SURROGATES) + [TOY.name]


@pytest.fixture(params=NAMES)
def surrogate(request, monkeypatch) -> sg.Surrogate:
    """Each registered surrogate, and the toy one registered for the duration of the test."""
    if request.param == TOY.name:
        monkeypatch.setitem(sg.SURROGATES, TOY.name, TOY)
    return sg.SURROGATES[request.param]


# ---------------------------------------------------------------------------
# the registry and the names derived from it
# ---------------------------------------------------------------------------


def test_every_name_is_derived_from_the_registry():
    assert networks.SURROGATES == tuple(sg.SURROGATES) == ("sigmoid", "anneal", "hinge")
    assert gl.LOADING_SURROGATES == tuple(n for n, s in sg.SURROGATES.items() if s.loading) == ("sigmoid", "anneal")
    (field,) = [f for f in dataclasses.fields(GDConfig) if f.name == "surrogate"]
    assert tuple(field.metadata["cli"]["choices"]) == tuple(sg.SURROGATES)
    assert field.default in sg.SURROGATES


def test_entry_is_well_formed(surrogate):
    assert sg.SURROGATES[surrogate.name] is surrogate
    assert surrogate.description and "\n" not in surrogate.description
    assert isinstance(surrogate.anneals, bool) and isinstance(surrogate.loading, bool)
    assert GDConfig(surrogate=surrogate.name).surrogate == surrogate.name  # the configuration accepts it


@pytest.mark.parametrize("change, message", [
    ({"name": ""}, "name"),
    ({"description": "two\nlines"}, "one-line description"),
    ({"anneals": 1}, "anneals must be true or false"),
    ({"loading": None}, "loading must be true or false"),
    ({"gradient": "not a function"}, "gradient must be callable"),
])
def test_a_malformed_entry_is_refused(change, message):
    with pytest.raises(InvalidInstanceError, match=message):
        dataclasses.replace(TOY, **change)


def test_an_unregistered_name_is_refused():
    with pytest.raises(InvalidInstanceError, match="unknown surrogate 'toy-square'; choose one of sigmoid, anneal, hinge"):
        GDConfig(surrogate=TOY.name)


def test_temperature_follows_the_anneals_flag(surrogate):
    config = GDConfig(surrogate=surrogate.name, steps=11, temperature=2.0, final_temperature=0.02)
    temps = [config.temperature_at(s) for s in range(15)]
    if surrogate.anneals:
        assert temps[0] == 2.0 and math.isclose(temps[10], 0.02) and temps[14] == temps[10]
        assert all(a > b for a, b in zip(temps[:10], temps[1:11]))
    else:
        assert temps == [2.0] * 15


# ---------------------------------------------------------------------------
# the closed-form gradient is the gradient of the reference loss
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("output, k", [("and", 1), ("and", 2), ("or", 2), ("xor", 2), ("and", 3), ("xor", 3)])
def test_closed_form_gradient_matches_autograd(surrogate, output, k):
    """``surrogate.gradient`` (the engine's) against autograd of ``relaxed_loss`` (``surrogate.loss``), in float64."""
    rng = np.random.default_rng(k)
    P, d, R = 9, 4, 5
    points = torch.tensor(rng.integers(-2, 3, size=(P, d)), dtype=torch.float64)
    labels = torch.tensor(rng.integers(0, 2, size=P))
    config = GDConfig(hidden=k, output=output, surrogate=surrogate.name, steps=10, temperature=0.7,
                      final_temperature=0.1, margin=0.8)
    W = torch.tensor(rng.normal(size=(R, k, d + 1)), dtype=torch.float64, requires_grad=True)
    step = 6
    relaxed_loss(W, points, labels, config, step=step).sum().backward()
    table = config.output_function.table
    y = labels.bool()[None, :, None]
    consistent = [y == bool(table[b]) for b in range(2**k)]
    X = torch.cat([points, torch.ones(P, 1, dtype=torch.float64)], 1)[None]
    A = torch.matmul(X, W.detach().reshape(1, R * k, d + 1).transpose(1, 2)).view(1, P, R, k)
    inv_t = torch.tensor(1 / config.temperature_at(step), dtype=torch.float64)
    G = surrogate.gradient(A, consistent, k, inv_t=inv_t, margin=config.margin) / P
    assert G.shape == A.shape
    grad = torch.matmul(G.view(1, P, R * k).transpose(1, 2), X).view(R, k, d + 1)
    # float64 rounding, amplified by cancellation in sigmoid(a) - q where the sigmoids saturate
    assert torch.allclose(grad, W.grad, rtol=1e-7, atol=1e-8), (grad - W.grad).abs().max()


def test_loss_has_the_documented_shape(surrogate):
    a = torch.tensor(np.random.default_rng(0).normal(size=(3, 7, 2)))
    y = torch.tensor([True, False] * 3 + [True])[None, :]
    consistent = [y == bool(bit) for bit in (False, False, False, True)]  # AND of two
    per_point = surrogate.loss(a, consistent, 2, temperature=0.5, margin=1.0)
    assert per_point.shape == (3, 7) and bool(torch.isfinite(per_point).all()) and bool((per_point >= 0).all())


# ---------------------------------------------------------------------------
# batch independence, and what the engines accept
# ---------------------------------------------------------------------------


def test_a_restart_is_the_same_bits_alone_and_in_a_batch(surrogate):
    sets = [blum_rivest(random_uniform_hypergraph(8, ratio=1.5, seed=s)) for s in range(2)]
    config = GDConfig(surrogate=surrogate.name, hidden=2, restarts=40, steps=25, check_every=4, margin=0.5)
    big = train_gd(sets, config, keep_weights=True)
    for j, r in ((0, 0), (1, 23), (1, 39)):
        alone = train_gd(sets[j], config, restarts=1, restart_offset=r, keep_weights=True)
        assert np.array_equal(alone.final_weights[0][0], big.final_weights[j][r])
        assert alone.instances[0].success_steps[0] == big.instances[j].success_steps[r]
    chunked = train_gd(sets, config, batch_size=16, keep_weights=True)
    for a, b in zip(chunked.final_weights, big.final_weights):
        assert np.array_equal(a, b)


def test_train_gd_loading_accepts_exactly_the_loading_entries(surrogate):
    inst = get_reduction("cnf-to-loading")(planted_kcnf(3, ratio=1.0, seed=0)[0])
    config = GDConfig(surrogate=surrogate.name, restarts=2, steps=3)
    if surrogate.loading:
        run = gl.train_gd_loading(inst, config)
        assert run.config.surrogate == surrogate.name and len(run.instances) == 1
    else:
        allowed = ", ".join(n for n, s in sg.SURROGATES.items() if s.loading)
        message = f"surrogate '{surrogate.name}' is not defined for the loading networks; choose one of {allowed}$"
        with pytest.raises(InvalidInstanceError, match=message):
            gl.train_gd_loading(inst, config)
        with pytest.raises(InvalidInstanceError, match=message):
            gl.check_loading_config(config)
