"""The minimum training error of one threshold unit, exactly, by rotating hyperplanes about data points.

For one unit ``w·x > t`` the minimum-error problem (the *maximum feasible
subsystem* of the point constraints, or the 0-1 loss of a halfspace) is
NP-hard when the dimension ``d`` is part of the input (Johnson & Preparata
1978; Amaldi & Kann 1995), but in fixed dimension it is polynomial: the
dichotomies a hyperplane can cut a finite set into are finitely many, and
every one of them is met next to a hyperplane spanned by ``d`` affinely
independent data points (Johnson & Preparata 1978).  This module searches
all of them, in ``O(n^(d-1) · n log n)`` time, and proves its answer by
exhausting them:

* **Duplicates are weights.**  Equal points become one point with a count
  of each label; classifying it positive costs its negative count.
* **The dual argument.**  In the space of ``(w, t)`` every dichotomy is an
  open cone of the arrangement of the hyperplanes ``w·p = t``; when the
  points span ``R^d`` each cone has an extreme ray, a hyperplane ``H``
  through ``d`` affinely independent points.  Near ``H`` the cone agrees
  with ``H`` off ``H``, and on the points ``T`` lying *on* ``H`` it is a
  dichotomy of ``T`` by a halfspace of ``H``, any of which a small tilt of
  ``H`` realises.  So the minimum is the least, over spanned hyperplanes
  ``H`` and their two orientations, of the cost of the points off ``H``
  plus the minimum for ``T`` alone, a problem of lower affine dimension
  (solved by the same rule; when ``T`` is ``d`` independent points every
  dichotomy of ``T`` is possible and each point takes its cheaper side).
* **Rotation.**  Fix ``d - 1`` independent points, an *axis*; the
  hyperplanes through it form a pencil, parametrised by the direction of
  each point's image in the 2-D quotient of ``R^d`` by the axis.  Sorting
  the directions once gives, by prefix sums, the cost of every hyperplane
  of the pencil on each side.
* **Exact predicates with a floating-point filter.**  Directions are
  computed in floating point with a rigorous bound on their error (every
  term of every sum bounded in absolute value, as in Shewchuk's adaptive
  predicates).  A pencil is used only if its sorted order, its antipodes
  and its distance from the axis are certified by those bounds, so the
  floating-point answer is the exact one.  Any other pencil (near-ties,
  exactly coplanar points, points on the axis) is redone in integer
  arithmetic, ties and recursion included.  The result depends on no
  CPU's rounding or summation order.

The optimum's dichotomy is rebuilt exactly from the winning hyperplane;
the trainer then finds an exact separating unit for it by LP and counts
its errors exactly (:mod:`solvers.exact.trainer`).

References
----------
D. S. Johnson and F. P. Preparata, "The densest hemisphere problem",
Theoretical Computer Science 6(1):93-107, 1978.
E. Amaldi and V. Kann, "The complexity and approximability of finding
maximum feasible subsystems of linear relations", Theoretical Computer
Science 147:181-210, 1995.
J. R. Shewchuk, "Adaptive precision floating-point arithmetic and fast
robust geometric predicates", Discrete & Computational Geometry
18:305-363, 1997.
"""

from __future__ import annotations

import functools
import itertools
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["DEFAULT_WORKERS", "FLOAT_MAX_DIM", "MAX_WORKERS", "PARALLEL_MIN_WORK", "PencilResult", "PencilTimeout", "min_error_halfspace", "pencil_work"]

FLOAT_MAX_DIM = 4
"""The largest (affine) dimension with a floating-point pencil filter; above it every pencil is exact."""

PARALLEL_MIN_WORK = 2e7
"""Sweeps of at least this much :func:`pencil_work` use every core (:func:`_workers`); smaller ones, one."""

MAX_WORKERS = 16
"""The most processes one sweep starts."""

DEFAULT_WORKERS: int | None = None
"""Processes when :func:`min_error_halfspace` is given none: None picks by size (:func:`_workers`)."""

_U = 2.0**-53
_BATCH_ELEMENTS = 1 << 15  # axes x points per vectorised batch: small enough to stay in cache (measured)


class PencilTimeout(Exception):
    """The deadline passed; ``best`` is the best dichotomy found so far (an upper bound only), or None."""

    def __init__(self, best: "PencilResult | None") -> None:
        super().__init__("time limit reached")
        self.best = best


@dataclass(frozen=True)
class PencilResult:
    """The fewest points one threshold unit misclassifies, and a dichotomy attaining it.

    Attributes
    ----------
    errors : int
        The minimum (or, inside :class:`PencilTimeout`, the best found).
    positive : tuple of bool
        For every input point, the side of the optimal dichotomy
        (``True``: the unit fires); duplicates share a side.
    pencils : int
        Axes whose pencil of hyperplanes was swept.
    exact_pencils : int
        Of those, the ones the floating-point filter could not certify,
        redone in integer arithmetic.
    dimension : int
        The affine dimension of the points (the sweep runs there).
    """

    errors: int
    positive: tuple[bool, ...]
    pencils: int
    exact_pencils: int
    dimension: int


def pencil_work(num_unique: int, dim: int) -> float:
    """Points visited by the sweep: pencils ``C(n, d-1)`` times ``n``, the one estimate of its cost."""
    if dim <= 1:
        return float(num_unique)
    return float(math.comb(num_unique, dim - 1)) * num_unique


# ---------------------------------------------------------------------------
# exact integer geometry on small sets
# ---------------------------------------------------------------------------


def _det(rows: Sequence[Sequence[int]]) -> int:
    """Exact determinant of a small integer matrix (Bareiss fraction-free elimination)."""
    a = [list(r) for r in rows]
    n = len(a)
    if n == 0:
        return 1
    sign, prev = 1, 1
    for k in range(n - 1):
        if a[k][k] == 0:
            for i in range(k + 1, n):
                if a[i][k] != 0:
                    a[k], a[i] = a[i], a[k]
                    sign = -sign
                    break
            else:
                return 0
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                a[i][j] = (a[i][j] * a[k][k] - a[i][k] * a[k][j]) // prev
        prev = a[k][k]
    return sign * a[n - 1][n - 1]


def _affine_columns(points: Sequence[Sequence[int]]) -> list[int]:
    """Columns onto which projection is injective on the affine hull of ``points`` (as many as its dimension).

    Fraction-free Gaussian elimination on the differences from the first
    point; the pivot columns of an echelon form of a row space are such
    columns.
    """
    if not points:
        return []
    base = points[0]
    d = len(base)
    echelon: list[tuple[int, list[int]]] = []  # (pivot column, row)
    for p in points[1:]:
        row = [x - b for x, b in zip(p, base)]
        for col, e in echelon:
            if row[col]:
                a, c = e[col], row[col]
                row = [a * x - c * y for x, y in zip(row, e)]
        pivot = next((c for c, x in enumerate(row) if x), None)
        if pivot is not None:
            g = math.gcd(*row)
            echelon.append((pivot, [x // g for x in row]))
            if len(echelon) == d:
                break
    return sorted(col for col, _ in echelon)


def _radon_min(points: list[tuple[int, ...]], wp: list[int], wn: list[int], cols: list[int]) -> tuple[int, list[bool]]:
    """Closed form when ``points`` (``r + 2`` of them, affine rank ``r``) have one affine dependence ``λ``.

    A dichotomy fails exactly when the convex hulls of its sides meet, that
    is (Gordan) when some dependence is ``>= 0`` on one side and ``<= 0`` on
    the other; with one dependence up to scale, the two failing patterns put
    ``{λ > 0}`` on one side and ``{λ < 0}`` on the other (the Radon
    partition).  So every point takes its cheaper side, unless that is a
    failing pattern: then the cheapest single flip inside the partition.
    """
    lifted = [[p[c] for c in cols] + [1] for p in points]
    lam = [(-1) ** i * _det(lifted[:i] + lifted[i + 1:]) for i in range(len(points))]
    sides = [wn[i] < wp[i] for i in range(len(points))]
    cost = sum(min(wp[i], wn[i]) for i in range(len(points)))
    support = [i for i, x in enumerate(lam) if x]
    pattern = {sides[i] == (lam[i] > 0) for i in support}
    if len(pattern) == 1:  # the cheap choice is a Radon pattern: flip the cheapest point of the partition
        i = min(support, key=lambda t: abs(wp[t] - wn[t]))
        sides[i] = not sides[i]
        cost += abs(wp[i] - wn[i])
    return cost, sides


def _sides(points: Sequence[Sequence[int]], spanning: Sequence[int]) -> list[int] | None:
    """Each point's signed side of the hyperplane through ``spanning`` (0: on it), or None if they are dependent."""
    normal = _normal([points[i] for i in spanning])
    if not any(normal):
        return None
    base = points[spanning[0]]
    return [sum(a * (x - b) for a, x, b in zip(normal, p, base)) for p in points]


def _normal(points: Sequence[Sequence[int]]) -> list[int]:
    """Integer normal of the hyperplane through ``d`` points of ``R^d`` (all zero if they are dependent)."""
    base = points[0]
    diffs = [[x - b for x, b in zip(p, base)] for p in points[1:]]
    d = len(base)
    return [(-1) ** c * _det([r[:c] + r[c + 1:] for r in diffs]) for c in range(d)]


class _Expired(Exception):
    """The deadline passed inside the search."""


_REBUILD_S = 0.5
"""After the deadline, the seconds allowed to rebuild the best dichotomy swept so far."""

_BRUTE_MAX = 10
"""Sets of at most this many points are solved by brute force over spanned hyperplanes, larger ones by the sweep."""


class _Context:
    """The deadline, the memo of sub-problems (the points on a hyperplane) and the counters of one search."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.cache: dict[tuple[tuple[tuple[int, ...], ...], tuple[int, ...], tuple[int, ...]], tuple[int, list[bool]]] = {}
        self.pencils = 0
        self.exact = 0
        self.ticks = 0
        self.partial: tuple[list[tuple[int, ...]], tuple[int, ...], int, int] | None = None
        self.workers: int | None = None
        self.progress: Callable[[int, int], None] | None = None  # (pencils swept, pencils in all), top level
        self.report: Callable[[int], None] | None = None  # a worker's running count of its pencils

    def check(self) -> None:
        if self.deadline is not None and time.perf_counter() >= self.deadline:
            raise _Expired

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % 64 == 0:
            self.check()

    def solve(self, points: list[tuple[int, ...]], wp: list[int], wn: list[int]) -> tuple[int, list[bool]]:
        """The minimum and a best dichotomy of a (smaller) weighted set, memoised."""
        key = (tuple(points), tuple(wp), tuple(wn))
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = _minimise(points, wp, wn, self)
        return hit


def _minimise(points: list[tuple[int, ...]], wp: list[int], wn: list[int], ctx: _Context,
              upper: int | None = None, top: bool = False) -> tuple[int, list[bool]]:
    """Minimum weighted error and a best dichotomy of distinct integer points, any dimension and size.

    Projects onto the affine hull first; one affine dependence has a closed
    form (:func:`_radon_min`), small sets are brute-forced, the rest swept.
    """
    m = len(points)
    if m == 0:
        return 0, []
    cols = _affine_columns(points)
    if len(cols) < len(points[0]):
        if not cols:
            return min(sum(wp), sum(wn)), [sum(wn) < sum(wp)] * m
        points = [tuple(p[c] for c in cols) for p in points]
        cols = list(range(len(cols)))
    if m == len(cols) + 2:
        return _radon_min(points, wp, wn, cols)
    if len(cols) <= 1 or m <= _BRUTE_MAX:
        return _brute(points, wp, wn, ctx)
    return _sweep(points, wp, wn, ctx, upper, top)


def _brute(points: list[tuple[int, ...]], wp: list[int], wn: list[int], ctx: _Context) -> tuple[int, list[bool]]:
    """Brute force over the hyperplanes spanned by ``d`` of the points (full-dimensional, small sets; or 1-D)."""
    m = len(points)
    best = (sum(wp), [False] * m)  # every point negative
    if sum(wn) < best[0]:
        best = (sum(wn), [True] * m)
    d = len(points[0])
    if d == 1:
        order = sorted(range(m), key=lambda i: points[i][0])
        # thresholds between distinct values: left part negative (or positive), right part the other
        left_p = left_n = 0
        tot_p, tot_n = sum(wp), sum(wn)
        for pos, i in enumerate(order):
            left_p += wp[i]
            left_n += wn[i]
            if pos + 1 < m and points[order[pos + 1]][0] == points[i][0]:
                continue
            for left_positive in (False, True):
                cost = (left_n + tot_p - left_p) if left_positive else (left_p + tot_n - left_n)
                if cost < best[0]:
                    cut = points[i][0]
                    best = (cost, [(points[j][0] <= cut) == left_positive for j in range(m)])
        return best
    seen: set[frozenset[int]] = set()
    for subset in itertools.combinations(range(m), d):
        ctx.tick()
        side = _sides(points, subset)
        if side is None:
            continue
        on = [i for i in range(m) if side[i] == 0]
        key = frozenset(on)
        if key in seen:
            continue
        seen.add(key)
        got = _side_costs(points, wp, wn, side, on, ctx)
        if got[0] < best[0]:
            best = got
    return best


def _side_costs(points: list[tuple[int, ...]], wp: list[int], wn: list[int], side: list[int], on: list[int],
                ctx: _Context) -> tuple[int, list[bool]]:
    """The better orientation of a hyperplane (signed sides ``side``), the points ``on`` it at their own optimum."""
    if len(on) == len(points[0]):  # d independent points: every dichotomy of them is possible
        sub_cost, sub_side = sum(min(wp[i], wn[i]) for i in on), [wn[i] < wp[i] for i in on]
    else:
        sub_cost, sub_side = ctx.solve([points[i] for i in on], [wp[i] for i in on], [wn[i] for i in on])
    best: tuple[int, list[bool]] | None = None
    for orient in (1, -1):
        cost = sub_cost + sum(wn[i] if s * orient > 0 else wp[i] for i, s in enumerate(side) if s)
        if best is None or cost < best[0]:
            sides = [s * orient > 0 for s in side]
            for i, t in zip(on, sub_side):
                sides[i] = t
            best = (cost, sides)
    assert best is not None
    return best


# ---------------------------------------------------------------------------
# one pencil in integer arithmetic
# ---------------------------------------------------------------------------


def _pencil_frame(points: Sequence[Sequence[int]], axis: Sequence[int]) -> tuple[list[int], list[int]] | None:
    """Two integer functionals vanishing on the axis flat and independent on the quotient, or None (dependent axis)."""
    d = len(points[0])
    base = points[axis[0]]
    rows = [[x - b for x, b in zip(points[a], base)] for a in axis[1:]]

    def unit(j: int) -> list[int]:
        return [1 if c == j else 0 for c in range(d)]

    for j, l in itertools.combinations(range(d), 2):
        if _det(rows + [unit(j), unit(l)]):
            f = [_det(rows + [unit(j), unit(c)]) for c in range(d)]
            g = [_det(rows + [unit(l), unit(c)]) for c in range(d)]
            return f, g
    return None


def _rough_angle(v: tuple[int, int]) -> float:
    """A float angle in [0, 2 pi) for pre-sorting only (the exact comparator has the last word)."""
    shift = max(0, max(abs(v[0]), abs(v[1])).bit_length() - 1000)
    return math.atan2(float(v[1] >> shift), float(v[0] >> shift)) % (2 * math.pi)


def _orientation(points: Sequence[Sequence[int]], axis: Sequence[int], p: int, q: int) -> int:
    """Sign of det[axis[1:] - axis[0], p - axis[0], q - axis[0]] in integers."""
    base = points[axis[0]]
    rows = [[x - b for x, b in zip(points[i], base)] for i in (*axis[1:], p, q)]
    det = _det(rows)
    return (det > 0) - (det < 0)


def _half(v: tuple[int, int]) -> int:
    return 0 if v[1] > 0 or (v[1] == 0 and v[0] > 0) else 1


def _angle_cmp(u: tuple[int, int], v: tuple[int, int]) -> int:
    hu, hv = _half(u), _half(v)
    if hu != hv:
        return hu - hv
    cross = u[0] * v[1] - u[1] * v[0]
    return -1 if cross > 0 else (1 if cross < 0 else 0)


def _exact_pencil(
    points: list[tuple[int, ...]], wp: list[int], wn: list[int], axis: Sequence[int],
    ctx: _Context, bound: int,
) -> tuple[int, int] | None:
    """Best ``(cost, p)`` over the pencil of hyperplanes through ``axis`` and a point ``p``, exactly; None if none."""
    frame = _pencil_frame(points, axis)
    if frame is None:
        return None
    f, g = frame
    base = points[axis[0]]
    vec: dict[int, tuple[int, int]] = {}
    on_flat: list[int] = []
    for i, p in enumerate(points):
        q = [x - b for x, b in zip(p, base)]
        v = (sum(a * x for a, x in zip(f, q)), sum(a * x for a, x in zip(g, q)))
        if v == (0, 0):
            on_flat.append(i)
        else:
            vec[i] = v
    if not vec:
        return None
    # float pre-order, then Timsort with the exact comparator (a nearly sorted list costs ~n comparisons)
    rough = sorted(vec, key=lambda i: _rough_angle(vec[i]))
    order = sorted(rough, key=functools.cmp_to_key(lambda i, j: _angle_cmp(vec[i], vec[j])))
    groups: list[list[int]] = []
    for i in order:
        if groups and _angle_cmp(vec[groups[-1][0]], vec[i]) == 0:
            groups[-1].append(i)
        else:
            groups.append([i])
    gv = [vec[grp[0]] for grp in groups]
    gp = [sum(wp[i] for i in grp) for grp in groups]
    gn = [sum(wn[i] for i in grp) for grp in groups]
    ng = len(groups)
    cum_p = list(itertools.accumulate(gp + gp, initial=0))
    cum_n = list(itertools.accumulate(gn + gn, initial=0))
    tot_p, tot_n = sum(gp), sum(gn)
    flat_min = sum(min(wp[i], wn[i]) for i in on_flat)
    best: tuple[int, int] | None = None
    d = len(base)
    for a in range(ng):
        u = gv[a]
        # the groups strictly inside the half-turn after u: cross(u, v) > 0
        lo, hi = a + 1, a + ng  # search in the doubled sequence
        while lo < hi:
            mid = (lo + hi) // 2
            v = gv[mid % ng]
            if u[0] * v[1] - u[1] * v[0] > 0:
                lo = mid + 1
            else:
                hi = mid
        arc_p, arc_n = cum_p[lo] - cum_p[a + 1], cum_n[lo] - cum_n[a + 1]
        opposite = lo % ng if lo < a + ng else None
        if opposite is not None:
            v = gv[opposite]
            if u[0] * v[1] - u[1] * v[0] != 0:
                opposite = None
        on = on_flat + groups[a] + (groups[opposite] if opposite is not None else [])
        rest_p = tot_p - arc_p - gp[a] - (gp[opposite] if opposite is not None else 0)
        rest_n = tot_n - arc_n - gn[a] - (gn[opposite] if opposite is not None else 0)
        off = min(arc_n + rest_p, arc_p + rest_n)
        if len(on) == d:
            sub = flat_min + sum(min(wp[i], wn[i]) for i in groups[a])
        elif off + sum(min(wp[i], wn[i]) for i in on) >= bound:
            continue  # cannot improve on the bound
        else:
            on.sort()
            sub = ctx.solve([points[i] for i in on], [wp[i] for i in on], [wn[i] for i in on])[0]
        cost = sub + off
        if best is None or cost < best[0]:
            best = (cost, groups[a][0])
    return best


def _dichotomy(points: list[tuple[int, ...]], wp: list[int], wn: list[int], spanning: Sequence[int],
               ctx: _Context) -> tuple[int, list[bool]]:
    """The best dichotomy next to the hyperplane through ``spanning`` (``d`` independent points), exactly."""
    side = _sides(points, spanning)
    if side is None:  # pragma: no cover - swept hyperplanes are spanned by independent points
        raise RuntimeError("bug: the swept hyperplane's points are dependent")
    return _side_costs(points, wp, wn, side, [i for i in range(len(points)) if side[i] == 0], ctx)


# ---------------------------------------------------------------------------
# the vectorised floating-point filter
# ---------------------------------------------------------------------------


def _perm_sign(perm: Sequence[int]) -> int:
    sign, seen = 1, list(perm)
    for i in range(len(seen)):
        while seen[i] != i:
            j = seen[i]
            seen[i], seen[j] = seen[j], seen[i]
            sign = -sign
    return sign


def _minors(E: np.ndarray, cols: tuple[int, ...], absolute: bool) -> np.ndarray:
    """Determinants (or permanents) of ``E[:, :, cols]`` for a batch of (d-2) x (d-2) matrices, d <= 4."""
    if len(cols) == 0:
        return np.ones(E.shape[0])
    if len(cols) == 1:
        x = E[:, 0, cols[0]]
        return np.abs(x) if absolute else x
    a, b = E[:, 0, cols[0]], E[:, 0, cols[1]]
    c, e = E[:, 1, cols[0]], E[:, 1, cols[1]]
    if absolute:
        return np.abs(a * e) + np.abs(b * c)
    return a * e - b * c


_PRIMES = (2147483629, 2147483587, 2147483579, 2147483563, 2147483549, 2147483543, 2147483497, 2147483489,
           2147483477, 2147483423, 2147483399, 2147483353, 2147483323, 2147483269, 2147483249, 2147483237)
"""Primes below 2^31: products of two residues fit in int64, so determinants mod each are exact in numpy."""

_CUT = 0.7390851332151607
"""Angles are measured from this direction, so that tied directions rarely straddle the cut at +-pi."""


def _locate(a_s: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """For each row, the insertion position of each ``beta`` among the sorted angles ``a_s`` (first >= beta).

    One ``searchsorted`` per row: rows are short, and one flat search over
    shifted rows would round the shifts (measured slower, too).
    """
    loc = np.empty(a_s.shape, dtype=np.int64)
    for r in range(a_s.shape[0]):
        loc[r] = np.searchsorted(a_s[r], beta[r])
    return loc


class _FloatPencils:
    """Vectorised sweep of many pencils; returns each pencil's best ``(cost, p)`` or marks it for the exact path.

    Directions are floats with certified error bounds.  Two directions
    closer than their bounds allow are either an exact tie, proved by the
    determinant vanishing modulo primes whose product exceeds its Hadamard
    bound, or send the pencil to the exact path.
    """

    def __init__(self, points: list[tuple[int, ...]], X: np.ndarray, wp: np.ndarray, wn: np.ndarray,
                 sub_cost: "Callable[[tuple[int, ...]], int]") -> None:
        self.points = points
        self.X, self.wp, self.wn = X, wp, wn
        m, d = X.shape
        self.m, self.d = m, d
        self.sub_cost = sub_cost
        self.gamma = 4.0 * (math.factorial(d) + 2 * d) * _U
        # K[j][l] = sign(complement, j, l) * minor(E, complement): one entry per ordered pair
        self.pairs: list[tuple[int, int, tuple[int, ...], int]] = []
        for j in range(d):
            for l in range(d):
                if j != l:
                    comp = tuple(c for c in range(d) if c not in (j, l))
                    self.pairs.append((j, l, comp, _perm_sign(comp + (j, l))))
        self.mins = np.minimum(wp, wn)
        self.packed = wp.astype(np.int64) + (wn.astype(np.int64) << 32)
        # residues for exact tie tests: enough primes to exceed twice the Hadamard bound of any d x d determinant
        span = max(1, max(abs(x) for p in points for x in p)) * 2
        bits = d * (math.log2(span) + 0.5 * math.log2(d)) + 2
        count = int(bits // 30) + 1
        if count > len(_PRIMES):
            self.residues = None
        else:
            self.primes = np.array(_PRIMES[:count], dtype=np.int64)
            self.residues = np.array([[[x % q for x in p] for p in points] for q in _PRIMES[:count]],
                                     dtype=np.int64).reshape(count, len(points), d)

    def _zero(self, axes: np.ndarray, r: np.ndarray, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """For each triple (pencil ``axes[r]``, p, q): is det[axis, p, q] exactly zero?  (Modular arithmetic, exact.)

        Laplace expansion along the last two rows: the axis's minors are
        computed once per pencil and prime, then each pair costs one 2 x 2
        minor per column pair.
        """
        if self.residues is None:
            return np.zeros(len(p), dtype=bool)
        R = self.residues  # (primes, points, d): every prime at once
        prime = self.primes[:, None]
        pencils = np.unique(r)
        where = np.searchsorted(pencils, r)
        P0 = R[:, axes[pencils, 0]]
        E = (R[:, axes[pencils, 1:]] - P0[:, :, None, :]) % self.primes[:, None, None, None]
        base = P0[:, where]
        Qp = (R[:, p] - base) % self.primes[:, None, None]
        Qq = (R[:, q] - base) % self.primes[:, None, None]
        total = np.zeros((len(self.primes), len(p)), dtype=np.int64)
        for j, l, comp, sign in self.pairs:
            if j > l:
                continue  # the (l, j) term is the (j, l) one negated
            if len(comp) == 0:
                minor = np.ones((len(self.primes), len(pencils)), dtype=np.int64)
            elif len(comp) == 1:
                minor = E[:, :, 0, comp[0]]
            else:
                minor = (E[:, :, 0, comp[0]] * E[:, :, 1, comp[1]] - E[:, :, 0, comp[1]] * E[:, :, 1, comp[0]]) % prime
            if sign < 0:
                minor = (prime - minor) % prime
            pq = (Qp[:, :, j] * Qq[:, :, l] - Qp[:, :, l] * Qq[:, :, j]) % prime
            total += minor[:, where] * pq % prime
        return (total % prime == 0).all(axis=0)

    def run(self, axes: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(cost, p, certified)`` per axis (cost and p meaningless where not certified).

        Candidates that cannot cost less than ``bound`` may be reported at
        any cost ``>= bound``: only improvements on it are sought.

        The common case, every direction certified apart from its
        neighbours and from every antipode, is done here in flat arrays;
        pencils with near-ties go to :meth:`_run_ties`.
        """
        d, m = self.d, self.m
        B = axes.shape[0]
        rows = np.arange(B)
        n1 = m - (d - 1)
        order, a_s, d_s, beta, loc, k_sign, ok = self._directions(axes, _CUT)
        if n1 > 1:
            gap = np.empty((B, n1))
            np.subtract(a_s[:, 1:], a_s[:, :-1], out=gap[:, :-1])
            gap[:, -1] = a_s[:, 0] + 2 * math.pi - a_s[:, -1]
            gap -= d_s
            gap[:, :-1] -= d_s[:, 1:]
            gap[:, -1] -= d_s[:, 0]
            tied = (gap <= 0).any(axis=1)
        else:
            tied = np.zeros(B, dtype=bool)
        padded = np.empty((B, n1 + 2))
        padded[:, 0], padded[:, -1], padded[:, 1:-1] = -np.inf, np.inf, a_s
        pflat = loc + (rows * (n1 + 2))[:, None]
        below, above = padded.ravel()[pflat], padded.ravel()[pflat + 1]
        dpad = np.empty((B, n1 + 2))
        dpad[:, 0], dpad[:, -1], dpad[:, 1:-1] = d_s[:, -1], d_s[:, 0], d_s
        # the neighbours of the antipode, with the cyclic wrap folded into the padding
        below = np.where(loc == 0, a_s[:, -1:] - 2 * math.pi, below)
        above = np.where(loc == n1, a_s[:, :1] + 2 * math.pi, above)
        tied |= ((beta - below <= d_s + dpad.ravel()[pflat]) | (above - beta <= d_s + dpad.ravel()[pflat + 1])).any(axis=1)
        # arc sums by one prefix sum of packed weights (positives in the low 32 bits)
        packed = self.packed[order]
        cum = np.cumsum(packed, axis=1)
        total = cum[:, -1:]
        at_loc = np.where(loc > 0, cum.ravel()[np.maximum(loc - 1, 0) + (rows * n1)[:, None]], 0)
        arc = at_loc - cum + np.where(loc <= np.arange(n1)[None, :], total, 0)
        rest = total - arc - packed
        mask = (1 << 32) - 1
        arc_p, arc_n = arc & mask, arc >> 32
        rest_p, rest_n = rest & mask, rest >> 32
        cost = np.minimum(arc_n + rest_p, arc_p + rest_n)
        cost += self.mins[order]
        cost += self.mins[axes].sum(axis=1)[:, None]
        at = cost.argmin(axis=1)
        best_cost, best_p = cost[rows, at], order[rows, at]
        redo = np.flatnonzero(tied & ok)
        if len(redo):
            pre = (order[redo], a_s[redo], d_s[redo], beta[redo], loc[redo], k_sign[redo], ok[redo])
            c2, p2, ok2 = self._run_ties(axes[redo], bound, _CUT, pre)
            best_cost[redo], best_p[redo], ok[redo] = c2, p2, ok2
        return best_cost, best_p, ok

    def _directions(self, axes: np.ndarray, cut: float) -> tuple[np.ndarray, ...]:
        """Sorted directions of a batch of pencils, angles measured from ``cut``.

        Returns ``(order, angles, bounds, antipodes, antipode positions,
        sign K_jl, ok)``: ``ok`` is False where the axis may be dependent, a
        point may lie on the axis's flat, or an antipode's position is not
        confirmed (those pencils go to the exact path).
        """
        X, d, m = self.X, self.d, self.m
        B = axes.shape[0]
        rows = np.arange(B)
        n1 = m - (d - 1)
        P0 = X[axes[:, 0]]
        E = X[axes[:, 1:]] - P0[:, None, :]
        K = np.zeros((B, d, d))
        KA = np.zeros((B, d, d))
        for j, l, comp, sign in self.pairs:
            K[:, j, l] = sign * _minors(E, comp, False)
            KA[:, j, l] = _minors(E, comp, True)
        best = np.abs(K).reshape(B, d * d).argmax(axis=1)
        j, l = best // d, best % d
        ok = np.abs(K[rows, j, l]) > 4 * self.gamma * KA[rows, j, l]
        F, G = K[rows, j, :], K[rows, l, :]
        FA, GA = KA[rows, j, :], KA[rows, l, :]
        Q = X[None, :, :] - P0[:, None, :]
        f = np.einsum("bmd,bd->bm", Q, F)
        g = np.einsum("bmd,bd->bm", Q, G)
        np.abs(Q, out=Q)
        err = np.einsum("bmd,bd->bm", Q, FA + GA)
        err *= self.gamma
        radius = np.hypot(f, g)
        flat_axis = (axes + (rows * m)[:, None]).ravel()
        near = radius <= 2.0 * err
        near.ravel()[flat_axis] = False
        ok &= ~near.any(axis=1)
        radius.ravel()[flat_axis] = 1.0
        delta = err
        with np.errstate(divide="ignore", invalid="ignore"):  # points on the flat: their rows are not ok
            delta /= radius
        delta *= (math.pi / 2) * 1.01
        delta += 1.6e-14
        alpha = np.arctan2(g, f)
        alpha -= cut
        alpha[alpha < -math.pi] += 2 * math.pi
        alpha.ravel()[flat_axis] = 4.0  # the axis points sort last, outside [-pi, pi)
        order = np.argsort(alpha, axis=1)[:, :n1]
        flat = (order + (rows * m)[:, None]).ravel()
        a_s = alpha.ravel()[flat].reshape(B, n1)
        d_s = delta.ravel()[flat].reshape(B, n1)
        beta = np.where(a_s < 0, a_s + math.pi, a_s - math.pi)
        loc = _locate(a_s, beta)
        padded = np.empty((B, n1 + 2))
        padded[:, 0], padded[:, -1], padded[:, 1:-1] = -np.inf, np.inf, a_s
        pflat = loc + (rows * (n1 + 2))[:, None]
        ok &= ((padded.ravel()[pflat] < beta) & (beta <= padded.ravel()[pflat + 1])).all(axis=1)
        return order, a_s, d_s, beta, loc, np.sign(K[rows, j, l]).astype(np.int64), ok

    def _run_ties(self, axes: np.ndarray, bound: int, cut: float = _CUT,
                  pre: tuple[np.ndarray, ...] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pencils with near-ties, each pair resolved exactly; the pencil's points then grouped into tied runs.

        A pair of directions closer than their error bounds is an exact tie
        (the determinant vanishes modulo primes whose product exceeds its
        Hadamard bound) or else its order is settled by the determinant's
        sign in integers.  A tie across the cut is retried with the cut
        elsewhere; anything still unsettled goes to the exact path.
        """
        d, m = self.d, self.m
        B = axes.shape[0]
        rows = np.arange(B)
        n1 = m - (d - 1)  # the points off the axis
        if pre is None:
            order, a_s, d_s, beta, loc, k_sign, ok = self._directions(axes, cut)
        else:  # the fast path's arrays for these rows, same cut
            order, a_s, d_s, beta, loc, k_sign, ok = pre
        nxt = np.roll(np.arange(n1), -1)
        gap = np.empty((B, n1))
        gap[:, :-1] = a_s[:, 1:] - a_s[:, :-1]
        gap[:, -1] = a_s[:, 0] + 2 * math.pi - a_s[:, -1]
        unsure_link = gap <= d_s + d_s[:, nxt]
        if n1 == 1:
            unsure_link[:] = False
        # the antipodes' neighbours (positions from _directions)
        prev_i, next_i = (loc - 1) % n1, loc % n1

        def cyclic(x: np.ndarray) -> np.ndarray:
            return np.abs(np.remainder(x + math.pi, 2 * math.pi) - math.pi)

        row_base = (rows * n1)[:, None]
        a_flat, d_flat = a_s.ravel(), d_s.ravel()
        unsure_prev = cyclic(beta - a_flat[prev_i + row_base]) <= d_s + d_flat[prev_i + row_base]
        unsure_next = cyclic(a_flat[next_i + row_base] - beta) <= d_s + d_flat[next_i + row_base]
        # every unsure pair must be an exact tie, else the pencil goes to the exact path
        tie_link = np.zeros((B, n1), dtype=bool)
        tie_prev = np.zeros((B, n1), dtype=bool)
        tie_next = np.zeros((B, n1), dtype=bool)
        kinds = ((unsure_link, tie_link, np.broadcast_to(nxt, (B, n1)), 1),
                 (unsure_prev, tie_prev, prev_i, 1), (unsure_next, tie_next, next_i, -1))
        found = [np.nonzero(unsure & ok[:, None]) for unsure, _, _, _ in kinds]
        if any(len(r) for r, _ in found):  # one modular test for all three kinds of pair
            r_all = np.concatenate([r for r, _ in found])
            p_all = np.concatenate([order[r, c] for r, c in found])
            q_all = np.concatenate([order[r, np.asarray(other)[r, c]] for (r, c), (_, _, other, _) in zip(found, kinds)])
            z_all = self._zero(axes, r_all, p_all, q_all)
            at = 0
            for (r, c), (_, tie, _, want) in zip(found, kinds):
                z, p, q = z_all[at:at + len(r)], p_all[at:at + len(r)], q_all[at:at + len(r)]
                at += len(r)
                tie[r[z], c[z]] = True
                # not a tie: the float order stands if the exact orientation agrees (cross(v_p, v_q) has sign want)
                for ri, pi, qi in zip(r[~z].tolist(), p[~z].tolist(), q[~z].tolist()):
                    if ok[ri] and _orientation(self.points, axes[ri].tolist(), pi, qi) * k_sign[ri] != want:
                        ok[ri] = False
        if n1 > 1 and tie_link[:, -1].any():
            across = np.flatnonzero(tie_link[:, -1] & ok)
            ok[across] = False  # a tie across the cut: retried once with the cut half a turn away
            if cut == _CUT and len(across):
                c2, p2, ok2 = self._run_ties(axes[across], bound, _CUT + 1.9)
                cost_retry = (across, c2, p2, ok2)
            else:
                cost_retry = None
        else:
            cost_retry = None
        # tied runs of equal directions: each position's run [start, end]
        pos = np.broadcast_to(np.arange(n1), (B, n1))
        new_run = np.ones((B, n1), dtype=bool)
        new_run[:, 1:] = ~tie_link[:, :-1]
        start = np.maximum.accumulate(np.where(new_run, pos, 0), axis=1)
        end_run = np.ones((B, n1), dtype=bool)
        end_run[:, :-1] = ~tie_link[:, :-1]
        end = np.flip(np.minimum.accumulate(np.flip(np.where(end_run, pos, n1), axis=1), axis=1), axis=1)
        # the opposite run, if a neighbour of the antipode is tied with this direction
        has_opp = tie_prev | tie_next
        opp = np.where(tie_prev, prev_i, next_i)
        opp_start = np.take_along_axis(start, opp, axis=1)
        opp_end = np.take_along_axis(end, opp, axis=1)
        # the open half-turn after the run: [end + 1, opposite start or loc), cyclically; sums of the weights
        # (positives in the low 32 bits, negatives above) and of the cheaper sides, by prefix sums over two turns
        packed_s = self.packed[order]
        mins_s = self.mins[order]
        width = 2 * n1 + 1
        cum = np.zeros((B, width), dtype=np.int64)
        np.cumsum(packed_s, axis=1, out=cum[:, 1:n1 + 1])
        cum[:, n1 + 1:] = cum[:, n1:n1 + 1] + cum[:, 1:n1 + 1]
        cmin = np.zeros((B, width), dtype=np.int64)
        np.cumsum(mins_s, axis=1, out=cmin[:, 1:n1 + 1])
        cmin[:, n1 + 1:] = cmin[:, n1:n1 + 1] + cmin[:, 1:n1 + 1]
        base = (rows * width)[:, None]
        a = end + 1
        b = np.where(has_opp, opp_start, loc)
        b = np.where(b < a, b + n1, b)
        oe = np.where(opp_end < opp_start, opp_end + n1, opp_end)

        def span_sum(c: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
            flat = c.ravel()
            return flat[hi + base] - flat[lo + base]

        arc = span_sum(cum, a, b)
        run = span_sum(cum, start, end + 1)
        opp = np.where(has_opp, span_sum(cum, opp_start, oe + 1), 0)
        rest = cum[:, n1:n1 + 1] - arc - run - opp
        mask = (1 << 32) - 1
        cost = np.minimum((arc >> 32) + (rest & mask), (arc & mask) + (rest >> 32))
        axis_min = self.mins[axes].sum(axis=1)[:, None]
        single = (start == end) & ~has_opp
        cost += np.where(single, axis_min + mins_s, 0)
        # runs with ties: the points on the hyperplane get their own exact minimum (one call per run), unless
        # even every point of the run at its cheaper side cannot beat the bound
        big = np.iinfo(np.int64).max // 4
        floor = cost + axis_min + span_sum(cmin, start, end + 1) + np.where(has_opp, span_sum(cmin, opp_start, oe + 1), 0)
        cost = np.where(single, cost, np.where((pos == start) & (floor < bound), cost, big))
        r, c = np.nonzero(~single & (cost < big) & ok[:, None])
        for ri, ci in zip(r.tolist(), c.tolist()):
            on = list(axes[ri].tolist()) + order[ri, start[ri, ci]:end[ri, ci] + 1].tolist()
            if has_opp[ri, ci]:
                s0, e0 = int(opp_start[ri, ci]), int(opp_end[ri, ci])
                idx = range(s0, e0 + 1) if s0 <= e0 else [*range(s0, n1), *range(0, e0 + 1)]
                on += [int(order[ri, t]) for t in idx]
            cost[ri, ci] += self.sub_cost(tuple(sorted(on)))
        at = cost.argmin(axis=1)
        best_cost, best_p = cost[rows, at], order[rows, at]
        if cost_retry is not None:
            across, c2, p2, ok2 = cost_retry
            best_cost[across], best_p[across], ok[across] = c2, p2, ok2
        return best_cost, best_p, ok


# ---------------------------------------------------------------------------
# the entry point
# ---------------------------------------------------------------------------


def _float_copy(points: list[tuple[int, ...]], d: int) -> np.ndarray | None:
    """The points as float64 when every coordinate converts exactly, else None (then every pencil is exact)."""
    try:
        X = np.array(points, dtype=np.float64).reshape(len(points), d)
    except OverflowError:
        return None
    if not np.isfinite(X).all():
        return None
    if any(int(x) != v for row, p in zip(X.tolist(), points) for x, v in zip(row, p)):
        return None
    return X


def _checked_input(numerators: Any, labels: Any) -> tuple[list[tuple[int, ...]], list[int]]:
    """Integer points of one dimension and 0/1 labels, one per point, or one clear error."""
    from reductions.errors import InvalidInstanceError

    raw = list(labels)
    if not all(isinstance(y, (int, float, np.integer, np.floating)) and y in (0, 1) for y in raw):
        raise InvalidInstanceError("labels must be 0 or 1")
    labels = [int(y) for y in raw]
    rows: list[tuple[int, ...]] = []
    for row in numerators:
        values = list(row)
        if not all(isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)) for x in values):
            raise InvalidInstanceError(
                "min_error_halfspace takes integer coordinates; for rationals or floats use "
                "TrainingSet.from_points(X, y).numerators (a common denominator changes no dichotomy)")
        rows.append(tuple(int(x) for x in values))
    if len(rows) != len(labels):
        raise InvalidInstanceError(f"{len(rows)} points but {len(labels)} labels")
    if len({len(r) for r in rows}) > 1:
        raise InvalidInstanceError("every point must have the same number of coordinates")
    return rows, labels


def min_error_halfspace(
    numerators: Sequence[Sequence[int]] | np.ndarray,
    labels: Sequence[int] | np.ndarray,
    *,
    deadline: float | None = None,
    upper: int | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PencilResult:
    """The fewest points one threshold unit ``w·x > t`` misclassifies, with an optimal dichotomy.

    Parameters
    ----------
    numerators : array of int, shape (n, d)
        Exact integer coordinates (a :class:`~reductions.problems.TrainingSet`'s
        numerators: the common denominator changes no dichotomy).
    labels : array of 0/1, shape (n,)
    deadline : float, optional
        A ``time.perf_counter()`` instant; past it :class:`PencilTimeout` is
        raised carrying the best dichotomy swept so far.
    upper : int, optional
        The errors of a known unit (a warm start): the sweep then prunes
        every hyperplane that cannot do at least as well.
    workers : int, optional
        Processes for the sweep; by default every usable core once the
        sweep is large (:data:`PARALLEL_MIN_WORK`), else one.  Workers are
        fresh interpreter processes, so scripts need no ``__main__`` guard.
        The answer is the same for any number.
    progress : callable, optional
        Called now and then with ``(pencils swept, pencils in all)`` of the
        top-level sweep (from the parent process when there are workers).

    Returns
    -------
    PencilResult
        Exact: every pencil is swept either under certified floating-point
        bounds or in integer arithmetic.  The work is ``C(n, d-1)`` pencils
        of ``n`` points each (:func:`pencil_work`), so this is the method
        for low dimension; the trainer decides when to use it.

    References
    ----------
    D. S. Johnson and F. P. Preparata, "The densest hemisphere problem",
    Theoretical Computer Science 6(1):93-107, 1978.

    Examples
    --------
    XOR needs one mistake; three collinear points labelled 1, 0, 1 too.

    >>> min_error_halfspace([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1]).errors
    1
    >>> min_error_halfspace([[0], [1], [2]], [1, 0, 1]).errors
    1
    """
    rows, labels = _checked_input(numerators, labels)
    n = len(labels)
    if n == 0:
        return PencilResult(0, (), 0, 0, 0)
    index: dict[tuple[int, ...], int] = {}
    wp: list[int] = []
    wn: list[int] = []
    of_point: list[int] = []
    for r, y in zip(rows, labels):
        u = index.setdefault(r, len(index))
        if u == len(wp):
            wp.append(0)
            wn.append(0)
        if int(y):
            wp[u] += 1
        else:
            wn[u] += 1
        of_point.append(u)
    unique = list(index)
    ctx = _Context(deadline)
    ctx.workers = DEFAULT_WORKERS if workers is None else workers
    ctx.progress = progress
    try:
        cost, sides = _minimise(unique, wp, wn, ctx, upper, top=True)
    except _Expired:
        best = None
        if ctx.partial is not None:
            pts, span = ctx.partial[:2]
            ctx.deadline = None if deadline is None else time.perf_counter() + _REBUILD_S
            try:
                got, part = _dichotomy(pts, wp, wn, span, ctx)
                best = PencilResult(got, tuple(part[of_point[i]] for i in range(n)), ctx.pencils, ctx.exact,
                                   len(pts[0]))
            except _Expired:
                pass
        raise PencilTimeout(best) from None
    dim = len(_affine_columns(unique))
    return PencilResult(cost, tuple(sides[of_point[i]] for i in range(n)), ctx.pencils, ctx.exact, dim)


def _workers(work: float) -> int:
    """Processes for a top-level sweep of ``work`` (:func:`pencil_work`): the one place this is decided.

    Every core the process may use (at most :data:`MAX_WORKERS`) once the
    sweep is big enough to repay starting them (about 0.3 s each).
    """
    if work < PARALLEL_MIN_WORK:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _sweep(points: list[tuple[int, ...]], wp: list[int], wn: list[int], ctx: _Context, upper: int | None,
           top: bool) -> tuple[int, list[bool]]:
    """Sweep the pencil of every ``d - 1`` of the (full-dimensional, distinct) points.

    ``upper``: only dichotomies of at most this cost are sought (a known
    network's errors).  At the top level the pencils are dealt out in
    blocks to :func:`_workers` processes, and the best hyperplane so far is
    kept in ``ctx.partial`` for an answer when time runs out.  The answer
    does not depend on the number of processes: ties go to the first block.
    """
    m, dim = len(points), len(points[0])
    workers = 1
    if top:
        workers = _workers(pencil_work(m, dim)) if ctx.workers is None else ctx.workers
    if workers > 1:
        found = _sweep_parallel(points, wp, wn, ctx, upper, workers)
    else:
        found = _sweep_blocks(points, wp, wn, ctx, upper, 0, 1, top)
    cost, block, span = found
    trivial = min(sum(wp), sum(wn))
    if span is None:
        if cost != trivial:  # pragma: no cover - a network with ``upper`` errors was given: one exists
            raise RuntimeError(f"bug: the sweep found no dichotomy with at most {upper} errors")
        return trivial, [sum(wn) < sum(wp)] * m
    got, sides = _dichotomy(points, wp, wn, span, ctx)
    if got != cost:  # pragma: no cover - the sweep and the rebuild count the same hyperplane
        raise RuntimeError(f"bug: the sweep counted {cost} errors, the rebuilt dichotomy {got}")
    return got, sides


def _sweep_blocks(points: list[tuple[int, ...]], wp: list[int], wn: list[int], ctx: _Context, upper: int | None,
                  part: int, parts: int, top: bool) -> tuple[int, int, tuple[int, ...] | None]:
    """The blocks ``part, part + parts, ...`` of the pencils: ``(best cost, its block, its hyperplane)``."""
    m, dim = len(points), len(points[0])
    trivial = min(sum(wp), sum(wn))
    best_cost: int = trivial if upper is None else min(trivial, upper + 1)
    best_block, best_span = -1, None
    X = _float_copy(points, dim) if dim <= FLOAT_MAX_DIM else None

    def offer(cost: int, block: int, span: tuple[int, ...]) -> None:
        nonlocal best_cost, best_block, best_span
        if cost < best_cost:
            best_cost, best_block, best_span = cost, block, span
            if top:
                ctx.partial = (points, best_span, best_cost, best_block)

    def sub_cost(on: tuple[int, ...]) -> int:
        return ctx.solve([points[i] for i in on], [wp[i] for i in on], [wn[i] for i in on])[0]

    combos = itertools.combinations(range(m), dim - 1)
    batch = max(1, _BATCH_ELEMENTS // m)
    sweeper = (_FloatPencils(points, X, np.array(wp, dtype=np.int64), np.array(wn, dtype=np.int64), sub_cost)
               if X is not None else None)
    for block in itertools.count():
        ctx.check()
        if block % parts != part:
            if next(itertools.islice(combos, batch - 1, batch), None) is None:
                break
            continue
        chunk = list(itertools.islice(combos, batch))
        if not chunk:
            break
        if top:
            ctx.pencils += len(chunk)
            if ctx.progress is not None:
                ctx.progress(ctx.pencils, math.comb(m, dim - 1))
            if ctx.report is not None:
                ctx.report(ctx.pencils)
        if sweeper is None:
            unsure = range(len(chunk))
        else:
            axes = np.array(chunk, dtype=np.int64).reshape(len(chunk), dim - 1)
            cost, p, ok = sweeper.run(axes, best_cost)
            if ok.any():
                where = np.flatnonzero(ok)
                i = where[cost[where].argmin()]  # the first pencil of the least cost
                offer(int(cost[i]), block, (*chunk[i], int(p[i])))
            unsure = np.flatnonzero(~ok).tolist()
        for i in unsure:
            ctx.exact += 1
            ctx.tick()
            got = _exact_pencil(points, wp, wn, chunk[i], ctx, best_cost)
            if got is not None:
                offer(got[0], block, (*chunk[i], got[1]))
    return best_cost, best_block, best_span


def _part_worker(points: list[tuple[int, ...]], wp: list[int], wn: list[int], upper: int | None,
                 wall_deadline: float | None, part: int, parts: int, count_file: str | None = None) -> tuple[Any, ...]:
    """One process's share of a parallel sweep; on expiry its best so far, flagged.

    ``count_file``: where the running count of swept pencils is written
    (at most every 0.2 s), for the parent's progress report.
    """
    ctx = _Context(None if wall_deadline is None else time.perf_counter() + (wall_deadline - time.time()))
    if count_file is not None:
        last = [0.0]

        def report(done: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 0.2:
                last[0] = now
                with open(count_file, "w") as out:
                    out.write(str(done))

        ctx.report = report
    try:
        cost, block, span = _sweep_blocks(points, wp, wn, ctx, upper, part, parts, True)
        return cost, block, span, ctx.pencils, ctx.exact, False
    except _Expired:
        got = ctx.partial
        cost, block, span = (got[2], got[3], got[1]) if got is not None else (None, -1, None)
        return cost, block, span, ctx.pencils, ctx.exact, True


def _worker_main() -> None:
    """Entry point of a sweep worker process: pickled arguments on stdin, the pickled share on stdout."""
    import pickle
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    args = pickle.load(sys.stdin.buffer)
    pickle.dump(_part_worker(*args), sys.stdout.buffer)
    sys.stdout.buffer.flush()


def _read_count(path: str | None) -> int:
    """A worker's last reported count of swept pencils (0 until it writes one)."""
    if path is None:
        return 0
    try:
        with open(path) as f:
            return int(f.read() or 0)
    except (OSError, ValueError):  # not written yet, or being rewritten
        return 0


def _sweep_parallel(points: list[tuple[int, ...]], wp: list[int], wn: list[int], ctx: _Context, upper: int | None,
                    workers: int) -> tuple[int, int, tuple[int, ...] | None]:
    """Blocks dealt round-robin to ``workers`` spawned processes; the best of theirs, first block on ties."""
    import pickle
    import subprocess
    import sys

    # plain interpreter processes (no re-import of the caller's main module, as spawn would do); perf_counter is
    # per process, so the workers get a wall-clock deadline
    wall = None if ctx.deadline is None else time.time() + (ctx.deadline - time.perf_counter())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    code = "from solvers.exact.pencils import _worker_main; _worker_main()"
    import tempfile
    import threading

    procs: list[subprocess.Popen[bytes]] = []
    outputs: list[bytes] = [b""] * workers
    folder = tempfile.TemporaryDirectory(prefix="trainhard-pencils-") if ctx.progress is not None else None
    counts = [None if folder is None else os.path.join(folder.name, f"{w}.count") for w in range(workers)]
    try:
        for w in range(workers):
            proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            procs.append(proc)
            assert proc.stdin is not None
            proc.stdin.write(pickle.dumps((points, wp, wn, upper, wall, w, workers, counts[w])))
            proc.stdin.close()

        def drain(w: int) -> None:  # each worker's pipe read to the end, so none blocks on a full pipe
            assert procs[w].stdout is not None
            outputs[w] = procs[w].stdout.read()

        readers = [threading.Thread(target=drain, args=(w,), daemon=True) for w in range(workers)]
        for reader in readers:
            reader.start()
        total = math.comb(len(points), len(points[0]) - 1)
        while any(reader.is_alive() for reader in readers):
            for reader in readers:
                reader.join(timeout=0.25)
                if ctx.progress is not None:
                    ctx.progress(sum(_read_count(c) for c in counts), total)
        results = []
        for w, proc in enumerate(procs):
            if proc.wait() != 0 or not outputs[w]:
                raise RuntimeError(f"a sweep worker process failed (exit status {proc.returncode})")
            results.append(pickle.loads(outputs[w]))
    finally:
        for proc in procs:  # also on Ctrl-C: no sweep is left running
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if folder is not None:
            folder.cleanup()
    trivial = min(sum(wp), sum(wn))
    best: tuple[int, int, tuple[int, ...] | None] = (trivial if upper is None else min(trivial, upper + 1), -1, None)
    expired = False
    for cost, block, span, pencils, exact, out in results:
        ctx.pencils += pencils
        ctx.exact += exact
        expired |= out
        if span is not None and (cost, block) < best[:2]:
            best = (cost, block, span)
    if ctx.progress is not None:
        ctx.progress(ctx.pencils, math.comb(len(points), len(points[0]) - 1))
    if expired:
        if best[2] is not None:
            ctx.partial = (points, best[2], best[0], best[1])
        raise _Expired
    return best
