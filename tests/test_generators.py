"""Generators are seeded, reproducible byte for byte, and planted witnesses verify."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from reductions import InvalidInstanceError, is_splitting, satisfies
from reductions.generators import (
    GENERATORS,
    make_rng,
    planted_hypergraph,
    planted_kcnf,
    random_graph,
    random_kcnf,
    random_uniform_hypergraph,
)


def digest(obj) -> str:
    return hashlib.sha256(repr(obj).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_same_seed_same_instance(name):
    kwargs = {"graph": {"p": 0.3}, "planted-network": {"margin": 0.5}}.get(name, {"ratio": 2.0})
    a = GENERATORS[name](20, seed=7, **kwargs)
    b = GENERATORS[name](20, seed=7, **kwargs)
    c = GENERATORS[name](20, seed=8, **kwargs)
    assert a == b and a != c


def test_generator_object_is_consumed_not_reset():
    rng = np.random.default_rng(3)
    assert random_kcnf(10, m=5, seed=rng) != random_kcnf(10, m=5, seed=rng)


def test_pinned_digests():
    """A change of numpy's stream would change every published instance: notice it."""
    pinned = {
        "hypergraph": digest(random_uniform_hypergraph(30, ratio=2.1, seed=1).edges),
        "cnf": digest(random_kcnf(30, ratio=4.2, seed=1).clauses),
    }
    assert pinned == EXPECTED_DIGESTS


EXPECTED_DIGESTS = {"hypergraph": "f33f1bc2412148ac", "cnf": "b82464d5ea032548"}


@pytest.mark.parametrize("seed", range(10))
def test_planted_witnesses_verify(seed):
    h, sigma = planted_hypergraph(25, ratio=3.0, seed=seed)
    assert h.num_edges == 75 and is_splitting(h, sigma)
    f, model = planted_kcnf(25, ratio=5.0, seed=seed)
    assert f.num_clauses == 125 and satisfies(f, model)


def test_uniform_edges_are_k_subsets():
    h = random_uniform_hypergraph(6, k=4, m=200, seed=0)
    assert all(len(e) == 4 and list(e) == sorted(set(e)) for e in h.edges)
    # every vertex appears: the draw is not stuck on a subset
    assert {v for e in h.edges for v in e} == set(range(6))


def test_graph_generators():
    g = random_graph(10, m=12, seed=1)
    assert g.num_edges == 12 and len(set(g.edges)) == 12
    assert random_graph(10, p=1.0, seed=1).num_edges == 45


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: random_uniform_hypergraph(2, k=3, m=1), "at least k=3"),
        (lambda: random_uniform_hypergraph(5, m=1, ratio=1.0), "exactly one"),
        (lambda: random_uniform_hypergraph(5), "exactly one"),
        (lambda: random_kcnf(5, ratio=float("nan")), "ratio"),
        (lambda: random_graph(4, m=7), "at most 6"),
        (lambda: random_graph(4, p=1.5), r"\[0, 1\]"),
        (lambda: make_rng(-1), ">= 0"),
        (lambda: make_rng("seven"), "seed"),
    ],
)
def test_bad_parameters(call, message):
    with pytest.raises(InvalidInstanceError, match=message):
        call()
