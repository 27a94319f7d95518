"""Exact decisions through PySAT, with verified witnesses and real time limits.

:data:`SOLVERS` is the registry of PySAT backends that trainhard offers; the
CLI's ``--solver`` choices and the test matrix are read from it.
:func:`solve` encodes an instance (:func:`solvers.exact.encodings.encode`), decides
it, decodes the model and checks the witness with the instance's public
verifier before returning it.

Time limits really stop the solver, and the verdict is then
:attr:`~solvers.core.result.Status.UNKNOWN`:

* backends with PySAT's ``interrupt`` (Glucose, MiniSat, Maple) run
  ``solve_limited(expect_interrupt=True)`` in this process while a
  :class:`threading.Timer` calls ``interrupt()`` at the deadline;
* the others (CaDiCaL and Kissat raise ``NotImplementedError`` on
  ``interrupt``, Lingeling has no ``solve_limited``) run in a child process
  (:func:`solvers.core.deadline.run_with_deadline`) that sends its verdict
  back through a pipe and is terminated, then killed, at the deadline.

Both paths live in one helper, :func:`solve_cnf_clauses`, shared by every
instance kind.  Without a time limit the solver runs in this process.
"""

from __future__ import annotations

import itertools
import numbers
import threading
import time
from typing import Any, NamedTuple, Sequence

import pysat
from pysat.solvers import Solver, SolverNames

from reductions.errors import InvalidInstanceError
from reductions.formats import check_declared_size
from reductions.problems import CNF, Graph, Hypergraph, NAEFormula, TrainingSet, kind_of, verify

from .backends import BACKENDS, DEFAULT_SOLVER, Backend
from .encodings import Encoding, encode
from ..core.deadline import run_with_deadline
from ..core.limits import check_time_limit
from ..core.result import Result, Status

__all__ = ["Backend", "SOLVERS", "DEFAULT_SOLVER", "Outcome", "solve", "solve_cnf_clauses", "count_models", "get_backend"]


SOLVERS: dict[str, Backend] = {b.name: b for b in BACKENDS if hasattr(SolverNames, b.name)}
"""Registry of PySAT backends, name -> :class:`Backend`; the single list of choices.

Only names this PySAT build knows are listed; ``tests/test_sat.py`` checks
each one's verdicts and its recorded capabilities.
"""


class Outcome(NamedTuple):
    """What :func:`solve_cnf_clauses` found."""

    status: Status
    model: list[int] | None
    """A complete model ``±1..±num_vars`` when SAT, else None."""
    stats: dict[str, Any]
    """Solver counters (``conflicts``, ``decisions``, ...) where available, and ``method``."""


def get_backend(name: str) -> Backend:
    """The backend registered as ``name`` in :data:`SOLVERS`; an unknown name is an error listing the choices."""
    try:
        return SOLVERS[name]
    except (KeyError, TypeError):
        raise InvalidInstanceError(f"unknown solver {name!r}; choose one of: {', '.join(SOLVERS)}") from None


def _stats(s: Solver, backend: Backend) -> dict[str, int]:
    if not backend.stats:
        return {}
    try:
        return {key: int(value) for key, value in (s.accum_stats() or {}).items()}
    except (NotImplementedError, AttributeError, TypeError, ValueError):
        return {}


def _solve_here(
    backend: Backend, clauses: Sequence[Sequence[int]], deadline: float | None
) -> tuple[bool | None, list[int] | None, dict[str, int]]:
    """Solve in this process; with a deadline, interrupt from a timer thread."""
    with Solver(name=backend.name, bootstrap_with=clauses) as s:
        if deadline is None:
            verdict = s.solve()
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, None, {}
            timer = threading.Timer(remaining, s.interrupt)
            timer.daemon = True
            timer.start()
            try:
                verdict = s.solve_limited(expect_interrupt=True)
            finally:
                timer.cancel()
                timer.join()  # never interrupt a deleted solver
        model = s.get_model() if verdict else None
        return verdict, model, _stats(s, backend)


def _solve_alone(name: str, clauses: Sequence[Sequence[int]]) -> tuple[bool | None, list[int] | None, dict[str, int]]:
    """Body of the child process (module level, so ``spawn`` can pickle it): solve without a deadline."""
    return _solve_here(SOLVERS[name], clauses, None)


def _solve_in_child(
    backend: Backend, clauses: Sequence[Sequence[int]], deadline: float
) -> tuple[bool | None, list[int] | None, dict[str, int]]:
    """Solve in a child process that is killed at ``deadline``."""
    run = run_with_deadline(_solve_alone, (backend.name, clauses), deadline=deadline, what=backend.name)
    return run.value if run.finished else (None, None, {})


def _decide(
    backend: Backend, num_vars: int, clauses: Sequence[Sequence[int]], deadline: float | None
) -> Outcome:
    if deadline is None:
        method = "in-process"
        verdict, model, stats = _solve_here(backend, clauses, None)
    elif backend.stops_promptly:
        method = "interrupt"
        verdict, model, stats = _solve_here(backend, clauses, deadline)
    else:
        method = "child-process"
        verdict, model, stats = _solve_in_child(backend, clauses, deadline)
    stats = {**stats, "method": method}
    if verdict is None:
        return Outcome(Status.UNKNOWN, None, stats)
    if not verdict:
        return Outcome(Status.UNSAT, None, stats)
    # Solvers omit variables above the largest id they saw: complete the model.
    model = list(model or ())
    if len(model) < num_vars:
        model.extend(range(-len(model) - 1, -num_vars - 1, -1))
    return Outcome(Status.SAT, model, stats)


def solve_cnf_clauses(
    num_vars: int,
    clauses: Sequence[Sequence[int]],
    *,
    solver: str = DEFAULT_SOLVER,
    time_limit: float | None = None,
) -> Outcome:
    """Decide plain-int DIMACS clauses with a PySAT backend, within a time limit.

    The one place where time limits are enforced, for every instance kind.

    Parameters
    ----------
    num_vars : int
        Number of variables; a SAT model is completed to ``±1..±num_vars``.
    clauses : sequence of sequences of int
        DIMACS literals; numpy integers are converted to plain ints, which
        PySAT needs.
    solver : str
        A key of :data:`SOLVERS`.
    time_limit : float, optional
        Wall-clock seconds.  At the deadline the solver is interrupted (or
        its child process killed) and the status is UNKNOWN.

    Returns
    -------
    Outcome
        ``(status, model, stats)``; ``stats["method"]`` says how the solver
        ran: ``"in-process"``, ``"interrupt"`` or ``"child-process"``.

    Examples
    --------
    >>> solve_cnf_clauses(2, [(1, 2), (-1,)]).model
    [-1, 2]
    >>> solve_cnf_clauses(1, [(1,), (-1,)], solver="glucose4", time_limit=5).status
    <Status.UNSAT: 'UNSAT'>
    """
    backend = get_backend(solver)
    check_time_limit(time_limit)
    if isinstance(num_vars, bool) or not isinstance(num_vars, numbers.Integral) or num_vars < 0:
        raise InvalidInstanceError(f"num_vars must be an integer >= 0, got {num_vars!r}")
    check_declared_size(int(num_vars), "variables")  # the model is completed to num_vars
    deadline = None if time_limit is None else time.monotonic() + float(time_limit)
    if set(map(type, itertools.chain.from_iterable(clauses))) - {int}:
        clauses = [tuple(_plain_literal(lit) for lit in clause) for clause in clauses]
    return _decide(backend, int(num_vars), clauses, deadline)


def _plain_literal(lit: Any) -> int:
    """``lit`` as a plain int (PySAT misreads numpy integers); floats and bools refused."""
    if isinstance(lit, (bool, float)) or not isinstance(lit, numbers.Integral):
        raise InvalidInstanceError(f"a literal must be an integer, got {lit!r}")
    return int(lit)


def solve(
    problem: CNF | NAEFormula | Hypergraph | Graph,
    *,
    solver: str = DEFAULT_SOLVER,
    time_limit: float | None = None,
    colors: int | None = None,
) -> Result:
    """Decide a CNF, NAE formula, set-splitting or colouring instance with PySAT.

    Parameters
    ----------
    problem : CNF, NAEFormula, Hypergraph or Graph
        A hypergraph poses set splitting (2-colouring) unless ``colors`` says
        otherwise; a graph poses k-colouring and needs ``colors``.
    solver : str
        A key of :data:`SOLVERS` (default CaDiCaL 1.9.5).
    time_limit : float, optional
        Wall-clock seconds for the whole call, encoding included.  The solver
        is really stopped at the deadline and the status is UNKNOWN; the call
        returns within a fraction of a second of it.
    colors : int, optional
        Number of colours for hypergraphs (default 2) and graphs (required).

    Returns
    -------
    Result
        SAT results carry the witness: signed literals ``±1..±n`` for
        formulas, one colour (0-based) per vertex for hypergraphs and graphs,
        already checked by the public verifier (:func:`~reductions.satisfies`,
        :func:`~reductions.nae_satisfies`, :func:`~reductions.is_splitting`,
        :func:`~reductions.is_coloring`).  UNSAT and UNKNOWN carry none.
        ``stats`` holds ``pysat_version``, ``variables``, ``clauses``,
        ``encode_s``, ``solve_s``, ``verify_s``, ``method`` and the solver's
        ``conflicts``, ``decisions``, ``propagations`` and ``restarts`` where
        the backend reports them.

    Raises
    ------
    InvalidInstanceError
        For an unknown solver, a time limit that is not a positive number,
        bad ``colors``, a training set (decided by :mod:`solvers.exact.geometry`)
        or a type that is not an instance.
    RuntimeError
        If the solver's model fails the verifier: a bug, never silenced.

    Examples
    --------
    >>> from reductions.problems import is_splitting
    >>> h = Hypergraph(4, [(0, 1, 2), (1, 2, 3)])
    >>> r = solve(h)
    >>> r.status, is_splitting(h, r.witness)
    (<Status.SAT: 'SAT'>, True)
    >>> solve(Graph(3, [(0, 1), (1, 2), (0, 2)]), colors=2).status
    <Status.UNSAT: 'UNSAT'>
    """
    start = time.perf_counter()
    deadline = None
    if time_limit is not None:
        check_time_limit(time_limit)
        deadline = time.monotonic() + float(time_limit)
    if isinstance(problem, TrainingSet):
        raise InvalidInstanceError(
            "training sets are decided by the exact trainer (solvers.solve, solvers.train_exact), not by the PySAT backends"
        )
    backend = get_backend(solver)
    encoding: Encoding = encode(problem, colors=colors)
    kind = kind_of(problem, colors=colors)
    encoded = time.perf_counter()
    # No completion of the model to num_vars: the decoders read missing variables as false, and a
    # declared variable no clause mentions must cost nothing before the witness is built.
    status, model, solver_stats = _decide(backend, 0, encoding.clauses, deadline)
    solved = time.perf_counter()
    witness = None
    if status is Status.SAT:
        witness = encoding.decode(model)
        if not verify(kind, problem, witness, colors=colors):
            raise RuntimeError(
                f"{solver} returned a model whose witness fails the {kind.value} verifier: {witness!r}"
            )
    end = time.perf_counter()
    stats = {
        "pysat_version": pysat.__version__,
        "variables": encoding.num_vars,
        "clauses": len(encoding.clauses),
        "encode_s": encoded - start,
        "solve_s": solved - encoded,
        "verify_s": end - solved,
        **solver_stats,
    }
    return Result(status, witness, solver, end - start, stats)


def count_models(
    problem: CNF | NAEFormula | Hypergraph | Graph,
    *,
    colors: int | None = None,
    limit: int | None = None,
    solver: str = DEFAULT_SOLVER,
) -> int:
    """Count the witnesses of ``problem``, up to ``limit``, with blocking clauses.

    Each model found is blocked on the encoding's primary variables (the
    named variables a witness is read from), so distinct witnesses are
    counted once each: models over ``1..n`` for formulas, colourings with
    colours ``0..k-1`` for hypergraphs and graphs.  Symmetry breaking is
    always off.  Takes one incremental solver call per witness.

    Parameters
    ----------
    problem : CNF, NAEFormula, Hypergraph or Graph
    colors : int, optional
        As for :func:`solve`.
    limit : int, optional
        Stop counting at ``limit``.
    solver : str
        An incremental backend from :data:`SOLVERS` (not Kissat).

    Examples
    --------
    >>> count_models(Graph(3, [(0, 1), (1, 2), (0, 2)]), colors=3)
    6
    >>> count_models(CNF(3, []))
    8
    """
    backend = get_backend(solver)
    if not backend.incremental:
        raise InvalidInstanceError(f"{solver} is not incremental; count models with another backend")
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 0
    ):
        raise InvalidInstanceError(f"limit must be an integer >= 0, got {limit!r}")
    encoding = encode(problem, colors=colors, symmetry_breaking=False)
    primary = encoding.primary
    # Every model of the clauses stands for choices ** free witnesses (the
    # positions no clause mentions take any value); capped at the limit.
    per_model = 1
    for _ in range(encoding.free):
        per_model *= encoding.choices
        if limit is not None and per_model >= limit:
            break
    count = 0
    with Solver(name=backend.name, bootstrap_with=encoding.clauses) as s:
        while (limit is None or count * per_model < limit) and s.solve():
            count += 1
            if not primary:  # no variable: the one model is the empty one
                break
            true = {lit for lit in s.get_model() if lit > 0}
            s.add_clause([-var if var in true else var for var in primary])
    total = count * per_model
    return total if limit is None else min(total, limit)
