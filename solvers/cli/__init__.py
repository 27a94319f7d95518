"""The ``trainhard`` command line: a thin layer over the library.

``main(argv) -> int`` runs in-process, so the tests compare it with the
library directly.  Exit codes follow the SAT competition: 10 satisfiable,
20 unsatisfiable, 0 unknown or plain success, 2 bad input (one line
``error: FILE:LINE: what is wrong`` on standard error, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from typing import Callable, NoReturn, Sequence, TextIO

from reductions.errors import TrainhardError

from .instances import reductions_table

__all__ = ["main", "build_parser", "reductions_table", "UsageError", "COMMANDS", "COMMAND_MODULES"]



class UsageError(TrainhardError, ValueError):
    """A command line argparse refuses: a missing, unknown or malformed argument."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line ``error: ...`` and exit status 2, like every other."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; subcommands and choices come from the registries."""
    parser = _Parser(
        prog="trainhard",
        description="Reductions from NP-hard problems to neural-network training, decided exactly.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        for name, handler in module.add_commands(sub).items():
            if name in COMMANDS and COMMANDS[name] is not handler:
                raise RuntimeError(f"bug: two handlers for the command {name!r}")
            COMMANDS[name] = handler
    return parser


Handler = Callable[[argparse.Namespace, TextIO], int]

COMMANDS: dict[str, Handler] = {}
"""Handlers by command name, filled by :func:`build_parser` from :data:`COMMAND_MODULES`."""

# Modules that contribute subcommands.  Each defines
# ``add_commands(sub) -> dict[str, Handler]``: it adds its parsers to the
# subparsers object ``sub`` and returns the handlers by command name.  Heavy
# imports (torch, pysat) belong inside the handlers, not at module level.
COMMAND_MODULES: tuple[str, ...] = (
    "solvers.cli.instances", "solvers.cli.train", "solvers.cli.loading", "solvers.cli.gd", "solvers.cli.sweep", "solvers.cli.report",
)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the CLI; return the exit status instead of exiting."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help printed (on sys.stdout, as argparse does)
        return int(exc.code or 0)
    except UsageError as exc:  # one line on sys.stderr, where argparse writes its messages
        sys.stderr.write(f"error: {exc}\n")
        return 2
    try:
        with contextlib.redirect_stderr(err):  # warnings and progress bars of a handler go to ``err`` too
            return COMMANDS[args.command](args, out)
    except TrainhardError as exc:
        err.write(f"error: {exc}\n")
        return 2
    except MemoryError:  # a last resort: sizes are checked up front, so this is a size no check foresaw
        err.write(f"error: out of memory running trainhard {args.command} (see MAX_DECLARED_SIZE in the README)\n")
        return 2
    except BrokenPipeError:  # the reader went away (``trainhard ... | head``): not an input error
        return 0
    except OSError as exc:
        where = exc.filename if exc.filename is not None else ""
        err.write(f"error: {where}: {exc.strerror or exc}\n")
        return 2
    except KeyboardInterrupt:
        err.write("error: interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
