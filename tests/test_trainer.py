"""The exact trainer: lazy SAT + LP against the MILP baseline, brute force and the source problems."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st
from reductions.strategies import float_trainer_cases, graphs, hypergraphs, trainer_cases

from reductions import formats
from reductions.blum_rivest import (
    blum_rivest,
    coloring_to_halfspaces,
    recognize_blum_rivest,
)
from reductions.errors import InvalidInstanceError
from reductions.generators import random_uniform_hypergraph
from reductions.problems import Hypergraph, OutputFunction, TrainingSet, fits
from solvers import solve
from solvers import train_exact as exported
from solvers.exact.geometry import HullIntersection, separate
from solvers.core.result import Status
from solvers.exact.trainer import HullConflict, count_errors, train_exact, weight_bound

# ---------------------------------------------------------------------------
# an independent brute force: every dichotomy one unit can realise, then
# every k-tuple of them
# ---------------------------------------------------------------------------


def _dichotomies(ts: TrainingSet) -> list[int]:
    """Bit masks (bit p: the unit fires on point p) of the single-unit dichotomies, via exact `separate`."""
    pts = [ts.point(p) for p in range(ts.num_points)]
    out = []
    for mask in range(2**ts.num_points):
        fire = [pts[p] for p in range(ts.num_points) if mask >> p & 1]
        silent = [pts[p] for p in range(ts.num_points) if not mask >> p & 1]
        if not isinstance(separate(fire, silent), HullIntersection):
            out.append(mask)
    return out


def _brute_min_errors(ts: TrainingSet, k: int, f: OutputFunction) -> int:
    n = ts.num_points
    labels = [int(y) for y in ts.labels]
    best = n
    for units in itertools.product(_dichotomies(ts), repeat=k):
        wrong = 0
        for p in range(n):
            pattern = sum(1 << u for u in range(k) if units[u] >> p & 1)
            wrong += int(f.table[pattern]) != labels[p]
        best = min(best, wrong)
        if best == 0:
            break
    return best


def _check(ts: TrainingSet, result, *, expect: Status | None = None) -> None:
    """Every certificate a result carries, re-checked."""
    if expect is not None:
        assert result.status is expect
    for c in result.conflicts:
        assert c.verify(ts)
    if result.status is Status.SAT and result.errors is None:
        assert fits(result.network, ts)
    if result.status is Status.UNSAT:
        assert result.network is None and result.core


# ---------------------------------------------------------------------------
# agreement
# ---------------------------------------------------------------------------


@given(trainer_cases())
def test_lazy_and_milp_agree(case) -> None:
    ts, k, f = case
    lazy = train_exact(ts, k, output=f)
    milp = train_exact(ts, k, output=f, method="milp")
    assert lazy.status is not Status.UNKNOWN
    _check(ts, lazy)
    _check(ts, milp)
    if milp.status is not Status.UNKNOWN:
        assert lazy.status is milp.status, (lazy, milp)
    if lazy.status is Status.UNSAT:
        # The core alone is untrainable, by the independent MILP (sound weight bound).
        sub = TrainingSet(ts.numerators[list(lazy.core)], ts.labels[list(lazy.core)], ts.denominator, {})
        recheck = train_exact(sub, k, output=f, method="milp")
        assert recheck.status in (Status.UNSAT, Status.UNKNOWN)
        assert recheck.status is Status.UNSAT or "not proven" in recheck.reason
        if lazy.core_minimal:
            for drop in range(len(lazy.core)):
                keep = [p for i, p in enumerate(lazy.core) if i != drop]
                smaller = TrainingSet(ts.numerators[keep], ts.labels[keep], ts.denominator, {})
                assert train_exact(smaller, k, output=f, method="milp").status is Status.SAT


@given(trainer_cases(max_points=5, max_hidden=2))
def test_min_error_matches_brute_force(case) -> None:
    ts, k, f = case
    truth = _brute_min_errors(ts, k, f)
    lazy = train_exact(ts, k, output=f, min_error=True)
    milp = train_exact(ts, k, output=f, method="milp", min_error=True)
    assert lazy.status is Status.SAT and lazy.errors == truth
    assert count_errors(lazy.network, ts) == lazy.misclassified and len(lazy.misclassified) == truth
    if milp.status is Status.SAT:
        assert milp.errors == truth
    consistent = train_exact(ts, k, output=f)
    assert consistent.status is (Status.SAT if truth == 0 else Status.UNSAT)
    _check(ts, lazy)


@given(float_trainer_cases(), st.booleans())
def test_lazy_and_milp_agree_on_float_data(case, min_error: bool) -> None:
    """The MILP takes any data the lazy method takes: it proves what it can, else says UNKNOWN with a network or a reason."""
    ts, k, f = case
    lazy = train_exact(ts, k, output=f, min_error=min_error)
    milp = train_exact(ts, k, output=f, min_error=min_error, method="milp")
    _check(ts, lazy)
    _check(ts, milp)
    if min_error:
        truth = _brute_min_errors(ts, k, f)
        assert lazy.status is Status.SAT and lazy.errors == truth
        # All points wrong is always feasible: the MILP always comes back with a network.
        assert milp.network is not None and count_errors(milp.network, ts) == milp.misclassified
        assert len(milp.misclassified) >= truth
        if milp.status is Status.SAT:
            assert milp.errors == truth
        else:
            assert milp.errors is None and "not proven" in milp.reason, milp.reason
    else:
        assert lazy.status is not Status.UNKNOWN
        if milp.status is Status.UNKNOWN:
            assert "not proven" in milp.reason, milp.reason
        else:
            assert milp.status is lazy.status


def test_milp_min_error_on_float_data() -> None:
    """Reported: 'bug: the min-error MILP is infeasible' on any float data (big-M about 2**55, weights capped at 1)."""
    ts = TrainingSet.from_points([[0.1, 0.2], [0.3, 0.4]], [0, 1])
    for method in ("milp", "lazy"):
        result = train_exact(ts, 1, min_error=True, method=method)
        # No errors at all is optimal whatever the weight bound.
        assert result.status is Status.SAT and result.errors == 0 and fits(result.network, ts), result
    # One decimal point off: XOR of four decimal points; the MILP's heuristic bound proves no optimum.
    xor = TrainingSet.from_points([[0.1, 0.1], [0.7, 0.7], [0.7, 0.1], [0.1, 0.7]], [0, 0, 1, 1])
    milp = train_exact(xor, 1, min_error=True, method="milp")
    assert milp.status is Status.UNKNOWN and milp.errors is None and "not proven" in milp.reason
    assert len(count_errors(milp.network, xor)) == len(milp.misclassified) == milp.stats["errors_upper_bound"] == 1
    assert train_exact(xor, 1, min_error=True).errors == 1
    assert train_exact(xor, 2, method="milp").status is Status.SAT
    unproved = train_exact(xor, 1, method="milp")
    assert unproved.status is Status.UNKNOWN and "not proven" in unproved.reason


def test_milp_model_error_is_not_infeasibility() -> None:
    """HiGHS refuses coefficients near 1e16 ("model error"), which SciPy reports with infeasibility's status 2."""
    ts = TrainingSet.from_points([[0.1, 0.2], [0.3, 0.4]], [0, 1])
    proven = weight_bound(ts, 1)[0]
    result = train_exact(ts, 1, method="milp", weight_bound=proven)
    assert result.status is Status.UNKNOWN and not result.stats["weight_bound_sound"], result
    assert "float-safe" in result.stats["weight_bound_reason"]


@given(trainer_cases(max_points=5, max_hidden=2))
def test_consistency_matches_brute_force(case) -> None:
    ts, k, f = case
    truth = _brute_min_errors(ts, k, f) == 0
    result = train_exact(ts, k, output=f, minimize_core=False)
    assert result.trainable is truth
    _check(ts, result)


@given(hypergraphs(max_vertices=7, max_edges=8), st.integers(1, 3))
def test_blum_rivest_sets_agree_with_colouring(h: Hypergraph, k: int) -> None:
    ts = coloring_to_halfspaces(h, k)
    source = solve(h, colors=k)
    for method in ("lazy", "milp"):
        result = train_exact(ts, method=method)
        assert result.status is source.status, (method, result)
        _check(ts, result)


@given(graphs(max_vertices=6, max_edges=9))
def test_graph_three_colouring_through_halfspaces(g) -> None:
    ts = coloring_to_halfspaces(g, 3)
    assert train_exact(ts).status is solve(g, colors=3).status


@pytest.mark.parametrize("seed", range(4))
def test_near_threshold_blum_rivest_sets(seed: int) -> None:
    h = random_uniform_hypergraph(40, ratio=2.2, seed=seed)
    ts = blum_rivest(h)
    source = solve(h)
    result = train_exact(ts, minimize_core=2.0)
    assert result.status is source.status
    _check(ts, result)
    if result.status is Status.UNSAT:
        # The core, mapped to the source: the edges among the core's points
        # form an unsplittable sub-hypergraph (CaDiCaL decides it).
        sub = recognize_blum_rivest(
            TrainingSet(ts.numerators[list(result.core)], ts.labels[list(result.core)], 1, {})
        )
        if sub is not None:  # the core kept the origin and every e_i it needs
            assert solve(sub).status is Status.UNSAT


def test_hull_conflicts_are_the_hyperedges_on_blum_rivest_sets() -> None:
    """On a Blum–Rivest set each learned conflict is (origin, an edge) against that edge's unit vectors."""
    h = random_uniform_hypergraph(25, ratio=2.0, seed=3)
    ts = blum_rivest(h)
    result = train_exact(ts)
    n = h.num_vertices
    edges = {frozenset(e) for e in h.edges}
    assert result.conflicts
    for c in result.conflicts:
        assert c.verify(ts)
        silent_vertices = frozenset(q - 1 for q in c.silent)
        assert all(1 <= q <= n for q in c.silent)  # only unit vectors are on the silent side
        assert any(e <= silent_vertices for e in edges)


# ---------------------------------------------------------------------------
# hand-made cases
# ---------------------------------------------------------------------------

XOR = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1])


def test_xor() -> None:
    one = train_exact(XOR, 1)
    assert one.status is Status.UNSAT and one.core == (0, 1, 2, 3) and one.core_minimal
    assert train_exact(XOR, 2).status is Status.SAT
    assert train_exact(XOR, 2, output="or").status is Status.SAT
    best = train_exact(XOR, 1, min_error=True)
    assert best.errors == 1 and len(best.misclassified) == 1
    assert best.stats["engine"] == "pencils"
    two = train_exact(XOR, 2, output="xor", min_error=True)
    assert two.errors == 0 and two.stats["engine"] == "rc2"


def test_output_function_that_cannot_fire() -> None:
    never = OutputFunction(2, (False, False, False, False))
    ts = TrainingSet.from_points([[0], [1], [2]], [0, 1, 0])
    result = train_exact(ts, 2, output=never)
    assert result.status is Status.UNSAT and result.core == (1,)
    assert train_exact(ts, 2, output=never, min_error=True).errors == 1


def test_contradictory_duplicates() -> None:
    ts = TrainingSet.from_points([[1, 2], [0, 0], [1, 2]], [1, 0, 0])
    result = train_exact(ts, 3)
    assert result.status is Status.UNSAT and result.core == (0, 2)
    assert train_exact(ts, 3, min_error=True).errors == 1


def test_rational_coordinates() -> None:
    # 1/3 < 1/2 < 2/3 on a line; the middle one negative: two units, AND.
    ts = TrainingSet.from_points([["1/3"], ["1/2"], ["2/3"]], [1, 0, 1])
    assert train_exact(ts, 1).status is Status.UNSAT
    assert train_exact(ts, 2, output="or").status is Status.SAT
    assert train_exact(ts, 2, output="and").status is Status.UNSAT


def test_empty_training_set_fits() -> None:
    ts = TrainingSet.from_points(np.zeros((0, 2), dtype=np.int64), [])
    assert train_exact(ts, 2).status is Status.SAT
    assert train_exact(ts, 2, min_error=True).errors == 0


def test_hull_conflict_rejects_tampering() -> None:
    half = Fraction(1, 2)
    good = HullConflict({0: half, 1: half}, {2: half, 3: half})
    assert good.verify(XOR)
    assert not HullConflict({0: half, 1: half}, {2: Fraction(1), 3: Fraction(0)}).verify(XOR)
    assert not HullConflict({0: Fraction(1)}, {2: Fraction(1)}).verify(XOR)
    assert not HullConflict({0: half, 9: half}, {2: half, 3: half}).verify(XOR)
    assert not HullConflict({0: Fraction(3, 2), 1: -half}, {2: half, 3: half}).verify(XOR)


# ---------------------------------------------------------------------------
# the MILP's weight bound
# ---------------------------------------------------------------------------


def test_weight_bound_blum_rivest_shape() -> None:
    h = Hypergraph(5, [(0, 1, 2), (2, 3, 4)])
    ts = blum_rivest(h)
    assert weight_bound(ts, 2) == (10, weight_bound(ts, 2)[1])
    shuffled = TrainingSet(ts.numerators[::-1], ts.labels[::-1], 1, {})
    assert recognize_blum_rivest(shuffled) == Hypergraph(5, tuple(reversed(h.edges)))
    # OR output: the Blum–Rivest argument does not apply, Hadamard does.
    assert "Hadamard" in weight_bound(ts, 2, "or")[1]


def test_hadamard_bound_is_a_product_of_row_norms() -> None:
    # rows |x|^2 + 2: (0,0) -> 2, (1,1) -> 4, (1,0), (0,1) -> 3; top three: 4*3*3 = 36 -> 6
    assert weight_bound(XOR, 1)[0] == 6


def test_milp_below_the_proven_bound_says_unknown_not_unsat() -> None:
    result = train_exact(XOR, 1, method="milp", weight_bound=1)
    assert result.status is Status.UNKNOWN and "not proven" in result.reason
    assert train_exact(XOR, 1, method="milp").status is Status.UNSAT
    assert train_exact(XOR, 1, method="milp", weight_bound=6).status is Status.UNSAT


def test_milp_needs_large_weights_when_the_data_does() -> None:
    # Separating 0 < 1/1000 needs w >= 1000 at margin 1 in integer coordinates
    # x = 0 and x = 1 (after the common denominator) -- scaled numerators keep it small.
    ts = TrainingSet.from_points([["0"], ["1/1000"], ["2/1000"]], [0, 1, 1])
    assert train_exact(ts, 1, method="milp").status is Status.SAT


# ---------------------------------------------------------------------------
# limits and bad input
# ---------------------------------------------------------------------------


def test_time_limit_gives_unknown() -> None:
    ts = blum_rivest(random_uniform_hypergraph(200, ratio=2.2, seed=0))
    for kwargs in ({}, {"min_error": True}, {"method": "milp", "time_limit": 1.0}):
        result = train_exact(ts, **{"time_limit": 0.05, **kwargs})
        assert result.status is Status.UNKNOWN and "time limit" in result.reason.lower(), result.reason
        assert result.time_s < 10


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"hidden": 0}, "hidden units"),
        ({"hidden": 13}, "hidden units"),
        ({"hidden": 2, "method": "gradient"}, "unknown method"),
        ({"hidden": 2, "weight_bound": 5}, "MILP"),
        ({"hidden": 2, "method": "milp", "weight_bound": 0}, "positive integer"),
        ({"hidden": 2, "output": "nand"}, "unknown output"),
        ({"hidden": 2, "output": OutputFunction.named("and", 3)}, "3 inputs"),
        ({"hidden": 2, "time_limit": -1}, "time limit"),
        ({"hidden": 2, "time_limit": float("nan")}, "time limit"),
        ({"hidden": 2, "solver": "kissat404"}, "incrementally"),
        ({"hidden": 2, "minimize_core": -1.0}, "minimize_core"),
    ],
)
def test_bad_arguments(kwargs, message) -> None:
    with pytest.raises(InvalidInstanceError, match=message):
        train_exact(XOR, **kwargs)


def test_hidden_defaults_to_metadata() -> None:
    ts = blum_rivest(Hypergraph(3, [(0, 1, 2)]))
    assert train_exact(ts).hidden == 2
    with pytest.raises(InvalidInstanceError, match="names no architecture"):
        train_exact(XOR)


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------


def _run(argv):
    return run_cli(*argv)


def test_cli_sat_unsat_and_min_error(tmp_path) -> None:
    path = tmp_path / "xor.npz"
    formats.save_training_set(XOR, path)
    code, out, _ = _run(["train-exact", str(path), "--hidden", "1"])
    assert code == 20 and "s UNSATISFIABLE" in out and "c core 0 1 2 3" in out
    net = tmp_path / "net.json"
    code, out, _ = _run(["train-exact", str(path), "--hidden", "2", "--network-out", str(net)])
    assert code == 10 and "s SATISFIABLE" in out
    assert fits(formats.load_network(net), XOR)
    code, out, _ = _run(["train-exact", str(path), "--hidden", "1", "--min-error"])
    assert code == 10 and "o 1" in out and "s OPTIMUM FOUND" in out
    for method in ("lazy", "milp"):
        code, out, _ = _run(["train-exact", str(path), "--hidden", "1", "--method", method, "--json", "--conflicts"])
        obj = json.loads(out)
        assert code == 20 and obj["status"] == "UNSAT" and obj["method"] == method and obj["core"]
        assert obj["network"] is None and obj["time_s"] >= 0
    code, out, _ = _run(["train-exact", str(path), "--hidden", "1", "--min-error", "--json"])
    obj = json.loads(out)
    assert obj["errors"] == 1 and len(obj["misclassified"]) == 1 and obj["network"]["hidden"]


def test_cli_json_network_round_trips(tmp_path) -> None:
    h = random_uniform_hypergraph(12, ratio=1.5, seed=2)
    ts = blum_rivest(h)
    path = tmp_path / "br.npz"
    formats.save_training_set(ts, path)
    code, out, _ = _run(["train-exact", str(path), "--json", "--output", "and"])
    obj = json.loads(out)
    assert code == 10 and obj["status"] == "SAT"
    assert fits(formats.network_from_json(obj["network"]), ts)


def test_cli_bad_input(tmp_path) -> None:
    code, _, err = _run(["train-exact", str(tmp_path / "missing.npz"), "--hidden", "2"])
    assert code == 2 and err.startswith("error:") and err.count("\n") == 1
    bad = tmp_path / "h.hgr"
    bad.write_text("1 3\n1 2 3\n")
    code, _, err = _run(["train-exact", str(bad), "--hidden", "2"])
    assert code == 2 and "training set" in err
    xor = tmp_path / "xor.npz"
    formats.save_training_set(XOR, xor)
    code, _, err = _run(["train-exact", str(xor), "--hidden", "0"])
    assert code == 2 and "hidden units" in err
    code, _, err = _run(["train-exact", str(xor)])
    assert code == 2 and "names no architecture" in err
    code, _, err = _run(["train-exact", str(xor), "--hidden", "2", "--time-limit", "-3"])
    assert code == 2


def test_cli_truth_table_output(tmp_path) -> None:
    path = tmp_path / "xor.npz"
    formats.save_training_set(XOR, path)
    # 0110 is XOR of two units: fits the XOR data; 0000 never fires.
    code, out, _ = _run(["train-exact", str(path), "--hidden", "2", "--output", "0110", "--json"])
    assert code == 10 and json.loads(out)["output"] == "table"
    code, _, _ = _run(["train-exact", str(path), "--hidden", "2", "--output", "0000"])
    assert code == 20
    code, _, err = _run(["train-exact", str(path), "--hidden", "2", "--output", "011"])
    assert code == 2 and "4 bits" in err
    code, _, err = _run(["train-exact", str(path), "--output", "0110"])
    assert code == 2 and "--hidden" in err


def test_progress_goes_to_stderr(capsys) -> None:
    result = train_exact(XOR, 1, progress=True)
    assert result.status is Status.UNSAT
    captured = capsys.readouterr()
    assert "hull conflicts learned" in captured.err and captured.out == ""


def test_exported_from_solvers() -> None:
    assert exported is train_exact


@given(hypergraphs(max_vertices=6, max_edges=8))
def test_blum_rivest_sets_are_at_most_one_point_from_trainable(h: Hypergraph) -> None:
    """Giving up the origin, one unit (all weights 1, threshold 3/2) fits the rest when edges have >= 2 vertices."""
    from hypothesis import assume

    assume(h.num_vertices >= 1 and all(len(e) >= 2 for e in h.edges))
    ts = blum_rivest(h)
    best = train_exact(ts, min_error=True)
    assert best.errors == (0 if solve(h).status is Status.SAT else 1)
    if best.errors == 1:
        from reductions.problems import ThresholdNetwork

        net = ThresholdNetwork.from_numbers([[1] * h.num_vertices, [0] * h.num_vertices], ["3/2", "-1"], "and")
        assert count_errors(net, ts) == (0,)


def test_cli_core_out_is_untrainable_on_its_own(tmp_path) -> None:
    h = random_uniform_hypergraph(15, ratio=3.0, seed=1)
    ts = blum_rivest(h)
    data, core_file = tmp_path / "br.npz", tmp_path / "core.npz"
    formats.save_training_set(ts, data)
    code, out, _ = _run(["train-exact", str(data), "--core-out", str(core_file), "--json"])
    assert code == 20
    core = formats.load_training_set(core_file)
    assert core.num_points == len(json.loads(out)["core"]) < ts.num_points
    # Independent re-check by the LP-backtracking decider (the MILP's proven
    # bound is too large here: a core need not have the Blum–Rivest shape).
    from solvers.exact.geometry import decide_and_network

    assert decide_and_network(core, core.metadata["hidden_units"]).status is Status.UNSAT
    code, _, _ = _run(["train-exact", str(core_file)])
    assert code == 20
