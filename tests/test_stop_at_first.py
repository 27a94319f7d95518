"""Gradient descent stopping at its first exact fit (``GDConfig.stop_at_first``), as the heuristics run it.

The first fit is the same network the full run reports (the engines are
batch-invariant and the reported network is the earliest fit, lowest restart
first), at no more restart-steps.
"""

from __future__ import annotations

import dataclasses

import pytest
from helpers import one_torch_thread
from hypothesis import given, settings

from reductions.errors import InvalidInstanceError
from reductions.generators import planted_kcnf
from reductions.problems import fits
from reductions.registry import get_reduction
from reductions.strategies import hypergraphs
from solvers.gd.loading import check_loading_config, train_gd_loading
from solvers.gd.networks import GDConfig, train_gd

one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)
BLUM_RIVEST = get_reduction("splitting-to-blum-rivest")


@settings(max_examples=10, deadline=None)
@given(h=hypergraphs(max_vertices=6, max_edges=5))
def test_the_first_fit_is_the_full_runs_network_at_no_more_restart_steps(h) -> None:
    ts = BLUM_RIVEST(h)
    config = GDConfig(surrogate="anneal", restarts=8, steps=200, lr=0.1, check_every=10)
    full = train_gd(ts, config)
    first = train_gd(ts, dataclasses.replace(config, stop_at_first=True))
    assert first.restart_steps <= full.restart_steps
    a, b = full.instances[0], first.instances[0]
    assert (a.network is None) == (b.network is None)
    if b.network is not None:
        assert b.network == a.network and fits(b.network, ts)
        assert b.first_success_step == a.first_success_step
        assert b.restarts_solved >= 1
    else:  # nothing fitted: both ran every step of every restart
        assert first.restart_steps == full.restart_steps == 8 * 200


def test_stopping_at_the_first_fit_skips_later_chunks() -> None:
    ts = BLUM_RIVEST(hypergraphs_example())
    config = GDConfig(surrogate="anneal", restarts=8, steps=200, lr=0.1, check_every=10, batch_size=2)
    first = train_gd(ts, dataclasses.replace(config, stop_at_first=True))
    full = train_gd(ts, config)
    assert first.instances[0].network is not None and first.instances[0].network == full.instances[0].network
    assert first.restart_steps < full.restart_steps


def hypergraphs_example():
    from reductions.problems import Hypergraph

    return Hypergraph(4, ((0, 1, 2), (1, 2, 3)))


def test_loading_runs_stop_at_their_first_fit_too() -> None:
    inst = get_reduction("cnf-to-loading")(planted_kcnf(4, ratio=1.0, seed=0)[0])
    config = GDConfig(restarts=16, steps=300, lr=0.1, temperature=0.3)
    full = train_gd_loading(inst, config)
    first = train_gd_loading(inst, dataclasses.replace(config, stop_at_first=True))
    assert full.instances[0].configuration is not None
    assert first.instances[0].configuration == full.instances[0].configuration
    assert first.restart_steps <= full.restart_steps


@pytest.mark.parametrize("option", [{"compile": True}, {"fast": True}, {"batch_size": 64}])
def test_loading_refuses_the_options_only_threshold_networks_have(option) -> None:
    with pytest.raises(InvalidInstanceError, match="loading networks has no"):
        check_loading_config(GDConfig(**option))


def test_stop_at_first_must_be_a_bool() -> None:
    with pytest.raises(InvalidInstanceError, match="stop_at_first must be true or false"):
        GDConfig(stop_at_first="yes")
