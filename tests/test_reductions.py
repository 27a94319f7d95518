"""Conformance suite over the registry: every reduction gets every generic check.

Like scikit-learn's ``parametrize_with_checks``: a new entry in
``REDUCTIONS`` is tested here without writing a test.  Source and target are
decided independently (SAT solver on the source; the LP decider, which trusts
no reduction, on training-set targets), statuses must agree, both witness
maps must produce verified certificates, the output has the documented size,
and the map is deterministic.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

from reductions import CNF, REDUCTIONS, Hypergraph, Kind, WitnessError, kind_of
from reductions.blum_rivest import coloring_to_network, network_to_coloring
from solvers import Status, check_reduction, solve
from reductions.strategies import reduction_cases

EXPECTED = {
    "cnf-to-3cnf",
    "sat-to-nae-sat",
    "nae-sat-to-splitting",
    "splitting-to-blum-rivest",
    "coloring-to-halfspaces",
    "cnf-to-splitting",
    "cnf-to-blum-rivest",
}


def test_registry_holds_the_documented_reductions():
    assert EXPECTED <= set(REDUCTIONS)
    for name, red in REDUCTIONS.items():
        assert red.name == name
        assert red.summary and red.summary != name
        # each reduction's instance map documents its size and cites its source
        doc = red.instance_map.__doc__ or ""
        assert "Composition" in doc or "References" in doc, name


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_conformance(name):
    """Karp-style check on random small sources (Hypothesis), per registered reduction."""
    red = REDUCTIONS[name]

    @settings(max_examples=settings().max_examples)
    @given(reduction_cases(red))
    def check(case):
        source, params = case
        target = red(source, **params)
        assert red(source, **params) == target  # deterministic
        assert kind_of(target, colors=params.get("k")) in (red.target, Kind.SET_SPLITTING, Kind.COLORING)
        report = check_reduction(red, [source], time_limit=20, **params)
        assert report.counts["unknown"] == 0

    check()


def _all_hypergraphs(n, sizes):
    universe = [e for s in sizes for e in itertools.combinations(range(n), s)]
    for r in range(len(universe) + 1):
        for edges in itertools.combinations(universe, r):
            yield Hypergraph(n, edges)


def test_exhaustive_small_hypergraphs_through_blum_rivest():
    """Every hypergraph on <= 3 vertices, and every one on 4 vertices with 3-edges and <= 3 2-edges."""
    instances = [h for n in range(4) for h in _all_hypergraphs(n, (1, 2, 3))]
    instances += [h for h in _all_hypergraphs(4, (2, 3)) if sum(len(e) == 2 for e in h.edges) <= 3]
    report = check_reduction("splitting-to-blum-rivest", instances)
    counts = report.counts
    assert counts["unknown"] == 0 and counts["sat"] > 0 and counts["unsat"] > 0
    assert sum(counts.values()) == len(instances)


def _all_cnfs(n, max_clauses):
    lits = [v * s for v in range(1, n + 1) for s in (1, -1)]
    universe = [(l,) for l in lits] + [c for c in itertools.combinations(lits, 2) if abs(c[0]) != abs(c[1])]
    for r in range(max_clauses + 1):
        for clauses in itertools.combinations(universe, r):
            yield CNF(n, clauses)


def test_exhaustive_small_cnfs_through_the_sat_chain():
    """Every CNF on 2 variables with at most 3 distinct clauses of length 1-2."""
    instances = list(_all_cnfs(2, 3))
    report = check_reduction("cnf-to-splitting", instances)
    assert report.counts["unknown"] == 0 and report.counts["sat"] > 0 and report.counts["unsat"] > 0


def test_exhaustive_tiny_cnfs_all_the_way_to_blum_rivest():
    """Every CNF on 1 variable with at most 2 clauses, decided on the training-set side by LP."""
    instances = list(_all_cnfs(1, 2)) + [CNF(1, [()]), CNF(0, [])]
    report = check_reduction("cnf-to-blum-rivest", instances)
    assert report.counts["unknown"] == 0 and report.counts["sat"] > 0 and report.counts["unsat"] > 0


FANO = Hypergraph(7, [(0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)])


def test_fano_plane_is_not_splittable_nor_its_training_set_trainable():
    """The Fano plane has no 2-colouring (a classic); Blum–Rivest's set is then untrainable."""
    assert solve(FANO).status is Status.UNSAT
    report = check_reduction("splitting-to-blum-rivest", [FANO])
    assert report.checks[0].target_status is Status.UNSAT
    # one edge fewer and it splits
    smaller = Hypergraph(7, FANO.edges[:-1])
    assert check_reduction("splitting-to-blum-rivest", [smaller]).checks[0].target_status is Status.SAT


def test_witness_maps_refuse_wrong_witnesses():
    h = Hypergraph(3, [(0, 1, 2)])
    ts = REDUCTIONS["splitting-to-blum-rivest"](h)
    with pytest.raises(WitnessError):
        coloring_to_network(h, [0, 0, 0], 2)
    net = coloring_to_network(h, [0, 1, 1], 2)
    other = REDUCTIONS["splitting-to-blum-rivest"](Hypergraph(3, [(0, 1, 2), (1, 2)]))
    with pytest.raises(WitnessError, match="does not fit"):
        network_to_coloring(Hypergraph(3, [(0, 1, 2), (1, 2)]), other, net)
    assert network_to_coloring(h, ts, net) == (0, 1, 1)
    with pytest.raises(WitnessError, match="not satisfy"):
        REDUCTIONS["cnf-to-3cnf"].forward(CNF(1, [(1,)]), CNF(3, []), [-1])


def test_parameters_are_validated():
    red = REDUCTIONS["coloring-to-halfspaces"]
    h = Hypergraph(2, [(0, 1)])
    with pytest.raises(ValueError, match="required"):
        red(h)
    with pytest.raises(ValueError, match=">= 1"):
        red(h, k=0)
    with pytest.raises(ValueError, match="takes no parameter"):
        REDUCTIONS["splitting-to-blum-rivest"](h, k=2)
    with pytest.raises(ValueError, match="takes a Hypergraph"):
        REDUCTIONS["splitting-to-blum-rivest"](CNF(1, []))


def test_compose_checks_its_steps():
    from reductions import compose

    with pytest.raises(ValueError, match="cannot chain"):
        compose("bad", REDUCTIONS["splitting-to-blum-rivest"], REDUCTIONS["cnf-to-3cnf"])
    import dataclasses

    from reductions import Parameter

    with_k = dataclasses.replace(REDUCTIONS["splitting-to-blum-rivest"], parameters=(Parameter("k", int, "k"),))
    with pytest.raises(ValueError, match="no parameters"):
        compose("bad", REDUCTIONS["cnf-to-splitting"], with_k)
    chained = compose("x", REDUCTIONS["cnf-to-3cnf"], REDUCTIONS["sat-to-nae-sat"])
    f = CNF(4, [(1, 2, 3, 4), (-1,)])
    assert chained(f) == REDUCTIONS["sat-to-nae-sat"](REDUCTIONS["cnf-to-3cnf"](f))
