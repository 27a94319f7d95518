"""The independent target-side decider: AND of k threshold units, by LP and backtracking.

This module decides whether a training set can be fitted by a network of
``k`` hidden linear threshold units with an AND output, without trusting any
reduction.  It rests on one geometric fact (see ``REFERENCES.md``, "Exact
training"): with the positives ``P`` fixed, a set ``Q`` of negatives can be
rejected by a single unit (``w·p > t >= w·q``) exactly when the convex hulls
``conv(P)`` and ``conv(Q)`` are disjoint.  A network with an AND output is
then an assignment of every negative to a unit that rejects it, so deciding
the network is colouring the negatives with ``k`` colours so that no colour
class has a hull meeting ``conv(P)``.

Floating-point LPs (HiGHS, through :func:`solvers.exact.highs.linprog`) only
*search*; every verdict carries an exact certificate checked in rational
arithmetic (Python integers and :class:`fractions.Fraction`), never with a
float tolerance:

* a :class:`Separator` (one unit's weights and threshold), checked point by
  point;
* a :class:`HullIntersection` (convex weights ``lambda`` on ``P`` and ``mu`` on
  ``Q`` with ``sum lambda_i p_i == sum mu_j q_j``), which proves that no unit
  separates ``Q`` from ``P``.

When the float solution cannot be rounded to an exact certificate (on
points whose coordinates differ by many orders of magnitude, say), an exact
phase-one simplex in rational arithmetic decides the separation instead.
Only when that tableau would be too large is :class:`NumericalTroubleError`
raised; :func:`decide_and_network` turns it into an UNKNOWN verdict.  No
answer is ever wrong because of rounding.

References
----------
A. L. Blum and R. L. Rivest, "Training a 3-node neural network is
NP-complete", Neural Networks 5(1):117-127, 1992 (NIPS 1988).
"""

from __future__ import annotations

import itertools
import math
import operator
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from reductions.errors import InvalidInstanceError, TrainhardError
from reductions.problems import (
    OutputFunction,
    ThresholdNetwork,
    TrainingSet,
    as_exact,
    fits,
)

from ..core.result import Status

__all__ = [
    "AndNetworkDecision",
    "Geometry",
    "HullIntersection",
    "IntHull",
    "IntSeparator",
    "NumericalTroubleError",
    "Separator",
    "decide_and_network",
    "separate",
    "network_from_separators",
    "solve_exact",
]


class NumericalTroubleError(TrainhardError):
    """The float LP could not be turned into an exact certificate.

    Raised by :func:`separate` when neither a separator nor a hull
    intersection could be rounded from the float LPs and the exact simplex
    fallback would exceed its size limit.  Callers report UNKNOWN.
    """


Point = Sequence[Any]  # a point: a sequence of ints or Fractions

# ---------------------------------------------------------------------------
# exact linear algebra
# ---------------------------------------------------------------------------


def _pivot(table: list[list[Fraction]], r: int, c: int) -> list[Fraction]:
    """Gauss-Jordan pivot on ``table[r][c]`` in place (exact); returns the scaled pivot row."""
    inv = 1 / table[r][c]
    table[r] = [x * inv for x in table[r]]
    pivot_row = table[r]
    for i in range(len(table)):
        if i != r and table[i][c] != 0:
            f = table[i][c]
            table[i] = [x - f * y for x, y in zip(table[i], pivot_row)]
    return pivot_row


def solve_exact(
    rows: Sequence[Sequence[Any]],
    rhs: Sequence[Any],
    free_values: Sequence[Any] | None = None,
) -> list[Fraction] | None:
    """Solve ``rows · x = rhs`` exactly by Gauss-Jordan elimination over the rationals.

    The elimination reveals the rank, so the system may be over- or
    under-determined.  Free (non-pivot) variables take ``free_values`` (zero
    when not given); the pivot variables are then determined.

    Parameters
    ----------
    rows : sequence of sequences of int or Fraction
        The ``m x n`` coefficient matrix.
    rhs : sequence of int or Fraction
        The right-hand side, length ``m``.
    free_values : sequence, optional
        A value for every variable, used for the free ones.

    Returns
    -------
    list of Fraction or None
        A solution, or ``None`` if the system is inconsistent.

    Notes
    -----
    ``O(m n min(m, n))`` Fraction operations.

    Examples
    --------
    >>> solve_exact([[1, 1], [1, -1], [2, 0]], [3, 1, 4])
    [Fraction(2, 1), Fraction(1, 1)]
    >>> solve_exact([[1, 1]], [1], [0, 5])
    [Fraction(-4, 1), Fraction(5, 1)]
    >>> solve_exact([[1, 1], [1, 1]], [1, 2]) is None
    True
    """
    m = len(rows)
    n = len(rows[0]) if m else (len(free_values) if free_values is not None else 0)
    if len(rhs) != m:
        raise InvalidInstanceError(f"{m} rows but {len(rhs)} right-hand sides")
    a = [[Fraction(x) for x in row] + [Fraction(b)] for row, b in zip(rows, rhs)]
    pivots: list[int] = []
    r = 0
    for c in range(n):
        if r == m:
            break
        p = next((i for i in range(r, m) if a[i][c] != 0), None)
        if p is None:
            continue
        a[r], a[p] = a[p], a[r]
        _pivot(a, r, c)
        pivots.append(c)
        r += 1
    if any(a[i][n] != 0 for i in range(r, m)):
        return None
    x = [Fraction(free_values[c]) if free_values is not None else Fraction(0) for c in range(n)]
    pivot_set = set(pivots)
    free = [j for j in range(n) if j not in pivot_set]
    for i, c in enumerate(pivots):
        x[c] = a[i][n] - sum((a[i][j] * x[j] for j in free), Fraction(0))
    return x


_NOT_UNIQUE = object()


def _solve_unique_int(rows: Sequence[Sequence[int]], rhs: Sequence[int]) -> Any:
    """``rows · x = rhs`` over the rationals when the columns are independent, in integers (Bareiss).

    Fraction-free Gauss-Jordan: after pivot ``k`` every entry is a minor of
    order ``k + 1``, so each division by the previous pivot is exact and the
    numbers stay as small as determinants (Bareiss 1968), without the
    Fraction normalisations that dominate :func:`solve_exact` on the small
    systems of the hull LP.  Returns the unique solution, ``None`` when the
    system is inconsistent, or ``_NOT_UNIQUE`` when a column has no pivot
    (the caller falls back to :func:`solve_exact`).

    References
    ----------
    E. H. Bareiss, "Sylvester's identity and multistep integer-preserving
    Gaussian elimination", Mathematics of Computation 22:565-578, 1968.
    """
    m = len(rows)
    n = len(rows[0]) if m else 0
    a = [[int(x) for x in row] + [int(b)] for row, b in zip(rows, rhs)]
    prev = 1
    for c in range(n):
        p = next((i for i in range(c, m) if a[i][c]), None)
        if p is None:
            return _NOT_UNIQUE
        a[c], a[p] = a[p], a[c]
        pivot_row = a[c]
        piv = pivot_row[c]
        for i in range(m):
            if i == c:
                continue
            row, f = a[i], a[i][c]
            if f == 0:
                a[i] = [x * piv // prev for x in row] if prev != piv else row
            else:
                a[i] = [(x * piv - f * y) // prev for x, y in zip(row, pivot_row)]
        prev = piv
    if any(a[i][n] for i in range(n, m)):
        return None
    return [Fraction(a[i][n], a[i][i]) for i in range(n)]


# ---------------------------------------------------------------------------
# certificates
# ---------------------------------------------------------------------------


def _dot(u: Sequence[Any], v: Sequence[Any]) -> Any:
    return sum(map(operator.mul, u, v), 0)


@dataclass(frozen=True)
class Separator:
    """One threshold unit that accepts every positive and rejects every negative.

    ``weights · p > threshold`` for every positive ``p`` and
    ``weights · q <= threshold`` for every negative ``q`` (the strict
    convention of :class:`~reductions.problems.ThresholdNetwork`).

    Attributes
    ----------
    weights : tuple of Fraction
    threshold : Fraction
    """

    weights: tuple[Fraction, ...]
    threshold: Fraction

    def verify(self, positives: Sequence[Point], negatives: Sequence[Point]) -> bool:
        """Whether this unit separates the points, checked exactly."""
        w, t = self.weights, self.threshold
        for p in positives:
            if len(p) != len(w) or not _dot(w, map(Fraction, p)) > t:
                return False
        for q in negatives:
            if len(q) != len(w) or not _dot(w, map(Fraction, q)) <= t:
                return False
        return True


@dataclass(frozen=True)
class HullIntersection:
    """A point common to ``conv(positives)`` and ``conv(negatives)``.

    For finite sets, a strict separator (``w·p > t >= w·q``) exists exactly
    when the two convex hulls are disjoint, so this is a complete proof that
    no single threshold unit rejects all of the negatives while accepting all
    of the positives.

    Attributes
    ----------
    positive_weights : dict of int to Fraction
        ``lambda``: index into the positives -> convex weight (the support).
    negative_weights : dict of int to Fraction
        ``mu``: index into the negatives -> convex weight (the support).
    point : tuple of Fraction
        ``sum lambda_i p_i == sum mu_j q_j``.

    Examples
    --------
    >>> cert = separate([(0, 0), (1, 1)], [(1, 0), (0, 1)])
    >>> cert.point
    (Fraction(1, 2), Fraction(1, 2))
    >>> cert.verify([(0, 0), (1, 1)], [(1, 0), (0, 1)])
    True
    """

    positive_weights: dict[int, Fraction]
    negative_weights: dict[int, Fraction]
    point: tuple[Fraction, ...]

    def __hash__(self) -> int:
        return hash(
            (tuple(sorted(self.positive_weights.items())), tuple(sorted(self.negative_weights.items())), self.point)
        )

    def verify(self, positives: Sequence[Point], negatives: Sequence[Point]) -> bool:
        """Whether the weights are convex and both combinations equal :attr:`point`, exactly."""
        for weights, points in ((self.positive_weights, positives), (self.negative_weights, negatives)):
            if not weights or sum(weights.values(), Fraction(0)) != 1:
                return False
            if any(not 0 <= i < len(points) or lam < 0 for i, lam in weights.items()):
                return False
            combo = [Fraction(0)] * len(self.point)
            for i, lam in weights.items():
                if len(points[i]) != len(self.point):
                    return False
                combo = [c + lam * Fraction(x) for c, x in zip(combo, points[i])]
            if tuple(combo) != tuple(self.point):
                return False
        return True


# ---------------------------------------------------------------------------
# the exact-certificate LP engine on integer points
# ---------------------------------------------------------------------------

_DENOMINATORS = (10**6, 10**9, None)  # None: the float's exact binary value
_SUPPORT_TOL = 1e-9
_SPARSE_FRACTION = 0.25  # at most this share of non-zero coordinates: sparse LP matrices
_ACTIVE_TOL = 1e-7


@dataclass(frozen=True)
class IntSeparator:
    """``W·x > thr`` on positives, ``W·x <= thr`` on negatives, integer points."""

    weights: tuple[int, ...]
    threshold: int


@dataclass(frozen=True)
class IntHull:
    """Convex weights keyed by point index (into the geometry's point list)."""

    positive: dict[int, Fraction]
    negative: dict[int, Fraction]


def _rationalise(values: Sequence[float], max_den: int | None) -> list[Fraction]:
    out = []
    for v in values:
        f = Fraction(float(v))
        out.append(f.limit_denominator(max_den) if max_den is not None else f)
    return out


def _to_integers(values: Sequence[Fraction]) -> tuple[list[int], int]:
    """``values = ints / q`` with ``q > 0`` the least common denominator."""
    q = 1
    for v in values:
        q = q * v.denominator // math.gcd(q, v.denominator)
    return [int(v * q) for v in values], q


def _standardising_map(points: Sequence[tuple[int, ...]], dim: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Integer centre and spread per coordinate: the mean and the standard deviation, rounded (spread >= 1).

    The LPs then see z-scores up to rounding, whatever affine image of the
    data they are given: raw measurements, offsets and rescalings all map to
    (nearly) the same floats, hence the same LP vertices and conflicts.
    """
    n = len(points)
    centre, spread = [], []
    for j in range(dim):
        column = [p[j] for p in points]
        c = (2 * sum(column) + n) // (2 * n)  # the mean, rounded to an integer
        big = max(1, max(abs(x - c) for x in column))
        unit = np.array([(x - c) / big for x in column], dtype=np.float64)
        centre.append(c)
        spread.append(max(1, round(Fraction(float(np.sqrt(np.mean(unit * unit)))) * big)))  # exact: big may pass 2**1024
    return tuple(centre), tuple(spread)


class Geometry:
    """Integer points with a float copy for the LPs, through an exact affine map.

    An injective affine map changes no separability and no hull
    intersection, so the LPs run on ``y = (x - c) / s`` coordinate-wise
    (``c`` the mean of each coordinate and ``s`` its standard deviation, both
    rounded to integers: :func:`_standardising_map`), and the certificates
    are mapped back exactly and checked on the integers ``x``.
    Without the map, data sitting far from the origin (raw measurements,
    uncentred integers) gives the LPs badly scaled columns and other
    vertices: raw iris sepal measurements with two units took more than
    60 s against 3 s centred (``benchmarks/RESULTS.md``).  Sparse data
    (Blum–Rivest sets: a few non-zeros per point) is only scaled, by its
    largest coordinate, which keeps it sparse: its LP matrices stay sparse,
    and HiGHS takes them without densifying.
    """

    def __init__(self, points: Sequence[Sequence[int]], dim: int) -> None:
        self.points = [tuple(int(x) for x in p) for p in points]
        self.dim = dim
        nnz = sum(1 for p in self.points for x in p if x)
        size = len(self.points) * dim
        sparse_data = bool(size) and nnz <= _SPARSE_FRACTION * size
        if sparse_data or not self.points:
            m = max([1] + [abs(x) for p in self.points for x in p])
            self.centre, self.spread = (0,) * dim, (m,) * dim
        else:
            self.centre, self.spread = _standardising_map(self.points, dim)
        c, sp = self.centre, self.spread
        self.floats = np.array([[(x - c[j]) / sp[j] for j, x in enumerate(p)] for p in self.points],
                               dtype=np.float64).reshape(len(self.points), dim)
        self._lcm = math.lcm(*sp) if sp else 1
        self.sparse = None
        if sparse_data:
            from scipy import sparse

            self.sparse = sparse.csr_matrix(self.floats)
        self._nonzero: dict[int, list[tuple[int, int]]] = {}
        self.lp_calls = 0
        self.exact_calls = 0

    # -- exact checks ------------------------------------------------------

    def check_separator(self, sep: IntSeparator, pos: Sequence[int], neg: Sequence[int]) -> bool:
        w, t = sep.weights, sep.threshold
        if len(w) != self.dim:
            return False

        def dot(i: int) -> int:
            return sum(w[r] * x for r, x in self.nonzero(i))

        return all(dot(i) > t for i in pos) and all(dot(j) <= t for j in neg)

    def check_hull(self, hull: IntHull, pos: Sequence[int] | set[int], neg: Sequence[int] | set[int]) -> bool:
        pos_set = pos if isinstance(pos, (set, frozenset)) else set(pos)
        neg_set = neg if isinstance(neg, (set, frozenset)) else set(neg)
        if not hull.positive or not hull.negative:
            return False
        if not set(hull.positive) <= pos_set or not set(hull.negative) <= neg_set:
            return False
        if any(v < 0 for v in hull.positive.values()) or any(v < 0 for v in hull.negative.values()):
            return False
        # Every check in integers after clearing denominators: the weights on
        # each side sum to 1, and sum lambda_i p_i - sum mu_j q_j == 0 over
        # the coordinates where a support point is non-zero.
        scale = 1
        for v in itertools.chain(hull.positive.values(), hull.negative.values()):
            scale = scale * v.denominator // math.gcd(scale, v.denominator)
        total: dict[int, int] = {}
        for weights, sign in ((hull.positive, 1), (hull.negative, -1)):
            mass = 0
            for i, v in weights.items():
                a = v.numerator * (scale // v.denominator)
                mass += a
                a *= sign
                for r, x in self.nonzero(i):
                    total[r] = total.get(r, 0) + a * x
            if mass != scale:
                return False
        return not any(total.values())

    def nonzero(self, i: int) -> list[tuple[int, int]]:
        """``(coordinate, value)`` for the non-zero coordinates of point ``i`` (cached)."""
        cached = self._nonzero.get(i)
        if cached is None:
            cached = self._nonzero[i] = [(r, x) for r, x in enumerate(self.points[i]) if x]
        return cached

    # -- the two LPs -------------------------------------------------------

    def _linprog(self, c: np.ndarray, **kwargs: Any) -> Any:
        from .highs import linprog

        self.lp_calls += 1
        return linprog(c, **kwargs)

    def _separator_lp(self, pos: Sequence[int], neg: Sequence[int]) -> IntSeparator | None:
        """Float LP ``w·y_p >= t + 1``, ``w·y_q <= t``; rationalise and check exactly."""
        d = self.dim
        if self.sparse is not None:
            from scipy import sparse

            rows = self.sparse[list(pos) + list(neg)]
            sign = np.concatenate([-np.ones(len(pos)), np.ones(len(neg))])
            a_ub = sparse.hstack([sparse.diags(sign) @ rows, -sign[:, None]], format="csr")
        else:
            yp, yq = self.floats[list(pos)], self.floats[list(neg)]
            a_ub = np.vstack(
                [np.hstack([-yp, np.ones((len(pos), 1))]), np.hstack([yq, -np.ones((len(neg), 1))])]
            )
        b_ub = np.concatenate([-np.ones(len(pos)), np.zeros(len(neg))])
        res = self._linprog(np.zeros(d + 1), A_ub=a_ub, b_ub=b_ub, bounds=[(None, None)] * (d + 1))
        if res.status != 0 or res.x is None:
            return None
        w_f, t_f = res.x[:d], float(res.x[d])
        # Shifting t by 1/2 leaves a float slack of 1/2 on both sides, so
        # rounding the weights rarely breaks a constraint.
        for max_den in _DENOMINATORS:
            values = _rationalise(list(w_f) + [t_f + 0.5], max_den)
            ints, _ = _to_integers(values)
            sep = self._unmap(ints[:d], ints[d])
            if self.check_separator(sep, pos, neg):
                return _reduce(sep)
        # Fallback: solve the tight constraints exactly, in the integer
        # coordinates: w·x_p - tau = 1, w·x_q - tau = 0, where w = w'/s and
        # tau = t' + w·c map the LP's (w', t') back (its margin is 1).
        slack = a_ub @ res.x - b_ub
        rows, rhs = [], []
        for r, i in enumerate(pos):
            if slack[r] > -_ACTIVE_TOL:
                rows.append(list(self.points[i]) + [-1])
                rhs.append(1)
        for r, j in enumerate(neg):
            if slack[len(pos) + r] > -_ACTIVE_TOL:
                rows.append(list(self.points[j]) + [-1])
                rhs.append(0)
        w_x = [Fraction(float(v)) / s_ for v, s_ in zip(w_f, self.spread)]
        guess = w_x + [Fraction(t_f) + sum((w * c for w, c in zip(w_x, self.centre)), Fraction(0))]
        if rows:
            sol = solve_exact(rows, rhs, guess)
        else:
            sol = guess
        if sol is not None:
            ints, _ = _to_integers(sol)
            sep = IntSeparator(tuple(ints[:d]), ints[d])
            if self.check_separator(sep, pos, neg):
                return _reduce(sep)
        return None

    def _unmap(self, w: Sequence[int], t: int) -> IntSeparator:
        """The unit ``w·y > t`` on the LP coordinates ``y = (x - c) / s`` as an integer unit on ``x``.

        ``w·y > t  <=>  sum_j w_j (L / s_j) x_j > t L + sum_j w_j (L / s_j) c_j`` with
        ``L = lcm(s)``: multiplying by ``L > 0`` keeps the direction.
        """
        lcm = self._lcm
        weights = tuple(int(wj) * (lcm // sj) for wj, sj in zip(w, self.spread))
        return IntSeparator(weights, int(t) * lcm + sum(wj * cj for wj, cj in zip(weights, self.centre)))

    def _hull_system(self, pos: Sequence[int], neg: Sequence[int]) -> tuple[Any, np.ndarray]:
        """``A_eq, b_eq`` of the hull LP: convex weights on ``pos`` and on ``neg`` with a common point."""
        d, np_, nq = self.dim, len(pos), len(neg)
        if self.sparse is not None:
            from scipy import sparse

            sign = np.concatenate([np.ones(np_), -np.ones(nq)])
            body = (sparse.diags(sign) @ self.sparse[list(pos) + list(neg)]).T
            head = sparse.csr_matrix(
                np.vstack([np.concatenate([np.ones(np_), np.zeros(nq)]), np.concatenate([np.zeros(np_), np.ones(nq)])])
            )
            a_eq = sparse.vstack([head, body], format="csr")
        else:
            yp, yq = self.floats[list(pos)], self.floats[list(neg)]
            a_eq = np.zeros((d + 2, np_ + nq))
            a_eq[0, :np_] = 1.0
            a_eq[1, np_:] = 1.0
            a_eq[2:, :np_] = yp.T
            a_eq[2:, np_:] = -yq.T
        b_eq = np.zeros(d + 2)
        b_eq[:2] = 1.0
        return a_eq, b_eq

    def _hull_lp(self, pos: Sequence[int], neg: Sequence[int]) -> IntHull | None:
        """Float LP for convex weights with a common point; exact solve on the support."""
        a_eq, b_eq = self._hull_system(pos, neg)
        n = len(pos) + len(neg)
        res = self._linprog(np.zeros(n), A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n)
        if res.status != 0 or res.x is None:
            return None
        return self._hull_from(res.x, list(pos), list(neg))

    def hull_chain(self, pos: Sequence[int], neg: Sequence[int]) -> "_HullChain":
        """Hull LPs on ``pos`` and ``neg`` with points taken away one at a time, each warm-started from the last."""
        return _HullChain(self, pos, neg)

    def _hull_from(self, x: np.ndarray, pos: list[int], neg: list[int],
                   sides: tuple[set[int], set[int]] | None = None) -> IntHull | None:
        """The exact hull intersection on the support of the float LP solution ``x`` (columns: ``pos + neg``).

        ``sides``: ``pos`` and ``neg`` as sets, when the caller keeps them.
        """
        np_ = len(pos)
        ids = pos + neg
        pos_set, neg_set = sides if sides is not None else (set(pos), set(neg))
        support = np.flatnonzero(x > _SUPPORT_TOL).tolist()
        for _ in range(4):
            if not any(c < np_ for c in support) or not any(c >= np_ for c in support):
                return None
            rows = [[1 if c < np_ else 0 for c in support], [0 if c < np_ else 1 for c in support]]
            # Only coordinates where some support point is non-zero give equations
            # (the others read 0 = 0); sparse data keeps the exact system small.
            used = sorted({r for c in support for r, _ in self.nonzero(ids[c])})
            for r in used:
                rows.append([self.points[ids[c]][r] if c < np_ else -self.points[ids[c]][r] for c in support])
            rhs = [1, 1] + [0] * len(used)
            for sol in self._hull_solutions(rows, rhs, [x[c] for c in support]):
                if sol is None or any(v < 0 for v in sol):
                    continue
                hull = IntHull(
                    {ids[c]: v for c, v in zip(support, sol) if c < np_ and v != 0},
                    {ids[c]: v for c, v in zip(support, sol) if c >= np_ and v != 0},
                )
                if self.check_hull(hull, pos_set, neg_set):
                    return hull
            # Shrink the support: drop its smallest float value and retry.
            support = sorted(support, key=lambda c: x[c])[1:]
            support.sort()
        return None

    @staticmethod
    def _hull_solutions(rows: list[list[int]], rhs: list[int], floats: list[float]) -> Iterator[list[Fraction] | None]:
        """Exact solutions of the support system to try: the only one, or two (free variables 0, then the LP's)."""
        unique = _solve_unique_int(rows, rhs)
        if unique is not _NOT_UNIQUE:
            yield unique
            return
        yield solve_exact(rows, rhs, None)
        yield solve_exact(rows, rhs, _rationalise(floats, 10**9))

    # -- front door ----------------------------------------------------------

    def separate(self, pos: Sequence[int], neg: Sequence[int]) -> IntSeparator | IntHull:
        """Exact separator or hull intersection for the given point indices."""
        d = self.dim
        if not neg:
            return IntSeparator((0,) * d, -1)
        if not pos:
            return IntSeparator((0,) * d, 0)
        where = {self.points[i]: i for i in pos}
        for j in neg:
            i = where.get(self.points[j])
            if i is not None:
                return IntHull({i: Fraction(1)}, {j: Fraction(1)})
        sep = self._separator_lp(pos, neg)
        if sep is not None:
            return sep
        hull = self._hull_lp(pos, neg)
        if hull is not None:
            return hull
        size = (d + 2) * (len(pos) + len(neg) + d + 2)
        if size > _EXACT_SIMPLEX_MAX_ENTRIES:
            raise NumericalTroubleError(
                f"no exact certificate for {len(pos)} positives and {len(neg)} negatives in dimension {d}: "
                "the float LPs could not be rounded to a verified separator or hull intersection, "
                f"and the exact simplex tableau ({size} entries) exceeds {_EXACT_SIMPLEX_MAX_ENTRIES}"
            )
        self.exact_calls += 1
        result = _exact_phase_one(self.points, pos, neg, d)
        ok = (
            self.check_separator(result, pos, neg)
            if isinstance(result, IntSeparator)
            else self.check_hull(result, pos, neg)
        )
        if not ok:
            raise RuntimeError("bug: the exact simplex returned a certificate that does not verify")
        return result


def _exact_phase_one(
    points: Sequence[tuple[int, ...]], pos: Sequence[int], neg: Sequence[int], d: int
) -> IntSeparator | IntHull:
    """Phase one of the simplex method in exact arithmetic, Bland's rule.

    Solves ``sum lambda = 1``, ``sum mu = 1``, ``sum lambda_i p_i - sum mu_j q_j = 0``,
    ``lambda, mu >= 0`` with one artificial variable per row.  A zero optimum
    gives a hull intersection (a vertex).  A positive optimum gives, by
    Farkas' lemma, the dual ``y = (alpha, beta, v)`` with ``alpha + v·p >= 0``,
    ``beta - v·q >= 0`` and ``alpha + beta < 0`` after a change of sign, so
    ``v·p >= -alpha > beta >= v·q``: the separator ``(v, beta)``.

    Used only when the float LPs cannot be rounded (e.g. coordinates of wildly
    different magnitudes); Bland's rule guarantees termination.
    """
    n_p, n_q = len(pos), len(neg)
    n = n_p + n_q
    rows = d + 2
    ids = list(pos) + list(neg)
    # Tableau: original columns 0..n-1, artificials n..n+rows-1, right-hand side last.
    tab: list[list[Fraction]] = []
    for r in range(rows):
        row = [Fraction(0)] * (n + rows + 1)
        for c in range(n):
            if r == 0:
                row[c] = Fraction(1 if c < n_p else 0)
            elif r == 1:
                row[c] = Fraction(0 if c < n_p else 1)
            else:
                x = points[ids[c]][r - 2]
                row[c] = Fraction(x if c < n_p else -x)
        row[n + r] = Fraction(1)
        row[-1] = Fraction(1 if r < 2 else 0)
        tab.append(row)
    basis = [n + r for r in range(rows)]
    # Reduced costs of "minimise the sum of the artificials"; last entry: -objective.
    cost = [Fraction(0)] * (n + rows + 1)
    for c in range(n):
        cost[c] = -sum((tab[r][c] for r in range(rows)), Fraction(0))
    cost[-1] = -sum((tab[r][-1] for r in range(rows)), Fraction(0))
    while True:
        enter = next((c for c in range(n + rows) if cost[c] < 0), None)
        if enter is None:
            break
        best = None
        for r in range(rows):
            a = tab[r][enter]
            if a > 0:
                key = (tab[r][-1] / a, basis[r])
                if best is None or key < best[0]:
                    best = (key, r)
        if best is None:  # cannot happen: the phase-one objective is bounded below by 0
            raise RuntimeError("bug: unbounded phase-one simplex")
        r = best[1]
        pivot_row = _pivot(tab, r, enter)
        f = cost[enter]
        cost = [x - f * y for x, y in zip(cost, pivot_row)]
        basis[r] = enter
    if cost[-1] == 0:
        z = [Fraction(0)] * n
        for r, b in enumerate(basis):
            if b < n:
                z[b] = tab[r][-1]
        return IntHull(
            {ids[c]: z[c] for c in range(n_p) if z[c] != 0},
            {ids[c]: z[c] for c in range(n_p, n) if z[c] != 0},
        )
    # Duals of the phase-one problem: y_r = 1 - (reduced cost of artificial r).
    y = [1 - cost[n + r] for r in range(rows)]
    beta = -y[1]
    v = [-y[2 + r] for r in range(d)]
    ints, _ = _to_integers(v + [beta])
    return _reduce(IntSeparator(tuple(ints[:d]), ints[d]))


_EXACT_SIMPLEX_MAX_ENTRIES = 200_000


def _reduce(sep: IntSeparator) -> IntSeparator:
    g = math.gcd(sep.threshold, *sep.weights)
    if g > 1:
        return IntSeparator(tuple(w // g for w in sep.weights), sep.threshold // g)
    return sep


def network_from_separators(
    separators: Sequence[IntSeparator], output: OutputFunction, denominator: int
) -> ThresholdNetwork:
    """Units found on a training set's integer numerators -> a network in its original coordinates.

    ``W·(N/s) > thr/s`` exactly when ``W·N > thr``, so each unit keeps its
    integer weights and its threshold is divided by the common denominator
    ``s``.
    """
    return ThresholdNetwork(
        tuple(tuple(Fraction(w) for w in sep.weights) for sep in separators),
        tuple(Fraction(sep.threshold, denominator) for sep in separators),
        output,
    )


def _exact_point(p: Point, what: str) -> tuple[Fraction, ...]:
    return tuple(as_exact(x, what) for x in p)


def separate(positives: Sequence[Point], negatives: Sequence[Point]) -> Separator | HullIntersection:
    """Strictly separate two finite point sets, or prove that it cannot be done.

    Looks for weights ``w`` and a threshold ``t`` with ``w·p > t`` for every
    positive ``p`` and ``w·q <= t`` for every negative ``q``: a single
    threshold unit in the convention of Blum & Rivest (1992).  For finite
    sets this is possible exactly when ``conv(positives)`` and
    ``conv(negatives)`` are disjoint (``REFERENCES.md``, "Exact training"),
    so one of the two returned certificates always exists.

    Parameters
    ----------
    positives, negatives : sequences of points
        Points of a common dimension ``d >= 0`` with exact coordinates
        (ints, Fractions, or anything :func:`reductions.problems.as_exact`
        accepts).

    Returns
    -------
    Separator or HullIntersection
        Both checked in exact rational arithmetic before they are returned.

    Raises
    ------
    NumericalTroubleError
        When the float LP solutions cannot be rounded to an exact
        certificate and the exact simplex fallback is too large (more than
        200,000 tableau entries); never observed on small data.
    InvalidInstanceError
        When the points have different dimensions.

    Notes
    -----
    Method: the points are brought to integers by a common denominator.
    The LP ``w·p >= t + 1``, ``w·q <= t`` is solved by HiGHS (dual simplex);
    its solution, with ``t`` shifted by ``1/2``, is rounded to nearby
    fractions and checked exactly, then, if that fails, the constraints tight
    at the LP solution are solved exactly.  If the LP is infeasible, the
    feasibility LP for convex weights with ``sum lambda_i p_i = sum mu_j q_j``
    is solved; its vertex solution's support is solved exactly by Gaussian
    elimination over the rationals (shrinking the support if needed).  If
    all of this fails, phase one of the simplex method runs in exact
    arithmetic (Bland's rule) and yields either certificate directly, the
    separator through Farkas' lemma.  A negative that equals a positive is reported without any LP; empty sets
    get ``w = 0`` (``t = -1`` without negatives, ``t = 0`` without positives).
    Each call costs one or two LPs of size ``(|P| + |Q|) x (d + 1)`` plus
    ``O(d^3)`` exact operations.

    References
    ----------
    A. L. Blum and R. L. Rivest, "Training a 3-node neural network is
    NP-complete", Neural Networks 5(1):117-127, 1992.

    Examples
    --------
    >>> sep = separate([(2,), (3,)], [(0,), (1,)])
    >>> sep.verify([(2,), (3,)], [(0,), (1,)])
    True
    >>> separate([(0, 0), (1, 1)], [(1, 0), (0, 1)]).negative_weights
    {0: Fraction(1, 2), 1: Fraction(1, 2)}
    """
    pos = [_exact_point(p, "positive coordinate") for p in positives]
    neg = [_exact_point(q, "negative coordinate") for q in negatives]
    dims = {len(p) for p in pos + neg}
    if len(dims) > 1:
        raise InvalidInstanceError(f"points of different dimensions: {sorted(dims)}")
    d = dims.pop() if dims else 0
    den = 1
    for p in pos + neg:
        for x in p:
            den = den * x.denominator // math.gcd(den, x.denominator)
    geometry = Geometry([[int(x * den) for x in p] for p in pos + neg], d)
    result = geometry.separate(range(len(pos)), range(len(pos), len(pos) + len(neg)))
    if isinstance(result, IntSeparator):
        # W·(x·den) > thr  <=>  W·x > thr / den.
        sep = Separator(tuple(Fraction(w) for w in result.weights), Fraction(result.threshold, den))
        if not sep.verify(pos, neg):
            raise RuntimeError("bug: an exactly checked separator failed in original coordinates")
        return sep
    lam = {i: v for i, v in result.positive.items()}
    mu = {j - len(pos): v for j, v in result.negative.items()}
    point = [Fraction(0)] * d
    for i, v in lam.items():
        point = [c + v * x for c, x in zip(point, pos[i])]
    cert = HullIntersection(lam, mu, tuple(point))
    if not cert.verify(pos, neg):
        raise RuntimeError("bug: an exactly checked hull intersection failed in original coordinates")
    return cert


# ---------------------------------------------------------------------------
# AND of k threshold units
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AndNetworkDecision:
    """The verdict of :func:`decide_and_network`.

    Attributes
    ----------
    status : Status
        SAT, UNSAT, or UNKNOWN (a limit was hit, or numerical trouble).
    network : ThresholdNetwork or None
        For SAT, a network with ``k`` units and AND output, already checked
        with :func:`~reductions.problems.fits`.
    assignment : tuple of int or None
        For SAT, the unit that rejects each negative, in the order of the
        negatives in the training set.
    nodes : int
        Search nodes (attempts to put a negative on a unit).
    lp_calls : int
        Calls to the float LP solver (HiGHS).
    time_s : float
        Wall time of the call.
    core : tuple of int or None
        For UNSAT, indices of training-set points that on their own already
        admit no such network: the supports of the hull intersections that
        the search learned (not necessarily minimal).
    reason : str
        Why the status is UNKNOWN (empty otherwise).
    exact_lp_calls : int
        Separations decided by the exact simplex fallback because the float
        LPs could not be rounded.
    """

    status: Status
    network: ThresholdNetwork | None
    assignment: tuple[int, ...] | None
    nodes: int
    lp_calls: int
    time_s: float
    core: tuple[int, ...] | None = None
    reason: str = ""
    exact_lp_calls: int = 0


class _Limit(Exception):
    """Internal: a time or node limit was reached."""


def decide_and_network(
    training_set: TrainingSet,
    k: int,
    *,
    time_limit: float | None = None,
    node_limit: int | None = None,
) -> AndNetworkDecision:
    """Decide whether ``k`` threshold units with an AND output fit ``training_set``.

    The network accepts a point when every hidden unit fires
    (``w_j·x > t_j``), so it fits exactly when every positive passes every
    unit and every negative is rejected by at least one.  By the hull fact
    (``REFERENCES.md``, "Exact training") a unit can reject a set ``Q`` of
    negatives exactly when ``conv(Q)`` misses ``conv(positives)``; the
    decider searches for an assignment of negatives to units with that
    property.  This is the architecture of Blum & Rivest (1992) with ``k``
    hidden units.

    Parameters
    ----------
    training_set : TrainingSet
        Label 1 is positive, 0 negative.
    k : int
        Number of hidden units, ``k >= 1``.
    time_limit : float, optional
        Wall-clock seconds; when exceeded the verdict is UNKNOWN.
    node_limit : int, optional
        Maximum number of search nodes; when exceeded the verdict is UNKNOWN.

    Returns
    -------
    AndNetworkDecision
        SAT with a network checked by :func:`~reductions.problems.fits`,
        UNSAT backed by exactly verified hull intersections, or UNKNOWN.
        Never a wrong answer.

    Notes
    -----
    Backtracking over the negatives in the given order: each goes to a unit
    already in use or to the first unused one (symmetry breaking).  Adding a
    negative to a unit is tested (cheapest first) against the hull
    intersections learned so far (a unit holding all the negatives of one is
    infeasible: subsets of separable sets are separable, so one conflict
    prunes every superset), against the unit's current separator (exactly),
    against a cache keyed by the unit's set of negatives, and only then by
    :func:`separate`.  A negative that alone cannot be separated from the
    positives gives UNSAT at once.  The learned conflicts are the hyperedges
    of ``REFERENCES.md``; on Blum–Rivest sets they are the source
    hypergraph's edges (or sets containing them).

    Running time is exponential in the number of negatives (up to
    ``k^|N| / k!`` leaves), each node costing at most two small LPs: this is
    the independent cross-check for small instances (Blum–Rivest sets up to
    ``n`` of about 12) in :func:`solvers.experiments.karp.check_reduction`, not an
    exact trainer for large ones.

    References
    ----------
    A. L. Blum and R. L. Rivest, "Training a 3-node neural network is
    NP-complete", Neural Networks 5(1):117-127, 1992.

    Examples
    --------
    >>> ts = TrainingSet.from_points([[1, 0], [0, 1], [0, 0], [1, 1]], [1, 1, 0, 0])
    >>> decide_and_network(ts, 1).status, decide_and_network(ts, 2).status
    (<Status.UNSAT: 'UNSAT'>, <Status.SAT: 'SAT'>)
    """
    start = time.perf_counter()
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidInstanceError(f"the number of hidden units k must be an integer >= 1, got {k!r}")
    k = int(k)
    if time_limit is not None and time_limit < 0:
        raise InvalidInstanceError(f"time_limit must be >= 0, got {time_limit}")
    d, s = training_set.dim, training_set.denominator
    geometry = Geometry([[int(x) for x in row] for row in training_set.numerators], d)
    labels = training_set.labels
    pos = [i for i in range(training_set.num_points) if labels[i] == 1]
    neg = [i for i in range(training_set.num_points) if labels[i] == 0]
    nodes = 0

    def finish(status: Status, **fields: Any) -> AndNetworkDecision:
        return AndNetworkDecision(
            status, fields.pop("network", None), fields.pop("assignment", None), nodes,
            geometry.lp_calls, time.perf_counter() - start, exact_lp_calls=geometry.exact_calls, **fields,
        )

    def tick() -> None:
        if time_limit is not None and time.perf_counter() - start >= time_limit:
            raise _Limit(f"time limit of {time_limit} s reached")
        if node_limit is not None and nodes > node_limit:
            raise _Limit(f"node limit of {node_limit} reached")

    # conflicts[j]: the learned sets of negatives (hull supports) that contain j;
    # core_points: every point in the support of a learned hull intersection.
    conflicts: dict[int, list[frozenset[int]]] = {j: [] for j in neg}
    core_points: set[int] = set()
    cache: dict[frozenset[int], IntSeparator | None] = {}

    def learn(hull: IntHull) -> None:
        members = frozenset(hull.negative)
        for j in members:
            conflicts[j].append(members)
        core_points.update(hull.negative)
        core_points.update(hull.positive)

    def feasible(unit_set: frozenset[int]) -> IntSeparator | None:
        cached = cache.get(unit_set, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = geometry.separate(pos, sorted(unit_set))
        if isinstance(result, IntHull):
            learn(result)
            cache[unit_set] = None
            return None
        cache[unit_set] = result
        return result

    try:
        tick()
        # Pre-check: each negative alone against the positives.
        singles: dict[int, IntSeparator] = {}
        for j in neg:
            tick()
            sep = feasible(frozenset([j]))
            if sep is None:
                return finish(Status.UNSAT, core=tuple(sorted(core_points)))
            singles[j] = sep

        m = len(neg)
        unit_sets: list[set[int]] = [set() for _ in range(k)]
        unit_seps: list[IntSeparator | None] = [None] * k
        counts = [0] * k
        assign = [-1] * m
        next_try = [0] * (m + 1)
        i = 0
        while 0 <= i < m:
            j = neg[i]
            used = sum(1 for c in counts if c)
            limit = min(k, used + 1)
            placed = False
            for u in range(next_try[i], limit):
                nodes += 1
                tick()
                members = unit_sets[u]
                # 1. a learned conflict inside the unit's new set?
                if any(c - {j} <= members for c in conflicts[j]):
                    continue
                # 2. the unit's current separator already rejects j?
                sep = unit_seps[u] if members else singles[j]
                if sep is None or not geometry.check_separator(sep, (), (j,)):
                    sep = feasible(frozenset(members | {j}))
                    if sep is None:
                        continue
                unit_seps[u] = sep
                members.add(j)
                counts[u] += 1
                assign[i] = u
                next_try[i] = u + 1
                placed = True
                break
            if placed:
                i += 1
                if i < m:
                    next_try[i] = 0
                continue
            next_try[i] = 0
            i -= 1
            if i >= 0:
                u = assign[i]
                unit_sets[u].discard(neg[i])
                counts[u] -= 1
                assign[i] = -1
                # The unit's separator stays valid for the smaller set.
        if i < 0:
            return finish(Status.UNSAT, core=tuple(sorted(core_points)))
    except _Limit as exc:
        return finish(Status.UNKNOWN, reason=str(exc))
    except NumericalTroubleError as exc:
        return finish(Status.UNKNOWN, reason=f"numerical trouble: {exc}")

    # SAT: build the network in the original coordinates; a unit with no
    # negatives accepts everything (w = 0, t = -1).
    accept_all = IntSeparator((0,) * d, -1)
    separators = [sep if unit_sets[u] and sep is not None else accept_all for u, sep in enumerate(unit_seps)]
    network = network_from_separators(separators, OutputFunction.named("and", k), s)
    if not fits(network, training_set):
        raise RuntimeError("bug: the network assembled from exactly checked separators does not fit")
    return finish(Status.SAT, network=network, assignment=tuple(assign))


class _HullChain:
    """Hull LPs on shrinking point sets (:meth:`Geometry.hull_chain`), on one warm-started HiGHS model.

    :meth:`without` takes a point away (its column fixed to zero) and
    returns the next exact hull intersection, or ``None`` once the rest is
    separable (or the float LP cannot be certified).  Every answer is
    checked exactly against the points left, like :meth:`Geometry._hull_lp`'s.
    """

    def __init__(self, geometry: "Geometry", pos: Sequence[int], neg: Sequence[int]) -> None:
        from .highs import LPChain

        self.geometry = geometry
        self.pos, self.neg = list(pos), list(neg)
        self.column = {p: c for c, p in enumerate(self.pos + self.neg)}
        self.sides = (set(self.pos), set(self.neg))
        self.left_pos, self.left_neg = set(self.pos), set(self.neg)
        a_eq, b_eq = geometry._hull_system(self.pos, self.neg)
        n = len(self.column)
        self.lp = LPChain(np.zeros(n), A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * n)

    def without(self, point: int) -> IntHull | None:
        (self.left_pos if point in self.left_pos else self.left_neg).remove(point)
        self.lp.fix_zero(self.column[point])
        if not self.left_pos or not self.left_neg:
            return None
        self.geometry.lp_calls += 1
        res = self.lp.solve()
        if res.status != 0 or res.x is None:
            return None
        hull = self.geometry._hull_from(res.x, self.pos, self.neg, self.sides)
        if hull is None or not (set(hull.positive) <= self.left_pos and set(hull.negative) <= self.left_neg):
            return None
        return hull

