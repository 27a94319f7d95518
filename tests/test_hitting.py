"""The implicit-hitting-set search: optimum and bounds against brute force, on abstract oracles."""

from __future__ import annotations

import itertools
import time

import pytest
from hypothesis import given
from reductions.strategies import set_families

from solvers.exact.hitting import Checked, HittingSetSearch, MinimumHittingSet, SearchTimeout


def brute_minimum(n: int, sets: list[frozenset[int]]) -> int:
    for size in range(n + 1):
        for chosen in itertools.combinations(range(n), size):
            if all(s & set(chosen) for s in sets):
                return size
    raise AssertionError("unreachable: all points hit every non-empty set")


def oracle(n: int, sets: list[frozenset[int]], calls: list[list[int]]):
    """Points are 'trainable' unless they contain a forbidden set; the 'network' errs exactly on the rest."""

    def check(active: list[int]) -> Checked[frozenset[int]]:
        calls.append(active)
        a = set(active)
        for s in sets:
            if s <= a:
                return Checked(core=tuple(sorted(s)))
        return Checked(network=frozenset(a), errors=n - len(a))

    return check


@given(set_families())
def test_search_finds_the_minimum_hitting_set(case):
    n, sets = case
    seen: list[tuple[int, int]] = []
    search = HittingSetSearch(n, oracle(n, sets, []), on_bounds=lambda lo, up: seen.append((lo, up)))
    assert search.run()
    best = brute_minimum(n, sets)
    assert search.lower == search.upper == best
    assert all(not s <= search.network for s in sets) and n - len(search.network) == best
    # the bounds only ever tighten, and always bracket the optimum
    assert all(lo <= best <= up for lo, up in seen)
    assert [lo for lo, _ in seen] == sorted(lo for lo, _ in seen)
    assert [up for _, up in seen] == sorted((up for _, up in seen), reverse=True)


@given(set_families(max_points=8))
def test_minimum_hitting_set_model_is_exact(case):
    n, sets = case
    model = MinimumHittingSet(n)
    for s in sets:
        model.add(s)
    chosen, size = model.minimum(None)
    assert size == len(chosen) == brute_minimum(n, sets)
    assert all(s & chosen for s in sets)
    greedy = model.greedy()
    assert all(s & greedy for s in sets) and len(greedy) >= size


def test_a_warm_start_is_an_upper_bound_and_changes_no_optimum():
    n, sets = 6, [frozenset({0, 1}), frozenset({2, 3}), frozenset({1, 2})]
    search = HittingSetSearch(n, oracle(n, sets, []))
    search.offer(frozenset({0, 2, 4, 5}), 2)
    assert search.upper == 2 and search.lower == 0
    assert search.run() and search.lower == search.upper == brute_minimum(n, sets) == 2


def test_time_out_keeps_both_bounds():
    n, sets = 12, [frozenset({i, (i + 1) % 12}) for i in range(12)]

    def slow(active: list[int]) -> Checked[frozenset[int]]:
        time.sleep(0.02)
        return oracle(n, sets, [])(active)

    search = HittingSetSearch(n, slow, deadline=time.perf_counter() + 0.1)
    with pytest.raises(SearchTimeout):
        search.run()
    assert 0 <= search.lower <= brute_minimum(n, sets) <= search.upper <= n


def test_an_empty_core_is_refused():
    with pytest.raises(ValueError, match="empty core"):
        MinimumHittingSet(3).add([])
