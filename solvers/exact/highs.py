"""HiGHS through its own Python interface (``highspy``): silent models and a lean LP call.

Two users: the exact trainer's LP checks (:mod:`solvers.exact.geometry`), which
solve thousands of small LPs, and the minimum hitting sets of
:mod:`solvers.exact.hitting`.  ``scipy.optimize.linprog`` solves the same LPs with
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

__all__ = ["LPChain", "LPResult", "linprog", "silent_model"]


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


def _columns(matrix: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]:
    """Column-wise (CSC) arrays ``start, index, value`` and the shape of a dense or SciPy sparse matrix.

    A dense array's non-zeros are gathered with numpy directly: SciPy's
    sparse constructor costs more than the small LPs themselves.
    """
    if isinstance(matrix, np.ndarray):
        dense = np.asarray(matrix, dtype=np.float64)
        col, row = np.nonzero(dense.T)  # column-major order: column j's rows, ascending
        start = np.zeros(dense.shape[1] + 1, dtype=np.int32)
        np.cumsum(np.bincount(col, minlength=dense.shape[1]), out=start[1:])
        return start, row.astype(np.int32), dense.T[col, row], dense.shape
    from scipy import sparse

    csc = sparse.csc_matrix(matrix, dtype=np.float64)
    return csc.indptr, csc.indices, csc.data, csc.shape


def _load(model: Any, c: np.ndarray, bounds: Sequence[tuple[float | None, float | None]], A_ub: Any, b_ub: Any,
          A_eq: Any, b_eq: Any) -> None:
    """Pass the LP to ``model`` (replacing what it held)."""
    import highspy

    inf = highspy.kHighsInf
    if (A_ub is None) == (A_eq is None):
        raise ValueError("give exactly one of A_ub and A_eq")
    start, index, value, (m, n) = _columns(A_ub if A_ub is not None else A_eq)
    rhs = np.asarray(b_ub if A_ub is not None else b_eq, dtype=np.float64)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.col_cost_ = np.asarray(c, dtype=np.float64)
    lp.col_lower_ = np.array([-inf if lo is None else float(lo) for lo, _ in bounds])
    lp.col_upper_ = np.array([inf if hi is None else float(hi) for _, hi in bounds])
    lp.row_lower_ = np.full(m, -inf) if A_ub is not None else rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    model.clearModel()
    model.passModel(lp)


def _solve(model: Any) -> LPResult:
    import highspy

    model.run()
    if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return LPResult(2, None)
    return LPResult(0, np.array(model.getSolution().col_value, dtype=np.float64))


def _dual_simplex_model() -> Any:
    model = silent_model()
    model.setOptionValue("solver", "simplex")
    model.setOptionValue("simplex_strategy", 1)  # dual simplex, as scipy's "highs-ds"
    return model


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
    global _MODEL
    if _MODEL is None:
        _MODEL = _dual_simplex_model()
    _load(_MODEL, c, bounds, A_ub, b_ub, A_eq, b_eq)
    return _solve(_MODEL)


_CHAIN: Any = None


class LPChain:
    """One LP kept in HiGHS across solves, whose columns are fixed to zero one at a time.

    Each :meth:`solve` after :meth:`fix_zero` starts from the previous
    basis (HiGHS keeps it when only a bound changes), so a chain of LPs
    that each drop one column costs a few simplex iterations per LP instead
    of a solve from scratch.  The exact trainer's conflict extraction is
    such a chain (:meth:`solvers.exact.trainer._Lazy._extract`).  One chain at a
    time per process: the chains share one HiGHS model, and starting a new
    chain ends the previous one.
    """

    def __init__(
        self, c: np.ndarray, *, bounds: Sequence[tuple[float | None, float | None]],
        A_ub: Any = None, b_ub: np.ndarray | None = None, A_eq: Any = None, b_eq: np.ndarray | None = None,
    ) -> None:
        global _CHAIN
        if _CHAIN is None:
            _CHAIN = _dual_simplex_model()
        self._model = _CHAIN
        _load(self._model, c, bounds, A_ub, b_ub, A_eq, b_eq)

    def fix_zero(self, col: int) -> None:
        """Force column ``col`` to 0 in every later solve."""
        self._model.changeColBounds(int(col), 0.0, 0.0)

    def solve(self) -> LPResult:
        """The LP as it stands, warm-started from the last basis."""
        return _solve(self._model)
