"""The public Hypothesis strategies of :mod:`reductions.strategies`.

Every name in ``__all__`` is a documented callable that returns a
``SearchStrategy`` and draws valid objects; the module stays pure and
optional (``import reductions`` does not import Hypothesis).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

import reductions.strategies as strategies
from reductions import CNF, REDUCTIONS, Graph, Hypergraph, NAEFormula, OutputFunction, ThresholdNetwork, TrainingSet
from reductions.loading import LoadingInstance

ROOT = Path(__file__).resolve().parent.parent


def _trainer_case(case: Any) -> bool:
    ts, k, output = case
    return isinstance(ts, TrainingSet) and k >= 1 and isinstance(output, OutputFunction) and output.arity == k


def _reduction_case(case: Any) -> bool:
    source, params = case
    red = REDUCTIONS["splitting-to-blum-rivest"]
    return isinstance(source, red.source_types) and params == {} and isinstance(red(source), TrainingSet)


def _halfspace_case(case: Any) -> bool:
    points, labels = case
    return len(points) == len(labels) >= 1 and len({len(p) for p in points}) == 1 and set(labels) <= {0, 1}


def _integer_system(case: Any) -> bool:
    rows, rhs = case
    return len(rows) == len(rhs) >= 1 and all(isinstance(v, int) for row in rows for v in row) and all(
        isinstance(v, int) for v in rhs
    )


def _set_family(case: Any) -> bool:
    n, sets = case
    return all(s and s <= set(range(n)) for s in sets)


def _planted_network_args(case: Any) -> bool:
    from reductions.generators import planted_network_set

    n, kwargs = case
    ts, network = planted_network_set(n, **kwargs)
    return ts.num_points == n and network.hidden_units == kwargs["hidden"]


def _sweep_config(text: Any) -> bool:
    config = tomllib.loads(text)
    return bool(config["families"]) and bool(config["solvers"])


CASES: dict[str, tuple[tuple[Any, ...], Callable[[Any], bool]]] = {
    # name: (positional arguments, check of one drawn value)
    "cnfs": ((), lambda v: isinstance(v, CNF)),
    "nae_formulas": ((), lambda v: isinstance(v, NAEFormula)),
    "hypergraphs": ((), lambda v: isinstance(v, Hypergraph)),
    "graphs": ((), lambda v: isinstance(v, Graph) and all(a != b for a, b in v.edges)),
    "training_sets": ((), lambda v: isinstance(v, TrainingSet)),
    "networks": ((), lambda v: isinstance(v, ThresholdNetwork)),
    "output_functions": ((2,), lambda v: isinstance(v, OutputFunction) and v.arity == 2),
    "fractions": ((), lambda v: isinstance(v, Fraction)),
    "json_metadata": ((), lambda v: isinstance(v, dict) and json.loads(json.dumps(v)) == v),
    "reduction_cases": ((REDUCTIONS["splitting-to-blum-rivest"],), _reduction_case),
    "loading_instances": ((), lambda v: isinstance(v, LoadingInstance)),
    "trainer_cases": ((), _trainer_case),
    "sweep_configs": ((), _sweep_config),
    "set_families": ((), _set_family),
    "float_trainer_cases": ((), _trainer_case),
    "halfspace_cases": ((), _halfspace_case),
    "integer_systems": ((), _integer_system),
    "planted_network_args": ((), _planted_network_args),
}


def test_every_public_strategy_is_checked_here():
    assert set(CASES) == set(strategies.__all__)
    assert len(strategies.__all__) == len(set(strategies.__all__))


@pytest.mark.parametrize("name", strategies.__all__)
def test_public_strategy_draws_valid_objects(name):
    function = getattr(strategies, name)
    assert callable(function)
    assert function.__doc__ and function.__doc__.strip(), f"{name} has no docstring"
    assert f":func:`{name}`" in strategies.__doc__, f"the module docstring does not list {name}"
    args, valid = CASES[name]
    strategy = function(*args)
    assert isinstance(strategy, SearchStrategy)

    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(strategy)
    def draw(value):
        assert valid(value), value

    draw()


def test_reduction_cases_accepts_a_name():
    @settings(max_examples=5, deadline=None)
    @given(strategies.reduction_cases("coloring-to-halfspaces"))
    def draw(case):
        source, params = case
        assert isinstance(source, REDUCTIONS["coloring-to-halfspaces"].source_types)
        assert set(params) == {p.name for p in REDUCTIONS["coloring-to-halfspaces"].parameters}

    draw()


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_import_reductions_does_not_import_hypothesis():
    proc = _run("import sys, reductions, reductions.generators, reductions.formats\nprint('hypothesis' in sys.modules)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_a_clear_error_without_hypothesis():
    code = (
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "try:\n"
        "    import reductions.strategies\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    proc = _run(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "reductions.strategies needs hypothesis: pip install 'trainhard[test]'"
