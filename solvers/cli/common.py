"""What every ``trainhard`` command shares: the common options, output checks and SAT-competition output.

Each option that several commands take is declared here once
(:func:`add_solver_option`, :func:`add_time_limit_option`), so its name,
type, default and help text are the same everywhere.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
from pathlib import Path
from typing import Any, Iterator, Sequence, TextIO

from reductions import formats
from reductions.errors import InvalidInstanceError, TrainhardError
from reductions.problems import CNF, NAEFormula, ThresholdNetwork

from ..core.limits import check_time_limit
from ..core.result import Result, Status

__all__ = [
    "TIME_LIMIT_HELP",
    "add_solver_option",
    "add_time_limit_option",
    "check_folder",
    "check_output",
    "print_result",
    "seconds",
    "solver_choices",
    "v_lines",
    "write_v_lines",
]

TIME_LIMIT_HELP = "wall-clock limit in seconds; the solver is interrupted and the verdict is UNKNOWN"
"""The default help text of ``--time-limit``; a command whose limit means more says so in its own text."""


def seconds(text: str) -> float:
    """``argparse`` type of a duration option: a finite positive number of seconds."""
    try:
        value = float(text)
        check_time_limit(value)
    except (ValueError, InvalidInstanceError):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}") from None
    return value


def add_time_limit_option(p: argparse.ArgumentParser, *, help: str = TIME_LIMIT_HELP) -> None:
    """Declare ``--time-limit S`` (default: none), the same option in every command.

    The value is parsed as a number here and checked by the library
    (:func:`~solvers.core.limits.check_time_limit`) before any work starts,
    so a bad limit gives the same one-line error from the CLI and from a script.
    """
    p.add_argument("--time-limit", type=float, default=None, metavar="S", help=help)


def solver_choices(*, incremental: bool = False) -> list[str]:
    """The PySAT backends a ``--solver`` may name (only the incremental ones if ``incremental``)."""
    from ..exact.sat import SOLVERS

    return sorted(name for name, backend in SOLVERS.items() if backend.incremental or not incremental)


def add_solver_option(p: argparse.ArgumentParser, *, help: str = "PySAT backend (default %(default)s)", incremental: bool = False) -> None:
    """Declare ``--solver NAME``: a backend of :data:`solvers.exact.sat.SOLVERS`, default :data:`~solvers.exact.sat.DEFAULT_SOLVER`."""
    from ..exact.sat import DEFAULT_SOLVER

    p.add_argument("--solver", default=DEFAULT_SOLVER, choices=solver_choices(incremental=incremental), help=help)


def v_lines(values: Sequence[int], *, terminate: bool, width: int = 20) -> Iterator[str]:
    """SAT-competition ``v`` lines, ``width`` values per line, ending in 0 for models (one at a time)."""
    items = itertools.chain(map(str, map(int, values)), ["0"] if terminate else [])
    empty = True
    while chunk := list(itertools.islice(items, width)):
        empty = False
        yield "v " + " ".join(chunk)
    if empty:
        yield "v"


def write_v_lines(out: TextIO, values: Sequence[int], *, terminate: bool) -> None:
    out.writelines(line + "\n" for line in v_lines(values, terminate=terminate))


def print_result(result: Result, instance: Any, *, as_json: bool, out: TextIO, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        obj = {**result.to_json(), **(extra or {})}
        out.write(json.dumps(obj, default=str) + "\n")
        return
    out.write(f"c solver {result.solver}, {result.time_s:.4f} s\n")
    out.write(result.status.competition_line + "\n")
    if result.status is Status.SAT:
        if isinstance(result.witness, ThresholdNetwork):
            out.write("c network (JSON):\n")
            for line in json.dumps(formats.network_to_json(result.witness), indent=1).splitlines():
                out.write(f"c {line}\n")
        else:
            terminate = isinstance(instance, (CNF, NAEFormula))
            write_v_lines(out, result.witness, terminate=terminate)


def check_output(path: str, types: tuple[type, ...], *, what: str) -> None:
    """Refuse, before any work, an output file whose extension cannot hold ``what`` or whose folder is missing."""
    ext, fmt = formats.format_of(path)
    if not any(issubclass(t, fmt.types) for t in types):
        fits = [e for e, f in formats.FORMATS.items() if any(issubclass(t, f.types) for t in types)]
        raise TrainhardError(f"{path}: {ext} holds a {fmt.description}, not {what}; use {', '.join(fits)}")
    check_folder(path)


def check_folder(path: str) -> None:
    """Refuse an output path whose folder does not exist or cannot be written (found before the work, not after)."""
    folder = Path(path).parent
    if Path(path).is_dir():
        raise TrainhardError(f"{path}: is a folder, not a file")
    if not folder.is_dir():
        raise TrainhardError(f"{path}: no such folder {str(folder)!r}")
    if not os.access(folder, os.W_OK):
        raise TrainhardError(f"{path}: the folder {str(folder)!r} is not writable")
