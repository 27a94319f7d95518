"""The solver kinds a sweep can run (:data:`SOLVER_KINDS`): exact deciders and heuristics.

Each kind declares its options with defaults, how it validates and runs a
task, whether it is exact (its UNSAT is a proof) or a heuristic (it can
only find), and the modules its workers preload.  The sweep, the report's
figures and the consistency checks all read these declarations; adding a
kind is one entry here plus its tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from reductions.errors import InvalidInstanceError

from ..core.architecture import resolve_hidden, resolve_output_name
from ..exact.backends import DEFAULT_SOLVER
from . import MIN_ERROR_POINTS

__all__ = [
    "SOLVER_KINDS",
    "SolverKind",
    "SweepCase",
    "exact_kinds",
    "heuristic_kinds",
    "package_version",
    "preload_modules",
]


_VERSIONS: dict[str, str] = {}


def package_version(package: str) -> str:
    """The installed version of ``package`` (cached; ``"not installed"`` if absent), for provenance columns."""
    if package not in _VERSIONS:
        import importlib.metadata  # 9 ms: only when a row is written, not when the CLI starts

        try:
            _VERSIONS[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            _VERSIONS[package] = "0.1.0+source" if package == "trainhard" else "not installed"
    return _VERSIONS[package]



def _never(options: Mapping[str, Any]) -> bool:
    return False


@dataclass(frozen=True)
class SolverKind:
    """A kind of solver a sweep can run: its options with defaults, and how it runs.

    Attributes
    ----------
    name, description : str
    defaults : mapping
        Its options and their defaults (a configuration may set only these).
    validate : callable
        Refuses bad options (``InvalidInstanceError``) before anything runs.
    run : callable
        ``run(case, options, time_limit) -> row``: one task, judged exactly.
    exact : bool
        Whether its UNSAT is a proof (an exact decider) or it can only
        find (a heuristic, whose SAT is checked exactly and whose failure
        proves nothing).  The report and the consistency checks read this.
    preload : tuple of str
        Modules a sweep worker imports before it takes tasks of this kind,
        so that import time never counts against a task's limit.
    searches_source : callable
        ``searches_source(options) -> bool``: whether a solver of this kind
        with these (validated) options works on the source instance (a
        model, a colouring) rather than the training set.  A training-set
        family has no source, and the sweep refuses such a solver on it
        when the configuration is read.
    """

    name: str
    description: str
    defaults: Mapping[str, Any]
    validate: Callable[[dict[str, Any]], None]
    run: Callable[["SweepCase", dict[str, Any], float | None], dict[str, Any]]
    exact: bool
    preload: tuple[str, ...] = ()
    searches_source: Callable[[Mapping[str, Any]], bool] = _never




@dataclass
class SweepCase:
    """What a worker builds from a task: the source, and (on first use) the reduced case.

    For a training-set family (planted networks, real data) ``source`` is
    the training set itself and ``reduction`` is None: the case's target is
    the set, as is.
    """

    source: Any
    reduction: Any
    colors: int | None
    built: Any = None  # the solvers.experiments.crosscheck.Case, once a solver asked for the target

    @property
    def case(self) -> Any:
        """The :class:`solvers.experiments.crosscheck.Case`: source, reduction and target (built once)."""
        if self.built is None:
            from .crosscheck import case_from_instance

            self.built = case_from_instance(self.source, "task", reduction=self.reduction, colors=self.colors)
        return self.built

    @property
    def target(self) -> Any:
        """The training set or loading instance."""
        return self.case.training_set


def _check_choice(options: dict[str, Any], key: str, allowed: Sequence[Any]) -> None:
    if options[key] not in allowed:
        raise InvalidInstanceError(f"{key} must be one of {', '.join(map(str, allowed))}, got {options[key]!r}")


def _validate_sat(options: dict[str, Any]) -> None:
    from ..exact.sat import SOLVERS

    _check_choice(options, "backend", list(SOLVERS))


def _validate_exact(options: dict[str, Any]) -> None:
    from ..exact.sat import SOLVERS

    _check_choice(options, "method", ["lazy", "milp"])
    _check_choice(options, "solver", list(SOLVERS))
    if not isinstance(options["min_error"], bool):
        raise InvalidInstanceError(f"min_error must be true or false, got {options['min_error']!r}")
    if not isinstance(options["min_error_points"], int) or options["min_error_points"] < 0:
        raise InvalidInstanceError(f"min_error_points must be an integer >= 0, got {options['min_error_points']!r}")


def _gd_defaults() -> dict[str, Any]:
    from dataclasses import fields

    from ..gd.networks import GDConfig

    return {f.name: f.default for f in fields(GDConfig) if f.name not in ("hidden", "output", "restart_offset")}


def _validate_gd(options: dict[str, Any]) -> None:
    from ..gd.networks import GDConfig

    GDConfig(**options)


def _interruptible(backend: str) -> bool:
    from ..exact.sat import SOLVERS

    return SOLVERS[backend].stops_promptly


def _always(options: Mapping[str, Any]) -> bool:
    return True


def _heuristic_searches_source(options: Mapping[str, Any]) -> bool:
    from ..heuristics.registry import get_heuristic

    return get_heuristic(options["heuristic"]).acts_on == "source"


def _run_sat(case: SweepCase, options: dict[str, Any], time_limit: float | None) -> dict[str, Any]:
    from reductions.problems import TrainingSet

    from ..exact.front import solve
    from ..exact.sat import SOLVERS

    if isinstance(case.source, TrainingSet):  # the sweep refuses the combination; never decide the set under this name
        raise InvalidInstanceError("the sat kind decides a source instance; a training-set family has none")
    backend = options["backend"]
    # An interruptible backend stops itself at the soft limit; CaDiCaL and
    # Kissat cannot be interrupted and are stopped by the hard kill instead
    # (no grandchild process to outlive the worker).
    result = solve(case.source, solver=backend, colors=case.colors,
                   time_limit=time_limit if _interruptible(backend) else None)
    return {
        "status": result.status.value,
        "reason": "time limit" if result.status.value == "UNKNOWN" else None,
        "verified": 1 if result.status.value == "SAT" else None,  # solve() verifies every witness
        "time_s": result.time_s,
        "solver_version": f"{backend} ({SOLVERS[backend].description}) via python-sat {package_version('python-sat')}",
        "extra": {k: v for k, v in result.stats.items() if isinstance(v, (int, float, str))},
    }


def _run_exact(case: SweepCase, options: dict[str, Any], time_limit: float | None) -> dict[str, Any]:
    from reductions.loading import LoadingInstance

    target = case.target
    if isinstance(target, LoadingInstance):
        from ..exact.front import solve

        start = time.perf_counter()
        result = solve(target, solver=options["solver"], time_limit=time_limit)
        return {
            "status": result.status.value,
            "reason": "time limit" if result.status.value == "UNKNOWN" else None,
            "verified": 1 if result.status.value == "SAT" else None,  # checked with loads()
            "time_s": time.perf_counter() - start,
            "solver_version": f"trainhard {package_version('trainhard')} decide_loading ({options['solver']}, python-sat {package_version('python-sat')})",
            "extra": {k: v for k, v in result.stats.items() if isinstance(v, (int, float, str))},
        }
    from ..exact.trainer import train_exact

    hidden = int(resolve_hidden(target))
    output = str(resolve_output_name(target))
    start = time.monotonic()
    res = train_exact(target, hidden, output=output, method=options["method"], solver=options["solver"],
                      time_limit=time_limit, minimize_core=False)
    row: dict[str, Any] = {
        "status": res.status.value,
        "reason": res.reason or None,
        "verified": 1 if res.status.value == "SAT" else None,  # train_exact checks fits()
        "time_s": res.time_s,
        "min_errors": 0 if res.status.value == "SAT" else None,
        "solver_version": f"trainhard {package_version('trainhard')} train-exact-{options['method']} "
                          f"({options['solver']}, python-sat {package_version('python-sat')}, scipy {package_version('scipy')})",
        "extra": {k: v for k, v in res.stats.items() if isinstance(v, (int, float, str))},
    }
    if res.status.value == "UNSAT" and options["min_error"] and target.num_points <= options["min_error_points"]:
        left = None if time_limit is None else max(0.1, time_limit - (time.monotonic() - start))
        best = train_exact(target, hidden, output=output, min_error=True, solver=options["solver"], time_limit=left)
        if best.status.value == "SAT" and best.errors is not None:
            row["min_errors"] = int(best.errors)
    return row


def _run_gd(case: SweepCase, options: dict[str, Any], time_limit: float | None) -> dict[str, Any]:
    from reductions.loading import LoadingInstance

    from .crosscheck import judge_case
    from ..gd.networks import GDConfig, train_gd
    from ..core.result import Status

    target = case.target
    if isinstance(target, LoadingInstance):
        from ..gd.loading import train_gd_loading

        run: Any = train_gd_loading([target], GDConfig(**options), time_limit=time_limit)
        result = run.instances[0]
        found = result.configuration
    else:
        config = GDConfig(hidden=int(resolve_hidden(target)), output=str(resolve_output_name(target)), **options)
        run = train_gd([target], config, time_limit=time_limit)
        result = run.instances[0]
        found = result.network
    # maps a success back through the reduction and verifies the source certificate
    judge_case(case.case, Status.UNKNOWN, "none", found, "a fitting network", "network", None)
    solved = found is not None
    stopped = " before the time limit stopped it" if run.timed_out else ""
    arithmetic = "fast GEMM arithmetic" if run.config.fast else "batch-invariant arithmetic"
    return {
        "status": "SAT" if solved else "UNKNOWN",
        "reason": None if solved else f"no restart fitted{stopped} (best: {result.best_errors} errors)",
        "verified": 1 if solved else None,
        "time_s": run.time_s,
        "gd_restarts": result.restarts,
        "gd_steps": run.config.steps,
        "gd_restarts_solved": result.restarts_solved,
        "gd_first_step": result.first_success_step,
        "gd_best_errors": result.best_errors,
        "restart_steps": run.restart_steps,
        "min_errors": 0 if solved else None,
        "device": run.device,
        "solver_version": f"trainhard {package_version('trainhard')} gd, {arithmetic} (torch {package_version('torch')})",
    }


def _validate_heuristic(options: dict[str, Any]) -> None:
    from ..heuristics.registry import Budget, get_heuristic

    h = get_heuristic(options["heuristic"])
    Budget(options["restart_steps"])
    settings = options["settings"]
    if not isinstance(settings, Mapping):
        raise InvalidInstanceError(f"settings must be a table of {h.name}'s settings, got {settings!r}")
    unknown = set(settings) - set(h.defaults)
    if unknown:
        raise InvalidInstanceError(f"settings: {h.name} has no setting {', '.join(sorted(unknown))}; "
                                   f"its settings: {', '.join(h.defaults) or 'none'}")


def _heuristic_refusal(h: Any, case: SweepCase) -> str | None:
    """Why heuristic ``h`` cannot run on ``case``, or ``None``: the registry decides (:meth:`Heuristic.refuses`)."""
    if h.acts_on == "source":
        return None if case.source is not None else f"{h.name} searches the source instance, and this case has none"
    return h.refuses(case.target)


def _run_heuristic(case: SweepCase, options: dict[str, Any], time_limit: float | None) -> dict[str, Any]:
    from reductions.loading import LoadingInstance
    from reductions.problems import TrainingSet

    from ..heuristics.registry import Budget, get_heuristic, run_heuristic

    h = get_heuristic(options["heuristic"])
    budget = Budget(options["restart_steps"], time_s=time_limit)
    base = {"solver_version": f"trainhard {package_version('trainhard')} heuristic {h.name}"}
    refusal = _heuristic_refusal(h, case)
    if refusal is not None:  # a heuristic that cannot search this target: an UNKNOWN row that says why
        return {**base, "status": "UNKNOWN", "reason": refusal, "verified": None, "time_s": 0.0, "restart_steps": 0}
    crosscheck_case = case.case
    problem = case.target if h.acts_on == "target" else case.source
    result = run_heuristic(h, problem, source=case.source, reduction=crosscheck_case.reduction,
                           params=dict(crosscheck_case.params), budget=budget, seed=0, **options["settings"])
    solved = result.status.value == "SAT"
    wrong = "pairs wrong" if h.acts_on == "target" and isinstance(case.target, LoadingInstance) else "errors"
    if solved:
        reason = None
    elif result.relaxed:
        reason = f"fits only with another architecture ({result.hidden} units{', learned output' if result.details.get('learned_output') else ''})"
    else:
        reason = f"nothing found in {result.restart_steps} restart-steps (best: {result.best_errors} {wrong})"
    return {
        **base,
        "status": "SAT" if solved else "UNKNOWN",
        "reason": reason,
        "verified": 1 if solved else None,  # run_heuristic checked it exactly and mapped it back
        "time_s": result.time_s,
        "restart_steps": result.restart_steps,
        "min_errors": 0 if solved and result.best_errors == 0 else None,  # a two-thirds loading may leave pairs wrong
        "extra": {"relaxed": result.relaxed, "hidden": result.hidden, "best_errors": result.best_errors,
                  # the units the question asks for (the exact kind's): best_errors of a wider net compares with no minimum
                  "asked_hidden": int(resolve_hidden(problem)) if isinstance(problem, TrainingSet) else None,
                  # an output layer it learned (the MLP): its best count is no count of the output asked
                  "learned_output": bool(result.details.get("learned_output", False))},
    }


SOLVER_KINDS: dict[str, SolverKind] = {
    "sat": SolverKind("sat", "an exact SAT solver (PySAT) on the source instance; witness verified",
                      {"backend": DEFAULT_SOLVER}, _validate_sat, _run_sat, exact=True,
                      preload=("solvers.exact.front", "solvers.exact.sat"), searches_source=_always),
    "exact": SolverKind("exact", "the exact trainer (or loading decider) on the target; network checked exactly",
                        {"method": "lazy", "solver": DEFAULT_SOLVER, "min_error": False,
                         "min_error_points": MIN_ERROR_POINTS},
                        _validate_exact, _run_exact, exact=True,
                        preload=("solvers.exact.trainer", "solvers.exact.loading", "solvers.exact.hitting",
                                 "solvers.exact.pencils", "scipy.optimize", "highspy")),
    "gd": SolverKind("gd", "gradient descent, judged exactly and mapped back; options: GDConfig's fields",
                     _gd_defaults(), _validate_gd, _run_gd, exact=False,
                     preload=("solvers.gd.networks", "solvers.gd.loading", "solvers.experiments.crosscheck", "torch")),
    "heuristic": SolverKind("heuristic", "any registered heuristic (solvers.heuristics), at a budget in restart-steps, "
                            "judged exactly and mapped back; options: heuristic, restart_steps, settings",
                            {"heuristic": "pattern-search", "restart_steps": 100_000, "settings": {}},
                            _validate_heuristic, _run_heuristic, exact=False,
                            preload=("solvers.heuristics.registry", "solvers.experiments.crosscheck", "highspy"),
                            searches_source=_heuristic_searches_source),
}
"""The solver kinds a sweep can run: the single list for configurations, CLI help, plots and tests."""


def exact_kinds() -> tuple[str, ...]:
    """The kinds whose verdicts are proofs (UNSAT included)."""
    return tuple(name for name, kind in SOLVER_KINDS.items() if kind.exact)


def heuristic_kinds() -> tuple[str, ...]:
    """The kinds that can only find: a SAT is checked exactly, a failure proves nothing."""
    return tuple(name for name, kind in SOLVER_KINDS.items() if not kind.exact)


def preload_modules(kinds: Sequence[str]) -> tuple[str, ...]:
    """The modules a worker imports before taking tasks of ``kinds`` (each once, in order)."""
    return tuple(dict.fromkeys(m for kind in kinds for m in SOLVER_KINDS[kind].preload if kind in SOLVER_KINDS))



