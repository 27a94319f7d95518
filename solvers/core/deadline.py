"""Deadlines for work that cannot be interrupted: run it in a child process, kill it on time.

:func:`run_with_deadline` calls ``target(*args)`` in a child process, waits
for its answer on a pipe until the deadline, and then terminates (and, if
need be, kills) the child.  The answer comes back in a
:class:`DeadlineResult`: finished with the target's value, or timed out.

The start method is chosen once, in :data:`START_METHOD`: ``fork`` on Linux
(cheap, and the child sees the parent's modules as they are), ``spawn``
elsewhere.  With ``spawn`` (or ``forkserver``) the target and its arguments
are pickled, so the target must be a module-level function.

Notes
-----
PySAT's CaDiCaL and Kissat raise ``NotImplementedError`` on ``interrupt()``,
Lingeling has no ``solve_limited()``, and RC2 (Ignatiev, Morgado &
Marques-Silva 2019) stops only between oracle calls; a solver that cannot be
told to stop has to be run where it can be killed.  This module is the one
place that does it (:mod:`solvers.exact.sat`, :mod:`solvers.exact.loading`).
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

__all__ = ["START_METHOD", "DeadlineResult", "run_with_deadline"]

START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
"""The :mod:`multiprocessing` start method of every child that :func:`run_with_deadline` starts."""

_GRACE_S = 0.2  # between terminate() and kill() of a child, and for a finished child to exit


@dataclass(frozen=True)
class DeadlineResult:
    """What :func:`run_with_deadline` got: the target's value, or nothing because time ran out.

    Attributes
    ----------
    finished : bool
        The target returned before the deadline.
    value : object
        What the target returned (None when it did not finish).
    """

    finished: bool
    value: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.finished, bool):
            raise TypeError(f"finished must be a bool, got {self.finished!r}")
        if not self.finished and self.value is not None:
            raise ValueError("a run that did not finish has no value")


def _child_main(conn: Any, target: Callable[..., Any], args: Sequence[Any]) -> None:  # pragma: no cover - child
    """Body of the child process: send ``("ok", value)`` or ``("error", text)`` back."""
    try:
        try:
            message: tuple[str, Any] = ("ok", target(*args))
        except BaseException as error:  # report anything, the parent raises it
            message = ("error", f"{type(error).__name__}: {error}")
        conn.send(message)
    finally:
        conn.close()


def _stop(proc: multiprocessing.process.BaseProcess, *, finished: bool) -> None:
    """Reap the child (no zombie): let a ``finished`` one exit, else terminate, then kill."""
    if finished:
        proc.join(_GRACE_S)
    if proc.is_alive():
        proc.terminate()
        proc.join(_GRACE_S)
        if proc.is_alive():
            proc.kill()
    proc.join()
    proc.close()


def run_with_deadline(
    target: Callable[..., Any],
    args: Sequence[Any] = (),
    *,
    deadline: float | None,
    what: str,
) -> DeadlineResult:
    """Call ``target(*args)``, in a child process killed at ``deadline`` when there is one.

    Parameters
    ----------
    target : callable
        A module-level function (it is pickled with the ``spawn`` start
        method); its value must be picklable.
    args : sequence
        Its positional arguments (picklable with ``spawn``).
    deadline : float or None
        A :func:`time.monotonic` time.  None: ``target`` runs in this
        process, and what it raises propagates unchanged.  A deadline
        already past: no child is started and the run did not finish.
    what : str
        The name of the work in error messages (a solver's name, ``"RC2"``).

    Returns
    -------
    DeadlineResult
        ``finished=True`` and the target's value if the answer arrived by
        the deadline; ``finished=False`` if it did not (the child was
        terminated, then killed after 0.2 s).  Either way the child has been
        reaped before this returns.

    Raises
    ------
    RuntimeError
        ``"<what> failed in its child process: <Type>: <message>"`` if the
        target raised, ``"<what> died in its child process (exit code N)"``
        if the child ended without an answer.

    Notes
    -----
    Runs in the target's time plus the start of a process; a child that
    overruns is gone at most about 0.4 s after the deadline.  PySAT's
    CaDiCaL and Kissat cannot be interrupted, which is why this exists.

    Examples
    --------
    >>> import math, time
    >>> run_with_deadline(math.factorial, (5,), deadline=time.monotonic() + 30, what="factorial")
    DeadlineResult(finished=True, value=120)
    >>> run_with_deadline(math.factorial, (5,), deadline=None, what="factorial").value
    120
    """
    if deadline is None:
        return DeadlineResult(True, target(*args))
    if deadline - time.monotonic() <= 0:
        return DeadlineResult(False)
    ctx = multiprocessing.get_context(START_METHOD)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(sender, target, tuple(args)), daemon=True)
    started = finished = False
    try:
        proc.start()
        started = True
        sender.close()
        if not receiver.poll(max(0.0, deadline - time.monotonic())):
            return DeadlineResult(False)
        finished = True
        try:
            message = receiver.recv()
        except EOFError:
            proc.join(_GRACE_S)
            raise RuntimeError(f"{what} died in its child process (exit code {proc.exitcode})") from None
        if message[0] != "ok":
            raise RuntimeError(f"{what} failed in its child process: {message[1]}")
        return DeadlineResult(True, message[1])
    finally:
        receiver.close()
        sender.close()
        if started:
            _stop(proc, finished=finished)
