"""Training-set families in sweeps: planted networks with a margin, and real data (issue 15).

The planted generator is checked by its certificates (the planted network
fits, every point keeps the margin, exactly); the real data sets by their
registered sizes and the subsample's strata; sweeps end to end on tiny
grids, their rows against the regenerated instances; and every bad input
gives one line, never a traceback.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import given

from reductions import formats
from reductions.errors import FormatError, InvalidInstanceError
from reductions.generators import GENERATORS, PLANTED_TRIES, instance_type, planted_network_set
from reductions.problems import ThresholdNetwork, TrainingSet, fits
from reductions.strategies import planted_network_args
from solvers.experiments import datasets
from solvers.experiments.crosscheck import generated_cases
from solvers.experiments.kinds import SOLVER_KINDS
from solvers.experiments.store import read_rows
from solvers.experiments.sweep import (
    DATASET_FAMILY,
    execute_task,
    expand,
    load_config,
    parse_config,
    run_sweep,
)

ROOT = Path(__file__).resolve().parents[1]


def has_sklearn() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


needs_sklearn = pytest.mark.skipif(not has_sklearn(), reason="scikit-learn (the examples extra) is not installed")


# ---------------------------------------------------------------------------
# the planted generator
# ---------------------------------------------------------------------------


def keeps_margin(ts: TrainingSet, network: ThresholdNetwork, margin: Fraction) -> bool:
    """Every point at Euclidean distance >= margin from every hidden unit's hyperplane, in exact arithmetic."""
    for i in range(ts.num_points):
        x = ts.point(i)
        for w, t in zip(network.weights, network.thresholds):
            gap = sum(wi * xi for wi, xi in zip(w, x)) - t
            if gap * gap < margin * margin * sum(wi * wi for wi in w):
                return False
    return True


@given(planted_network_args())
def test_the_planted_network_fits_and_every_point_keeps_the_margin(case):
    n, kwargs = case
    ts, network = planted_network_set(n, **kwargs)
    assert fits(network, ts)
    assert keeps_margin(ts, network, Fraction(kwargs["margin"]))
    assert ts.num_points == n and ts.dim == kwargs["dim"] and ts.denominator == 1
    assert len({tuple(p) for p in ts.numerators.tolist()}) == n  # distinct points
    assert np.abs(ts.numerators).max() <= 10  # small integer coordinates (the default box)
    assert network.hidden_units == kwargs["hidden"] and network.output.name == kwargs["output"]
    assert all(w.denominator == 1 for row in network.weights for w in row)  # integer weights
    assert all(t.denominator == 2 for t in network.thresholds)  # half-integers: no point on a hyperplane
    assert ts.metadata["hidden_units"] == kwargs["hidden"] and ts.metadata["output"] == kwargs["output"]


@given(planted_network_args())
def test_the_planted_set_is_determined_by_its_seed(case):
    n, kwargs = case
    assert planted_network_set(n, **kwargs) == planted_network_set(n, **kwargs)
    rng = np.random.default_rng(kwargs["seed"])
    assert planted_network_set(n, **{**kwargs, "seed": rng}) == planted_network_set(n, **kwargs)


def test_planted_sets_differ_between_seeds_and_the_stream_is_pinned():
    a, b = planted_network_set(30, margin=0.5, seed=1), planted_network_set(30, margin=0.5, seed=2)
    assert a[0] != b[0]
    ts, network = planted_network_set(30, dim=3, margin="1/2", seed=7)
    digest = hashlib.sha256(repr((ts.numerators.tolist(), ts.labels.tolist(), formats.network_to_json(network))).encode())
    assert digest.hexdigest()[:16] == PLANTED_DIGEST


PLANTED_DIGEST = "b2dc69ae3e722f12"


def test_a_larger_margin_keeps_fewer_points_near_the_hyperplanes():
    """The margin is a distance: raising it never lets a point nearer a hyperplane through."""
    for margin in (0, 1, 2):
        ts, network = planted_network_set(60, margin=margin, seed=3)
        assert keeps_margin(ts, network, Fraction(margin))
    ts, network = planted_network_set(60, margin=0, seed=3)
    assert not keeps_margin(ts, network, Fraction(3))  # some point of the unfiltered set is nearer than 3


def test_both_classes_occur_on_the_anchored_side():
    """Units are oriented so that the rarer output's region holds an anchor point: few one-class sets."""
    one_class = sum(len(set(planted_network_set(60, hidden=2, margin=0.5, seed=s)[0].labels.tolist())) < 2
                    for s in range(40))
    assert one_class <= 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, "the number of points n must be >= 1"),
        ({"n": 2.5}, "the number of points n must be an integer"),
        ({"margin": -1}, "margin must be >= 0"),
        ({"margin": float("nan")}, "margin must be finite"),
        ({"margin": float("inf")}, "margin must be finite"),
        ({"margin": True}, "margin must be a number"),
        ({"margin": "wide"}, "margin is not a number"),
        ({"dim": 0}, "the dimension dim must be >= 1"),
        ({"dim": 10**9}, "1000000000 dimensions: more than"),
        ({"hidden": 0}, "hidden units must be in 1..20"),
        ({"hidden": 21}, "hidden units must be in 1..20"),
        ({"output": "nand"}, "output must be one of and, or, xor"),
        ({"radius": 0}, "radius must be in 1..1000"),
        ({"n": 30, "dim": 1}, "only 21 distinct integer points lie in [-10, 10]^1"),
        ({"n": 50, "margin": 30}, f"only 0 of n=50 distinct points lie at distance >= 30 from every hyperplane after {50 * PLANTED_TRIES} draws"),
    ],
)
def test_bad_planted_parameters_are_one_clear_line(kwargs, message):
    kwargs = {"n": 10, **kwargs}
    with pytest.raises(InvalidInstanceError) as info:
        planted_network_set(kwargs.pop("n"), seed=0, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_the_registry_and_the_cli_see_the_planted_family(tmp_path):
    assert GENERATORS["planted-network"] is planted_network_set
    assert instance_type("planted-network") is TrainingSet
    code, out, err = run_cli("generate", "planted-network", "--n", 12, "--margin", 1, "--dim", 3, "--seed", 4)
    assert code == 0 and err == ""
    ts = formats.parse_csv(out)  # CSV on standard output, exact
    planted = formats.network_from_json(ts.metadata["planted_network"])
    assert ts.num_points == 12 and ts.dim == 3 and fits(planted, ts)
    assert ts.metadata["command"].startswith("trainhard generate planted-network --n 12")
    assert (ts.numerators == planted_network_set(12, margin=1.0, dim=3, seed=4)[0].numerators).all()
    assert run_cli("generate", "planted-network", "--n", 12, "-o", tmp_path / "p.npz")[0] == 0
    saved = formats.load_training_set(tmp_path / "p.npz")
    assert fits(formats.network_from_json(saved.metadata["planted_network"]), saved)
    code, out, err = run_cli("generate", "planted-network", "--n", 12, "--ratio", 2)
    assert code == 2 and out == "" and err == "error: generate planted-network takes no --ratio (its options: --margin, --dim, --hidden)\n"
    code, _, err = run_cli("generate", "planted-network", "--n", 12, "-o", tmp_path / "p.hgr")
    assert code == 2 and err.count("\n") == 1 and "not a TrainingSet" in err
    code, _, err = run_cli("generate", "planted-network", "--n", 100, "--margin", 40)
    assert code == 2 and err.startswith("error: only 0 of n=100") and err.count("\n") == 1


def test_crosscheck_takes_planted_sets_as_they_are():
    cases = generated_cases("planted-network", 10, instances=2, seed=5)
    assert all(c.reduction is None and c.training_set == planted_network_set(10, seed=5 + i)[0]
               for i, c in enumerate(cases))
    with pytest.raises(InvalidInstanceError, match="the planted-network generator takes no ratio"):
        generated_cases("planted-network", 10, instances=1, ratio=2.0)


# ---------------------------------------------------------------------------
# real data sets
# ---------------------------------------------------------------------------


def test_the_benchmark_reads_the_library_registry():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import real_data
    finally:
        sys.path.remove(str(ROOT))
    assert real_data.DATASETS is datasets.DATASETS and real_data.training_set is datasets.training_set


@needs_sklearn
def test_the_registered_sizes_are_the_data_sets_sizes():
    for name, spec in datasets.DATASETS.items():
        assert datasets.training_set(name).num_points == spec.points, name


@needs_sklearn
def test_a_subsample_is_stratified_seeded_and_exact():
    full = datasets.training_set("iris-petal")
    rows = {tuple(r): int(y) for r, y in zip(full.numerators.tolist(), full.labels.tolist())}
    a = datasets.sample("iris-petal", 30, seed=1)
    assert a.num_points == 30 and int(a.labels.sum()) == 10  # 50 of 150 positive: a third
    assert all(rows[tuple(r)] == y for r, y in zip(a.numerators.tolist(), a.labels.tolist()))  # rows of the set
    assert a == datasets.sample("iris-petal", 30, seed=1) and a != datasets.sample("iris-petal", 30, seed=2)
    assert a.denominator == full.denominator and a.metadata["hidden_units"] == 2 and a.metadata["sample_seed"] == 1
    whole = datasets.sample("iris-petal", "all", seed=3, hidden=1)
    assert whole.num_points == 150 and (whole.numerators == full.numerators).all() and whole.metadata["hidden_units"] == 1
    assert datasets.sample("wine", 178, seed=9) == datasets.sample("wine", "all", seed=0)
    two = datasets.sample("iris-petal", 2, seed=0)
    assert sorted(two.labels.tolist()) == [0, 1]  # at least one point of each class
    assert formats.parse_csv(formats.format_csv(a)) == a  # how it travels to a sweep worker


@pytest.mark.parametrize(
    "args, message",
    [
        (("mnist", 10), "unknown data set 'mnist'; choose one of iris-petal"),
        (("iris-petal", 151), "n=151 is more than the 150 points of iris-petal"),
        (("iris-petal", 0), "n must be >= 1"),
        (("iris-petal", "most"), "n must be a positive integer or \"all\""),
    ],
)
def test_bad_samples_are_refused_before_any_loading(monkeypatch, args, message):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # nothing is loaded to refuse these
    with pytest.raises(InvalidInstanceError, match=re.escape(message)):
        datasets.sample(*args)


def test_without_scikit_learn_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(datasets.MissingExtraError) as info:
        datasets.sample("wine", 20, seed=0)
    assert isinstance(info.value, ImportError) and isinstance(info.value, InvalidInstanceError)
    assert str(info.value) == datasets.SKLEARN_MISSING and "pip install -e '.[examples]'" in str(info.value)


def test_a_dataset_sweep_without_scikit_learn_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    path = tmp_path / "g.toml"
    path.write_text(IRIS)
    config = load_config(path)  # the names and sizes are known without it
    with pytest.raises(FormatError, match=r"family iris-petal at n=12, density=0.0: scikit-learn is not installed"):
        expand(config)
    code, out, err = run_cli("sweep", path, "--db", tmp_path / "r.sqlite")
    assert code == 2 and out == "" and err.count("\n") == 1 and "pip install -e '.[examples]'" in err
    assert not (tmp_path / "r.sqlite").exists()


# ---------------------------------------------------------------------------
# configurations
# ---------------------------------------------------------------------------

PLANTED = """
name = "planted"
seed = 4
instances = 2
time_limit = 60

[[families]]
family = "planted-network"
n = [10, 16]
density = [0.5, 1.5]
dimension = 3

[[solvers]]
name = "exact"
kind = "exact"

[[solvers]]
name = "gd"
kind = "gd"
restarts = 4
steps = 100
check_every = 10

[[solvers]]
name = "pattern-search"
kind = "heuristic"
heuristic = "pattern-search"
restart_steps = 500
"""

IRIS = """
name = "iris"
seed = 2
instances = 2
time_limit = 60

[[families]]
family = "dataset"
dataset = "iris-petal"
n = [12, "all"]
hidden = 1

[[solvers]]
name = "exact"
kind = "exact"
min_error = true
min_error_points = 150

[[solvers]]
name = "mlp"
kind = "heuristic"
heuristic = "mlp"
restart_steps = 400
"""

EXACT = '\n[[solvers]]\nname = "exact"\nkind = "exact"\n'


def test_dataset_lists_and_sizes_are_resolved_when_read():
    config = parse_config('[[families]]\nfamily = "dataset"\ndataset = ["iris-petal", "wine"]\nn = [50, "all"]\n'
                          'hidden = 3\noutput = "or"\n' + EXACT)
    assert [(f.name, f.dataset, f.n, f.density, f.hidden, f.output) for f in config.families] == [
        ("iris-petal", "iris-petal", (50, 150), (0.0,), 3, "or"),
        ("wine", "wine", (50, 178), (0.0,), 3, "or"),
    ]
    assert all(f.family == DATASET_FAMILY and f.training_sets for f in config.families)
    labelled = parse_config('[[families]]\nfamily = "dataset"\ndataset = ["iris-petal", "wine"]\nn = "all"\n'
                            'label = "k2"\n' + EXACT)
    assert [f.name for f in labelled.families] == ["k2 iris-petal", "k2 wine"]


def test_a_family_runs_only_the_solvers_it_names():
    config = parse_config("""
[[families]]
family = "planted-network"
n = [6]
density = [0.5]
solvers = ["exact"]
[[families]]
family = "hypergraph"
n = [6]
density = [1.0]
[[solvers]]
name = "exact"
kind = "exact"
[[solvers]]
name = "cadical"
kind = "sat"
""")
    by_family: dict[str, set[str]] = {}
    for task in expand(config):
        by_family.setdefault(task.row["family"], set()).add(task.row["solver"])
    assert by_family == {"planted-network": {"exact"}, "hypergraph": {"exact", "cadical"}}


BAD = [
    ('[[families]]\nfamily = "dataset"\ndataset = "mnist"\nn = [5]\n', 3, "dataset 'mnist' unknown; choose one of iris-petal"),
    ('[[families]]\nfamily = "dataset"\ndataset = "iris-petal"\nn = [500]\n', 4, "n=500 is more than the 150 points of iris-petal"),
    ('[[families]]\nfamily = "dataset"\ndataset = "iris-petal"\nn = [0]\n', 4, "n must be >= 1"),
    ('[[families]]\nfamily = "dataset"\nn = [5]\n', 2, "family dataset needs dataset = NAME"),
    ('[[families]]\nfamily = "dataset"\ndataset = "wine"\nn = [5]\ndensity = [1]\n', 5, "density must be 0 for family dataset"),
    ('[[families]]\nfamily = "dataset"\ndataset = "wine"\nn = [5]\ndimension = 3\n', 5, "dimension does not apply to family dataset"),
    ('[[families]]\nfamily = "cnf"\nn = "all"\ndensity = [4]\n', 3, "n must be an integer or a list of integers"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\ndataset = "wine"\n', 5, "dataset applies to family = \"dataset\" only"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [-0.5]\n', 4, "density must be a non-empty list of finite numbers >= 0"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [nan]\n', 4, "density must be a non-empty list of finite numbers >= 0"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\ndimension = 0\n', 5, "dimension must be a positive integer"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\nhidden = true\n', 5, "hidden must be a positive integer"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\noutput = "nand"\n', 5, "output must be one of and, or, xor"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\ncolors = 3\n', 5, "colors does not apply to family planted-network"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\nreduction = "cnf-to-loading"\n', 5, "reduction does not apply"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\ndimension = 3\n', 5, "dimension does not apply to family cnf"),
    ('[[families]]\nfamily = "graph"\nn = [5]\ndensity = [1]\ncolors = 3\nhidden = 3\n', 6, "hidden does not apply to family graph"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\nsolvers = ["exact", "other"]\n', 5,
     "solvers: no [[solvers]] table is called 'other'"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\nsolvers = []\n', 5, "solvers must be a name or a non-empty list"),
    ('[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [1]\n' + EXACT + '[[solvers]]\nkind = "sat"\n', 1,
     "family planted-network makes training sets, with no source instance, and solver 'sat' (sat) searches the source"),
    ('[[families]]\nfamily = "dataset"\ndataset = "wine"\nn = [5]\nsolvers = ["exact", "p"]\n' + EXACT
     + '[[solvers]]\nname = "p"\nkind = "heuristic"\nheuristic = "probsat"\n', 5, "solver 'p' (heuristic) searches the source"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD)
def test_bad_training_set_configs_name_file_and_line(tmp_path, text, line, message):
    if EXACT not in text:
        text += EXACT
    path = tmp_path / "grid.toml"
    path.write_text(text)
    with pytest.raises(FormatError) as info:
        load_config(path)
    assert (info.value.path, info.value.line) == (str(path), line)
    assert message in str(info.value)
    code, out, err = run_cli("sweep", path, "--db", tmp_path / "r.sqlite")
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith(f"error: {path}:{line}: ")


@pytest.mark.parametrize(
    "extra, message",
    [
        ("dimension = 1000000000", "family planted-network at n=5, density=1.0: 1000000000 dimensions: more than"),
        ("hidden = 50", "family planted-network at n=5, density=1.0: the number of hidden units must be in 1..20, got 50"),
        ("", None),  # density 40 below: no point keeps that margin
    ],
)
def test_instances_that_cannot_be_made_are_one_line(tmp_path, extra, message):
    density = 1 if message else 40
    message = message or "family planted-network at n=5, density=40.0: only 0 of n=5 distinct points"
    path = tmp_path / "grid.toml"
    path.write_text(f'[[families]]\nfamily = "planted-network"\nn = [5]\ndensity = [{density}]\n{extra}\n' + EXACT)
    with pytest.raises(FormatError, match=re.escape(message)):
        expand(load_config(path))
    code, out, err = run_cli("sweep", path, "--db", tmp_path / "r.sqlite")
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err


def test_the_sat_kind_never_runs_on_a_training_set():
    """The configuration refuses it; a hand-made task is refused too, never decided under the wrong name."""
    task = expand(parse_config(PLANTED))[0]
    with pytest.raises(InvalidInstanceError, match="the sat kind decides a source instance"):
        execute_task({**task.payload, "solver_kind": "sat", "options": dict(SOLVER_KINDS["sat"].defaults)})


# ---------------------------------------------------------------------------
# sweeps end to end
# ---------------------------------------------------------------------------


def test_a_planted_sweep_end_to_end(tmp_path):
    config = parse_config(PLANTED)
    tasks = expand(config)
    assert len(tasks) == 2 * 2 * 2 * 3  # n x margins x instances x solvers
    summary = run_sweep(config, tmp_path / "r.sqlite", workers=1)
    rows = read_rows(tmp_path / "r.sqlite")
    assert summary.ran == len(rows) == len(tasks) and summary.errors == () and summary.inconsistencies == ()
    by_key = {(r["instance_hash"], r["solver_key"], r["seed"]): r for r in rows}
    for task in tasks:
        row = by_key[task.key]
        ts = formats.parse_csv(task.payload["source"])
        # the text the worker solved is the generator's set for this cell and seed, exactly
        made, network = planted_network_set(row["n"], dim=3, margin=row["density"], seed=row["seed"])
        assert ts == made and fits(network, ts) and keeps_margin(ts, network, Fraction(row["density"]))
        assert row["source_kind"] == "training-set" and row["reduction"] is None
        assert row["num_points"] == row["n"] and row["dim"] == 3 and row["family"] == "planted-network"
        if row["solver_kind"] == "exact":  # the planted network fits: the exact trainer must find one
            assert row["status"] == "SAT" and row["verified"] == 1 and row["min_errors"] == 0
        else:
            assert row["status"] in ("SAT", "UNKNOWN") and (row["status"] != "SAT" or row["verified"] == 1)
    again = run_sweep(config, tmp_path / "r.sqlite", workers=1)
    assert again.skipped == len(tasks) and again.ran == 0  # resumed: nothing to redo


def min_errors_one_unit(ts: TrainingSet) -> int:
    """The fewest errors of one threshold unit, by brute force: the smallest set of points whose removal
    leaves the rest strictly separable (an LP per subset, scipy's HiGHS; independent of the exact trainer)."""
    from scipy.optimize import linprog

    x, y = ts.to_float(), ts.labels.astype(int)
    sign = np.where(y == 1, 1.0, -1.0)

    def separable(keep: list[int]) -> bool:
        # y_i (w . x_i - t) >= 1 for every kept point: variables w (dim), t
        a = -sign[keep, None] * np.hstack([x[keep], -np.ones((len(keep), 1))])
        res = linprog(np.zeros(ts.dim + 1), A_ub=a, b_ub=-np.ones(len(keep)), bounds=[(None, None)] * (ts.dim + 1))
        return res.status == 0

    points = range(ts.num_points)
    for errors in range(ts.num_points + 1):
        for dropped in itertools.combinations(points, errors):
            if separable([i for i in points if i not in dropped]):
                return errors
    raise AssertionError("unreachable: one point is always separable")  # pragma: no cover


@needs_sklearn
def test_an_iris_sweep_end_to_end(tmp_path):
    config = parse_config(IRIS)
    tasks = expand(config)
    # n=12: 2 seeded subsamples; n=all: the whole set once, whatever `instances` says
    assert sorted((t.row["n"], t.row["replicate"]) for t in tasks if t.row["solver"] == "exact") == [(12, 0), (12, 1), (150, 0)]
    summary = run_sweep(config, tmp_path / "r.sqlite", workers=1)
    rows = read_rows(tmp_path / "r.sqlite")
    assert summary.ran == len(rows) == len(tasks) == 6 and summary.errors == () and summary.inconsistencies == ()
    by_key = {(r["instance_hash"], r["solver_key"], r["seed"]): r for r in rows}
    for task in tasks:
        row = by_key[task.key]
        ts = formats.parse_csv(task.payload["source"])
        assert ts == datasets.sample("iris-petal", row["n"], seed=row["seed"], hidden=1)
        assert row["family"] == "iris-petal" and row["density"] == 0.0 and row["num_points"] == row["n"] and row["dim"] == 2
        if row["solver_kind"] == "exact":
            assert row["status"] in ("SAT", "UNSAT") and row["min_errors"] is not None
            if row["n"] == 12:  # small enough for brute force
                assert row["min_errors"] == min_errors_one_unit(ts)
            else:  # REFERENCES.md, measured on the same data: 29 for one unit on all 150 points
                assert row["min_errors"] == 29
        else:  # the MLP has a learned output: another architecture, so never a SAT for the 1-unit question it cannot answer
            assert row["status"] in ("SAT", "UNKNOWN")


def test_the_shipped_beyond_config_is_valid():
    config = load_config(ROOT / "benchmarks" / "sweeps" / "beyond.toml")
    names = [f.name for f in config.families]
    assert names == ["graph", "cnf via cnf-to-loading", "planted-network", "iris-petal", "wine"]
    for fam in config.families:
        kinds = {s.kind for s in config.solvers if fam.solvers is None or s.name in fam.solvers}
        assert "heuristic" in kinds
        if fam.training_sets:  # no source: the exact trainer decides
            assert "sat" not in kinds and "exact" in kinds
        else:  # a source: SAT decides it
            assert "sat" in kinds
    if has_sklearn():
        tasks = expand(config)
        allowed = {f.name: set(f.solvers or [s.name for s in config.solvers]) for f in config.families}
        assert all(t.row["solver"] in allowed[t.row["family"]] for t in tasks) and len(tasks) < 1000


def test_the_dry_run_names_training_set_families_and_lists_their_keys(tmp_path) -> None:
    config = tmp_path / "planted.toml"
    config.write_text(PLANTED)
    code, out, err = run_cli("sweep", config, "--db", tmp_path / "r.sqlite", "--dry-run")
    assert code == 0, err
    assert "c family planted-network: n [10, 16], density [0.5, 1.5]" in out
    code, out, err = run_cli("sweep", config, "--db", tmp_path / "r.sqlite", "--dry-run", "--json")
    import json

    [fam] = json.loads(out)["families"]
    assert fam["family"] == "planted-network" and fam["dimension"] == 3 and "hidden" in fam and "dataset" in fam
