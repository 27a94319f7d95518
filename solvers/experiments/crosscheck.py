"""Cross-check: gradient descent against the exact answer, instance by instance.

Each case is a training set, usually the image of a source instance (a
hypergraph, a CNF, a graph) under a registered reduction.  The case is
decided exactly (the source by a SAT solver, which is fast; a bare training
set by the exact trainer or the LP decider), gradient descent runs on the
training set (:func:`solvers.gd.networks.train_gd`, judged by the exact ``fits``), and
each success is mapped back through the reduction's backward witness map to
a source certificate that the source's verifier checks.

Judd's loading instances (:class:`~reductions.loading.LoadingInstance`, e.g.
the image of a CNF under ``cnf-to-loading``) take the same path: the source
is decided exactly (a bare instance by :func:`solvers.exact.loading.decide_loading`),
gradient descent trains the architecture's threshold units
(:func:`solvers.gd.loading.train_gd_loading`, judged by the exact ``loads``),
and a success is mapped back and verified.  The verdicts:

``solved-by-both``
    satisfiable, and gradient descent found a fitting network;
``missed-by-gd``
    satisfiable, but no restart of gradient descent found one;
``unsatisfiable``
    no network fits; gradient descent cannot succeed, and its best
    accuracy is compared with the exact minimum number of errors where the
    exact trainer gives it (for satisfiable cases the minimum is 0);
``solved-by-gd-only``
    the exact decider ran out of time, and gradient descent's network,
    checked exactly, proves the case satisfiable;
``undecided``
    neither decided it.

A gradient-descent "success" on a case the exact decider proves
unsatisfiable is impossible: :func:`crosscheck` saves the case and the
network for debugging and raises :class:`ImpossibleSuccessError`.

References
----------
A. Blum, R. L. Rivest, "Training a 3-node neural network is NP-complete",
Neural Networks 5(1):117-127, 1992.
J. S. Judd, "On the complexity of loading shallow neural networks",
J. Complexity 4:177–192, 1988.
"""

from __future__ import annotations

import enum
import inspect
import json
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from reductions import formats
from reductions.errors import InvalidInstanceError, TrainhardError
from reductions.generators import GENERATORS
from reductions.loading import LoadingInstance, configuration_to_json, save_loading
from reductions.problems import CNF, Graph, Hypergraph, Kind, NAEFormula, ThresholdNetwork, TrainingSet, verify
from reductions.registry import Reduction, get_reduction

from ..gd.networks import GDConfig, GDInstanceResult, GDRun, train_gd
from ..gd.loading import LoadingGDResult, check_loading_config, train_gd_loading
from ..core.result import Status
from . import MIN_ERROR_POINTS

__all__ = [
    "Verdict",
    "Case",
    "CrosscheckRow",
    "CrosscheckReport",
    "ImpossibleSuccessError",
    "MapBackError",
    "crosscheck",
    "case_from_instance",
    "generated_cases",
    "default_reduction",
    "resolve_reduction",
    "restart_prefixes",
    "judge_case",
    "MIN_ERROR_POINTS",
]


class Verdict(enum.Enum):
    """How gradient descent fared against the exact answer on one case."""

    BOTH = "solved-by-both"
    MISSED = "missed-by-gd"
    UNSAT = "unsatisfiable"
    GD_ONLY = "solved-by-gd-only"
    UNDECIDED = "undecided"


class ImpossibleSuccessError(TrainhardError):
    """Gradient descent "fitted" a case the exact decider proves unsatisfiable (a bug somewhere)."""


class MapBackError(TrainhardError):
    """A fitting network mapped back to a source witness that its verifier rejects (a bug)."""


@dataclass(frozen=True)
class Case:
    """One instance to cross-check.

    Attributes
    ----------
    name : str
        A label for reports (a file name, or family and seed).
    training_set : TrainingSet or LoadingInstance
        What gradient descent trains on: a training set (Blum–Rivest
        network) or a loading instance (Judd's architecture).
    source : object or None
        The source instance the training set was reduced from, if known.
    reduction : Reduction or None
        The reduction that made ``training_set`` from ``source``.
    params : mapping
        The reduction's parameters (e.g. ``{"k": 3}``).
    """

    name: str
    training_set: TrainingSet
    source: Any = None
    reduction: Reduction | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.training_set, (TrainingSet, LoadingInstance)):
            raise InvalidInstanceError(f"case {self.name!r}: the training set is a {type(self.training_set).__name__}")
        if (self.source is None) != (self.reduction is None):
            raise InvalidInstanceError(f"case {self.name!r}: give both a source and its reduction, or neither")


@dataclass(frozen=True)
class CrosscheckRow:
    """The verdict on one case.

    Attributes
    ----------
    case : Case
    verdict : Verdict
    exact_status : Status
    exact_solver : str
    exact_time_s : float
    gd : GDInstanceResult or LoadingGDResult
        The latter for loading instances (its ``num_points`` is the number of pairs).
    min_errors : int or None
        The exact minimum number of misclassified points (0 when satisfiable;
        for unsatisfiable cases from the exact trainer's min-error mode when
        it ran and finished, or 1 when gradient descent's best network,
        counted exactly, misclassifies a single point).
    source_witness : object or None
        Gradient descent's network (or configuration) mapped back to the source, verified.
    """

    case: Case
    verdict: Verdict
    exact_status: Status
    exact_solver: str
    exact_time_s: float
    gd: GDInstanceResult
    min_errors: int | None = None
    source_witness: Any = None

    @property
    def gap(self) -> int | None:
        """Gradient descent's best error count minus the true minimum, where known."""
        return None if self.min_errors is None else self.gd.best_errors - self.min_errors

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready record."""
        obj = {
            "name": self.case.name,
            "verdict": self.verdict.value,
            "exact": self.exact_status.value,
            "exact_solver": self.exact_solver,
            "exact_time_s": self.exact_time_s,
            "reduction": self.case.reduction.name if self.case.reduction else None,
            **(self.gd.to_json(self.case.training_set, full=False) if isinstance(self.gd, LoadingGDResult)
               else self.gd.to_json(full=False)),
            "min_errors": self.min_errors,
            "gap": self.gap,
        }
        obj["source_witness"] = None if self.source_witness is None else [int(x) for x in self.source_witness]
        return obj


def restart_prefixes(restarts: int) -> list[int]:
    """1, 4, 16, ... below ``restarts``, then ``restarts``: the columns of a solved-within table."""
    out, r = [], 1
    while r < restarts:
        out.append(r)
        r *= 4
    return out + [restarts]


@dataclass(frozen=True)
class CrosscheckReport:
    """All verdicts of one :func:`crosscheck` call."""

    rows: tuple[CrosscheckRow, ...]
    gd_run: GDRun
    time_s: float

    def counts(self) -> dict[str, int]:
        """Cases per verdict (every verdict listed, zeros included)."""
        return {v.value: sum(row.verdict is v for row in self.rows) for v in Verdict}

    def solved_within(self) -> dict[int, int]:
        """For each restart prefix, how many cases gradient descent solved with that many restarts."""
        return {r: sum(row.gd.solved_within(r) for row in self.rows) for r in restart_prefixes(self.gd_run.config.restarts)}

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready report: the configuration, every row, the summary."""
        cfg = self.gd_run.config
        return {
            "config": {name: getattr(cfg, name) for name in cfg.__dataclass_fields__},
            "device": self.gd_run.device,
            "instances": [row.to_json() for row in self.rows],
            "summary": {
                **self.counts(),
                "satisfiable": sum(r.exact_status is Status.SAT for r in self.rows),
                "solved_within_restarts": {str(k): v for k, v in self.solved_within().items()},
            },
            "gd_time_s": self.gd_run.time_s,
            "restart_steps": self.gd_run.restart_steps,
            "time_s": self.time_s,
        }


# ---------------------------------------------------------------------------
# building cases
# ---------------------------------------------------------------------------


def default_reduction(instance: Any, *, colors: int | None = None) -> tuple[Reduction, dict[str, Any]]:
    """The reduction a source instance goes through by default, and its parameters.

    Hypergraphs: ``splitting-to-blum-rivest`` (or ``coloring-to-halfspaces``
    with ``colors`` > 2); graphs: ``coloring-to-halfspaces`` (``colors``
    required); CNF: ``cnf-to-blum-rivest``.
    """
    if isinstance(instance, Hypergraph) and colors in (None, 2):
        return get_reduction("splitting-to-blum-rivest"), {}
    if isinstance(instance, (Hypergraph, Graph)):
        if colors is None:
            raise InvalidInstanceError("a graph needs a number of colours (hidden units): pass colors=K / --colors K")
        return get_reduction("coloring-to-halfspaces"), {"k": int(colors)}
    if isinstance(instance, CNF):
        return get_reduction("cnf-to-blum-rivest"), {}
    raise InvalidInstanceError(f"no default reduction for a {type(instance).__name__}; name one")


def resolve_reduction(
    instance: Any, reduction: str | Reduction | None, *, colors: int | None = None
) -> tuple[Reduction, dict[str, Any]]:
    """The reduction (named, or the default for ``instance``) and its parameters (``k = colors`` where it takes one)."""
    if reduction is None:
        return default_reduction(instance, colors=colors)
    red = get_reduction(reduction)
    return red, red.params(**({"k": colors} if colors is not None and red.parameters else {}))


def case_from_instance(
    instance: Any, name: str, *, reduction: str | Reduction | None = None, colors: int | None = None
) -> Case:
    """A :class:`Case` from a source instance (reduced) or a training set or loading instance (as is)."""
    if isinstance(instance, (TrainingSet, LoadingInstance)):
        if reduction is not None:
            raise InvalidInstanceError(f"{name}: a training set is not reduced again; drop the reduction")
        return Case(name, instance)
    if isinstance(instance, (ThresholdNetwork, NAEFormula)) and reduction is None:
        raise InvalidInstanceError(f"{name}: cannot cross-check a {type(instance).__name__} without a reduction")
    red, params = resolve_reduction(instance, reduction, colors=colors)
    if red.target not in (Kind.TRAINING, Kind.LOADING):
        raise InvalidInstanceError(f"{red.name} does not produce a training set or a loading instance")
    target = red(instance, **params)
    if isinstance(target, LoadingInstance):
        return Case(name, target, instance, red, params)
    target = TrainingSet(target.numerators, target.labels, target.denominator, {**target.metadata, "reduction": red.name})
    return Case(name, target, instance, red, params)


def generated_cases(
    family: str,
    n: int,
    *,
    instances: int,
    seed: int = 0,
    ratio: float | None = None,
    m: int | None = None,
    edge_size: int | None = None,
    p: float | None = None,
    colors: int | None = None,
    reduction: str | None = None,
) -> list[Case]:
    """``instances`` seeded instances of a generator family (seeds ``seed, seed+1, ...``), reduced.

    A family that makes training sets (``planted-network``) gives them as
    they are: no reduction.  An option the generator does not take is
    refused (``InvalidInstanceError``).
    """
    if family not in GENERATORS:
        raise InvalidInstanceError(f"unknown family {family!r}; choose one of {', '.join(GENERATORS)}")
    if instances < 1:
        raise InvalidInstanceError(f"instances must be >= 1, got {instances}")
    takes = inspect.signature(GENERATORS[family]).parameters
    kwargs: dict[str, Any] = {}
    for key, value in (("ratio", ratio), ("m", m), ("k", edge_size), ("p", p)):
        if value is not None:
            if key not in takes:
                raise InvalidInstanceError(f"the {family} generator takes no {key}")
            kwargs[key] = value
    cases = []
    for i in range(instances):
        made = GENERATORS[family](n, seed=seed + i, **kwargs)
        instance = made[0] if isinstance(made, tuple) else made
        cases.append(case_from_instance(instance, f"{family}-n{n}-s{seed + i}", reduction=reduction, colors=colors))
    return cases


# ---------------------------------------------------------------------------
# deciding exactly
# ---------------------------------------------------------------------------


def _decide(case: Case, hidden: int, output: str, time_limit: float | None) -> tuple[Status, str, float]:
    """Decide the case exactly through :func:`solvers.solve`: its source if it has one, else its target."""
    from ..exact.front import solve

    start = time.perf_counter()
    if case.source is not None:
        colors = case.reduction.source_params(**case.reduction.params(**case.params)).get("colors")
        result = solve(case.source, time_limit=time_limit, colors=colors)
    elif isinstance(case.training_set, LoadingInstance):
        result = solve(case.training_set, time_limit=time_limit)
    else:
        result = solve(case.training_set, time_limit=time_limit, hidden_units=hidden, output=output)
    return result.status, result.solver, time.perf_counter() - start


def _min_errors(case: Case, hidden: int, output: str, time_limit: float | None, initial: Any = None) -> int | None:
    """The proved minimum error, the exact search warm-started from gradient descent's best network."""
    from ..exact.trainer import train_exact

    try:
        res = train_exact(case.training_set, hidden, output=output, min_error=True, time_limit=time_limit,
                          initial=initial)
    except TrainhardError:
        return None
    errors = getattr(res, "errors", None)
    return int(errors) if res.status is Status.SAT and errors is not None else None


def _save_impossible(case: Case, network: Any, debug_dir: str | Path | None) -> Path:
    folder = Path(debug_dir) if debug_dir is not None else Path(tempfile.mkdtemp(prefix="trainhard-impossible-"))
    folder.mkdir(parents=True, exist_ok=True)
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in case.name) or "case"
    if isinstance(case.training_set, LoadingInstance):
        save_loading(case.training_set, folder / f"{stem}.loading.json")
        config = configuration_to_json(case.training_set.architecture, network)
        (folder / f"{stem}.configuration.json").write_text(json.dumps(config, indent=1) + "\n")
    else:
        formats.save_training_set(case.training_set, folder / f"{stem}.npz")
        formats.save_network(network, folder / f"{stem}.network.json")
    if case.source is not None:
        ext = {CNF: ".cnf", Hypergraph: ".hgr", Graph: ".col", NAEFormula: ".nae"}.get(type(case.source))
        if ext:
            formats.write_instance(case.source, folder / f"{stem}{ext}")
    return folder


# ---------------------------------------------------------------------------
# the cross-check
# ---------------------------------------------------------------------------


def crosscheck(
    cases: Sequence[Case],
    config: GDConfig | None = None,
    *,
    exact_time_limit: float | None = None,
    min_error_points: int = MIN_ERROR_POINTS,
    min_error_time_limit: float | None = 10.0,
    debug_dir: str | Path | None = None,
    progress: bool = False,
) -> CrosscheckReport:
    """Decide each case exactly, run gradient descent on all of them, and compare.

    Parameters
    ----------
    cases : sequence of Case
        All cases must ask for the same number of hidden units (their
        metadata ``hidden_units``, else ``config.hidden``).
    config : GDConfig, optional
        Gradient descent's settings; ``hidden`` and ``output`` are taken
        from the cases' metadata when they name an architecture.
    exact_time_limit : float, optional
        Seconds for each exact decision (UNKNOWN beyond).
    min_error_points : int
        Run the exact trainer's min-error mode on unsatisfiable cases of at
        most this many points (it is expensive); larger ones get no gap.
    min_error_time_limit : float, optional
        Seconds for each min-error run.
    debug_dir : path, optional
        Where an impossible success is saved (a fresh temporary folder if None).
    progress : bool
        Progress bars on standard error.

    Raises
    ------
    ImpossibleSuccessError
        When a network that ``fits`` a case is found for a case the exact
        decider proves unsatisfiable (after saving both).
    MapBackError
        When a fitting network maps back to a source witness that fails its
        verifier.
    """
    start = time.perf_counter()
    cases = list(cases)
    if not cases:
        raise InvalidInstanceError("nothing to cross-check: no cases")
    config = config or GDConfig()
    loading = [isinstance(c.training_set, LoadingInstance) for c in cases]
    if any(loading):
        if not all(loading):
            raise InvalidInstanceError("the cases mix loading instances and training sets; cross-check them separately")
        return _crosscheck_loading(cases, config, exact_time_limit, debug_dir, progress, start)
    # here the set's metadata wins and the configuration is the fallback
    hidden = {int(c.training_set.metadata.get("hidden_units", config.hidden)) for c in cases}
    outputs = {str(c.training_set.metadata.get("output", config.output)) for c in cases}
    if len(hidden) > 1 or len(outputs) > 1:
        raise InvalidInstanceError(
            f"the cases ask for different architectures (hidden units {sorted(hidden)}, outputs {sorted(outputs)}); cross-check them separately"
        )
    config = replace(config, hidden=hidden.pop(), output=outputs.pop())

    exact = _decide_all(cases, config, exact_time_limit, progress)
    run = train_gd([c.training_set for c in cases], config, progress=progress)

    rows = []
    for case, (status, solver, seconds), gd in zip(cases, exact, run.instances):
        verdict, witness = judge_case(case, status, solver, gd.network, "a network that fits", "network", debug_dir)
        if status is Status.SAT or gd.solved:
            min_errors: int | None = 0
        elif status is Status.UNSAT and case.training_set.num_points <= min_error_points:
            min_errors = _min_errors(case, config.hidden, config.output, min_error_time_limit, gd.best_network)
        else:
            min_errors = None
        if min_errors is None and status is Status.UNSAT and gd.best_errors == 1:
            # no network fits (>= 1 error) and gradient descent's network, counted exactly, makes 1
            min_errors = 1
        rows.append(CrosscheckRow(case, verdict, status, solver, seconds, gd, min_errors, witness))
    return CrosscheckReport(tuple(rows), run, time.perf_counter() - start)


def _decide_all(
    cases: Sequence[Case], config: GDConfig, time_limit: float | None, progress: bool
) -> list[tuple[Status, str, float]]:
    """Every case decided exactly (:func:`_decide`), with a progress bar."""
    from ..core.progress import Progress

    exact: list[tuple[Status, str, float]] = []
    with Progress(len(cases), "exact", enabled=progress) as bar:
        for case in cases:
            exact.append(_decide(case, config.hidden, config.output, time_limit))
            bar.advance()
    return exact


def judge_case(
    case: Case, status: Status, solver: str, found: Any, what: str, noun: str, debug_dir: str | Path | None
) -> tuple[Verdict, Any]:
    """The verdict for one case, and the source witness mapped back from gradient descent's success.

    ``found`` is gradient descent's exactly checked network (or loading
    configuration), ``None`` when no restart succeeded.  A success on a case
    the exact decider proves unsatisfiable is saved and raises
    :class:`ImpossibleSuccessError`; a success is mapped back through the
    case's reduction and the witness checked by the source's verifier.
    """
    if found is None:
        verdict = {Status.SAT: Verdict.MISSED, Status.UNSAT: Verdict.UNSAT}.get(status, Verdict.UNDECIDED)
        return verdict, None
    if status is Status.UNSAT:
        folder = _save_impossible(case, found, debug_dir)
        raise ImpossibleSuccessError(
            f"{case.name}: gradient descent found {what}, but {solver} proves the case unsatisfiable; "
            f"case and {noun} saved in {folder}"
        )
    witness = None
    if case.reduction is not None:
        red = case.reduction
        witness = red.backward(case.source, case.training_set, found)
        colors = red.source_params(**red.params(**case.params)).get("colors")
        if not verify(red.source, case.source, witness, colors=colors):
            raise MapBackError(f"{case.name}: the {red.name} backward map gave a {red.source.value} witness that does not verify")
    return (Verdict.BOTH if status is Status.SAT else Verdict.GD_ONLY), witness


def _crosscheck_loading(
    cases: list[Case], config: GDConfig, exact_time_limit: float | None, debug_dir: str | Path | None,
    progress: bool, start: float,
) -> CrosscheckReport:
    """:func:`crosscheck` for loading instances (Judd): gradient descent by :func:`train_gd_loading`.

    The minimum number of wrong pairs is known only where every pair is
    required: 0 when the case is satisfiable or gradient descent loaded it,
    1 when it is unsatisfiable and gradient descent's best configuration,
    counted exactly, gets one pair wrong; otherwise ``None``.
    """
    check_loading_config(config)  # refuse a bad setting before the exact decisions, not after
    exact = _decide_all(cases, config, exact_time_limit, progress)
    run = train_gd_loading([c.training_set for c in cases], config, progress=progress)
    rows = []
    for case, (status, solver, seconds), gd in zip(cases, exact, run.instances):
        verdict, witness = judge_case(
            case, status, solver, gd.configuration, "a configuration that loads the task", "configuration", debug_dir
        )
        min_errors: int | None = None
        if gd.required == gd.num_pairs:
            if status is Status.SAT or gd.solved:
                min_errors = 0
            elif status is Status.UNSAT and gd.best_errors == 1 and gd.best_configuration is not None:
                min_errors = 1
        rows.append(CrosscheckRow(case, verdict, status, solver, seconds, gd, min_errors, witness))
    return CrosscheckReport(tuple(rows), run, time.perf_counter() - start)
