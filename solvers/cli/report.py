"""CLI commands ``plot`` and ``report`` (figures and an HTML report of a results database: a main page and one page per family).

Loaded by :mod:`solvers.cli` through ``COMMAND_MODULES``.  matplotlib is
imported inside the handlers only.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

__all__ = ["add_commands"]


def _cmd_plot(args: argparse.Namespace, out: TextIO) -> int:
    """Draw the phase-transition, solve-time, cactus and success-region figures of a results database; print the paths."""
    from reductions.errors import InvalidInstanceError

    from ..report.plots import write_plots

    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise InvalidInstanceError(f"{args.output}: -o names a folder for the figures; this is a file")
    formats = args.formats or ["png", "svg"]
    out.writelines(f"{path}\n" for path in write_plots(args.db, args.output, formats=formats))
    return 0


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    """Write a self-contained HTML report (figures, tables, consistency, errors; one page per family); print the paths."""
    from reductions.errors import InvalidInstanceError

    from ..report.page import write_report

    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise InvalidInstanceError(f"{args.output}: the report's main page is an HTML file; name it FILE.html")
    if Path(args.output).is_dir():
        raise InvalidInstanceError(f"{args.output}: is a folder; name the report FILE.html")
    out.writelines(f"{path}\n" for path in write_report(args.db, args.output))
    return 0


def _help(handler: Callable[..., int]) -> str:
    return (handler.__doc__ or "").strip().splitlines()[0]


def add_commands(sub: Any) -> dict[str, Callable[..., int]]:
    """Add ``plot`` and ``report`` to the subparsers ``sub``; return their handlers.

    The handlers take ``(args, out)``, like every command's.
    """
    from ..report import FIGURES, FORMATS

    p = sub.add_parser(
        "plot", help=_help(_cmd_plot),
        description=f"Per family, FIGURE-FAMILY.EXT for FIGURE in {', '.join(FIGURES)}: fraction "
        "satisfiable and fraction fitted by gradient descent with 95% Wilson intervals, median and 90th-percentile "
        "solve times, a cactus plot, and per heuristic the fraction of satisfiable instances fitted.",
    )
    p.add_argument("db", metavar="RESULTS.sqlite", help="a results database written by `trainhard sweep`")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the figures (created if missing)")
    p.add_argument("--format", dest="formats", action="append", choices=FORMATS, default=None,
                   help="file format; repeat for several (default: png and svg)")

    r = sub.add_parser(
        "report", help=_help(_cmd_report),
        description="HTML files with everything inlined. FILE.html: provenance, headline numbers, links to the "
        "family pages, the figures, per-cell and per-solver tables, a consistency section (disagreeing exact solvers, "
        "gradient-descent fits of UNSAT instances) and the ERROR rows. Beside it, FILE-FAMILY.html per family: its "
        "figures, each heuristic's success region and how often it reached a proved minimum of errors, with 95% "
        "Wilson intervals, its cells and its consistency problems. Prints the paths written, main page first.",
    )
    r.add_argument("db", metavar="RESULTS.sqlite", help="a results database written by `trainhard sweep`")
    r.add_argument("-o", "--output", required=True, metavar="FILE.html",
                   help="the main page to write (the family pages go beside it)")
    return {"plot": _cmd_plot, "report": _cmd_report}
