"""trainhard.solvers: everything that decides or searches.

Public names are loaded lazily (PySAT, SciPy and torch are imported only
when used):

* :func:`solve` — the exact front door for every instance type;
* :data:`SOLVERS` — the PySAT backends;
* :func:`check_reduction` — Karp-style checking of a reduction;
* :func:`decide_and_network` — the independent LP decider for training sets;
* :func:`train_exact` — the exact trainer (SAT + LP, MILP baseline, min-error);
* :class:`Result`, :class:`Status`.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "solve": "exact.front",
    "decide_training_set": "exact.front",
    "SOLVERS": "exact.sat",
    "count_models": "exact.sat",
    "encode": "exact.encodings",
    "check_reduction": "experiments.karp",
    "ReductionCheckError": "experiments.karp",
    "KarpReport": "experiments.karp",
    "decide_and_network": "exact.geometry",
    "separate": "exact.geometry",
    "train_exact": "exact.trainer",
    "TrainResult": "exact.trainer",
    "HullConflict": "exact.trainer",
    "Result": "core.result",
    "Status": "core.result",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'solvers' has no attribute {name!r}")
