"""Gradient descent on Judd's loading problem as a registered heuristic (``gd-loading``).

Judd (1988, 1990) states training as *loading*: given an architecture (a
DAG of computing nodes, each reading a few earlier nodes) and a task
(stimulus/response pairs, responses with don't cares), choose a function
for every node so that at least ``required`` pairs come out right.  This
heuristic searches a :class:`~reductions.loading.LoadingInstance` with
:func:`solvers.gd.loading.train_gd_loading`: every node relaxed to a
sigmoid unit, batched restarts, every restart judged exactly at every step.
What it returns is judged again by
:func:`~solvers.heuristics.registry.run_heuristic` with
:func:`reductions.loading.loads` and mapped back through the reduction
(``cnf-to-loading`` reads a model off any loading configuration).

Budget: as :mod:`solvers.heuristics.gd`, ``budget.restart_steps`` is split
into ``restarts`` restarts of ``budget.restart_steps // restarts`` optimiser
steps each (``restarts`` is first capped at the budget, so at least one
step each and never more than the budget in all).  The run stops at the
first exact fit (:attr:`solvers.gd.networks.GDConfig.stop_at_first`), so
fewer may be spent: every restart is charged up to that step.  ``budget.time_s`` stops the run at the
first step boundary after it.

Cost: one step of ``R`` restarts costs ``O(R * P * (E + n_in + C))``
elementwise work for ``P`` pairs and ``E`` edges (see
:func:`~solvers.gd.loading.train_gd_loading`); on ``cnf-to-loading`` of a
3-CNF with ``n`` variables and ``m`` clauses, ``P = 1 + 2n + m`` and
``E = 4n + 3m``.

Defaults.  Probing planted 3-CNFs at clause ratio 3 (``n = 6, 10``), runs
that load the task do so within a few hundred steps or not at all, so the
defaults favour many short restarts (64) at a low temperature (0.3) and a
learning rate of 0.1; the tuning grid (:data:`GD_LOADING_TUNING`) varies
the learning rate, the number of restarts and the surrogate.  Every grid
point is a configuration :func:`~solvers.gd.loading.check_loading_config`
accepts (tested).

References
----------
J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.

J. S. Judd, *Neural Network Design and the Complexity of Learning*, MIT
Press, 1990.

Examples
--------
>>> from reductions.judd import cnf_to_loading
>>> from reductions.problems import CNF
>>> from solvers.heuristics.registry import Budget
>>> a = gd_loading_search(cnf_to_loading(CNF(2, [(1, -2)])), hidden=None, output=None,
...                       budget=Budget(640), seed=0, **GD_LOADING_DEFAULTS)
>>> a.restart_steps <= 640, a.details["restarts"] * a.details["steps"] <= 640
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reductions.errors import InvalidInstanceError
from reductions.loading import LoadingInstance

from .registry import Attempt, Budget

if TYPE_CHECKING:
    from ..gd.networks import GDConfig

__all__ = ["GD_LOADING_DEFAULTS", "GD_LOADING_TUNING", "gd_loading_config", "gd_loading_search"]

GD_LOADING_DEFAULTS: dict[str, Any] = {"surrogate": "sigmoid", "restarts": 64, "lr": 0.1, "optimizer": "adam",
                                       "init_scale": 1.0, "temperature": 0.3, "final_temperature": 0.05}
"""Settings of ``gd-loading`` (see the module docstring for why these defaults)."""

GD_LOADING_TUNING: dict[str, tuple[Any, ...]] = {"lr": (0.03, 0.1, 0.3), "restarts": (64, 256),
                                                  "surrogate": ("sigmoid", "anneal")}
"""The grid fair tuning tries for ``gd-loading``: only surrogates defined on loading networks."""


def gd_loading_config(budget: Budget, *, seed: int, surrogate: str, restarts: int, lr: float, optimizer: str,
                      init_scale: float, temperature: float, final_temperature: float) -> GDConfig:
    """The :class:`~solvers.gd.networks.GDConfig` a run within ``budget`` uses, checked for loading networks.

    ``restarts`` is capped at ``budget.restart_steps``, and each restart gets
    ``budget.restart_steps // restarts`` steps: ``restarts * steps`` never
    exceeds the budget.

    Raises
    ------
    InvalidInstanceError
        A setting :class:`~solvers.gd.networks.GDConfig` refuses, or a
        surrogate not defined on loading networks
        (:func:`~solvers.gd.loading.check_loading_config`).
    """
    from ..gd.loading import check_loading_config
    from ..gd.networks import GDConfig

    if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 1:
        raise InvalidInstanceError(f"restarts must be an integer >= 1, got {restarts!r}")
    restarts = min(restarts, budget.restart_steps)
    steps = max(1, budget.restart_steps // restarts)
    config = GDConfig(surrogate=surrogate, optimizer=optimizer, lr=lr, steps=steps, restarts=restarts, seed=seed,
                      init_scale=init_scale, temperature=temperature, final_temperature=final_temperature,
                      stop_at_first=True)
    check_loading_config(config)
    return config


def gd_loading_search(
    instance: LoadingInstance, *, hidden: None, output: None, budget: Budget, seed: int, surrogate: str,
    restarts: int, lr: float, optimizer: str, init_scale: float, temperature: float, final_temperature: float,
) -> Attempt:
    """Batched gradient descent on a loading instance within ``budget`` (see the module docstring).

    Parameters
    ----------
    instance : LoadingInstance
        The task; its architecture fixes the network (every node is
        trained as a threshold unit).
    hidden, output : None
        Part of the registry's signature; the architecture comes with the instance.
    budget : Budget
        Restart-steps (optimiser steps of one restart) and wall-clock seconds.
    seed : int
        Restart ``r`` starts from a generator seeded by ``(seed, r)``.
    surrogate, restarts, lr, optimizer, init_scale, temperature, final_temperature
        As :class:`~solvers.gd.networks.GDConfig`'s fields; ``surrogate`` is
        ``sigmoid`` or ``anneal``.

    Returns
    -------
    Attempt
        ``witness``: the earliest configuration that loads the task
        (checked with :func:`~reductions.loading.loads` by the engine, and
        again by the registry), or ``None``; ``restart_steps``: steps
        computed; ``best_errors``: pairs not right in the best configuration
        found, counted exactly with :func:`~reductions.loading.num_correct`
        (``None`` when no thresholded restart computes functions of the
        nodes' families, as can happen on ``and-or`` nodes);
        ``details``: ``restarts``, ``steps``, ``restarts_solved``,
        ``first_success_step``, ``rejected_candidates``, ``timed_out``.

    Raises
    ------
    InvalidInstanceError
        Not a loading instance, or bad settings.
    """
    from ..gd.loading import train_gd_loading

    if not isinstance(instance, LoadingInstance):
        raise InvalidInstanceError(f"gd-loading searches loading configurations: give it a LoadingInstance, "
                                   f"not a {type(instance).__name__}")
    config = gd_loading_config(budget, seed=seed, surrogate=surrogate, restarts=restarts, lr=lr, optimizer=optimizer,
                               init_scale=init_scale, temperature=temperature, final_temperature=final_temperature)
    run = train_gd_loading(instance, config, time_limit=budget.time_s)
    res = run.instances[0]
    return Attempt(
        witness=res.configuration, restart_steps=int(run.restart_steps),
        best_errors=None if res.best_configuration is None else instance.num_pairs - int(res.best_correct),
        details={"restarts": config.restarts, "steps": config.steps, "restarts_solved": res.restarts_solved,
                 "first_success_step": res.first_success_step, "rejected_candidates": res.rejected_candidates,
                 "timed_out": run.timed_out},
    )
