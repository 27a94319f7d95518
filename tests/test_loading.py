"""Judd's loading problem: types, verifier, the SAT encoding, RC2, the reduction, files and CLI.

Every solver verdict is checked against something independent: SAT witnesses
by the public verifier, UNSAT and optima by brute force over all
configurations on tiny architectures, the reduction by deciding the source
formula with a SAT solver (Karp-style), optima by a second solver.
"""

from __future__ import annotations

import itertools
import json
import os

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import given, settings
from pysat.solvers import Solver
from reductions.strategies import cnfs, loading_instances

from reductions import CNF, Kind, WitnessError, formats, kind_of, satisfies, verify
from reductions.errors import FormatError, InvalidInstanceError
from reductions.generators import random_kcnf
from reductions.judd import (
    cnf_to_loading,
    cnf_to_loading_backward,
    cnf_to_loading_forward,
    cnf_to_loading_two_thirds,
    loading_size,
    two_thirds_backward,
)
from reductions.loading import (
    AndOrFunction,
    Architecture,
    Configuration,
    Family,
    LoadingInstance,
    Node,
    TableFunction,
    Task,
    ThresholdFunction,
    as_family,
    configuration_from_json,
    configuration_from_weights,
    configuration_to_json,
    correct_pairs,
    family_functions,
    format_loading,
    in_family,
    load_loading,
    loads,
    num_correct,
    parse_loading,
    run_network,
    tensor_view,
    threshold_functions,
    two_thirds,
)
from solvers import Status, check_reduction, solve
from solvers.exact.loading import (
    decide_loading,
    decide_two_thirds,
    encode_loading,
    max_loading,
)

run = run_cli


# ---------------------------------------------------------------------------
# node functions and families
# ---------------------------------------------------------------------------


def test_threshold_functions_are_all_found_with_integer_weights():
    """2, 4, 14, 104, 1882 threshold functions of 0..4 inputs (OEIS A000609)."""
    assert [len(threshold_functions(k)) for k in range(5)] == [2, 4, 14, 104, 1882]
    for k in range(5):
        for table, fn in threshold_functions(k).items():
            assert fn.truth_table() == table and fn.arity == k
    # XOR is not linearly separable; majority is
    assert (False, True, True, False) not in threshold_functions(2)
    majority = tuple(bin(b).count("1") >= 2 for b in range(8))
    assert majority in threshold_functions(3)
    with pytest.raises(InvalidInstanceError, match="fan-in 4"):
        threshold_functions(5)


def test_and_or_family_is_inside_threshold_inside_table():
    for k in range(5):
        and_or = family_functions(Family.AND_OR, k)
        assert len(and_or) == (2 if k <= 1 else 2 ** (k + 1))
        for table, fn in and_or.items():
            assert fn.to_threshold().truth_table() == table
            assert table in threshold_functions(k)
            assert in_family(fn, Family.THRESHOLD) and in_family(fn, Family.TABLE)
            assert as_family(fn, Family.TABLE).table == table
    assert family_functions(Family.TABLE, 3) is None
    assert not in_family(TableFunction((True, False)), Family.AND_OR)
    with pytest.raises(WitnessError):
        as_family(ThresholdFunction((1, 1), 0), Family.AND_OR)


def test_node_functions_validate():
    with pytest.raises(InvalidInstanceError):
        TableFunction((True, False, True))
    with pytest.raises(InvalidInstanceError):
        ThresholdFunction((1.5,), 0)
    with pytest.raises(InvalidInstanceError):
        AndOrFunction("xor", (False,))
    assert AndOrFunction("and", ())(()) == 1 and AndOrFunction("or", ())(()) == 0
    big = ThresholdFunction((2**70, -(2**70)), 0)
    assert big.truth_table() == (False, True, False, False)


# ---------------------------------------------------------------------------
# types and the verifier
# ---------------------------------------------------------------------------


def small_instance(family=Family.THRESHOLD):
    arch = Architecture(("x", "y"), (Node("h", (0, 1), family), Node("o", (2, 0), family)), (3,))
    return LoadingInstance(arch, Task((("00", "0"), ("11", "1"), ("10", "0"))))


def test_architecture_validation():
    with pytest.raises(InvalidInstanceError, match="only earlier nodes"):
        Architecture(("x",), (Node("h", (1,)),), (1,))
    with pytest.raises(InvalidInstanceError, match="twice"):
        Architecture(("x",), (Node("h", (0, 0)),), (1,))
    with pytest.raises(InvalidInstanceError, match="used twice"):
        Architecture(("x",), (Node("x", (0,)),), (1,))
    with pytest.raises(InvalidInstanceError, match="not a computing node"):
        Architecture(("x",), (Node("h", (0,)),), (0,))
    with pytest.raises(InvalidInstanceError, match="unknown family"):
        Node("h", (0,), "sigmoid")
    arch = small_instance().architecture
    assert arch.cones == ((0, 1), (0, 1)) and arch.depths == (0, 0, 1, 2)
    g = arch.to_networkx()
    assert sorted(g.edges) == [(0, 2), (0, 3), (1, 2), (2, 3)] and g.nodes[3]["output"]


def test_task_and_instance_validation():
    with pytest.raises(InvalidInstanceError, match="0s and 1s"):
        Task((("0x", "1"),))
    with pytest.raises(InvalidInstanceError, match="don't care"):
        Task((("01", "2"),))
    with pytest.raises(InvalidInstanceError, match="pair 1"):
        Task((("01", "1"), ("0", "1")))
    arch = small_instance().architecture
    with pytest.raises(InvalidInstanceError, match="3 bits"):
        LoadingInstance(arch, Task((("000", "1"),)))
    with pytest.raises(InvalidInstanceError, match="required"):
        LoadingInstance(arch, Task((("00", "1"),)), required=2)


def test_verifier_checks_family_arity_and_task():
    inst = small_instance()
    good = Configuration((AndOrFunction("and", (False, False)), ThresholdFunction((1, 0), 0)))
    assert loads(inst, good) and verify(Kind.LOADING, inst, good) and kind_of(inst) is Kind.LOADING
    bad = Configuration((AndOrFunction("or", (False, False)), ThresholdFunction((1, 0), 0)))
    assert correct_pairs(inst, bad) == (True, True, False) and not loads(inst, bad)
    # a table is not a threshold unit, even if its function is one
    table = Configuration((TableFunction((False, False, False, True)), ThresholdFunction((1, 0), 0)))
    assert not verify(Kind.LOADING, inst, table)
    with pytest.raises(WitnessError, match="takes threshold"):
        loads(inst, table)
    with pytest.raises(WitnessError, match="reads 2 nodes"):
        loads(inst, Configuration((AndOrFunction("and", (False,)), ThresholdFunction((1, 0), 0))))
    assert not verify(Kind.LOADING, inst, "nonsense")
    assert run_network(inst.architecture, good, "11").tolist() == [[1, 1, 1, 1]]


# ---------------------------------------------------------------------------
# the encoding against brute force
# ---------------------------------------------------------------------------


def brute_force(instance: LoadingInstance) -> tuple[int, int]:
    """(largest number of pairs right, number of configurations loading ``required`` pairs), over every configuration."""
    arch = instance.architecture
    choices = []
    for node in arch.nodes:
        allowed = family_functions(node.family, node.fan_in)
        tables = list(itertools.product((False, True), repeat=2**node.fan_in)) if allowed is None else list(allowed)
        choices.append(tables)
    stimuli = sorted({s for s, _ in instance.task.pairs})
    n_in = arch.num_inputs
    best, count = 0, 0
    for tables in itertools.product(*choices):
        values = {}
        for s in stimuli:
            v = [int(c) for c in s]
            for node, table in zip(arch.nodes, tables):
                v.append(int(table[sum(v[j] << i for i, j in enumerate(node.field))]))
            values[s] = v
        right = sum(
            all(r == "*" or int(r) == values[s][o] for o, r in zip(arch.outputs, resp)) for s, resp in instance.task.pairs
        )
        best = max(best, right)
        count += right >= instance.required
    del n_in
    return best, count


def count_by_sat(instance: LoadingInstance) -> int:
    """Configurations (truth tables) loading ``required`` pairs, counted by blocking on the table variables."""
    from solvers.exact.loading import _cardinality

    enc = encode_loading(instance, counting=True)
    clauses = list(enc.clauses) + _cardinality(enc, instance.required)
    if any(len(c) == 0 for c in clauses):
        return 0
    primary = [enc.pool.id(("T", k, b)) for k, node in enumerate(instance.architecture.nodes) for b in range(2**node.fan_in)]
    count = 0
    with Solver(name="glucose4", bootstrap_with=clauses) as s:
        while s.solve():
            count += 1
            true = {lit for lit in s.get_model() if lit > 0}
            s.add_clause([-v if v in true else v for v in primary])
    return count


@settings(max_examples=60)
@given(loading_instances())
def test_encoding_matches_brute_force(instance):
    """decide / two-thirds / at-least / RC2 optimum / model count, all against brute force."""
    best, count = brute_force(instance)
    n = instance.num_pairs
    result = decide_loading(instance)
    assert result.status is (Status.SAT if count else Status.UNSAT)
    if result.status is Status.SAT:
        assert loads(instance, result.witness)
    for k in {best, best + 1, two_thirds(n)}:
        if k <= n:
            r = decide_loading(instance, at_least=k, solver="glucose4")
            assert r.status is (Status.SAT if best >= k else Status.UNSAT), k
    assert decide_two_thirds(instance).status is (Status.SAT if best >= two_thirds(n) else Status.UNSAT)
    m = max_loading(instance)
    assert m.best == best and m.optimal and m.certified is Status.UNSAT
    assert num_correct(instance, m.configuration) == best
    assert m.status is (Status.SAT if best >= instance.required else Status.UNSAT)
    assert count_by_sat(instance) == count


def test_at_least_is_validated():
    inst = small_instance()
    assert decide_loading(inst, at_least=4).status is Status.UNSAT
    assert decide_loading(inst, at_least=0).status is Status.SAT
    with pytest.raises(InvalidInstanceError, match="at_least"):
        decide_loading(inst, at_least=-1)


def test_threshold_nodes_of_fan_in_four_use_selectors():
    arch = Architecture(tuple("abcd"), (Node("h", (0, 1, 2, 3), Family.THRESHOLD),), (4,))
    # majority of four with ties broken by a: a threshold function
    pairs = tuple(("".join(map(str, bits)), str(int(2 * sum(bits) + bits[0] > 4))) for bits in itertools.product((0, 1), repeat=4))
    inst = LoadingInstance(arch, Task(pairs))
    r = decide_loading(inst)
    assert r.status is Status.SAT and isinstance(r.witness.functions[0], ThresholdFunction)
    parity = tuple((s, str(s.count("1") % 2)) for s, _ in pairs)
    assert decide_loading(LoadingInstance(arch, Task(parity))).status is Status.UNSAT
    table_arch = Architecture(tuple("abcd"), (Node("h", (0, 1, 2, 3), Family.TABLE),), (4,))
    assert decide_loading(LoadingInstance(table_arch, Task(parity))).status is Status.SAT
    with pytest.raises(InvalidInstanceError, match="fan-in 4"):
        encode_loading(LoadingInstance(Architecture(tuple("abcde"), (Node("h", tuple(range(5)), Family.THRESHOLD),), (5,)), Task(())))


def test_time_limit_gives_unknown_never_a_wrong_verdict():
    """The reduction of pigeonhole 9 -> 8 (unsatisfiable, hard for resolution) with a short limit."""
    holes = 8
    var = lambda p, h: p * holes + h + 1  # noqa: E731
    clauses = [[var(p, h) for h in range(holes)] for p in range(holes + 1)]
    clauses += [[-var(p, h), -var(q, h)] for h in range(holes) for p in range(holes + 1) for q in range(p + 1, holes + 1)]
    from reductions.sat_chain import cnf_to_3cnf

    inst = cnf_to_loading(cnf_to_3cnf(CNF((holes + 1) * holes, clauses)))
    r = decide_loading(inst, time_limit=0.5)
    assert r.status is Status.UNKNOWN and r.witness is None and r.time_s < 5
    m = max_loading(inst, time_limit=0.5)
    assert m.status is Status.UNKNOWN and m.best is None and m.time_s < 5


def test_rc2_failing_in_its_child_is_reported():
    """With a time limit RC2 runs in a child (solvers.core.deadline); its error comes back by name."""
    import multiprocessing

    inst = cnf_to_loading(CNF(1, [(1,), (-1,)]))
    with pytest.raises(RuntimeError, match=r"^RC2 failed in its child process: NoSuchSolverError: nosuch$"):
        max_loading(inst, time_limit=30, rc2_solver="nosuch")
    assert multiprocessing.active_children() == []


# ---------------------------------------------------------------------------
# the reduction (trainhard's own gadget after Judd)
# ---------------------------------------------------------------------------


def all_small_cnfs():
    """Every CNF on 2 variables with at most 3 distinct clauses of length 1-2, every
    CNF on 3 variables with 2 clauses of width 3, and the degenerate ones."""
    lits = [1, -1, 2, -2]
    universe = [(l,) for l in lits] + [c for c in itertools.combinations(lits, 2) if abs(c[0]) != abs(c[1])]
    out = [CNF(2, cl) for r in range(4) for cl in itertools.combinations(universe, r)]
    wide = [tuple(s * v for s, v in zip(signs, (1, 2, 3))) for signs in itertools.product((1, -1), repeat=3)]
    out += [CNF(3, cl) for cl in itertools.combinations(wide, 2)]
    out += [CNF(0, []), CNF(0, [()]), CNF(1, [(1, -1)]), CNF(2, [(1, 1, -2), (-1,), (2, 2)])]
    return out


@pytest.mark.parametrize("name", ["cnf-to-loading", "cnf-to-loading-two-thirds"])
def test_exhaustive_small_cnfs(name):
    instances = all_small_cnfs()
    report = check_reduction(name, instances)
    counts = report.counts
    assert counts["unknown"] == 0 and counts["sat"] > 0 and counts["unsat"] > 0
    assert sum(counts.values()) == len(instances)


@pytest.mark.parametrize("family", [Family.TABLE, Family.AND_OR])
def test_exhaustive_small_cnfs_for_every_family(family):
    """The proof holds for lookup tables and AND/OR nodes too: statuses agree, witnesses map back."""
    for f in all_small_cnfs():
        inst = cnf_to_loading(f, family=family)
        r = decide_loading(inst)
        assert r.status is solve(f).status, f
        if r.status is Status.SAT:
            assert satisfies(f, cnf_to_loading_backward(f, inst, r.witness))
            model = solve(f).witness
            assert loads(inst, cnf_to_loading_forward(f, inst, model))


def random_formulas(count, seed):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(3, 11))
        out.append(random_kcnf(n, k=3, ratio=float(rng.uniform(3.0, 6.0)), seed=rng))
    return out


def test_random_formulas_fast():
    report = check_reduction("cnf-to-loading", random_formulas(150, seed=1))
    assert report.counts["unknown"] == 0 and report.counts["sat"] > 20 and report.counts["unsat"] > 20
    report = check_reduction("cnf-to-loading-two-thirds", random_formulas(50, seed=2))
    assert report.counts["unknown"] == 0


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("TRAINHARD_SLOW"), reason="set TRAINHARD_SLOW=1 to run (about two minutes)")
def test_thousands_of_random_formulas():
    """4,000 random 3-CNFs (n = 3..10, 3 to 6 clauses per variable) through both reductions, Karp-style."""
    for name, seed in (("cnf-to-loading", 10), ("cnf-to-loading-two-thirds", 11)):
        report = check_reduction(name, random_formulas(2000, seed=seed))
        assert report.counts["unknown"] == 0 and report.counts["sat"] > 200 and report.counts["unsat"] > 200


@settings(max_examples=40)
@given(cnfs(max_vars=4, max_clauses=5, max_width=3))
def test_two_thirds_optimum_is_base_optimum_plus_padding(f):
    """best(padded) = P + best(base); it reaches 2P (two thirds) exactly when f is satisfiable."""
    base = cnf_to_loading(f)
    padded = cnf_to_loading_two_thirds(f)
    p = base.num_pairs
    assert padded.num_pairs == 3 * p and padded.required == 2 * p == two_thirds(padded.num_pairs)
    best_base, best_padded = max_loading(base).best, max_loading(padded).best
    assert best_padded == p + best_base
    sat = solve(f).status is Status.SAT
    assert (best_padded >= 2 * p) == sat
    r = decide_two_thirds(padded)
    assert r.status is (Status.SAT if sat else Status.UNSAT)
    if sat:
        assert satisfies(f, two_thirds_backward(f, padded, r.witness))


def test_reduction_shape_and_witness_maps():
    f = CNF(4, [(1, -2, 3), (-1, 2, 4), (2, -3, -4), (3, 3, -1), (1, -1, 2)])
    inst = cnf_to_loading(f)
    assert {k: getattr(inst, k) for k in loading_size(f)} == loading_size(f)
    assert inst.max_fan_in == 3 and inst.depth == 2
    assert all(node.family is Family.THRESHOLD for node in inst.architecture.nodes)
    with pytest.raises(WitnessError, match="does not satisfy"):
        cnf_to_loading_forward(f, inst, [1, -2, -3, -4])
    model = solve(f).witness
    config = cnf_to_loading_forward(f, inst, model)
    assert loads(inst, config)
    broken = Configuration(config.functions[:4] + (ThresholdFunction((0,), 0),) + config.functions[5:])
    with pytest.raises(WitnessError, match="does not load"):
        cnf_to_loading_backward(f, inst, broken)


# ---------------------------------------------------------------------------
# gradient descent's view
# ---------------------------------------------------------------------------


def test_tensor_view_and_the_exact_way_back():
    f = CNF(3, [(1, -2, 3), (-1, 2), (2, 3)])
    inst = cnf_to_loading(f)
    view = tensor_view(inst)
    arch = inst.architecture
    assert view.adjacency.shape == (arch.num_nodes, arch.num_inputs + arch.num_nodes)
    assert [len(layer) for layer in view.layers] == [3, 6]
    assert view.stimuli.shape == (inst.num_pairs, 6) and view.mask.sum() == (inst.task.responses() >= 0).sum()
    # real weights of a relaxed network (the proof's configuration, with slack) map back exactly
    config = cnf_to_loading_forward(f, inst, solve(f).witness)
    w = np.zeros(view.adjacency.shape)
    t = np.zeros(arch.num_nodes)
    for k, (node, fn) in enumerate(zip(arch.nodes, config.functions)):
        w[k, list(node.field)] = np.array(fn.weights) * 0.7
        t[k] = fn.threshold * 0.7 + 0.35
    back = configuration_from_weights(arch, w, t)
    assert loads(inst, back)
    # judged exactly, then mapped back to the formula through the registry, as for Blum–Rivest
    from reductions import REDUCTIONS

    assert satisfies(f, REDUCTIONS["cnf-to-loading"].backward(f, inst, back))
    # and the exact map agrees with a float forward pass of the same weights
    values = view.stimuli.astype(np.float64)
    full = np.zeros((len(values), arch.num_inputs + arch.num_nodes))
    full[:, : arch.num_inputs] = values
    for layer in view.layers:
        for k in layer:
            full[:, arch.num_inputs + k] = (full @ (w[k] * view.adjacency[k]) > t[k]).astype(float)
    exact = run_network(arch, back, inst.task.stimuli())
    assert np.array_equal(exact, full.astype(np.uint8))


# ---------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------


@settings(max_examples=30)
@given(loading_instances(max_inputs=4, max_nodes=4, max_fan_in=3))
def test_json_round_trip(instance):
    text = format_loading(instance)
    assert parse_loading(text) == instance
    assert formats.format_instance(instance) == text


def test_read_and_write_dispatch_on_the_format_field(tmp_path):
    inst = cnf_to_loading_two_thirds(CNF(2, [(1, -2), (2,)]))
    path = tmp_path / "L.json"
    formats.write_instance(inst, path)
    assert formats.read_instance(path) == inst
    from reductions.problems import ThresholdNetwork

    net = ThresholdNetwork.from_numbers([[1, 2]], ["1/2"], "and")
    formats.write_instance(net, tmp_path / "n.json")
    assert formats.read_instance(tmp_path / "n.json") == net
    config = cnf_to_loading_forward(CNF(1, [(1,)]), cnf_to_loading(CNF(1, [(1,)])), [1])
    arch = cnf_to_loading(CNF(1, [(1,)])).architecture
    assert configuration_from_json(arch, json.loads(json.dumps(configuration_to_json(arch, config)))) == config


def doc(**changes):
    obj = {
        "format": "trainhard-loading",
        "version": 1,
        "inputs": ["a", "b"],
        "nodes": [{"name": "h", "field": ["a", "b"], "family": "threshold"}, {"name": "o", "field": ["h"]}],
        "outputs": ["o"],
        "pairs": [{"stimulus": "01", "response": "1"}, {"stimulus": "11", "response": "0"}],
    }
    obj.update(changes)
    return format_loading(parse_loading(json.dumps(obj))) if not changes else json.dumps(obj, indent=1)


BAD_LOADING = [
    ("invalid JSON", '{"format": "trainhard-loading",\n "version": 1,\n "inputs": [}', 3, "invalid JSON"),
    ("wrong version", doc(version=2), 3, "unsupported version 2"),
    ("missing pairs", doc(pairs=None).replace('"pairs": null', '"pairz": []'), None, "has no 'pairs' key"),
    ("not an object", "[1, 2]", None, "a loading instance is a JSON object"),
    ("inputs not a list", doc(inputs="ab"), "located", "inputs must be a JSON array"),
    ("unknown family", doc(nodes=[{"name": "h", "field": ["a"], "family": "relu"}]), "located", "unknown family \"relu\""),
    ("forward reference", doc(nodes=[{"name": "h", "field": ["o"]}, {"name": "o", "field": ["h"]}]), "located",
     "a node may read only inputs and earlier nodes"),
    ("unknown node", doc(nodes=[{"name": "h", "field": ["zz"]}]), "located", "no such node"),
    ("output is an input", doc(outputs=["a"]), "located", "must name a computing node"),
    ("short stimulus", doc(pairs=[{"stimulus": "0", "response": "1"}]), "located", "1 bits for 2 inputs"),
    ("bad response", doc(pairs=[{"stimulus": "01", "response": "1"}, {"stimulus": "01", "response": "x"}]), "located",
     "character 'x' is not 0, 1 or *"),
    ("required too large", doc(required=5), "located", "required must be an integer in 0..2"),
]


@pytest.mark.parametrize("name, text, line, fragment", BAD_LOADING, ids=[c[0] for c in BAD_LOADING])
def test_bad_loading_files_give_one_line_errors(tmp_path, name, text, line, fragment):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(FormatError) as info:
        load_loading(path)
    if line == "located":
        # schema errors are located at the offending value's line (best effort)
        assert info.value.line is not None
        offending = text.splitlines()[info.value.line - 1]
        assert offending.strip(), offending
    else:
        assert info.value.line == line
    assert fragment in str(info.value)
    code, out, err = run("load", path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}") and "Traceback" not in err
    assert fragment in err
    if line not in (None, "located"):
        assert err.startswith(f"error: {path}:{line}: ")


def test_schema_error_points_at_the_pair(tmp_path):
    inst = cnf_to_loading(CNF(3, [(1, 2, 3)]))
    text = format_loading(inst).replace('"response": "1**', '"response": "1*2', 1)
    path = tmp_path / "bad.json"
    path.write_text(text)
    code, _, err = run("load", path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"1*2' in l)
    assert code == 2 and err.startswith(f"error: {path}:{line}: pair 1: response")


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------


def test_cli_reduce_and_load(tmp_path):
    sat, unsat = tmp_path / "sat.cnf", tmp_path / "unsat.cnf"
    sat.write_text("p cnf 3 3\n1 -2 3 0\n-1 2 0\n2 3 0\n")
    unsat.write_text("p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n")
    for cnf_path, expected in ((sat, 10), (unsat, 20)):
        out_path = tmp_path / (cnf_path.stem + ".json")
        assert run("reduce", "cnf-to-loading", cnf_path, "-o", out_path)[0] == 0
        inst = formats.read_instance(out_path)
        assert inst == cnf_to_loading(formats.read_cnf(cnf_path))
        code, out, err = run("load", out_path)
        assert code == expected, err
        if expected == 10:
            assert "s SATISFIABLE" in out.splitlines()
            v_lines = [l for l in out.splitlines() if l.startswith("v ")]
            assert len(v_lines) == inst.num_nodes
        code, out, _ = run("load", out_path, "--json", "--config-out", tmp_path / "c.json")
        obj = json.loads(out)
        assert code == expected and obj["status"] == ("SAT" if expected == 10 else "UNSAT")
        if expected == 10:
            config = configuration_from_json(inst.architecture, obj["witness"])
            assert loads(inst, config)
            saved = json.loads((tmp_path / "c.json").read_text())
            assert loads(inst, configuration_from_json(inst.architecture, saved))
        code, out, _ = run("load", out_path, "--max", "--json")
        obj = json.loads(out)
        assert code == expected and obj["optimal"] and obj["certified"] == "UNSAT"
        assert (obj["best"] == obj["num_pairs"]) == (expected == 10)
        code, out, _ = run("load", out_path, "--max")
        assert code == expected and any(l.startswith("o ") for l in out.splitlines())


def test_cli_two_thirds(tmp_path):
    unsat = tmp_path / "u.cnf"
    unsat.write_text("p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n")
    padded = tmp_path / "u3.json"
    assert run("reduce", "cnf-to-loading-two-thirds", unsat, "-o", padded)[0] == 0
    code, out, _ = run("load", padded)
    assert code == 20 and "at least 18 of 27 pairs" in out
    code, out, _ = run("load", padded, "--two-thirds")
    assert code == 20
    code, out, _ = run("load", padded, "--at-least", 17)
    assert code == 10
    code, _, err = run("load", padded, "--at-least", 28)
    assert code == 2 and "0..27" in err
    code, out, _ = run("load", padded, "--max")
    assert code == 20 and "c best 17 of 27 pairs" in out


def test_cli_refuses_other_files(tmp_path):
    path = tmp_path / "f.cnf"
    path.write_text("p cnf 1 1\n1 0\n")
    code, _, err = run("load", path)
    assert code == 2 and "not a loading instance" in err
    code, _, err = run("load", tmp_path / "missing.json")
    assert code == 2 and "no such file" in err
