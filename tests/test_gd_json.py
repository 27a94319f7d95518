"""JSON round trips of the gradient-descent results: ``from_json(to_json(x)) == x``, and ``json.dumps`` works."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import one_torch_thread
from hypothesis import given, settings
from hypothesis import strategies as st

from reductions.errors import InvalidInstanceError
from reductions.generators import planted_kcnf
from reductions.problems import TrainingSet
from reductions.registry import get_reduction
from solvers.gd.loading import LoadingGDResult, LoadingGDRun, train_gd_loading
from solvers.gd.networks import GDConfig, GDInstanceResult, GDRun, train_gd

one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)

# four points an AND of two units fits, so the runs below have a network to write
SQUARE = TrainingSet.from_points([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])
# an AND of half-lines is an interval, which cannot hold 0 and 2 without 1: never solved, a best network all the same
HARD = TrainingSet.from_points([[0], [1], [2]], [1, 0, 1])


def through_json(obj):
    """What a reader gets back from the text: the JSON round trip, not just the dict."""
    return json.loads(json.dumps(obj, allow_nan=False))


def assert_runs_equal(a, b):
    assert a.config == b.config and a.device == b.device and a.instances == b.instances
    assert (a.restart_steps, a.time_s, a.timed_out) == (b.restart_steps, b.time_s, b.timed_out)
    if a.final_weights is None:
        assert b.final_weights is None
    else:
        flat = lambda w: [np.asarray(x) for x in (w if isinstance(w, tuple) else (w,))]  # noqa: E731
        for x, y in zip(a.final_weights, b.final_weights, strict=True):
            for u, v in zip(flat(x), flat(y), strict=True):
                assert u.dtype == v.dtype == np.float64 and u.shape == v.shape and u.tobytes() == v.tobytes()


@pytest.mark.parametrize("keep_weights", [False, True])
def test_gd_run_round_trips(keep_weights):
    run = train_gd([SQUARE, HARD], GDConfig(restarts=3, steps=40, lr=0.2, check_every=5), keep_weights=keep_weights)
    assert run.instances[0].solved and not run.instances[1].solved and run.instances[1].best_network is not None
    back = GDRun.from_json(through_json(run.to_json()))
    assert_runs_equal(run, back)
    for res in run.instances:
        assert GDInstanceResult.from_json(through_json(res.to_json())) == res


def test_the_summary_is_the_start_of_the_full_form():
    res = train_gd(SQUARE, GDConfig(restarts=2, steps=30, lr=0.2)).instances[0]
    summary, full = res.to_json(full=False), res.to_json()
    assert list(full)[: len(summary)] == list(summary) and all(full[k] == v for k, v in summary.items())
    assert set(full) - set(summary) == {"success_steps", "best_network"}
    with pytest.raises(InvalidInstanceError, match="success_steps"):
        GDInstanceResult.from_json(summary)  # a summary drops per-restart steps: not a full record


config_values = st.fixed_dictionaries(
    {},
    optional={
        "hidden": st.integers(1, 4), "surrogate": st.sampled_from(["sigmoid", "anneal", "hinge"]),
        "optimizer": st.sampled_from(["adam", "sgd"]), "lr": st.floats(1e-6, 10), "steps": st.integers(0, 10**6),
        "restarts": st.integers(1, 1000), "seed": st.integers(0, 2**63 - 1), "dtype": st.sampled_from(["float32", "float64"]),
        "temperature": st.floats(0.01, 100), "margin": st.floats(0, 10), "momentum": st.floats(0, 0.99),
        "batch_size": st.none() | st.integers(1, 2**31 - 1), "compile": st.booleans(), "fast": st.booleans(),
        "restart_offset": st.integers(0, 10**6), "check_every": st.integers(1, 100),
    },
)


@settings(max_examples=50, deadline=None)
@given(config_values)
def test_gd_config_round_trips(values):
    config = GDConfig(**values)
    obj = config.to_json()
    assert list(obj) == list(GDConfig.__dataclass_fields__)
    assert GDConfig.from_json(through_json(obj)) == config


def test_gd_config_from_json_refuses_unknown_fields_and_bad_values():
    with pytest.raises(InvalidInstanceError, match="no field 'learning_rate'"):
        GDConfig.from_json({"learning_rate": 0.1})
    with pytest.raises(InvalidInstanceError, match="restarts"):
        GDConfig.from_json({"restarts": 0})
    with pytest.raises(InvalidInstanceError, match="JSON object"):
        GDConfig.from_json([1, 2])
    assert GDConfig.from_json({}) == GDConfig()


def test_loading_run_round_trips():
    inst = get_reduction("cnf-to-loading")(planted_kcnf(4, ratio=1.0, seed=0)[0])
    run = train_gd_loading(inst, GDConfig(restarts=4, steps=40, lr=0.1, temperature=0.3), keep_weights=True)
    res = run.instances[0]
    assert res.solved and res.best_configuration is not None
    assert_runs_equal(run, LoadingGDRun.from_json(through_json(run.to_json())))
    for instance in (None, inst):  # with the instance, nodes are named; either way it reads back
        assert LoadingGDResult.from_json(through_json(res.to_json(instance))) == res
    summary = res.to_json(inst, full=False)
    full = res.to_json(inst)
    assert all(full[k] == v for k, v in summary.items()) and set(full) - set(summary) == {"success_steps", "best_configuration"}
    assert res.to_json(full=False)["configuration"] is None  # the summary without the instance, as before


def test_unsolved_loading_result_round_trips():
    res = LoadingGDResult(3, 3, 2, (None, None), 1, None, None, 4)
    assert LoadingGDResult.from_json(through_json(res.to_json())) == res
    with pytest.raises(InvalidInstanceError, match="success_steps"):
        LoadingGDResult.from_json({**res.to_json(full=True), "success_steps": [True, None]})
