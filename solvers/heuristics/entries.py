"""The built-in heuristics, registered once: the single list behind :data:`~solvers.heuristics.registry.HEURISTICS`."""

from __future__ import annotations

import functools

from ..gd.surrogates import SURROGATES
from .gd import GD_DEFAULTS, GD_TUNING, gd_search
from .registry import HEURISTICS, Heuristic, register_heuristic

__all__: list[str] = []

for _name, _surrogate in SURROGATES.items():  # one entry per gradient-descent surrogate
    if f"gd-{_name}" not in HEURISTICS:
        register_heuristic(Heuristic(
            f"gd-{_name}", f"gradient descent, {_surrogate.description}", "target",
            functools.partial(gd_search, surrogate=_name),
            {k: v for k, v in GD_DEFAULTS.items() if k != "extra_units"},
            GD_TUNING,
        ))

if "gd-wide" not in HEURISTICS:
    register_heuristic(Heuristic(
        "gd-wide", "over-parameterised gradient descent (annealed sigmoid): k + extra_units hidden units, same output family",
        "target", functools.partial(gd_search, surrogate="anneal"), {**GD_DEFAULTS, "extra_units": 1},
        {**GD_TUNING, "extra_units": (1, 2, 4)},
    ))

from .local_search import PATTERN_SEARCH_DEFAULTS, PATTERN_SEARCH_TUNING, pattern_search  # noqa: E402

if "pattern-search" not in HEURISTICS:
    register_heuristic(Heuristic(
        "pattern-search", "local search over hidden firing patterns, one exact LP per changed unit (no gradients)",
        "target", pattern_search, PATTERN_SEARCH_DEFAULTS, PATTERN_SEARCH_TUNING,
    ))

from .walksat import PROBSAT_DEFAULTS, PROBSAT_TUNING, WALKSAT_DEFAULTS, WALKSAT_TUNING, probsat_search, walksat_search  # noqa: E402

if "probsat" not in HEURISTICS:
    register_heuristic(Heuristic(
        "probsat", "probSAT (Balint & Schöning 2012) on the source instance's CNF encoding", "source",
        probsat_search, PROBSAT_DEFAULTS, PROBSAT_TUNING,
    ))
if "walksat" not in HEURISTICS:
    register_heuristic(Heuristic(
        "walksat", "WalkSAT/SKC (Selman, Kautz & Cohen 1994) on the source instance's CNF encoding", "source",
        walksat_search, WALKSAT_DEFAULTS, WALKSAT_TUNING,
    ))

from .mlp import MLP_DEFAULTS, MLP_TUNING, mlp_search  # noqa: E402

if "mlp" not in HEURISTICS:
    register_heuristic(Heuristic(
        "mlp", "an MLP with a learned output layer (Adam, BCE), thresholded; answers output='any'", "target",
        mlp_search, MLP_DEFAULTS, MLP_TUNING,
    ))

from reductions.problems import Kind  # noqa: E402

from .loading import GD_LOADING_DEFAULTS, GD_LOADING_TUNING, gd_loading_search  # noqa: E402

if "gd-loading" not in HEURISTICS:
    register_heuristic(Heuristic(
        "gd-loading", "gradient descent on Judd's loading problem (sigmoid units on the instance's own architecture)",
        "target", gd_loading_search, GD_LOADING_DEFAULTS, GD_LOADING_TUNING, targets=(Kind.LOADING,),
    ))
