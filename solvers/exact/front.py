"""The front door :func:`solve`: one call decides any trainhard instance exactly."""

from __future__ import annotations

from typing import Any

from reductions.errors import InvalidInstanceError
from reductions.problems import TrainingSet

from ..core.result import Result, Status

__all__ = ["decide_training_set", "solve"]


def decide_training_set(
    training_set: TrainingSet,
    *,
    hidden_units: int | None = None,
    time_limit: float | None = None,
    method: str = "lazy",
    solver: str | None = None,
) -> Result:
    """Decide whether ``hidden_units`` threshold units with the set's output function fit ``training_set``.

    ``method`` is ``"lazy"`` (default: the exact trainer's SAT + LP loop,
    :func:`solvers.exact.trainer.train_exact`), ``"milp"`` (its big-M baseline) or
    ``"lp-backtracking"`` (the LP decider of :mod:`solvers.exact.geometry`,
    exponential in the number of negatives; AND output only).  None of them
    trusts a reduction.  ``hidden_units`` defaults to the set's metadata.  A
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

        if hidden_units is None:
            hidden_units = training_set.metadata.get("hidden_units")
            if hidden_units is None:
                raise InvalidInstanceError("the training set names no architecture: pass hidden_units=K")

        if training_set.metadata.get("output", "and") != "and":
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
        training_set, hidden_units, method=method, time_limit=time_limit, minimize_core=False,
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
) -> Result:
    """Decide ``problem`` exactly and return a verified :class:`Result`.

    Parameters
    ----------
    problem : CNF, NAEFormula, Hypergraph, Graph or TrainingSet
        CNFs, NAE formulas, hypergraphs (set splitting, or k-colouring with
        ``colors``) and graphs (``colors`` required) go to a PySAT backend;
        training sets to the exact trainer (:func:`decide_training_set`).
    solver : str, optional
        A name from :data:`solvers.exact.sat.SOLVERS` (default CaDiCaL 1.9.5): the
        backend that decides a formula or colouring, or the exact trainer's
        incremental SAT solver for a training set.
    time_limit : float, optional
        Wall-clock seconds; the solver is really interrupted and the status
        is UNKNOWN.
    colors : int, optional
        Number of colours for hypergraphs and graphs; refused for the others.
    hidden_units : int, optional
        Number of hidden threshold units for training sets; refused for the
        others.

    Raises
    ------
    InvalidInstanceError
        Bad input, or an option that does not apply to ``problem`` (never
        silently ignored).
    """
    if isinstance(problem, TrainingSet):
        if colors is not None:
            raise InvalidInstanceError("colors applies to hypergraphs and graphs, not to a training set")
        return decide_training_set(problem, hidden_units=hidden_units, time_limit=time_limit, solver=solver)
    if hidden_units is not None:
        raise InvalidInstanceError(f"hidden_units applies to training sets, not to a {type(problem).__name__}")
    from .sat import DEFAULT_SOLVER
    from .sat import solve as sat_solve

    return sat_solve(problem, solver=DEFAULT_SOLVER if solver is None else solver, time_limit=time_limit, colors=colors)
