"""The PySAT backends trainhard knows and what each supports: pure data, importable without PySAT."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BACKENDS", "DEFAULT_SOLVER", "Backend"]


@dataclass(frozen=True)
class Backend:
    """A PySAT backend and what it supports (measured with PySAT 1.9.dev24).

    Attributes
    ----------
    name : str
        PySAT's name (a key of :class:`pysat.solvers.SolverNames`).
    description : str
        One line for help texts and tables.
    interruptible : bool
        ``solve_limited(expect_interrupt=True)`` and ``interrupt()`` work.
    prompt : bool
        ``interrupt()`` takes effect within milliseconds.  Glucose looks at
        it only between restarts, which its restart blocking can hold off
        for seconds (measured: 0.1-1 s late on random 3-SAT, 9 s late in
        RC2 on 150 points), so time limits with Glucose are kept like
        CaDiCaL's (see :attr:`stops_promptly`).
    limited : bool
        ``solve_limited()`` exists (CaDiCaL and Kissat have it but cannot be
        interrupted; Lingeling has neither).
    stats : bool
        ``accum_stats()`` works (Kissat raises ``NotImplementedError``).
    incremental : bool
        Clauses may be added between ``solve()`` calls (Kissat aborts the
        process), as model counting needs.
    """

    name: str
    description: str
    interruptible: bool
    limited: bool = True
    stats: bool = True
    incremental: bool = True
    prompt: bool = True

    @property
    def stops_promptly(self) -> bool:
        """A time limit is enforced by ``interrupt()`` in-process; otherwise in a child process or in
        conflict-budget slices.  The one place that decides it."""
        return self.interruptible and self.prompt


DEFAULT_SOLVER = "cadical195"
"""The backend every command and function uses unless told otherwise: the one place this is decided."""

BACKENDS = (
    Backend("cadical195", "CaDiCaL 1.9.5 (default)", interruptible=False),
    Backend("cadical153", "CaDiCaL 1.5.3", interruptible=False),
    Backend("cadical300", "CaDiCaL 3.0.0", interruptible=False),
    Backend("kissat404", "Kissat 4.0.4 (no statistics, not incremental)", interruptible=False,
            stats=False, incremental=False),
    Backend("glucose4", "Glucose 4.1", interruptible=True, prompt=False),
    Backend("glucose42", "Glucose 4.2.1", interruptible=True, prompt=False),
    Backend("minisat22", "MiniSat 2.2", interruptible=True),
    Backend("maplechrono", "MapleLCMDistChronoBT", interruptible=True),
    Backend("lingeling", "Lingeling bbc (no solve_limited)", interruptible=False, limited=False),
)
"""Every backend trainhard knows, with its measured capabilities; :data:`solvers.exact.sat.SOLVERS` keeps those this PySAT build has."""
