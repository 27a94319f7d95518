"""Tests for :mod:`solvers.exact.geometry`: exact separation certificates and the AND-network decider.

Every certificate is re-checked here with independent exact code, and every
verdict is compared with an independent oracle: the interval rule in one
dimension, a bounded max-margin LP in general, and brute-force colouring on
Blum–Rivest training sets.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reductions.strategies import halfspace_cases, integer_systems

from reductions.errors import InvalidInstanceError, TrainhardError
from reductions.problems import Hypergraph, TrainingSet, fits, is_splitting
from solvers.exact import geometry as halfspaces
from solvers.core.result import Status
from solvers.exact.geometry import (
    AndNetworkDecision,
    HullIntersection,
    NumericalTroubleError,
    Separator,
    decide_and_network,
    separate,
    solve_exact,
)

# ---------------------------------------------------------------------------
# independent exact checkers and oracles
# ---------------------------------------------------------------------------


def _dot(u: Sequence[Fraction], v: Sequence[Fraction]) -> Fraction:
    return sum((Fraction(a) * Fraction(b) for a, b in zip(u, v)), Fraction(0))


def certified_separable(result: object, positives: list, negatives: list) -> bool:
    """Re-check a certificate from scratch; return the verdict it proves."""
    if isinstance(result, Separator):
        assert all(isinstance(w, Fraction) for w in result.weights)
        assert isinstance(result.threshold, Fraction)
        assert all(len(p) == len(result.weights) for p in positives + negatives)
        assert all(_dot(result.weights, p) > result.threshold for p in positives)
        assert all(_dot(result.weights, q) <= result.threshold for q in negatives)
        return True
    assert isinstance(result, HullIntersection)
    lam, mu = result.positive_weights, result.negative_weights
    assert lam and mu
    assert all(v >= 0 for v in lam.values()) and all(v >= 0 for v in mu.values())
    assert sum(lam.values()) == 1 and sum(mu.values()) == 1
    d = len(result.point)
    left = tuple(sum((lam[i] * Fraction(positives[i][r]) for i in lam), Fraction(0)) for r in range(d))
    right = tuple(sum((mu[j] * Fraction(negatives[j][r]) for j in mu), Fraction(0)) for r in range(d))
    assert left == right == result.point
    assert result.verify(positives, negatives)
    return False


def interval_separable(positives: list, negatives: list) -> bool:
    """Strict separability on the line: one side entirely above the other."""
    if not positives or not negatives:
        return True
    p = [Fraction(x[0]) for x in positives]
    q = [Fraction(x[0]) for x in negatives]
    return max(q) < min(p) or max(p) < min(q)


def margin_separable(positives: list, negatives: list) -> bool:
    """A second formulation: maximise the margin with weights in [-1, 1]."""
    if not positives or not negatives:
        return True
    d = len(positives[0])
    if d == 0:
        return False
    yp = np.array([[float(x) for x in p] for p in positives])
    yq = np.array([[float(x) for x in q] for q in negatives])
    # variables w (d), t, delta; maximise delta
    a_ub = np.vstack(
        [
            np.hstack([-yp, np.ones((len(yp), 1)), np.ones((len(yp), 1))]),
            np.hstack([yq, -np.ones((len(yq), 1)), np.zeros((len(yq), 1))]),
        ]
    )
    b_ub = np.zeros(len(yp) + len(yq))
    c = np.zeros(d + 2)
    c[-1] = -1.0
    bounds = [(-1, 1)] * d + [(None, None), (None, 1)]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    assert res.status == 0
    return -res.fun > 1e-7


def colourable(n: int, edges: Sequence[Sequence[int]], k: int) -> bool:
    """Brute force: some colouring with k colours leaves no edge monochromatic."""
    return any(
        all(len({colours[v] for v in e}) > 1 for e in edges) for colours in itertools.product(range(k), repeat=n)
    )


def blum_rivest_set(n: int, edges: Sequence[Sequence[int]]) -> TrainingSet:
    """Blum–Rivest by hand: origin +, unit vectors -, edge indicators +."""
    points = [[0] * n]
    points += [[int(i == v) for i in range(n)] for v in range(n)]
    points += [[int(i in e) for i in range(n)] for e in edges]
    labels = [1] + [0] * n + [1] * len(edges)
    return TrainingSet(np.array(points, dtype=np.int64).reshape(len(points), n), np.array(labels), 1)


def check_decision(ts: TrainingSet, k: int, decision: AndNetworkDecision) -> None:
    """Check a decision's certificates against the training set."""
    assert decision.status in (Status.SAT, Status.UNSAT, Status.UNKNOWN)
    negatives = [i for i in range(ts.num_points) if ts.labels[i] == 0]
    if decision.status is Status.SAT:
        net = decision.network
        assert net is not None and net.hidden_units == k and net.output.name == "and"
        assert fits(net, ts)
        assert decision.assignment is not None and len(decision.assignment) == len(negatives)
        hidden = net.hidden(ts)
        for idx, unit in zip(negatives, decision.assignment):
            assert 0 <= unit < k
            assert hidden[idx, unit] == 0, "the assigned unit must reject its negative"
        positives = [i for i in range(ts.num_points) if ts.labels[i] == 1]
        assert all(hidden[i].all() for i in positives)
    else:
        assert decision.network is None and decision.assignment is None
    if decision.status is Status.UNSAT and decision.core is not None:
        core = list(decision.core)
        assert core == sorted(set(core)) and all(0 <= i < ts.num_points for i in core)
        sub = TrainingSet(ts.numerators[core], ts.labels[core], ts.denominator)
        assert decide_and_network(sub, k).status is Status.UNSAT, "the core alone must be untrainable"


# ---------------------------------------------------------------------------
# strategies (local: small and fast)
# ---------------------------------------------------------------------------


@st.composite
def point_sets(draw: st.DrawFn, *, max_dim: int = 3, max_points: int = 5, coord: st.SearchStrategy | None = None):
    coord = coord if coord is not None else st.integers(-3, 3)
    d = draw(st.integers(0, max_dim))
    point = st.tuples(*([coord] * d))
    positives = draw(st.lists(point, max_size=max_points))
    negatives = draw(st.lists(point, max_size=max_points))
    return positives, negatives


@st.composite
def small_hypergraphs(draw: st.DrawFn, *, max_vertices: int = 6, max_edges: int = 7) -> tuple[int, list]:
    n = draw(st.integers(1, max_vertices))
    if n < 2:
        return n, []
    edge = st.lists(st.integers(0, n - 1), min_size=2, max_size=min(3, n), unique=True).map(tuple)
    return n, draw(st.lists(edge, max_size=max_edges))


# ---------------------------------------------------------------------------
# solve_exact
# ---------------------------------------------------------------------------


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-4, 4), min_size=n, max_size=n), min_size=0, max_size=5),
            st.lists(st.fractions(min_value=-5, max_value=5, max_denominator=7), min_size=n, max_size=n),
        )
    )
)
def test_solve_exact_solves_consistent_systems(case: tuple) -> None:
    rows, x = case
    rhs = [_dot(row, x) for row in rows]
    sol = solve_exact(rows, rhs)
    assert sol is not None
    assert [_dot(row, sol) for row in rows] == rhs


@given(integer_systems())
def test_the_fraction_free_solver_agrees_with_solve_exact(case: tuple) -> None:
    """``_solve_unique_int`` (Bareiss) against ``solve_exact`` (Fractions) and against substitution."""
    rows, rhs = case
    fast, ref = halfspaces._solve_unique_int(rows, rhs), solve_exact(rows, rhs)
    if fast is halfspaces._NOT_UNIQUE:  # a column without a pivot: not full column rank
        assert np.linalg.matrix_rank(np.array(rows, dtype=float)) < len(rows[0]) or len(rows) < len(rows[0])
        return
    assert fast == ref
    if fast is not None:
        assert [_dot(row, fast) for row in rows] == rhs


@given(st.integers(1, 5).flatmap(lambda m: st.lists(
    st.lists(st.integers(-2, 2) | st.floats(-3, 3, allow_nan=False), min_size=4, max_size=4), min_size=m, max_size=m)))
def test_highs_column_arrays_match_scipy_csc(rows: list) -> None:
    from scipy import sparse

    from solvers.exact.highs import _columns

    dense = np.array(rows, dtype=np.float64)
    start, index, value, shape = _columns(dense)
    csc = sparse.csc_matrix(dense)
    csc.eliminate_zeros()
    assert shape == dense.shape and start.tolist() == csc.indptr.tolist()
    assert index.tolist() == csc.indices.tolist() and value.tolist() == csc.data.tolist()


@settings(max_examples=80)
@given(halfspace_cases(max_points=10, max_dim=3), st.randoms(use_true_random=False))
def test_a_hull_chain_gives_exact_intersections_of_the_points_left(case: tuple, rnd) -> None:
    """Taking points away one at a time (warm-started LPs): every hull verifies on what is left, and a
    ``None`` with both sides non-empty is confirmed separable by the independent ``separate``."""
    points, labels = case
    if max(abs(x) for p in points for x in p) >= 2**60:
        return  # the float copy the LPs need does not exist past 2**64 ("huge" family)
    geometry = halfspaces.Geometry([list(p) for p in points], len(points[0]))
    pos = [i for i, y in enumerate(labels) if y]
    neg = [i for i, y in enumerate(labels) if not y]
    chain = geometry.hull_chain(pos, neg)
    small = max(abs(x) for p in points for x in p) <= 1000
    left_pos, left_neg = set(pos), set(neg)
    for drop in rnd.sample(pos + neg, len(pos + neg)):
        (left_pos if drop in left_pos else left_neg).remove(drop)
        hull = chain.without(drop)
        if hull is not None:
            assert set(hull.positive) <= left_pos and set(hull.negative) <= left_neg
            assert geometry.check_hull(hull, sorted(left_pos), sorted(left_neg))
            assert isinstance(separate([points[i] for i in sorted(hull.positive)],
                                       [points[j] for j in sorted(hull.negative)]), HullIntersection)
        elif left_pos and left_neg and small:  # past float precision a missed hull only ends the extraction
            assert isinstance(separate([points[i] for i in sorted(left_pos)], [points[j] for j in sorted(left_neg)]),
                              Separator)


@given(halfspace_cases(max_points=10, max_dim=4),
       st.lists(st.integers(-50, 50), min_size=5, max_size=5), st.integers(-100, 100))
def test_the_lp_coordinates_map_back_exactly(case: tuple, w: list, t: int) -> None:
    """A unit on the LPs' standardised coordinates ``y = (x - c) / s`` and its integer unit on ``x``
    (``Geometry._unmap``) put every point on the same side, in exact arithmetic."""
    points, _ = case
    d = len(points[0])
    geometry = halfspaces.Geometry([list(p) for p in points], d)
    c, sp = geometry.centre, geometry.spread
    assert all(s >= 1 for s in sp)
    sep = geometry._unmap(w[:d], t)
    for p in points:
        y = [Fraction(x - cj, sj) for x, cj, sj in zip(p, c, sp)]
        assert (sum(wj * yj for wj, yj in zip(w, y)) > t) == (sum(a * x for a, x in zip(sep.weights, p)) > sep.threshold)
        if abs(max(p, key=abs)) < 2**50:  # the float copy is the map's value, rounded
            row = geometry.floats[points.index(p)]
            assert all(abs(float(v) - yj) <= 1e-9 * max(1, abs(yj)) for v, yj in zip(row, y))


def test_solve_exact_detects_inconsistency_and_uses_free_values() -> None:
    assert solve_exact([[1, 2], [2, 4]], [1, 3]) is None
    assert solve_exact([[1, 2], [2, 4]], [1, 2]) == [1, 0]
    assert solve_exact([[1, 2], [2, 4]], [1, 2], [0, Fraction(1, 2)]) == [0, Fraction(1, 2)]
    assert solve_exact([[0, 0]], [0]) == [0, 0]
    assert solve_exact([[0, 0]], [1]) is None


# ---------------------------------------------------------------------------
# separate(): known cases
# ---------------------------------------------------------------------------


def test_xor_is_not_separable_and_meets_at_the_centre() -> None:
    positives, negatives = [(0, 0), (1, 1)], [(1, 0), (0, 1)]
    cert = separate(positives, negatives)
    assert isinstance(cert, HullIntersection)
    assert cert.point == (Fraction(1, 2), Fraction(1, 2))
    assert not certified_separable(cert, positives, negatives)


def test_identical_points_need_no_lp() -> None:
    cert = separate([(1, 2), (3, 4)], [(5, 5), (3, 4)])
    assert isinstance(cert, HullIntersection)
    assert cert.positive_weights == {1: 1} and cert.negative_weights == {1: 1}
    assert cert.point == (3, 4)


@pytest.mark.parametrize("d", [0, 1, 3])
def test_empty_sides(d: int) -> None:
    points = [tuple(range(d)), tuple([1] * d)]
    only_pos = separate(points, [])
    assert isinstance(only_pos, Separator) and only_pos.threshold == -1 and not any(only_pos.weights)
    assert certified_separable(only_pos, points, [])
    only_neg = separate([], points)
    assert isinstance(only_neg, Separator) and only_neg.threshold == 0 and not any(only_neg.weights)
    assert certified_separable(only_neg, [], points)
    assert certified_separable(separate([], []), [], [])


def test_dimension_zero() -> None:
    assert isinstance(separate([()], [()]), HullIntersection)
    assert isinstance(separate([(), ()], []), Separator)


def test_one_dimensional_cases() -> None:
    assert certified_separable(separate([(2,), (3,)], [(0,), (1,)]), [(2,), (3,)], [(0,), (1,)])
    assert certified_separable(separate([(-5,)], [(0,), (1,)]), [(-5,)], [(0,), (1,)])
    cert = separate([(0,), (2,)], [(1,)])
    assert isinstance(cert, HullIntersection) and cert.point == (1,)
    # touching is fine on the negative side only: w·q <= t
    assert isinstance(separate([(1,)], [(Fraction(999999, 1000000),)]), Separator)


def test_fractional_and_mismatched_points() -> None:
    pos = [(Fraction(1, 3), Fraction(1, 7))]
    neg = [(Fraction(1, 3), Fraction(1, 8))]
    sep = separate(pos, neg)
    assert certified_separable(sep, pos, neg)
    with pytest.raises(InvalidInstanceError):
        separate([(1, 2)], [(1,)])


def test_certificates_are_hashable() -> None:
    cert = separate([(0, 0), (1, 1)], [(1, 0), (0, 1)])
    assert hash(cert) == hash(separate([(0, 0), (1, 1)], [(1, 0), (0, 1)]))
    assert isinstance(hash(separate([(1,)], [(0,)])), int)


# ---------------------------------------------------------------------------
# separate(): property tests against independent oracles
# ---------------------------------------------------------------------------


@given(point_sets())
def test_separate_certificate_verifies_and_agrees_with_margin_lp(sets: tuple) -> None:
    positives, negatives = sets
    verdict = certified_separable(separate(positives, negatives), positives, negatives)
    assert verdict == margin_separable(positives, negatives)
    if positives and len(positives[0]) == 1:
        assert verdict == interval_separable(positives, negatives)


@given(point_sets(max_dim=1, max_points=6, coord=st.fractions(min_value=-2, max_value=2, max_denominator=4)))
def test_separate_on_the_line_matches_intervals(sets: tuple) -> None:
    positives, negatives = sets
    verdict = certified_separable(separate(positives, negatives), positives, negatives)
    if positives and len(positives[0]) == 1:
        assert verdict == interval_separable(positives, negatives)


@settings(max_examples=40)
@given(point_sets(max_dim=2, max_points=4, coord=st.integers(-(2**120), 2**120) | st.integers(-3, 3)))
def test_separate_on_wild_magnitudes_is_still_exact(sets: tuple) -> None:
    positives, negatives = sets
    certified_separable(separate(positives, negatives), positives, negatives)


@settings(max_examples=40)
@given(point_sets(max_dim=3, max_points=5))
def test_fallbacks_give_valid_certificates(sets: tuple) -> None:
    """Force each fallback in turn: exact tight constraints, then the exact simplex."""
    positives, negatives = sets
    expected = certified_separable(separate(positives, negatives), positives, negatives)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halfspaces, "_DENOMINATORS", ())  # skip rounding: tight constraints solved exactly
        assert certified_separable(separate(positives, negatives), positives, negatives) == expected
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halfspaces.Geometry, "_separator_lp", lambda self, pos, neg: None)
        mp.setattr(halfspaces.Geometry, "_hull_lp", lambda self, pos, neg: None)
        assert certified_separable(separate(positives, negatives), positives, negatives) == expected


def test_numerical_trouble_is_an_error_and_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halfspaces.Geometry, "_separator_lp", lambda self, pos, neg: None)
    monkeypatch.setattr(halfspaces.Geometry, "_hull_lp", lambda self, pos, neg: None)
    monkeypatch.setattr(halfspaces, "_EXACT_SIMPLEX_MAX_ENTRIES", 0)
    with pytest.raises(NumericalTroubleError) as info:
        separate([(0, 0), (1, 1)], [(1, 0), (0, 1)])
    assert isinstance(info.value, TrainhardError)
    ts = TrainingSet.from_points([[1, 0], [0, 1], [0, 0], [1, 1]], [1, 1, 0, 0])
    decision = decide_and_network(ts, 2)
    assert decision.status is Status.UNKNOWN and "numerical" in decision.reason


# ---------------------------------------------------------------------------
# decide_and_network()
# ---------------------------------------------------------------------------

XOR_AND = TrainingSet.from_points([[1, 0], [0, 1], [0, 0], [1, 1]], [1, 1, 0, 0])


def test_xor_needs_two_units() -> None:
    one = decide_and_network(XOR_AND, 1)
    assert one.status is Status.UNSAT and one.core is not None
    check_decision(XOR_AND, 1, one)
    two = decide_and_network(XOR_AND, 2)
    assert two.status is Status.SAT and two.status.value == "SAT"
    check_decision(XOR_AND, 2, two)
    assert sorted(two.assignment) == [0, 1]
    assert two.lp_calls >= 1 and two.nodes >= 2 and two.time_s >= 0


def test_single_inseparable_negative_gives_a_small_core() -> None:
    ts = TrainingSet.from_points([[0, 0], [2, 2], [5, 0], [1, 1]], [1, 1, 0, 0])
    decision = decide_and_network(ts, 3)
    assert decision.status is Status.UNSAT
    assert decision.core == (0, 1, 3)
    check_decision(ts, 3, decision)


def test_trivial_training_sets() -> None:
    only_pos = TrainingSet.from_points([[1, 2], [3, 4]], [1, 1])
    only_neg = TrainingSet.from_points([[1, 2], [3, 4]], [0, 0])
    empty = TrainingSet(np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=np.uint8))
    for ts in (only_pos, only_neg, empty):
        for k in (1, 2):
            decision = decide_and_network(ts, k)
            assert decision.status is Status.SAT
            check_decision(ts, k, decision)
    duplicate = TrainingSet.from_points([[1, 2], [1, 2]], [1, 0])
    decision = decide_and_network(duplicate, 5)
    assert decision.status is Status.UNSAT and decision.core == (0, 1) and decision.lp_calls == 0


@pytest.mark.parametrize("k", [0, -1, True, 1.5])
def test_bad_k(k: object) -> None:
    with pytest.raises(InvalidInstanceError):
        decide_and_network(XOR_AND, k)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "n, edges, k",
    [
        (3, [(0, 1, 2)], 2),  # splittable
        (3, [(0, 1), (1, 2), (0, 2)], 2),  # odd cycle: not 2-colourable
        (3, [(0, 1), (1, 2), (0, 2)], 3),
        (4, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], 3),  # K4
        (4, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], 4),
        (5, list(itertools.combinations(range(5), 3)), 2),  # Fano-like: all triples of 5 points
        (4, [(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3), (0, 1)], 2),
    ],
)
def test_blum_rivest_by_hand(n: int, edges: list, k: int) -> None:
    ts = blum_rivest_set(n, edges)
    decision = decide_and_network(ts, k)
    assert decision.status is (Status.SAT if colourable(n, edges, k) else Status.UNSAT)
    check_decision(ts, k, decision)


@settings(max_examples=60)
@given(small_hypergraphs(), st.integers(1, 3))
def test_blum_rivest_matches_brute_force_colouring(hypergraph: tuple, k: int) -> None:
    n, edges = hypergraph
    ts = blum_rivest_set(n, edges)
    decision = decide_and_network(ts, k)
    assert decision.status is (Status.SAT if colourable(n, edges, k) else Status.UNSAT)
    check_decision(ts, k, decision)
    if decision.status is Status.SAT and k == 2:
        # The rejecting units of the unit vectors are a splitting of the hypergraph.
        assert is_splitting(Hypergraph(n, edges), decision.assignment)


@settings(max_examples=40)
@given(
    small_hypergraphs(max_vertices=5, max_edges=5),
    st.integers(1, 3),
    st.integers(1, 9),
    st.tuples(st.fractions(max_denominator=5), st.fractions(max_denominator=5)),
)
def test_affine_images_keep_the_verdict(hypergraph: tuple, k: int, scale: int, shift: tuple) -> None:
    """Scaling by 1/scale and translating changes no verdict; networks still fit exactly."""
    n, edges = hypergraph
    ts = blum_rivest_set(n, edges)
    offset = [Fraction(shift[i % 2]) for i in range(n)]
    points = [[Fraction(int(x), scale) + o for x, o in zip(row, offset)] for row in ts.numerators]
    moved = TrainingSet.from_points(points, ts.labels) if n else ts
    original = decide_and_network(ts, k)
    decision = decide_and_network(moved, k)
    assert decision.status is original.status
    check_decision(moved, k, decision)


@settings(max_examples=40)
@given(
    st.integers(1, 3).flatmap(
        lambda d: st.lists(
            st.tuples(st.tuples(*[st.integers(-(2**100), 2**100) | st.integers(-2, 2)] * d), st.integers(0, 1)),
            max_size=6,
        )
    ),
    st.integers(1, 2**70),
    st.integers(1, 3),
)
def test_big_integers_are_decided_exactly(rows: list, denominator: int, k: int) -> None:
    if not rows:
        return
    nums = np.array([list(p) for p, _ in rows], dtype=object)
    ts = TrainingSet(nums, np.array([lab for _, lab in rows]), denominator)
    decision = decide_and_network(ts, k)
    assert decision.status is not Status.UNKNOWN
    check_decision(ts, k, decision)


def test_limits_give_unknown() -> None:
    edges = list(itertools.combinations(range(5), 3))  # not 2-colourable
    ts = blum_rivest_set(5, edges)
    assert decide_and_network(ts, 2).status is Status.UNSAT
    by_time = decide_and_network(ts, 2, time_limit=0)
    assert by_time.status is Status.UNKNOWN and by_time.network is None and by_time.core is None
    assert "time" in by_time.reason
    by_nodes = decide_and_network(ts, 2, node_limit=1)
    assert by_nodes.status is Status.UNKNOWN and "node" in by_nodes.reason
    assert by_nodes.nodes <= 2
    with pytest.raises(InvalidInstanceError):
        decide_and_network(ts, 2, time_limit=-1)


def test_search_reuses_separators_and_learns_conflicts() -> None:
    """On a Blum–Rivest set the learned conflicts are the hyperedges; LPs stay few."""
    rng = np.random.default_rng(7)
    n = 8
    edges = [tuple(int(v) for v in rng.choice(n, 3, replace=False)) for _ in range(2 * n)]
    ts = blum_rivest_set(n, edges)
    decision = decide_and_network(ts, 2)
    assert decision.status is (Status.SAT if colourable(n, edges, 2) else Status.UNSAT)
    check_decision(ts, 2, decision)
    assert decision.lp_calls < 2 ** (n - 1)
