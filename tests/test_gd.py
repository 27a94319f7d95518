"""Gradient descent judged exactly: gradients, batch independence, exactness, cross-check, CLI."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import torch
from helpers import one_torch_thread, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from reductions.strategies import training_sets

from reductions import formats
from reductions.blum_rivest import blum_rivest
from reductions.errors import InvalidInstanceError
from reductions.generators import random_uniform_hypergraph
from reductions.problems import (
    Hypergraph,
    OutputFunction,
    TrainingSet,
    fits,
    is_splitting,
)
from reductions.registry import REDUCTIONS
from solvers.experiments import crosscheck as cc
from solvers.gd.networks import (
    DeviceError,
    GDConfig,
    _backward,
    _forward,
    judge,
    network_from_row,
    relaxed_loss,
    resolve_device,
    restart_init,
    train_gd,
    train_one_naive,
)
from solvers.core.result import Status

FANO = Hypergraph(7, [(0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)])
# a splittable hypergraph small enough that annealed gradient descent fits its Blum–Rivest set quickly
EASY = Hypergraph(6, [(0, 1, 2), (2, 3, 4), (1, 4, 5), (0, 3, 5)])
EASY_CONFIG = GDConfig(surrogate="anneal", restarts=32, steps=300, check_every=10)


one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)


run = run_cli


# ---------------------------------------------------------------------------
# the closed-form gradient is the gradient of the documented loss
# ---------------------------------------------------------------------------


# Every registered surrogate's closed-form gradient is checked against autograd of
# relaxed_loss in tests/test_gd_surrogates.py (the conformance suite over the registry).


def test_loss_is_binary_cross_entropy_of_the_multilinear_output():
    """sigmoid + AND: the loss is BCE of the product of the two sigmoids."""
    points = torch.tensor([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    labels = torch.tensor([1, 0, 1])
    W = torch.tensor([[[0.3, -0.2, 0.1], [-0.5, 0.4, 0.2]]], dtype=torch.float64)
    a = points @ W[0, :, :2].T + W[0, :, 2]
    p = torch.sigmoid(a).prod(-1)
    bce = torch.nn.functional.binary_cross_entropy(p, labels.double())
    assert torch.allclose(relaxed_loss(W, points, labels, GDConfig()), bce)


# ---------------------------------------------------------------------------
# batch independence and reproducibility
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("hidden", [1, 2, 3])
def test_a_restart_is_the_same_alone_and_in_a_big_batch(hidden):
    """Bitwise, by construction: summed loss, per-restart seeds, a fixed-order contraction.

    With one hidden unit a restart alone is a single column, where a plain
    ``matmul`` takes BLAS's matrix-vector path: swapping the contraction back
    to one GEMM over all restarts fails here on any CPU.
    """
    sets = [blum_rivest(random_uniform_hypergraph(12, ratio=1.8, seed=s)) for s in range(3)]
    config = GDConfig(hidden=hidden, output="and", restarts=300, steps=60, check_every=7)
    big = train_gd(sets, config, keep_weights=True)
    for j in (0, 2):
        for r in (0, 17, 299):
            alone = train_gd(sets[j], config, restarts=1, restart_offset=r, keep_weights=True)
            assert np.array_equal(alone.final_weights[0][0], big.final_weights[j][r])
            assert alone.instances[0].success_steps[0] == big.instances[j].success_steps[r]
    # chunking the batch differently changes nothing either
    chunked = train_gd(sets, config, batch_size=64, keep_weights=True)
    for a, b in zip(chunked.final_weights, big.final_weights):
        assert np.array_equal(a, b)
    assert [i.success_steps for i in chunked.instances] == [i.success_steps for i in big.instances]


def test_blum_rivest_n50_restart_alone_and_among_10000():
    ts = blum_rivest(random_uniform_hypergraph(50, m=50, seed=0))  # 101 points, the benchmark's set
    config = GDConfig(restarts=10_000, steps=8, surrogate="anneal")
    big = train_gd(ts, config, keep_weights=True)
    for r in (0, 4321, 9999):
        alone = train_gd(ts, config, restarts=1, restart_offset=r, keep_weights=True)
        assert np.array_equal(alone.final_weights[0][0], big.final_weights[0][r])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("P,D", [(1, 1), (5, 3), (25, 13), (101, 51), (40, 300)])
def test_contraction_is_a_fixed_order_sum_whatever_the_batch(P, D, dtype):
    """``_forward`` / ``_backward`` equal a plain sequential sum written in numpy, bit for bit.

    The sum is computed independently (numpy, one correctly rounded multiply
    and add per term, in index order) and compared with every restart's
    columns taken alone, in small groups, from the middle and in one big
    tensor of two instances: the order of rounding is the documented one and
    does not depend on how many columns share the tensor.
    """
    rng = np.random.default_rng(P * 1000 + D)
    C = 700
    X = rng.normal(size=(2, P, D)).astype(dtype)
    Wt = rng.normal(size=(2, D, C)).astype(dtype)
    G = rng.normal(size=(2, P, C)).astype(dtype)
    ref_a = X[:, :, 0, None] * Wt[:, None, 0, :]
    for j in range(1, D):
        ref_a = ref_a + X[:, :, j, None] * Wt[:, None, j, :]
    ref_g = X[:, 0, :, None] * G[:, 0, None, :]
    for p in range(1, P):
        ref_g = ref_g + X[:, p, :, None] * G[:, p, None, :]
    tX, tW, tG = torch.from_numpy(X), torch.from_numpy(Wt), torch.from_numpy(G)
    assert np.array_equal(_forward(tX, tW, False).numpy(), ref_a)
    assert np.array_equal(_backward(tG, tX, False).numpy(), ref_g)
    for lo, hi in ((0, 1), (3, 4), (5, 7), (100, 164), (1, 700)):
        assert np.array_equal(_forward(tX[1:], tW[1:, :, lo:hi], False).numpy(), ref_a[1:, :, lo:hi])
        assert np.array_equal(_backward(tG[:1, :, lo:hi], tX[:1], False).numpy(), ref_g[:1, :, lo:hi])
    # the fast path is the same mathematics, up to rounding
    assert np.allclose(_forward(tX, tW, True).numpy(), ref_a, rtol=1e-4, atol=1e-3 * D)
    assert np.allclose(_backward(tG, tX, True).numpy(), ref_g, rtol=1e-4, atol=1e-3 * P)


def test_fast_mode_is_opt_in_and_equal_up_to_rounding():
    ts = blum_rivest(EASY)
    assert GDConfig().fast is False
    exact = train_gd(ts, EASY_CONFIG, keep_weights=True)
    fast = train_gd(ts, EASY_CONFIG, fast=True, keep_weights=True)
    assert fast.config.fast and not exact.config.fast
    assert np.allclose(fast.final_weights[0], exact.final_weights[0], rtol=1e-3, atol=1e-3)
    assert fast.instances[0].solved == exact.instances[0].solved
    assert fast.instances[0].solved and fits(fast.instances[0].network, ts)
    with pytest.raises(InvalidInstanceError, match="fast must be true or false"):
        GDConfig(fast="yes")


def test_averaging_over_restarts_would_break_independence():
    """The pitfall: a mean over restarts shrinks each restart's gradient by the batch size."""
    ts = blum_rivest(EASY)
    points = torch.tensor(ts.to_float())
    labels = torch.tensor(ts.labels.astype(np.int64))
    config = GDConfig()
    W = torch.tensor(restart_init(0, range(64), 2, ts.dim), requires_grad=True)
    relaxed_loss(W, points, labels, config).sum().backward()
    summed = W.grad[0].clone()
    W.grad = None
    relaxed_loss(W, points, labels, config).mean().backward()
    W1 = torch.tensor(restart_init(0, [0], 2, ts.dim), requires_grad=True)
    relaxed_loss(W1, points, labels, config).sum().backward()
    assert torch.equal(summed, W1.grad[0])
    assert torch.allclose(W.grad[0] * 64, W1.grad[0])


def test_restart_init_depends_only_on_seed_and_index():
    a = restart_init(5, range(10), 2, 7)
    b = restart_init(5, [3, 9], 2, 7)
    assert np.array_equal(a[[3, 9]], b)
    assert not np.array_equal(restart_init(6, [3], 2, 7), b[:1])
    assert np.abs(a).max() <= 1.0


def test_same_seed_same_outcome_other_seed_other_trajectory():
    ts = blum_rivest(EASY)
    one = train_gd(ts, EASY_CONFIG, keep_weights=True)
    two = train_gd(ts, EASY_CONFIG, keep_weights=True)
    other = train_gd(ts, EASY_CONFIG, seed=1, keep_weights=True)
    assert one.instances == two.instances
    assert np.array_equal(one.final_weights[0], two.final_weights[0])
    assert not np.array_equal(one.final_weights[0], other.final_weights[0])


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_batched_engine_follows_the_naive_autograd_loop(optimizer):
    """The benchmark's baseline (autograd + torch.optim, one restart) does the same mathematics."""
    ts = blum_rivest(EASY)
    config = GDConfig(restarts=3, steps=150, dtype="float64", optimizer=optimizer, lr=0.05 if optimizer == "adam" else 0.5,
                      momentum=0.0 if optimizer == "adam" else 0.9, check_every=1)
    batched = train_gd(ts, config, keep_weights=True)
    for r in range(3):
        weights, success = train_one_naive(ts, config, r)
        assert np.allclose(weights, batched.final_weights[0][r], rtol=1e-8, atol=1e-10)
        assert success == batched.instances[0].success_steps[r]


# ---------------------------------------------------------------------------
# success is the exact check
# ---------------------------------------------------------------------------


def boundary_case() -> tuple[TrainingSet, np.ndarray]:
    """A point exactly on a unit's boundary: w·x = t exactly, but in float64 w·x > t.

    With x = (1/10, 2/10, 3/10), w = (1, 1, -1), t = 0: exactly w·x = 0, so the
    unit does not fire; in floating point 0.1 + 0.2 - 0.3 = 5.55e-17 > 0.
    """
    ts = TrainingSet.from_points([["1/10", "2/10", "3/10"], [0, 0, 1]], [1, 0])
    row = np.array([[1.0, 1.0, -1.0, 0.0]])
    return ts, row


def test_float_all_correct_is_not_a_success():
    ts, row = boundary_case()
    X = torch.tensor(np.concatenate([ts.to_float(), np.ones((2, 1))], 1))
    fire = (X @ torch.tensor(row).T > 0)[:, 0]
    assert fire.tolist() == [True, False]  # floating point: every point right
    out = OutputFunction.named("and", 1)
    net = network_from_row(row, out)
    assert net.thresholds == (Fraction(0),) and not fits(net, ts)  # exactly: the + point is on the boundary
    assert judge(row, ts, out) is None


def test_engine_does_not_count_a_float_success_that_fits_rejects(monkeypatch):
    ts, row = boundary_case()
    monkeypatch.setattr("solvers.gd.networks.restart_init", lambda seed, rr, k, d, scale=1.0: np.repeat(row[None], len(rr), 0))
    res = train_gd(ts, GDConfig(hidden=1, restarts=2, steps=0, dtype="float64")).instances[0]
    assert not res.solved and res.success_steps == (None, None)
    assert res.best_correct == 1  # counted exactly on the best network


@settings(max_examples=25)
@given(training_sets(kind="rational", max_points=6, max_dim=3), st.integers(0, 2**31))
def test_judge_agrees_with_fits(ts, seed):
    rng = np.random.default_rng(seed)
    row = rng.normal(size=(2, ts.dim + 1)).astype(np.float32)
    out = OutputFunction.named("or", 2)
    net = network_from_row(row, out)
    assert net.weights[0] == tuple(Fraction(float(w)) for w in row[0, :-1])
    assert (judge(row, ts, out) is not None) == fits(net, ts)


@settings(max_examples=8)
@given(training_sets(kind="integer", max_points=6, max_dim=3), st.integers(0, 40))
def test_any_restart_alone_equals_itself_in_a_batch(ts, restart):
    config = GDConfig(restarts=41, steps=15, output="xor", check_every=4)
    big = train_gd(ts, config, keep_weights=True)
    alone = train_gd(ts, config, restarts=1, restart_offset=restart, keep_weights=True)
    assert np.array_equal(alone.final_weights[0][0], big.final_weights[0][restart])
    assert alone.instances[0].success_steps[0] == big.instances[0].success_steps[restart]
    # without keep_weights a batch may stop early once all restarts fit: outcomes stay the same
    assert train_gd(ts, config).instances[0].success_steps == big.instances[0].success_steps


# ---------------------------------------------------------------------------
# end to end: found, judged, mapped back
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("surrogate", ["sigmoid", "anneal", "hinge"])
def test_gradient_descent_fits_an_easy_instance_and_maps_back(surrogate):
    ts = blum_rivest(EASY)
    res = train_gd(ts, EASY_CONFIG, surrogate=surrogate, steps=400).instances[0]
    assert res.solved and res.restarts_solved >= 1 and res.best_correct == ts.num_points
    assert fits(res.network, ts)
    assert 0 <= res.first_success_step <= 400
    split = REDUCTIONS["splitting-to-blum-rivest"].backward(EASY, ts, res.network)
    assert is_splitting(EASY, split)


def test_or_output_on_a_flipped_set():
    """OR of two units fits a set whose negatives lie between two parallel lines."""
    ts = TrainingSet.from_points([[-2], [-1], [0], [1], [2]], [1, 0, 0, 0, 1], metadata={"hidden_units": 2})
    res = train_gd(ts, GDConfig(output="or", restarts=16, steps=300)).instances[0]
    assert res.solved and fits(res.network, ts) and res.network.output.name == "or"


def test_crosscheck_verdicts_and_gap():
    cases = [cc.case_from_instance(EASY, "easy"), cc.case_from_instance(FANO, "fano")]
    report = cc.crosscheck(cases, EASY_CONFIG)
    easy, fano = report.rows
    assert easy.verdict is cc.Verdict.BOTH and is_splitting(EASY, easy.source_witness) and easy.gap == 0
    assert fano.verdict is cc.Verdict.UNSAT and fano.exact_status is Status.UNSAT and not fano.gd.solved
    if fano.min_errors is not None:  # the exact trainer's min-error mode, or UNSAT + one exact error
        assert fano.min_errors >= 1 and fano.gap == fano.gd.best_errors - fano.min_errors >= 0
    # without the trainer, an UNSAT case whose best network makes one mistake has minimum error 1, exactly
    no_trainer = cc.crosscheck([cases[1]], EASY_CONFIG, min_error_points=0).rows[0]
    if no_trainer.gd.best_errors == 1:
        assert no_trainer.min_errors == 1 and no_trainer.gap == 0
    else:
        assert no_trainer.min_errors is None and no_trainer.gap is None
    counts = report.counts()
    assert counts["solved-by-both"] == 1 and counts["unsatisfiable"] == 1
    assert report.solved_within()[EASY_CONFIG.restarts] == 1
    json.dumps(report.to_json())


def test_crosscheck_bare_training_set_uses_an_exact_decider():
    ts = blum_rivest(EASY)
    report = cc.crosscheck([cc.case_from_instance(ts, "bare")], EASY_CONFIG)
    row = report.rows[0]
    assert row.exact_status is Status.SAT and row.verdict is cc.Verdict.BOTH and row.source_witness is None


def test_impossible_success_raises_and_saves(tmp_path, monkeypatch):
    monkeypatch.setattr(cc, "_decide", lambda case, hidden, output, limit: (Status.UNSAT, "liar", 0.0))
    with pytest.raises(cc.ImpossibleSuccessError, match="saved in"):
        cc.crosscheck([cc.case_from_instance(EASY, "easy")], EASY_CONFIG, debug_dir=tmp_path)
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved == ["easy.hgr", "easy.network.json", "easy.npz"]
    assert fits(formats.load_network(tmp_path / "easy.network.json"), formats.load_training_set(tmp_path / "easy.npz"))


def test_generated_cases_are_seeded():
    a = cc.generated_cases("hypergraph", 10, instances=3, ratio=1.5, seed=4)
    b = cc.generated_cases("planted-hypergraph", 10, instances=1, ratio=1.5, seed=4)
    assert [c.name for c in a] == ["hypergraph-n10-s4", "hypergraph-n10-s5", "hypergraph-n10-s6"]
    assert a[0].source == random_uniform_hypergraph(10, ratio=1.5, seed=4)
    assert a[0].training_set.metadata["reduction"] == "splitting-to-blum-rivest"
    assert isinstance(b[0].source, Hypergraph)


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"surrogate": "relu"}, "unknown surrogate"),
        ({"optimizer": "lbfgs"}, "unknown optimizer"),
        ({"lr": float("nan")}, "learning rate"),
        ({"lr": -1.0}, "learning rate"),
        ({"steps": -1}, "steps"),
        ({"restarts": 0}, "restarts"),
        ({"restarts": 2.5}, "restarts"),
        ({"output": "nand"}, "unknown output"),
        ({"hidden": 0}, "hidden"),
        ({"momentum": 1.0}, "momentum"),
        ({"steps": 99999999999999999999999}, "steps must be between 0 and"),
        ({"restarts": 2**40}, "restarts must be between 1 and"),
        ({"seed": 2**64}, "seed must be between 0 and"),
        ({"seed": -1}, "seed"),
        ({"restart_offset": 2**63 - 1}, "restart offset"),
        ({"batch_size": 2**40}, "batch size"),
        ({"check_every": 2**70}, "check interval"),
        ({"lr": 1e300}, "learning rate must be between"),
        ({"lr": 10**400}, "learning rate"),
        ({"temperature": 1e-300}, "temperature must be between"),
        ({"final_temperature": float("inf")}, "final temperature"),
        ({"init_scale": 1e30}, "init scale"),
        ({"margin": float("nan")}, "margin"),
        ({"compile": "no"}, "compile must be true or false"),
    ],
)
def test_bad_config(kwargs, message):
    with pytest.raises(InvalidInstanceError, match=message):
        GDConfig(**kwargs)


def test_devices():
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") in ("cpu", "cuda:0")
    with pytest.raises(DeviceError, match="unknown device"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(DeviceError, match="no CUDA device"):
            resolve_device("cuda")


def test_bad_data():
    with pytest.raises(InvalidInstanceError, match="not a TrainingSet"):
        train_gd([np.zeros((2, 2))], GDConfig(steps=1))
    huge = TrainingSet(np.array([[10**400]], dtype=object), np.array([1]))
    with pytest.raises(InvalidInstanceError, match="too large"):
        train_gd(huge, GDConfig(hidden=1, steps=1))


# ---------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------


def test_cli_gd_exit_codes_json_and_map_back(tmp_path):
    hgr, npz, net = tmp_path / "e.hgr", tmp_path / "e.npz", tmp_path / "net.json"
    formats.write_hgr(EASY, hgr)
    assert run("reduce", "splitting-to-blum-rivest", hgr, "-o", npz)[0] == 0
    opts = ["--surrogate", "anneal", "--restarts", "32", "--steps", "300", "--no-progress"]
    code, out, err = run("gd", npz, *opts, "--source", hgr, "--network-out", net)
    assert code == 10, err
    assert "s FOUND" in out and "source witness verifies" in out
    assert fits(formats.load_network(net), formats.load_training_set(npz))
    v = [int(x) for line in out.splitlines() if line.startswith("v ") for x in line.split()[1:]]
    assert is_splitting(EASY, v)
    code, out, _ = run("gd", npz, "--restarts", "2", "--steps", "1", "--json")
    obj = json.loads(out)
    assert code == 0 and obj["found"] is False and obj["restarts"] == 2 and obj["num_points"] == 11


def test_cli_gd_checks_every_argument_before_training(tmp_path, monkeypatch):
    """``--source`` without a reduction to map back through is refused before any step is taken."""
    cnf, npz = tmp_path / "ok.cnf", tmp_path / "plain.npz"
    cnf.write_text("p cnf 2 1\n1 2 0\n")
    formats.save_training_set(TrainingSet.from_points([[0, 1], [1, 0]], [1, 0]), npz)

    def no_training(*args, **kwargs):
        raise AssertionError("training started before the arguments were checked")

    monkeypatch.setattr("solvers.gd.networks.train_gd", no_training)
    code, out, err = run("gd", npz, "--hidden", "1", "--source", cnf, "--no-progress")
    assert code == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("error: --source needs --reduction")


def test_gd_time_limit_stops_the_run(tmp_path):
    ts = blum_rivest(random_uniform_hypergraph(20, ratio=2.5, seed=1))
    run_ = train_gd(ts, GDConfig(restarts=8, steps=10**9, check_every=100), time_limit=0.5)
    assert run_.timed_out and 0 < run_.restart_steps < 8 * 10**9
    assert run_.time_s < 30  # it stopped; a billion steps would take days
    res = run_.instances[0]
    assert res.best_network is not None and res.best_correct == int((res.best_network.classify(ts) == ts.labels).sum())
    assert not train_gd(ts, GDConfig(restarts=2, steps=3)).timed_out
    npz = tmp_path / "h.npz"
    formats.save_training_set(ts, npz)
    code, out, err = run("gd", npz, "--steps", "1000000000", "--restarts", "4", "--time-limit", "0.5", "--json")
    obj = json.loads(out)
    assert code == 0 and obj["timed_out"] is True and obj["found"] is False and obj["fast"] is False
    code, out, err = run("gd", npz, "--steps", "1000000000", "--restarts", "4", "--time-limit", "0.5", "--no-progress")
    assert code == 0 and "c time limit of 0.5 s reached" in out and "s NOT FOUND" in out


def test_cli_crosscheck(tmp_path):
    fano = tmp_path / "fano.hgr"
    formats.write_hgr(FANO, fano)
    code, out, err = run("crosscheck", fano, "--restarts", "4", "--steps", "20", "--no-progress")
    assert code == 0, err
    assert "unsatisfiable" in out and "c summary:" in out
    code, out, err = run("crosscheck", "--family", "hypergraph", "--n", "8", "--ratio", "1.0", "--instances", "2",
                         "--restarts", "4", "--steps", "10", "--json")
    obj = json.loads(out)
    assert code == 0 and len(obj["instances"]) == 2 and obj["instances"][0]["name"] == "hypergraph-n8-s0"
    assert set(obj["summary"]) >= {"solved-by-both", "missed-by-gd", "unsatisfiable", "solved_within_restarts"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["gd", "{npz}", "--device", "tpu"], "unknown device"),
        (["gd", "{npz}", "--steps", "-3"], "steps"),
        (["gd", "{npz}", "--lr", "nan"], "learning rate"),
        (["gd", "{npz}", "--threads", "0"], "threads"),
        (["gd", "{npz}", "--threads", "99999999999999999999"], "threads"),
        (["gd", "{npz}", "--steps", "99999999999999999999999"], "steps must be between"),
        (["gd", "{npz}", "--restarts", "99999999999999999999999"], "restarts must be between"),
        (["gd", "{npz}", "--seed", "99999999999999999999999"], "seed must be between"),
        (["gd", "{npz}", "--batch-size", "99999999999999999999999"], "batch size"),
        (["gd", "{npz}", "--lr", "1e999"], "learning rate"),
        (["gd", "{npz}", "--temperature", "0"], "temperature"),
        (["gd", "{npz}", "--time-limit", "-1"], "time limit"),
        (["gd", "{npz}", "--time-limit", "nan"], "time limit"),
        (["gd", "{npz}", "--source", "{hgr}", "--reduction", "cnf-to-blum-rivest"], "takes a CNF"),
        (["gd", "{npz}", "--reduction", "splitting-to-blum-rivest"], "only with --source"),
        (["crosscheck", "{hgr}", "--steps", "99999999999999999999999"], "steps must be between"),
        (["gd", "{hgr}"], "training set"),
        (["crosscheck"], "nothing to cross-check"),
        (["crosscheck", "--family", "hypergraph"], "--n"),
        (["crosscheck", "{hgr}", "--family", "hypergraph", "--n", "5"], "not both"),
    ],
)
def test_cli_bad_input_is_one_line(tmp_path, argv, message):
    hgr, npz = tmp_path / "e.hgr", tmp_path / "e.npz"
    formats.write_hgr(EASY, hgr)
    formats.save_training_set(blum_rivest(EASY), npz)
    code, out, err = run(*[a.format(npz=npz, hgr=hgr) for a in argv])
    assert code == 2 and err.startswith("error: ") and message in err and err.count("\n") == 1


def test_cli_cuda_absent_is_an_error(tmp_path):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    npz = tmp_path / "e.npz"
    formats.save_training_set(blum_rivest(EASY), npz)
    code, _, err = run("gd", npz, "--device", "cuda")
    assert code == 2 and "no CUDA device" in err


# ---------------------------------------------------------------------------
# fused / CUDA paths
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_compiled_step_matches_eager_on_cpu():
    """What holds on every machine: compiled equals eager up to rounding, with the same exact verdicts.

    The compiler may fuse or reorder operations, so no bitwise promise is
    made between the two; the README says so.
    """
    ts = blum_rivest(random_uniform_hypergraph(12, ratio=1.8, seed=0))
    config = GDConfig(restarts=500, steps=40, compile=True)
    fused = train_gd(ts, config, keep_weights=True)
    eager = train_gd(ts, config, compile=False, keep_weights=True)
    assert np.allclose(fused.final_weights[0], eager.final_weights[0], rtol=1e-4, atol=1e-4)
    # a well-conditioned case: annealed runs that fit with room to spare give the same verdicts
    easy = blum_rivest(EASY)
    fused_easy = train_gd(easy, EASY_CONFIG, compile=True).instances[0]
    eager_easy = train_gd(easy, EASY_CONFIG).instances[0]
    assert fused_easy.solved and eager_easy.solved and fits(fused_easy.network, easy)
    assert fused_easy.best_correct == eager_easy.best_correct == easy.num_points


@pytest.mark.cuda
def test_cuda_same_seed_same_outcome():
    ts = [blum_rivest(random_uniform_hypergraph(30, ratio=1.8, seed=s)) for s in range(4)]
    config = GDConfig(surrogate="anneal", restarts=256, steps=300, device="cuda")
    a, b = train_gd(ts, config, keep_weights=True), train_gd(ts, config, keep_weights=True)
    assert a.device.startswith("cuda") and a.instances == b.instances
    assert all(np.array_equal(x, y) for x, y in zip(a.final_weights, b.final_weights))


@pytest.mark.cuda
def test_cuda_finds_what_cpu_finds_and_successes_are_exact():
    ts = blum_rivest(EASY)
    gpu = train_gd(ts, EASY_CONFIG, device="cuda").instances[0]
    cpu = train_gd(ts, EASY_CONFIG).instances[0]
    assert gpu.solved and cpu.solved and fits(gpu.network, ts)
    # same initial weights and the same arithmetic up to rounding: most restarts agree
    agree = sum((a is None) == (b is None) for a, b in zip(gpu.success_steps, cpu.success_steps))
    assert agree >= 0.5 * len(cpu.success_steps)


@pytest.mark.cuda
def test_cuda_compiled_step_runs_and_is_judged_exactly():
    ts = blum_rivest(EASY)
    res = train_gd(ts, EASY_CONFIG, device="cuda", compile=True).instances[0]
    assert res.solved and fits(res.network, ts)


@pytest.mark.cuda
def test_cuda_restart_alone_and_among_65536_is_the_same_bits():
    """On CUDA too, by construction: elementwise kernels round every element alike, whatever the batch."""
    ts = blum_rivest(random_uniform_hypergraph(50, m=50, seed=0))
    config = GDConfig(restarts=65_536, steps=8, surrogate="anneal", device="cuda")
    big = train_gd(ts, config, keep_weights=True)
    for r in (0, 4321, 65_535):
        alone = train_gd(ts, config, restarts=1, restart_offset=r, keep_weights=True)
        assert np.array_equal(alone.final_weights[0][0], big.final_weights[0][r])
    # the opt-in GEMM path: cuBLAS chooses kernels by shape, so only up to rounding
    fast = train_gd(ts, config, restarts=4096, fast=True, keep_weights=True)
    fast_alone = train_gd(ts, config, restarts=8, fast=True, keep_weights=True)
    assert np.allclose(fast_alone.final_weights[0], fast.final_weights[0][:8], rtol=1e-4, atol=1e-4)


@pytest.mark.slow
def test_gpu_check_script_runs_on_the_cpu(tmp_path):
    """benchmarks/gpu_check.sh is tried on a GPU machine only when one is lent: its CPU mode runs here."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(["bash", str(root / "benchmarks" / "gpu_check.sh"), "--device", "cpu", "--quick", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.count(": exit 0,") == 3, summary
    assert "batched, compiled" in (tmp_path / "throughput.md").read_text()
    assert "| 12 | 1.8 |" in (tmp_path / "picture.md").read_text()
