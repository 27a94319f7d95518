"""The exact minimum-error sweep for one unit: against brute force, its own exact path, hitting sets, and time."""

from __future__ import annotations

import itertools
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reductions.strategies import halfspace_cases

from reductions.problems import OutputFunction, ThresholdNetwork, TrainingSet
from solvers.exact import pencils
from solvers.exact.geometry import Separator, separate
from solvers.core.result import Status
from solvers.exact.pencils import PencilTimeout, _brute, _Context, _radon_min, min_error_halfspace
from solvers.exact.trainer import count_errors, train_exact


def _separable(points, labels, keep) -> bool:
    pos = [points[i] for i in keep if labels[i]]
    neg = [points[i] for i in keep if not labels[i]]
    return isinstance(separate(pos, neg), Separator)


def _brute_force(points, labels) -> int:
    """The fewest points whose removal leaves a linearly separable set (exact LPs over all subsets)."""
    n = len(points)
    for k in range(n + 1):
        for out in itertools.combinations(range(n), k):
            if _separable(points, labels, [i for i in range(n) if i not in out]):
                return k
    raise AssertionError("unreachable: the empty set is separable")


def _check_dichotomy(points, labels, result) -> None:
    """The dichotomy returned is realised by a halfspace (exact LP) and costs exactly ``result.errors``."""
    pos = [p for p, s in zip(points, result.positive) if s]
    neg = [p for p, s in zip(points, result.positive) if not s]
    assert isinstance(separate(pos, neg), Separator)
    assert sum(int(s) != y for s, y in zip(result.positive, labels)) == result.errors


@settings(max_examples=60)
@given(halfspace_cases(max_points=8))
def test_the_sweep_equals_brute_force(case):
    points, labels = case
    result = min_error_halfspace(points, labels)
    _check_dichotomy(points, labels, result)
    assert result.errors == _brute_force(points, labels)


@settings(max_examples=40)
@given(halfspace_cases(max_points=24))
def test_the_float_filter_changes_no_answer(case):
    """Every pencil redone in integers (no float copy) gives the same optimum as the filtered sweep."""
    points, labels = case
    fast = min_error_halfspace(points, labels)
    _check_dichotomy(points, labels, fast)
    original = pencils.FLOAT_MAX_DIM
    pencils.FLOAT_MAX_DIM = 0
    try:
        exact = min_error_halfspace(points, labels)
    finally:
        pencils.FLOAT_MAX_DIM = original
    assert exact.errors == fast.errors
    assert exact.pencils == exact.exact_pencils


@settings(max_examples=30)
@given(halfspace_cases(max_points=20, max_dim=3))
def test_the_sweep_agrees_with_the_hitting_set_engine(case):
    from solvers.exact import trainer

    points, labels = case
    ts = TrainingSet.from_points([list(p) for p in points], labels)
    swept = train_exact(ts, 1, min_error=True)
    original = trainer.PENCILS_MAX_WORK
    trainer.PENCILS_MAX_WORK = -1
    try:
        hit = train_exact(ts, 1, min_error=True)
    finally:
        trainer.PENCILS_MAX_WORK = original
    assert swept.status is hit.status is Status.SAT
    assert (swept.stats["engine"], hit.stats["engine"]) == ("pencils", "hitting-sets")
    assert swept.errors == hit.errors == len(count_errors(swept.network, ts))


@settings(max_examples=30)
@given(halfspace_cases(max_points=14), st.fractions(-4, 4).filter(bool), st.integers(-10**6, 10**6))
def test_an_affine_map_changes_no_optimum(case, scale, shift):
    points, labels = case
    moved = [[x * scale + shift for x in p] for p in points]
    ts = TrainingSet.from_points(moved, labels)
    assert min_error_halfspace(ts.numerators, labels).errors == min_error_halfspace(points, labels).errors


@settings(max_examples=30)
@given(halfspace_cases(max_points=14), st.integers(0, 3))
def test_a_known_upper_bound_prunes_but_changes_nothing(case, slack):
    points, labels = case
    best = min_error_halfspace(points, labels)
    pruned = min_error_halfspace(points, labels, upper=best.errors + slack)
    assert pruned.errors == best.errors
    _check_dichotomy(points, labels, pruned)


@settings(max_examples=60)
@given(st.integers(1, 4), st.data())
def test_the_radon_closed_form_equals_brute_force(dim, data):
    """``r + 2`` points of affine rank ``r``: the closed form against brute force over spanned hyperplanes."""
    n = dim + 2
    points = data.draw(st.lists(st.lists(st.integers(-3, 3), min_size=dim, max_size=dim).map(tuple),
                                min_size=n, max_size=n, unique=True))
    from solvers.exact.pencils import _affine_columns

    cols = _affine_columns(points)
    if len(cols) != dim:
        return
    wp = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    wn = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    closed = _radon_min(points, wp, wn, cols)
    assert closed[0] == _brute(points, wp, wn, _Context(None))[0]
    expanded = [p for p, a, b in zip(points, wp, wn) for _ in range(a + b)]
    labels = [y for a, b in zip(wp, wn) for y in [1] * a + [0] * b]
    sides = [s for s, a, b in zip(closed[1], wp, wn) for _ in range(a + b)]
    pos = [p for p, s in zip(expanded, sides) if s]
    neg = [p for p, s in zip(expanded, sides) if not s]
    assert isinstance(separate(pos, neg), Separator)
    assert sum(int(s) != y for s, y in zip(sides, labels)) == closed[0]


def test_known_values_and_edge_cases():
    assert min_error_halfspace([], []).errors == 0
    assert min_error_halfspace([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1]).errors == 1  # XOR
    assert min_error_halfspace([[5, 5]] * 4, [1, 1, 0, 1]).errors == 1  # one point, contradictory labels
    # three collinear points in 3-D labelled 1, 0, 1 cost one error whatever the embedding
    assert min_error_halfspace([[0, 0, 0], [1, 1, 1], [2, 2, 2]], [1, 0, 1]).errors == 1


def test_the_deadline_is_kept_and_the_best_so_far_comes_back():
    rng = np.random.default_rng(7)
    points = rng.integers(-10**6, 10**6, size=(400, 3))
    labels = rng.integers(0, 2, size=400)
    start = time.perf_counter()
    with pytest.raises(PencilTimeout) as stop:
        min_error_halfspace(points, labels, deadline=start + 0.5)
    assert time.perf_counter() - start < 0.5 + 1.0
    best = stop.value.best
    if best is not None:
        _check_dichotomy([tuple(p) for p in points.tolist()], labels.tolist(), best)


def test_the_trainer_uses_the_sweep_for_one_unit_and_keeps_its_bounds_when_time_runs_out():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 3)).round(4)
    y = (X @ [1.0, -2.0, 0.5] + rng.normal(scale=0.8, size=300) > 0).astype(int)
    ts = TrainingSet.from_points(X.tolist(), y.tolist())
    done = train_exact(ts, 1, min_error=True)
    assert done.status is Status.SAT and done.stats["engine"] == "pencils"
    assert done.errors == len(count_errors(done.network, ts)) == done.errors_lower
    # a warm start at the optimum: the pruned sweep proves it
    warm = train_exact(ts, 1, min_error=True, initial=done.network)
    assert warm.errors == done.errors
    late = train_exact(ts, 1, min_error=True, time_limit=0.3)
    assert late.status is Status.UNKNOWN and "pencil sweep" in late.reason
    assert 0 < late.errors_lower <= done.errors  # disjoint cores: a proved lower bound even when the sweep stops
    if late.network is not None:
        assert late.errors_upper == len(count_errors(late.network, ts)) >= done.errors


def test_a_negated_output_is_swept_too():
    ts = TrainingSet.from_points([[0, 0], [1, 0], [0, 1], [1, 1], [2, 2]], [1, 1, 1, 0, 0])
    nand = OutputFunction(1, (True, False), "not")
    got = train_exact(ts, 1, output=nand, min_error=True)
    assert got.stats["engine"] == "pencils" and got.errors == 0
    assert isinstance(got.network, ThresholdNetwork) and not count_errors(got.network, ts)
    assert Fraction(got.network.thresholds[0]) is not None


@settings(max_examples=5)
@given(halfspace_cases(max_points=40, max_dim=3))
def test_worker_processes_give_the_same_answer_and_dichotomy(case):
    """The answer, and the dichotomy (ties go to the first block), do not depend on the number of processes."""
    points, labels = case
    one = min_error_halfspace(points, labels, workers=1)
    two = min_error_halfspace(points, labels, workers=2)
    assert (two.errors, two.positive, two.pencils) == (one.errors, one.positive, one.pencils)


def test_worker_processes_on_a_set_big_enough_to_sweep():
    rng = np.random.default_rng(11)
    points = [tuple(p) for p in rng.integers(-5, 6, size=(70, 3)).tolist()]  # a lattice: ties in most pencils
    labels = (rng.random(70) < 0.5).astype(int).tolist()
    one = min_error_halfspace(points, labels, workers=1)
    two = min_error_halfspace(points, labels, workers=2)
    assert one.pencils > 0 and (two.errors, two.positive, two.pencils) == (one.errors, one.positive, one.pencils)
    _check_dichotomy(points, labels, two)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_every_pencil_once(workers):
    rng = np.random.default_rng(5)
    points = [tuple(p) for p in rng.integers(-10**4, 10**4, size=(120, 3)).tolist()]
    labels = (rng.random(120) < 0.4).astype(int).tolist()
    seen: list[tuple[int, int]] = []
    result = min_error_halfspace(points, labels, workers=workers, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (result.pencils, result.pencils) == (result.pencils, 120 * 119 // 2)
    assert all(total == seen[-1][1] and 0 <= done <= total for done, total in seen)


@pytest.mark.parametrize("points, labels, message", [
    ([[0.5, 1]], [1], "integer coordinates"),
    ([[float("nan"), 1]], [0], "integer coordinates"),
    ([[1, 2]], [2], "0 or 1"),
    ([[1, 2]], [0.5], "0 or 1"),
    ([[1, 2], [1]], [0, 1], "same number of coordinates"),
    ([[1, 2]], [0, 1], "1 points but 2 labels"),
])
def test_bad_input_is_one_clear_error(points, labels, message):
    from reductions.errors import InvalidInstanceError

    with pytest.raises(InvalidInstanceError, match=message):
        min_error_halfspace(points, labels)


@settings(max_examples=30)
@given(halfspace_cases(max_points=30, max_dim=3))
def test_disjoint_cores_bound_the_optimum_from_below(case):
    from solvers.exact.trainer import _disjoint_cores, _Lazy, resolve_output

    points, labels = case
    ts = TrainingSet.from_points([list(p) for p in points], labels)
    lazy = _Lazy(ts, 1, resolve_output("and", 1), None)
    lower = _disjoint_cores(lazy, [int(y) for y in ts.labels], time.perf_counter() + 60)
    assert lower <= min_error_halfspace(points, labels).errors


@settings(max_examples=20)
@given(halfspace_cases(max_points=20, max_dim=4), st.sampled_from([0.0, 1.0, 2.6390851332151607, 5.5]))
def test_every_pencil_priced_from_any_cut_matches_integer_arithmetic(case, cut):
    """The tie path from its own directions (the retry after a tie across the cut) against each pencil in integers."""
    from solvers.exact.pencils import _affine_columns, _exact_pencil, _float_copy, _FloatPencils

    points, labels = case
    unique = sorted(set(points))
    wp = [sum(1 for p, y in zip(points, labels) if p == u and y) for u in unique]
    wn = [sum(1 for p, y in zip(points, labels) if p == u and not y) for u in unique]
    cols = _affine_columns(unique)
    pts = [tuple(p[c] for c in cols) for p in unique]
    if len(cols) < 2 or len(pts) <= len(cols) + 2:
        return
    X = _float_copy(pts, len(cols))
    if X is None:
        return
    ctx = _Context(None)
    pencils = _FloatPencils(pts, X, np.array(wp), np.array(wn),
                            lambda on: ctx.solve([pts[i] for i in on], [wp[i] for i in on], [wn[i] for i in on])[0])
    axes = np.array(list(itertools.combinations(range(len(pts)), len(cols) - 1)), dtype=np.int64)
    big = 10**9
    cost, _, ok = pencils._run_ties(axes, big, cut)
    for row in np.flatnonzero(ok):
        exact = _exact_pencil(pts, wp, wn, tuple(axes[row]), ctx, big)
        assert exact is not None and exact[0] == cost[row]
