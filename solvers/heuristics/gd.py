"""Gradient descent as registered heuristics: each surrogate, and over-parameterised networks.

Both run :func:`solvers.gd.networks.train_gd` (batched restarts, every
restart judged exactly) with the budget split into ``restarts`` restarts of
``budget.restart_steps // restarts`` steps each.  A run stops at the first
exact fit (:attr:`solvers.gd.networks.GDConfig.stop_at_first`) and is charged
for every restart up to that step.

Over-parameterised gradient descent trains ``k + extra_units`` hidden units
with the same output family (an AND of ``k'`` units for Blum–Rivest and
colouring sets).  On those sets a fit with ``k'`` units is a ``k'``-colouring
(Blum & Rivest 1992, Lemma 2), so its success is a certificate too: the
width gradient descent needs, set beside the chromatic number.

References
----------
A. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992.
"""

from __future__ import annotations

from typing import Any

from reductions.errors import InvalidInstanceError
from reductions.problems import OutputFunction, TrainingSet

from .registry import Attempt, Budget

__all__ = ["GD_DEFAULTS", "GD_TUNING", "gd_search"]

GD_DEFAULTS: dict[str, Any] = {"restarts": 16, "lr": 0.05, "optimizer": "adam", "init_scale": 1.0,
                               "temperature": 1.0, "final_temperature": 0.05, "margin": 1.0, "extra_units": 0}
"""Settings of every gradient-descent heuristic (GDConfig's defaults where it has them)."""

GD_TUNING: dict[str, tuple[Any, ...]] = {"lr": (0.01, 0.05, 0.2), "init_scale": (0.5, 1.0, 4.0), "restarts": (16, 64, 1024)}
"""The grid fair tuning tries for gradient descent (the surrogate is its own registry entry)."""


def gd_search(
    training_set: TrainingSet, *, hidden: int, output: Any, budget: Budget, seed: int, surrogate: str,
    restarts: int, lr: float, optimizer: str, init_scale: float, temperature: float, final_temperature: float,
    margin: float, extra_units: int = 0,
) -> Attempt:
    """Batched gradient descent on ``training_set`` within ``budget`` (see the module docstring)."""
    from ..gd.networks import GDConfig, train_gd

    if isinstance(extra_units, bool) or not isinstance(extra_units, int) or extra_units < 0:
        raise InvalidInstanceError(f"extra_units must be an integer >= 0, got {extra_units!r}")
    k = hidden + extra_units
    if isinstance(output, OutputFunction):
        if extra_units:
            raise InvalidInstanceError("extra hidden units need a named output family (and, or, xor), not a truth table")
        raise InvalidInstanceError("gradient descent trains named outputs (and, or, xor); give the output by name")
    restarts = min(int(restarts), budget.restart_steps)
    steps = max(1, budget.restart_steps // restarts)
    config = GDConfig(hidden=k, output=str(output), surrogate=surrogate, optimizer=optimizer, lr=lr, steps=steps,
                      restarts=restarts, seed=seed, init_scale=init_scale, temperature=temperature,
                      final_temperature=final_temperature, margin=margin, stop_at_first=True)
    run = train_gd(training_set, config, time_limit=budget.time_s)
    res = run.instances[0]
    return Attempt(
        witness=res.network, restart_steps=int(run.restart_steps),
        best_errors=training_set.num_points - int(res.best_correct),
        details={"hidden": k, "restarts": restarts, "steps": steps, "restarts_solved": res.restarts_solved,
                 "first_success_step": res.first_success_step, "timed_out": run.timed_out},
    )
