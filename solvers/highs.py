"""HiGHS through its own Python interface (``highspy``): silent models and a lean LP call.

Two users: the exact trainer's LP checks (:mod:`solvers.halfspaces`), which
solve thousands of small LPs, and the minimum hitting sets of
:mod:`solvers.hitting`.  ``scipy.optimize.linprog`` solves the same LPs with
the same HiGHS, but validates and converts its input on every call; calling
HiGHS directly on one reused model object is about 2.5 times faster per LP
(``benchmarks/RESULTS.md``).  Every LP answer is only a hint: the callers
round it and check the certificate in exact arithmetic.

References
----------
Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex
method", Mathematical Programming Computation 10:119-142, 2018 (HiGHS).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

__all__ = ["LPResult", "linprog", "silent_model"]


def silent_model() -> Any:
    """A new ``highspy.Highs`` model that prints nothing.

    HiGHS prints a banner on standard output, from C++, the first time a
    model is made in a process; that would corrupt ``--json`` output, so the
    file descriptor is pointed at ``/dev/null`` while the model is made.
    """
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            model = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    model.setOptionValue("output_flag", False)
    # HiGHS runs every model of a process on one global scheduler, created
    # with the thread count of the first run; a model asking for another
    # count fails to run.  Every model here asks for one thread.
    model.setOptionValue("threads", 1)
    return model


@dataclass(frozen=True)
class LPResult:
    """``status`` 0 when an optimum was found (``x`` set), 2 otherwise (infeasible, unbounded, trouble)."""

    status: int
    x: np.ndarray | None


_MODEL: Any = None


def linprog(
    c: np.ndarray,
    *,
    bounds: Sequence[tuple[float | None, float | None]],
    A_ub: Any = None,
    b_ub: np.ndarray | None = None,
    A_eq: Any = None,
    b_eq: np.ndarray | None = None,
) -> LPResult:
    """Minimise ``c·x`` subject to ``A_ub x <= b_ub`` or ``A_eq x = b_eq`` and column bounds, by dual simplex.

    The subset of :func:`scipy.optimize.linprog`'s interface the exact
    trainer uses (one kind of row per call; dense or SciPy sparse matrices;
    ``None`` for an infinite bound), solved on one reused HiGHS model.
    """
    import highspy
    from scipy import sparse

    global _MODEL
    if _MODEL is None:
        _MODEL = silent_model()
        _MODEL.setOptionValue("solver", "simplex")
        _MODEL.setOptionValue("simplex_strategy", 1)  # dual simplex, as scipy's "highs-ds"
    inf = highspy.kHighsInf
    if (A_ub is None) == (A_eq is None):
        raise ValueError("give exactly one of A_ub and A_eq")
    matrix = sparse.csc_matrix(A_ub if A_ub is not None else A_eq, dtype=np.float64)
    rhs = np.asarray(b_ub if A_ub is not None else b_eq, dtype=np.float64)
    m, n = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = np.asarray(c, dtype=np.float64)
    lp.col_lower_ = np.array([-inf if lo is None else float(lo) for lo, _ in bounds])
    lp.col_upper_ = np.array([inf if hi is None else float(hi) for _, hi in bounds])
    lp.row_lower_ = np.full(m, -inf) if A_ub is not None else rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    _MODEL.clearModel()
    _MODEL.passModel(lp)
    _MODEL.run()
    if _MODEL.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return LPResult(2, None)
    return LPResult(0, np.array(_MODEL.getSolution().col_value, dtype=np.float64))
