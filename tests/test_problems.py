"""Problem types validate themselves; verifiers are exact."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from reductions import (
    CNF,
    Graph,
    Hypergraph,
    InvalidInstanceError,
    NAEFormula,
    OutputFunction,
    ThresholdNetwork,
    TrainingSet,
    WitnessError,
    fits,
    is_coloring,
    is_splitting,
    nae_satisfies,
    satisfies,
)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: CNF(2, [[1, 0]]), "literal 0"),
        (lambda: CNF(2, [[3]]), "out of range"),
        (lambda: CNF(2, [[1.5]]), "must be an integer"),
        (lambda: CNF(-1, []), ">= 0"),
        (lambda: Hypergraph(3, [(0, 3)]), "out of range"),
        (lambda: Hypergraph(3, [()]), "at least 1"),
        (lambda: Hypergraph(3, [(1, 1)]), "repeats a vertex"),
        (lambda: Graph(3, [(1, 1)]), "repeats a vertex"),
        (lambda: Graph(3, [(0, 1, 2)]), "graph edges have 2"),
        (lambda: TrainingSet.from_points([[0.0, float("nan")]], [1]), "finite"),
        (lambda: TrainingSet.from_points([[0, 1]], [2]), "0 or 1"),
        (lambda: TrainingSet.from_points([[0, 1]], [1, 0]), "one label per point"),
        (lambda: TrainingSet(np.zeros((1, 2)), np.ones(1)), "integers"),
        (lambda: ThresholdNetwork.from_numbers([[1, 2], [1]], [0, 0]), "different lengths"),
        (lambda: ThresholdNetwork.from_numbers([[1]], [0, 0]), "thresholds"),
        (lambda: ThresholdNetwork.from_numbers([[1]], [float("inf")]), "finite"),
        (lambda: OutputFunction.named("nand", 2), "unknown output"),
    ],
)
def test_invalid_instances_are_refused(make, message):
    with pytest.raises(InvalidInstanceError, match=message) as info:
        make()
    assert isinstance(info.value, ValueError)


def test_numpy_integers_become_python_ints():
    f = CNF(np.int64(3), [np.array([1, -2, 3])])
    assert all(type(lit) is int for c in f.clauses for lit in c)
    assert type(f.num_vars) is int


def test_satisfies_checks_completeness_and_consistency():
    f = CNF(2, [(1, 2)])
    assert satisfies(f, [1, -2]) and satisfies(f, {1: False, 2: True})
    assert not satisfies(f, [-1, -2])
    with pytest.raises(WitnessError, match="unset"):
        satisfies(f, [1])
    with pytest.raises(WitnessError, match="both true and false"):
        satisfies(f, [1, -1, 2])
    with pytest.raises(WitnessError, match="outside"):
        satisfies(f, [1, 2, 3])


def test_empty_clause_is_unsatisfiable_and_nae_needs_two_values():
    assert not satisfies(CNF(1, [()]), [1])
    nae = NAEFormula(CNF(2, [(1, 2)]))
    assert nae_satisfies(nae, [1, -2]) and not nae_satisfies(nae, [1, 2])
    assert not nae_satisfies(NAEFormula(CNF(1, [(1,)])), [1])


def test_colouring_verifiers():
    h = Hypergraph(4, [(0, 1, 2), (1, 2, 3)])
    assert is_splitting(h, [0, 1, 0, 0])
    assert not is_splitting(h, [1, 1, 1, 0])
    with pytest.raises(WitnessError, match="colour 2"):
        is_splitting(h, [0, 1, 2, 0])
    triangle = Graph(3, [(0, 1), (1, 2), (0, 2)])
    assert is_coloring(triangle, [0, 1, 2], 3) and not is_coloring(triangle, [0, 1, 0], 3)
    with pytest.raises(WitnessError, match="one colour per vertex"):
        is_coloring(triangle, [0, 1], 3)


def test_training_set_is_exact_and_immutable():
    ts = TrainingSet.from_points([[0.1, "1/3"], [1, 2]], [1, 0])
    # 0.1 is taken at its exact binary value, not as 1/10.
    assert ts.point(0)[0] == Fraction(0.1) != Fraction(1, 10)
    assert ts.point(0)[1] == Fraction(1, 3)
    with pytest.raises(ValueError):
        ts.numerators[0, 0] = 5
    assert ts == TrainingSet.from_points([[0.1, "1/3"], [1, 2]], [1, 0])
    assert ts.fingerprint() == TrainingSet.from_points([[0.1, "1/3"], [1, 2]], [1, 0]).fingerprint()


def test_strict_threshold_and_exact_boundary():
    # w·x > t is strict: a point exactly on the plane is rejected.
    net = ThresholdNetwork.from_numbers([["1/3", "1/3", "1/3"]], ["1/3"], "and")
    assert net.classify([[1, 0, 0], [1, 1, 0]]).tolist() == [0, 1]
    # 0.1 + 0.2 > 0.3 in floats, not in exact arithmetic on 1/10, 2/10, 3/10.
    net = ThresholdNetwork.from_numbers([[1, 1]], ["3/10"], "and")
    ts = TrainingSet.from_points([["1/10", "2/10"]], [0])
    assert fits(net, ts)


def test_huge_weights_do_not_overflow():
    big = 10**40
    net = ThresholdNetwork.from_numbers([[big, -big + 1]], [0], "and")
    ts = TrainingSet.from_points([[1, 1], [2**62, 2**62]], [1, 1])
    assert net.classify(ts).tolist() == [1, 1]
    net2 = ThresholdNetwork.from_numbers([[1, -1]], [Fraction(-1, 10**30)], "and")
    assert net2.classify([[3, 3]]).tolist() == [1]


@pytest.mark.parametrize("name, table", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0])])
def test_output_functions(name, table):
    f = OutputFunction.named(name, 2)
    assert [int(f([b & 1, b >> 1])) for b in range(4)] == table


def test_xor_needs_and_of_two_units():
    xor = TrainingSet.from_points([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 1, 0])
    net = ThresholdNetwork.from_numbers([[1, 1], [-1, -1]], ["1/2", "-3/2"], "and")
    assert fits(net, xor)
    assert not fits(ThresholdNetwork.from_numbers([[1, 1]], ["1/2"], "and"), xor)


def test_graph_networkx_round_trip():
    import networkx as nx

    g = Graph.from_networkx(nx.petersen_graph())
    assert (g.num_vertices, g.num_edges) == (10, 15)
    assert Graph.from_networkx(g.to_networkx()) == g
