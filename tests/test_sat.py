"""Tests of the PySAT deciders: verdicts against brute force, verified witnesses,
model counts, real time limits.

Every backend in :data:`solvers.exact.sat.SOLVERS` gets the same checks.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import threading
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pysat.examples.genhard import PHP
from pysat.formula import IDPool
from pysat.solvers import Solver
from reductions.strategies import cnfs, graphs, hypergraphs, nae_formulas

import solvers.exact.sat as sat
from reductions.errors import InvalidInstanceError
from reductions.problems import (
    CNF,
    Graph,
    Hypergraph,
    NAEFormula,
    TrainingSet,
    is_coloring,
    is_splitting,
    nae_satisfies,
    satisfies,
)
from solvers.core.deadline import START_METHOD
from solvers.exact.encodings import Encoding, encode
from solvers.core.result import Status
from solvers.exact.sat import SOLVERS, count_models, solve, solve_cnf_clauses

BACKENDS = sorted(SOLVERS)

# ---------------------------------------------------------------------------
# brute force
# ---------------------------------------------------------------------------


def models(n: int):
    """Every assignment of ``1..n`` as signed literals."""
    for bits in itertools.product((False, True), repeat=n):
        yield tuple(v if b else -v for v, b in enumerate(bits, 1))


def brute_count(instance, colors=None) -> int:
    """Number of witnesses, by enumeration."""
    if isinstance(instance, CNF):
        return sum(satisfies(instance, m) for m in models(instance.num_vars))
    if isinstance(instance, NAEFormula):
        return sum(nae_satisfies(instance, m) for m in models(instance.num_vars))
    k = 2 if colors is None else colors
    return sum(is_coloring(instance, c, k) for c in itertools.product(range(k), repeat=instance.num_vertices))


def check(result, instance, colors=None) -> None:
    """The verdict agrees with brute force, and a witness verifies."""
    assert result.status is (Status.SAT if brute_count(instance, colors) else Status.UNSAT)
    if result.status is Status.UNSAT:
        assert result.witness is None
        return
    w = result.witness
    if isinstance(instance, CNF):
        assert satisfies(instance, w) and len(w) == instance.num_vars
    elif isinstance(instance, NAEFormula):
        assert nae_satisfies(instance, w) and len(w) == instance.num_vars
    elif colors in (None, 2) and isinstance(instance, Hypergraph):
        assert is_splitting(instance, w)
    else:
        assert is_coloring(instance, w, colors)


# ---------------------------------------------------------------------------
# the registry
# ---------------------------------------------------------------------------


def test_registry_offers_the_documented_backends() -> None:
    expected = {"cadical195", "cadical153", "kissat404", "glucose4", "glucose42", "minisat22", "maplechrono",
                "lingeling"}
    assert expected <= set(SOLVERS)
    assert sat.DEFAULT_SOLVER == "cadical195" in SOLVERS
    assert all(name == backend.name for name, backend in SOLVERS.items())


@pytest.mark.parametrize("name", BACKENDS)
def test_recorded_capabilities_are_true(name: str) -> None:
    backend = SOLVERS[name]
    with Solver(name=name, bootstrap_with=[[1, 2], [-1]]) as s:
        assert s.solve() is True
        if backend.limited:
            assert s.solve_limited() is True
        else:
            with pytest.raises(NotImplementedError):
                s.solve_limited()
        if backend.interruptible:
            s.interrupt()
            s.clear_interrupt()
            assert s.solve_limited(expect_interrupt=True) is True
        else:
            with pytest.raises(NotImplementedError):
                s.interrupt()
        if backend.stats:
            assert {"conflicts", "decisions", "propagations"} <= set(s.accum_stats())
        else:
            with pytest.raises(NotImplementedError):
                s.accum_stats()


# ---------------------------------------------------------------------------
# verdicts against brute force, every backend
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", BACKENDS)
@given(cnfs(max_vars=6))
def test_cnf_verdicts_match_brute_force(name: str, cnf: CNF) -> None:
    check(solve(cnf, solver=name), cnf)


@pytest.mark.parametrize("name", BACKENDS)
@given(nae_formulas(max_vars=6))
def test_nae_verdicts_match_brute_force(name: str, formula: NAEFormula) -> None:
    check(solve(formula, solver=name), formula)


@pytest.mark.parametrize("name", BACKENDS)
@given(hypergraphs(max_vertices=7))
def test_splitting_verdicts_match_brute_force(name: str, h: Hypergraph) -> None:
    check(solve(h, solver=name), h)


@pytest.mark.parametrize("name", BACKENDS)
@given(graphs(max_vertices=6), st.integers(1, 3))
def test_graph_colouring_verdicts_match_brute_force(name: str, g: Graph, k: int) -> None:
    check(solve(g, solver=name, colors=k), g, k)


@given(hypergraphs(max_vertices=6), st.integers(1, 3))
def test_hypergraph_colouring_verdicts_match_brute_force(h: Hypergraph, k: int) -> None:
    check(solve(h, colors=k), h, k)


FANO = Hypergraph(7, [(0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)])


@pytest.mark.parametrize("name", BACKENDS)
def test_time_limited_paths_carry_verdicts_and_models_back(name: str) -> None:
    """The interrupt and child-process paths return what the solver found, intact."""
    h = Hypergraph(5, [(0, 1, 2), (1, 2, 3), (2, 3, 4), (0, 3, 4)])
    check(solve(h, solver=name, time_limit=30), h)
    r = solve(FANO, solver=name, time_limit=30)
    assert r.status is Status.UNSAT and r.witness is None
    assert r.stats["method"] == ("interrupt" if SOLVERS[name].stops_promptly else "child-process")


# ---------------------------------------------------------------------------
# corner cases and errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance", "colors", "status", "witness"),
    [
        (CNF(0, ()), None, Status.SAT, ()),
        (CNF(0, ((),)), None, Status.UNSAT, None),
        (CNF(2, ((1,), ())), None, Status.UNSAT, None),
        (CNF(5, ((1,),)), None, Status.SAT, (1, -2, -3, -4, -5)),  # unseen variables completed
        (NAEFormula(CNF(1, ((1,),))), None, Status.UNSAT, None),  # one literal is never NAE
        (NAEFormula(CNF(2, ((1, -1),))), None, Status.SAT, None),
        (Hypergraph(0, ()), None, Status.SAT, ()),
        (Hypergraph(3, ()), None, Status.SAT, (0, 0, 0)),
        (Hypergraph(3, ((1,),)), None, Status.UNSAT, None),  # an edge of size 1 is never split
        (Hypergraph(3, ((1,),)), 3, Status.UNSAT, None),
        (Graph(0, ()), 1, Status.SAT, ()),
        (Graph(2, ()), 1, Status.SAT, (0, 0)),
        (Graph(2, ((0, 1),)), 1, Status.UNSAT, None),
    ],
)
def test_corner_cases(instance, colors, status, witness) -> None:
    for name in ("cadical195", "glucose4"):
        r = solve(instance, solver=name, colors=colors)
        assert r.status is status
        if witness is not None:
            assert r.witness == witness
        check(r, instance, colors)


def test_graph_needs_colors() -> None:
    with pytest.raises(InvalidInstanceError, match="graph colouring needs colors=K"):
        solve(Graph(2, [(0, 1)]))


@pytest.mark.parametrize("colors", [0, -1, 1.5, True, "3"])
def test_bad_colors(colors) -> None:
    with pytest.raises(InvalidInstanceError):
        solve(Hypergraph(2, [(0, 1)]), colors=colors)


def test_formulas_refuse_colors() -> None:
    with pytest.raises(InvalidInstanceError, match="colors"):
        solve(CNF(1, [(1,)]), colors=3)


def test_unknown_solver_lists_the_choices() -> None:
    with pytest.raises(InvalidInstanceError, match="cadical195") as info:
        solve(CNF(1, [(1,)]), solver="zchaff")
    assert "zchaff" in str(info.value)


@pytest.mark.parametrize("limit", [0, -1.0, math.nan, True, "1"])
def test_bad_time_limits(limit) -> None:
    with pytest.raises(InvalidInstanceError, match="time limit"):
        solve(CNF(1, [(1,)]), time_limit=limit)


def test_training_sets_go_elsewhere() -> None:
    ts = TrainingSet.from_points([[0], [1]], [1, 0])
    with pytest.raises(InvalidInstanceError, match="exact trainer"):
        solve(ts)


def test_unknown_types_are_named() -> None:
    with pytest.raises(InvalidInstanceError, match="list"):
        solve([[1, 2]])


def test_stats() -> None:
    r = solve(Hypergraph(4, [(0, 1, 2), (1, 2, 3)]))
    assert {"pysat_version", "conflicts", "decisions", "propagations", "variables", "clauses", "encode_s",
            "solve_s"} <= set(r.stats)
    assert r.stats["variables"] == 4 and r.stats["clauses"] == 5 and r.solver == "cadical195"
    r = solve(Hypergraph(4, [(0, 1, 2)]), solver="kissat404")  # no counters, the rest is there
    assert r.status is Status.SAT and "variables" in r.stats and "conflicts" not in r.stats


# ---------------------------------------------------------------------------
# witnesses are verified
# ---------------------------------------------------------------------------


class _LyingSolver(Solver):
    """A solver whose models set every variable false: each instance below rejects that."""

    def get_model(self):
        model = super().get_model()
        return None if model is None else [-abs(lit) for lit in model]


@pytest.mark.parametrize(
    ("instance", "colors"),
    [(CNF(2, [(1,), (2,)]), None), (NAEFormula(CNF(2, [(1, 2)])), None), (Hypergraph(3, [(0, 1, 2)]), None),
     (Graph(3, [(0, 1), (1, 2)]), 2), (Graph(3, [(0, 1), (1, 2)]), 3)],
)
def test_a_wrong_model_is_a_bug(monkeypatch: pytest.MonkeyPatch, instance, colors) -> None:
    monkeypatch.setattr(sat, "Solver", _LyingSolver)
    with pytest.raises(RuntimeError, match="verifier"):
        solve(instance, colors=colors)


# ---------------------------------------------------------------------------
# encodings and model counting
# ---------------------------------------------------------------------------


def test_encoding_names_variables() -> None:
    enc = encode(CNF(3, [(1, -3)]))
    assert [enc.pool.id(("x", i)) for i in (1, 2, 3)] == [1, 2, 3] and enc.num_vars == 3
    assert enc.pool.id(("fresh",)) == 4  # the pool goes on numbering after the named block
    enc = encode(Graph(3, [(0, 1)]), colors=3)
    assert enc.pool.obj(enc.pool.id(("c", 2, 1))) == ("c", 2, 1) and enc.num_vars == 9
    true = [enc.pool.id(("c", v, j)) for v, j in ((0, 2), (1, 0), (2, 0))]
    assert enc.decode(true) == (2, 0, 0)


def test_fast_naming_matches_idpool() -> None:
    from solvers.exact.encodings import _name

    keys = [("c", v, j) for v in range(4) for j in range(3)]
    fast, slow = IDPool(), IDPool()
    assert _name(fast, keys) == [slow.id(key) for key in keys]
    assert dict(fast.obj2id) == dict(slow.obj2id) and fast.id2obj == slow.id2obj and fast.top == slow.top


def test_encoding_sizes() -> None:
    h = Hypergraph(5, [(0, 1, 2), (2, 3, 4), (0, 4)])
    assert len(encode(h).clauses) == 2 * 3 + 1
    assert len(encode(h, symmetry_breaking=False).clauses) == 2 * 3
    enc = encode(h, colors=4, symmetry_breaking=False)
    assert enc.num_vars == 20 and len(enc.clauses) == 5 * (1 + 6) + 3 * 4


def test_encoding_refuses_numpy_literals() -> None:
    with pytest.raises(InvalidInstanceError, match="plain Python ints"):
        Encoding(((np.int64(1),),), IDPool(), 1, (1,), lambda true: ())
    with pytest.raises(InvalidInstanceError):
        Encoding(((2,),), IDPool(), 1, (1,), lambda true: ())


def test_numpy_clauses_are_converted() -> None:
    clauses = np.array([[1, 2, -3], [-1, -2, 3], [1, -2, 3], [-1, 2, -3]], dtype=np.int64)
    cnf = CNF(np.int64(3), clauses)
    r = solve(cnf)
    assert r.status is Status.SAT and satisfies(cnf, r.witness)
    assert all(type(lit) is int for clause in encode(cnf).clauses for lit in clause)
    out = solve_cnf_clauses(3, clauses, solver="cadical195")
    assert out.status is Status.SAT and satisfies(cnf, out.model)
    out = solve_cnf_clauses(np.int32(1), list(np.array([[1], [-1]], dtype=np.int32)), solver="glucose4")
    assert out.status is Status.UNSAT and out.model is None


def test_model_counts() -> None:
    triangle = Graph(3, [(0, 1), (1, 2), (0, 2)])
    assert count_models(triangle, colors=3) == 6
    assert count_models(triangle, colors=2) == 0
    assert count_models(Hypergraph(3, [(0, 1, 2)])) == 6  # symmetry breaking would leave 3
    assert count_models(Hypergraph(3, [(0, 1, 2)]), colors=2) == 6
    assert count_models(CNF(0, ())) == 1 and count_models(CNF(0, ((),))) == 0
    assert count_models(CNF(4, [(1, 2)]), limit=5) == 5
    assert count_models(Graph(4, []), colors=3, solver="glucose4") == 81


@given(st.one_of(cnfs(max_vars=5), nae_formulas(max_vars=5), hypergraphs(max_vertices=6)))
def test_model_counts_match_brute_force(instance) -> None:
    assert count_models(instance) == brute_count(instance)


@given(graphs(max_vertices=5, max_edges=6), st.integers(1, 3))
def test_colouring_counts_match_brute_force(g: Graph, k: int) -> None:
    assert count_models(g, colors=k) == brute_count(g, k)


def test_count_models_refuses_kissat() -> None:
    with pytest.raises(InvalidInstanceError, match="incremental"):
        count_models(CNF(1, []), solver="kissat404")


# ---------------------------------------------------------------------------
# time limits really stop the solver
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pigeonhole() -> CNF:
    php = PHP(10)  # 11 pigeons, 10 holes: far beyond 0.5 s of CDCL
    return CNF(php.nv, php.clauses)


@pytest.mark.parametrize("name", ["cadical195", "glucose4", "minisat22"])  # a child; a child (late interrupts); interrupt
def test_time_limit_gives_unknown(pigeonhole: CNF, name: str) -> None:
    threads = threading.active_count()
    start = time.monotonic()
    r = solve(pigeonhole, solver=name, time_limit=0.5)
    elapsed = time.monotonic() - start
    assert r.status is Status.UNKNOWN and r.witness is None
    assert r.stats["method"] == ("interrupt" if SOLVERS[name].stops_promptly else "child-process")
    assert elapsed < 3
    assert multiprocessing.active_children() == []  # the child was reaped
    assert threading.active_count() == threads  # the timer thread is gone


@pytest.mark.skipif(START_METHOD != "fork", reason="monkeypatching reaches the child only with fork")
def test_a_dying_child_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sat, "_solve_here", lambda *args: os._exit(3))
    with pytest.raises(RuntimeError, match="exit code 3"):
        solve(CNF(1, [(1,)]), solver="cadical195", time_limit=10)
    assert multiprocessing.active_children() == []
