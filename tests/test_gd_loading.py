"""Gradient descent on Judd's loading problem: gradient, batch independence, exact judging, cross-check, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from helpers import one_torch_thread, run_cli

from reductions import judd
from reductions.errors import InvalidInstanceError
from reductions.generators import planted_kcnf
from reductions.loading import (
    Architecture,
    Family,
    LoadingInstance,
    Node,
    Task,
    configuration_from_json,
    load_loading,
    loads,
    num_correct,
    save_loading,
)
from reductions.problems import CNF, Kind, satisfies, verify
from reductions.registry import get_reduction
from solvers.experiments import crosscheck as cc
from solvers.gd import loading as gl
from solvers.gd.networks import GDConfig
from solvers.core.result import Status

TO_LOADING = get_reduction("cnf-to-loading")
# a planted 3-CNF small enough that gradient descent loads its Judd instance in a few dozen steps
EASY_CNF = planted_kcnf(4, ratio=1.0, seed=0)[0]
# every sign pattern on two variables: unsatisfiable
UNSAT_CNF = CNF(2, [(1, 2), (-1, 2), (1, -2), (-1, -2)])
CONFIG = GDConfig(restarts=16, steps=300, lr=0.1, temperature=0.3)


one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)


run = run_cli


# ---------------------------------------------------------------------------
# the engine
# ---------------------------------------------------------------------------


def test_hand_written_gradient_matches_autograd():
    inst = TO_LOADING(planted_kcnf(5, ratio=2.0, seed=3)[0])
    net = gl._Net(inst, "cpu", torch.float64)
    w0, t0 = gl.loading_restart_init(0, range(3), net.num_nodes, net.width)
    compact = net.compact(w0)
    assert np.array_equal(net.dense(compact), w0 * net.adjacency)  # the masked matrix, without its zeros
    inv_t = 1 / 0.7
    gW, gt = net.gradient(torch.tensor(compact), torch.tensor(t0), inv_t)
    W2 = torch.tensor(w0 * net.adjacency, requires_grad=True)
    t2 = torch.tensor(t0, requires_grad=True)
    stimuli = torch.tensor(inst.task.stimuli(), dtype=torch.float64)
    values = [stimuli[None, :, j].expand(3, -1) for j in range(net.n_in)] + [None] * net.num_nodes
    logits = {}
    for k, node in enumerate(inst.architecture.nodes):
        a = (sum(values[j] * W2[:, k, j, None] for j in node.field) - t2[:, k, None]) * inv_t
        logits[k] = a
        values[net.n_in + k] = torch.sigmoid(a)
    out = torch.stack([logits[int(k)] for k in net.outputs], -1)
    responses = torch.tensor(inst.task.responses(), dtype=torch.float64)
    mask = (responses >= 0).to(torch.float64)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(out, responses.clamp(min=0).expand(3, -1, -1), reduction="none")
    (bce * mask).sum(-1).mean(-1).sum().backward()  # mean over pairs, SUM over restarts
    assert np.allclose(net.dense(gW.numpy()), W2.grad.numpy() * net.adjacency, atol=1e-12)
    assert torch.allclose(t2.grad, gt, atol=1e-12)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_restart_is_the_same_bits_alone_and_in_a_batch(threads):
    torch.set_num_threads(threads)
    inst = TO_LOADING(planted_kcnf(6, ratio=2.0, seed=0)[0])
    cfg = GDConfig(steps=60, lr=0.1, temperature=0.3)
    big = gl.train_gd_loading(inst, cfg, restarts=40, keep_weights=True)
    for r in (0, 17, 39):
        one = gl.train_gd_loading(inst, cfg, restarts=1, restart_offset=r, keep_weights=True)
        assert np.array_equal(big.final_weights[0][0][r], one.final_weights[0][0][0])
        assert np.array_equal(big.final_weights[0][1][r], one.final_weights[0][1][0])
        assert big.instances[0].success_steps[r] == one.instances[0].success_steps[0]
    torch.set_num_threads(1)


def test_restart_init_depends_only_on_seed_and_index():
    a = gl.loading_restart_init(3, range(5), 4, 7)
    b = gl.loading_restart_init(3, [4], 4, 7)
    assert np.array_equal(a[0][4], b[0][0]) and np.array_equal(a[1][4], b[1][0])
    assert not np.array_equal(gl.loading_restart_init(4, [4], 4, 7)[0], b[0])


def test_a_float_success_that_the_exact_check_rejects_is_not_counted(monkeypatch):
    # float64: (1 + 2^-52) + 2^-53 rounds (tie to even) to 1 + 2^-51, minus 2^-53 gives 1 + 2^-51 > t;
    # exactly the sum is 1 + 2^-52 = t, and a unit fires only when its sum EXCEEDS its threshold.
    arch = Architecture(("x", "y", "z"), (Node("o", (0, 1, 2), Family.THRESHOLD),), (3,))
    inst = LoadingInstance(arch, Task((("111", "1"),)))
    w = np.array([[[1 + 2.0**-52, 2.0**-53, -(2.0**-53), 0.0]]])
    t = np.array([[1 + 2.0**-52]])
    monkeypatch.setattr(gl, "loading_restart_init", lambda *a, **k: (w.copy(), t.copy()))
    res = gl.train_gd_loading(inst, GDConfig(restarts=1, steps=0, dtype="float64")).instances[0]
    assert res.rejected_candidates == 1
    assert not res.solved and res.success_steps == (None,) and res.best_correct == 0
    assert gl.judge_loading(inst, w[0], t[0]) is None


@pytest.mark.parametrize("family", [Family.THRESHOLD, Family.TABLE, Family.AND_OR])
def test_every_reported_success_loads_exactly(family):
    inst = judd.cnf_to_loading(EASY_CNF, family=family)
    res = gl.train_gd_loading(inst, CONFIG).instances[0]
    if family is not Family.AND_OR:  # and-or nodes rarely come out of threshold units; no claim there
        assert res.solved
    if res.solved:
        assert loads(inst, res.configuration) and res.best_correct == inst.num_pairs
        assert res.first_success_step == min(s for s in res.success_steps if s is not None)
    if res.best_configuration is not None:
        assert num_correct(inst, res.best_configuration) == res.best_correct


def test_bad_engine_input():
    with pytest.raises(InvalidInstanceError, match="not a LoadingInstance"):
        gl.train_gd_loading([np.zeros(2)], CONFIG)
    with pytest.raises(InvalidInstanceError, match="hinge"):
        gl.train_gd_loading(TO_LOADING(EASY_CNF), CONFIG, surrogate="hinge")


# ---------------------------------------------------------------------------
# the cross-check path
# ---------------------------------------------------------------------------


def test_crosscheck_maps_a_success_back_to_a_model():
    report = cc.crosscheck([cc.case_from_instance(EASY_CNF, "easy", reduction="cnf-to-loading")], CONFIG)
    row = report.rows[0]
    assert row.verdict is cc.Verdict.BOTH and row.exact_status is Status.SAT and row.min_errors == 0
    assert satisfies(EASY_CNF, row.source_witness) and verify(Kind.SAT, EASY_CNF, row.source_witness)
    assert loads(row.case.training_set, row.gd.configuration)
    obj = report.to_json()["instances"][0]
    config = configuration_from_json(row.case.training_set.architecture, obj["configuration"])
    assert loads(row.case.training_set, config)


def test_crosscheck_unsatisfiable_formula_is_never_a_success():
    report = cc.crosscheck([cc.case_from_instance(UNSAT_CNF, "unsat", reduction="cnf-to-loading")], CONFIG)
    row = report.rows[0]
    assert row.verdict is cc.Verdict.UNSAT and not row.gd.solved and row.gd.restarts_solved == 0
    assert row.gd.best_errors >= 1 and row.source_witness is None


def test_crosscheck_two_thirds_and_a_bare_loading_instance():
    cnf = planted_kcnf(3, ratio=1.0, seed=1)[0]
    report = cc.crosscheck([cc.case_from_instance(cnf, "tt", reduction="cnf-to-loading-two-thirds")], CONFIG)
    row = report.rows[0]
    assert row.gd.required < row.gd.num_pairs and row.min_errors is None
    if row.gd.solved:
        assert row.verdict is cc.Verdict.BOTH and satisfies(cnf, row.source_witness)
    bare = cc.crosscheck([cc.case_from_instance(TO_LOADING(UNSAT_CNF), "bare")], CONFIG).rows[0]
    assert bare.exact_status is Status.UNSAT and bare.verdict is cc.Verdict.UNSAT


def test_impossible_success_raises_and_saves(tmp_path, monkeypatch):
    monkeypatch.setattr(cc, "_decide", lambda case, hidden, output, limit: (Status.UNSAT, "liar", 0.0))
    with pytest.raises(cc.ImpossibleSuccessError, match="saved in"):
        cc.crosscheck([cc.case_from_instance(EASY_CNF, "easy", reduction="cnf-to-loading")], CONFIG, debug_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["easy.cnf", "easy.configuration.json", "easy.loading.json"]
    inst = load_loading(tmp_path / "easy.loading.json")
    config = configuration_from_json(inst.architecture, json.loads((tmp_path / "easy.configuration.json").read_text()))
    assert loads(inst, config)


def test_crosscheck_refuses_mixed_cases():
    cases = [cc.case_from_instance(EASY_CNF, "a", reduction="cnf-to-loading"),
             cc.case_from_instance(EASY_CNF, "b", reduction="cnf-to-blum-rivest")]
    with pytest.raises(InvalidInstanceError, match="mix"):
        cc.crosscheck(cases, CONFIG)


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------

OPTS = ["--restarts", "16", "--steps", "300", "--lr", "0.1", "--temperature", "0.3"]


def test_cli_crosscheck_files_and_generated(tmp_path):
    sat, unsat = tmp_path / "easy.cnf", tmp_path / "unsat.cnf"
    from reductions import formats

    formats.write_instance(EASY_CNF, sat)
    formats.write_instance(UNSAT_CNF, unsat)
    code, out, err = run("crosscheck", sat, unsat, "--reduction", "cnf-to-loading", *OPTS, "--json")
    assert code == 0, err
    obj = json.loads(out)
    verdicts = [r["verdict"] for r in obj["instances"]]
    assert verdicts == ["solved-by-both", "unsatisfiable"]
    assert satisfies(EASY_CNF, obj["instances"][0]["source_witness"])
    assert obj["summary"]["satisfiable"] == 1 and obj["instances"][0]["reduction"] == "cnf-to-loading"
    code, out, err = run("crosscheck", "--family", "planted-cnf", "--n", "4", "--ratio", "1.0", "--instances", "2",
                         "--reduction", "cnf-to-loading", *OPTS, "--no-progress")
    assert code == 0, err
    assert "Judd loading architecture" in out and out.count("[mapped back, verified]") == 2
    loading = tmp_path / "u.json"
    save_loading(TO_LOADING(UNSAT_CNF), loading)
    code, out, err = run("crosscheck", loading, *OPTS, "--json")
    assert code == 0 and json.loads(out)["instances"][0]["verdict"] == "unsatisfiable", err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["crosscheck", "{cnf}", "--reduction", "cnf-to-loading", "--surrogate", "hinge"], "hinge"),
        (["crosscheck", "{hgr}", "--reduction", "cnf-to-loading"], "CNF"),
        (["crosscheck", "{json}", "--reduction", "cnf-to-loading"], "not reduced again"),
        (["crosscheck", "{cnf}", "--reduction", "cnf-to-loading", "--steps", "-1"], "steps"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path, argv, message):
    from reductions import formats
    from reductions.problems import Hypergraph

    cnf, hgr, js = tmp_path / "a.cnf", tmp_path / "a.hgr", tmp_path / "a.json"
    formats.write_instance(EASY_CNF, cnf)
    formats.write_instance(Hypergraph(3, [(0, 1, 2)]), hgr)
    save_loading(TO_LOADING(EASY_CNF), js)
    code, out, err = run(*[a.format(cnf=cnf, hgr=hgr, json=js) for a in argv])
    assert code == 2 and err.startswith("error: ") and message in err and err.count("\n") == 1, err
