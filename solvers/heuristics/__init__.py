"""heuristics: searches that can only find, on one budget scale, judged exactly (:mod:`~solvers.heuristics.registry`).

Builds on :mod:`solvers.gd` and :mod:`solvers.exact`; read by :mod:`solvers.experiments`.
"""
