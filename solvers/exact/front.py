"""The front door :func:`solve`: one call decides any trainhard instance exactly."""

from __future__ import annotations

from typing import Any

from reductions.errors import InvalidInstanceError
from reductions.loading import LoadingInstance
from reductions.problems import TrainingSet

from ..core.architecture import resolve_hidden, resolve_output_name
from ..core.result import Result, Status

__all__ = ["decide_training_set", "solve"]


def decide_training_set(
    training_set: TrainingSet,
    *,
    hidden_units: int | None = None,
    time_limit: float | None = None,
    method: str = "lazy",
    solver: str | None = None,
    output: Any = None,
) -> Result:
    """Decide whether ``hidden_units`` threshold units with the set's output function fit ``training_set``.

    ``method`` is ``"lazy"`` (default: the exact trainer's SAT + LP loop,
    :func:`solvers.exact.trainer.train_exact`), ``"milp"`` (its big-M baseline) or
    ``"lp-backtracking"`` (the LP decider of :mod:`solvers.exact.geometry`,
    exponential in the number of negatives; AND output only).  None of them
    trusts a reduction.  ``hidden_units`` and ``output`` (a name or an
    :class:`~reductions.problems.OutputFunction`) default to the set's
    metadata (:mod:`solvers.core.architecture`).  A
    SAT verdict carries a network already checked with :func:`~reductions.fits`;
    an UNSAT verdict's ``proof`` is a core of point indices.

    ``solver`` is the lazy method's incremental PySAT backend (a name from
    :data:`solvers.exact.sat.SOLVERS`, default CaDiCaL 1.9.5); the other methods
    use no SAT solver and refuse one.
    """
    from ..core.limits import check_time_limit

    check_time_limit(time_limit)
    if solver is not None and method != "lazy":
        raise InvalidInstanceError(f"the {method} method uses no SAT solver; solver= applies to the lazy method")
    if method == "lp-backtracking":
        from .geometry import decide_and_network

        hidden_units = resolve_hidden(training_set, hidden_units)
        if resolve_output_name(training_set, output) != "and":
            raise InvalidInstanceError("the LP-backtracking decider handles AND outputs only")
        decision = decide_and_network(training_set, int(hidden_units), time_limit=time_limit)
        status = decision.status
        return Result(
            status=status,
            witness=decision.network if status is Status.SAT else None,
            solver="lp-backtracking",
            time_s=decision.time_s,
            stats={"nodes": decision.nodes, "lp_calls": decision.lp_calls, "hidden_units": int(hidden_units)},
            proof=decision.core if status is Status.UNSAT else None,
        )
    from .trainer import train_exact

    trained = train_exact(
        training_set, hidden_units, output=output, method=method, time_limit=time_limit, minimize_core=False,
        **({} if solver is None else {"solver": solver}),
    )
    return Result(
        status=trained.status,
        witness=trained.network if trained.status is Status.SAT else None,
        solver=f"train-exact-{trained.method}",
        time_s=trained.time_s,
        stats={**trained.stats, "hidden_units": trained.hidden, "output": trained.output},
        proof=trained.core if trained.status is Status.UNSAT else None,
    )


def solve(
    problem: Any,
    *,
    solver: str | None = None,
    time_limit: float | None = None,
    colors: int | None = None,
    hidden_units: int | None = None,
    output: Any = None,
) -> Result:
    """Decide ``problem`` exactly and return a verified :class:`Result`.

    Parameters
    ----------
    problem : CNF, NAEFormula, Hypergraph, Graph, TrainingSet or LoadingInstance
        CNFs, NAE formulas, hypergraphs (set splitting, or k-colouring with
        ``colors``) and graphs (``colors`` required) go to a PySAT backend;
        training sets to the exact trainer (:func:`decide_training_set`);
        Judd loading instances to :func:`solvers.exact.loading.decide_loading`.
    solver : str, optional
        A name from :data:`solvers.exact.sat.SOLVERS` (default
        :data:`~solvers.exact.sat.DEFAULT_SOLVER`, CaDiCaL 1.9.5): the
        backend that decides a formula or colouring, the exact trainer's
        incremental SAT solver for a training set, or the loading decider's.
    time_limit : float, optional
        Wall-clock seconds; the solver is really interrupted and the status
        is UNKNOWN.
    colors : int, optional
        Number of colours for hypergraphs and graphs; refused for the others.
    hidden_units : int, optional
        Number of hidden threshold units for training sets; refused for the
        others.
    output : str or OutputFunction, optional
        The output unit for training sets (default: the set's metadata, else
        AND); refused for the others.

    Raises
    ------
    InvalidInstanceError
        Bad input, or an option that does not apply to ``problem`` (never
        silently ignored).
    """
    if isinstance(problem, TrainingSet):
        if colors is not None:
            raise InvalidInstanceError("colors applies to hypergraphs and graphs, not to a training set")
        return decide_training_set(problem, hidden_units=hidden_units, time_limit=time_limit, solver=solver, output=output)
    for name, value in (("hidden_units", hidden_units), ("output", output)):
        if value is not None:
            raise InvalidInstanceError(f"{name} applies to training sets, not to a {type(problem).__name__}")
    from .sat import DEFAULT_SOLVER

    solver = DEFAULT_SOLVER if solver is None else solver
    if isinstance(problem, LoadingInstance):
        if colors is not None:
            raise InvalidInstanceError("colors applies to hypergraphs and graphs, not to a loading instance")
        from .loading import decide_loading

        return decide_loading(problem, solver=solver, time_limit=time_limit)
    from .sat import solve as sat_solve

    return sat_solve(problem, solver=solver, time_limit=time_limit, colors=colors)
