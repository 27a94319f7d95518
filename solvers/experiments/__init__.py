"""experiments: gradient descent against the exact deciders, Karp-style checks of reductions, sweeps and their store.

Builds on :mod:`solvers.exact` and :mod:`solvers.gd`; read by :mod:`solvers.report` and :mod:`solvers.cli`.
"""

MIN_ERROR_POINTS = 80
"""Up to this many points, an UNSAT case also gets the exact minimum error (cross-checks and sweeps): the one default."""
