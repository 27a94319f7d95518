"""solvers: everything that decides or searches, for the instances of :mod:`reductions`.

The package is layered; each layer imports only those below it (checked by
``tests/test_layout.py``):

=================  ==========================================================
``core``           results, time limits, deadlines, architecture defaults
``gd``             batched PyTorch gradient descent, judged exactly
``exact``          SAT backends, encodings, geometry (LPs), the exact trainer,
                   the loading decider, and the front door :func:`solve`
``heuristics``     searches that can only find (gradient descent, an MLP, LP
                   pattern search, probSAT), one budget scale, judged exactly
``experiments``    cross-checks, Karp-style reduction checks, sweeps, store
``report``         statistics, figures and the HTML report of a sweep
``cli``            the ``trainhard`` command line, one module per command group
=================  ==========================================================

The names below are the public API.  They are loaded lazily, so that
``import solvers`` imports neither PySAT, SciPy nor torch until one is used:

* :func:`solve` decides any instance exactly (formulas, hypergraphs, graphs,
  training sets, loading instances) and :class:`Result` / :class:`Status`
  carry the verdict, with ``to_json`` / ``from_json``;
* :func:`train_exact` is the exact trainer (a network, an untrainable core,
  or the proved minimum error) and :class:`TrainResult` its answer;
* :func:`train_gd` runs gradient descent (:class:`GDConfig`, :class:`GDRun`),
  :func:`train_gd_loading` does it on loading instances;
* :func:`decide_loading` / :func:`max_loading` decide Judd loading instances;
* :func:`check_reduction` checks a reduction Karp-style, :func:`crosscheck`
  sets gradient descent against the exact deciders;
* :func:`run_heuristic` runs any of :data:`HEURISTICS` at a budget in
  restart-steps and judges what it finds (:class:`HeuristicResult`);
* :func:`run_sweep` runs a grid into a :class:`ResultsStore`;
* :data:`SOLVERS` (PySAT backends, :data:`DEFAULT_SOLVER`) and
  :data:`SOLVER_KINDS` (what a sweep can run) are the registries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name -> the module that defines it (relative to this package): the single list
# behind __all__, the lazy loader and the TYPE_CHECKING imports below.
_LAZY = {
    # core
    "Result": "core.result",
    "Status": "core.result",
    "check_time_limit": "core.limits",
    # exact
    "solve": "exact.front",
    "decide_training_set": "exact.front",
    "SOLVERS": "exact.sat",
    "DEFAULT_SOLVER": "exact.backends",
    "count_models": "exact.sat",
    "encode": "exact.encodings",
    "decide_and_network": "exact.geometry",
    "separate": "exact.geometry",
    "train_exact": "exact.trainer",
    "TrainResult": "exact.trainer",
    "HullConflict": "exact.trainer",
    "decide_loading": "exact.loading",
    "max_loading": "exact.loading",
    "MaxLoadingResult": "exact.loading",
    # gradient descent
    "GDConfig": "gd.networks",
    "GDRun": "gd.networks",
    "GDInstanceResult": "gd.networks",
    "train_gd": "gd.networks",
    "train_gd_loading": "gd.loading",
    "LoadingGDRun": "gd.loading",
    "LoadingGDResult": "gd.loading",
    # heuristics
    "HEURISTICS": "heuristics.registry",
    "HeuristicResult": "heuristics.registry",
    "run_heuristic": "heuristics.registry",
    # experiments
    "check_reduction": "experiments.karp",
    "ReductionCheckError": "experiments.karp",
    "KarpReport": "experiments.karp",
    "crosscheck": "experiments.crosscheck",
    "CrosscheckReport": "experiments.crosscheck",
    "SOLVER_KINDS": "experiments.kinds",
    "SURROGATES": "gd.surrogates",
    "SweepConfig": "experiments.sweep",
    "SweepSummary": "experiments.sweep",
    "load_config": "experiments.sweep",
    "run_sweep": "experiments.sweep",
    "ResultsStore": "experiments.store",
}

__all__ = sorted(_LAZY)

if TYPE_CHECKING:  # what IDEs and type checkers see; kept equal to _LAZY by tests/test_layout.py
    from .core.limits import check_time_limit
    from .core.result import Result, Status
    from .exact.encodings import encode
    from .exact.front import decide_training_set, solve
    from .exact.geometry import decide_and_network, separate
    from .exact.loading import MaxLoadingResult, decide_loading, max_loading
    from .exact.backends import DEFAULT_SOLVER
    from .exact.sat import SOLVERS, count_models
    from .exact.trainer import HullConflict, TrainResult, train_exact
    from .heuristics.registry import HEURISTICS, HeuristicResult, run_heuristic
    from .experiments.crosscheck import CrosscheckReport, crosscheck
    from .experiments.karp import KarpReport, ReductionCheckError, check_reduction
    from .experiments.store import ResultsStore
    from .experiments.kinds import SOLVER_KINDS
    from .experiments.sweep import SweepConfig, SweepSummary, load_config, run_sweep
    from .gd.loading import LoadingGDResult, LoadingGDRun, train_gd_loading
    from .gd.networks import GDConfig, GDInstanceResult, GDRun, train_gd
    from .gd.surrogates import SURROGATES


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'solvers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
