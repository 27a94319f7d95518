"""heuristics: searches that can only find, on one budget scale, judged exactly (:mod:`~solvers.heuristics.registry`).

Builds on :mod:`solvers.gd` and :mod:`solvers.exact`; read by :mod:`solvers.experiments`.
Importing the package registers the built-in heuristics (:mod:`~solvers.heuristics.entries`),
so :data:`~solvers.heuristics.registry.HEURISTICS` is complete however it is reached.
"""

from . import entries  # noqa: F401  (registers the built-ins)
