"""Figures of a sweep's results database (the statistics they draw are :mod:`solvers.report.stats`).

The statistics are pure functions of the rows (:func:`solvers.experiments.store.read_rows`)
and exact where the truth is exact (counts are integers, fractions are
:class:`fractions.Fraction`).  The figures are drawn by matplotlib's
object API (:class:`matplotlib.figure.Figure`, no pyplot global state);
matplotlib is imported inside the functions that draw, so importing this
module costs nothing.

What counts as what
-------------------
* An *instance* is one sampled instance: one ``(instance_hash, seed)``.
  Several rows (one per solver configuration) share it.
* *Exact* rows are those of kind ``sat`` (an exact SAT solver on the source
  instance) and ``exact`` (the exact trainer on the training set); *gd* rows
  are gradient descent, whose ``SAT`` is a network checked exactly and whose
  ``UNKNOWN`` means it found none (gradient descent never proves ``UNSAT``).
* An instance's :class:`Verdict` is ``SAT`` if an exact row says ``SAT``,
  ``UNSAT`` if one says ``UNSAT``, ``DISAGREEMENT`` if both (never hidden:
  it is counted in its cell and listed by :func:`consistency_problems`),
  ``UNKNOWN`` otherwise.  A gd success does not decide an instance.
* A row is *solved* when its status is ``SAT`` or ``UNSAT`` (exact kinds),
  or ``SAT`` (gd).
* Solve times: ``ERROR`` rows are left out (they are listed on their own).
  An ``UNKNOWN`` row *hit its limit* when it is of an exact kind (an exact
  solver only stops undecided at a limit), has no ``time_s`` (killed),
  has ``time_s`` at least ``time_limit``, or its ``reason`` mentions a
  limit; it counts *at its time limit* (its ``time_s`` when it has no
  limit), and the tables say how many did.  Any other ``UNKNOWN`` (gradient
  descent that ran out of restarts) counts at its own time.  The median is the usual one;
  the 90th percentile is the nearest-rank one (the smallest time with at
  least 90 % of the times at or below it), so both are times that occurred
  (or the middle of two).

Files written by :func:`write_plots`, for every family ``F`` in the rows and
every format ``EXT``:

* ``phase_transition-F.EXT``: fraction satisfiable (solid, among decided
  instances, shaded 95 % Wilson band) and fraction solved by each
  gradient-descent configuration (dashed, 95 % Wilson error bars) against
  density, one colour per ``n``;
* ``solve_times-F.EXT``: median (solid) and 90th percentile (dashed) solve
  time against density, one panel per solver, one colour per ``n``, log
  time axis, the time limits dotted;
* ``cactus-F.EXT``: one line per solver, instances solved against time
  (log), the usual way to compare solvers;
* ``success_region-F.EXT``: where each heuristic succeeds: one panel per
  heuristic (every solver of a kind that is not exact), the fraction of
  the instances an exact solver proved satisfiable that it fitted against
  density, one colour per ``n``, 95 % Wilson error bars
  (:func:`~solvers.report.stats.success_table`; relaxed fits, with more
  units or another output than asked, are not counted).

The family suffix is always there, even with one family, so a file's name
does not change when a later sweep adds a family.  Characters outside
``[A-Za-z0-9_.-]`` in a family name become ``_``; rows without a family go
under ``unknown``.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reductions.errors import InvalidInstanceError

from ..experiments.consistency import none_last, row_family, row_label
from . import FIGURES, FORMATS
from .stats import (
    PhaseCell,
    SuccessCell,
    TimeStats,
    cactus_data,
    load_rows,
    phase_table,
    success_table,
    time_table,
    wilson_interval,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "FORMATS",
    "TIME_FLOOR",
    "figure_stem",
    "make_figures",
    "figure_bytes",
    "write_plots",
]

TIME_FLOOR = 1e-4
"""Times below this many seconds are drawn at it (a log axis has no zero)."""


# ---------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------


def figure_stem(figure: str, family: str) -> str:
    """The file name (without extension) of ``figure`` for ``family``.

    Examples
    --------
    >>> figure_stem("cactus", "planted-hypergraph")
    'cactus-planted-hypergraph'
    >>> figure_stem("phase_transition", "my family/2")
    'phase_transition-my_family_2'
    """
    if figure not in FIGURES:
        raise InvalidInstanceError(f"unknown figure {figure!r}; the figures are {', '.join(FIGURES)}")
    return f"{figure}-{re.sub(r'[^A-Za-z0-9_.-]', '_', family)}"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise InvalidInstanceError("plots need matplotlib (pip install matplotlib)") from None
    return matplotlib


def _colours(count: int) -> list[Any]:
    matplotlib = _matplotlib()
    if count <= 10:
        return [matplotlib.colormaps["tab10"](i) for i in range(count)]
    cmap = matplotlib.colormaps["viridis"]
    return [cmap(i / max(1, count - 1)) for i in range(count)]


_GD_STYLES = ("--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))
_GD_MARKERS = ("s", "^", "D", "v", "P", "X")


def _n_name(n: Any) -> str:
    return f"n = {n}" if n is not None else "n unknown"


def _phase_figure(family: str, cells: list[PhaseCell], xlabel: str) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(9.5, 5.2), layout="constrained")
    ax = fig.add_subplot()
    ns = sorted({c.n for c in cells}, key=none_last)
    labels = sorted({g.solver for c in cells for g in c.gd})
    colours = _colours(len(ns))
    densities = [c.density for c in cells if c.density is not None]
    span = (max(densities) - min(densities)) if len(set(densities)) > 1 else 1.0
    series = len(ns) * len(labels)
    for index, (colour, n) in enumerate(zip(colours, ns)):
        row = [c for c in cells if c.n == n and c.density is not None]
        decided = [c for c in row if c.decided]
        if decided:
            xs = [c.density for c in decided]
            bands = [wilson_interval(c.satisfiable, c.decided) for c in decided]
            ax.fill_between(xs, [b[0] for b in bands], [b[1] for b in bands], color=colour, alpha=0.15, linewidth=0)
            ax.plot(xs, [float(c.sat_fraction) for c in decided], "-o", color=colour, linewidth=2, markersize=5)
        for j, (style, marker, label) in enumerate(
            zip(_cycle(_GD_STYLES, len(labels)), _cycle(_GD_MARKERS, len(labels)), labels)
        ):
            # a small horizontal offset per (n, configuration), so error bars at one density do not hide each other
            shift = 0.006 * span * (index * len(labels) + j - (series - 1) / 2)
            counts = [(c.density + shift, c.gd_count(label)) for c in row]
            counts = [(x, g) for x, g in counts if g is not None and g.run]
            if not counts:
                continue
            ys = [g.solved / g.run for _, g in counts]
            bands = [wilson_interval(g.solved, g.run) for _, g in counts]
            ax.errorbar(
                [x for x, _ in counts], ys, yerr=[[y - b[0] for y, b in zip(ys, bands)], [b[1] - y for y, b in zip(ys, bands)]],
                color=colour, linestyle=style, marker=marker, markersize=5, markerfacecolor="white", capsize=3,
                elinewidth=0.8, linewidth=1.5, alpha=0.9,
            )
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("fraction of instances")
    ax.grid(True, alpha=0.3)
    instances = sum(c.instances for c in cells)
    decided = sum(c.decided for c in cells)
    disagreements = sum(c.disagreements for c in cells)
    title = f"{family}: satisfiable and solved by gradient descent\n{instances} instances, {decided} decided"
    if disagreements:
        title += f", {disagreements} with DISAGREEING exact solvers"
    ax.set_title(title + "; bands and bars: 95% Wilson intervals", fontsize=11)
    colour_handles = [Line2D([], [], color=c, linewidth=3) for c in colours]
    first = ax.legend(colour_handles, [_n_name(n) for n in ns], title="size", loc="upper left",
                      bbox_to_anchor=(1.01, 1.0), fontsize=9, title_fontsize=9)
    ax.add_artist(first)
    style_handles = [Line2D([], [], color="black", linestyle="-", marker="o", linewidth=2)]
    style_names = ["satisfiable\n(of decided, exact)"]
    for style, marker, label in zip(_cycle(_GD_STYLES, len(labels)), _cycle(_GD_MARKERS, len(labels)), labels):
        style_handles.append(Line2D([], [], color="black", linestyle=style, marker=marker, markerfacecolor="white"))
        style_names.append(f"solved by {label}")
    ax.legend(style_handles, style_names, title="line", loc="lower left", bbox_to_anchor=(1.01, 0.0),
              fontsize=9, title_fontsize=9)
    return fig


def _cycle(items: Sequence[Any], count: int) -> list[Any]:
    return [items[i % len(items)] for i in range(count)]


def _floor(t: float) -> float:
    return max(t, TIME_FLOOR)


def _times_figure(family: str, stats: list[TimeStats], rows: list[Mapping[str, Any]], xlabel: str) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    solvers = sorted({(s.solver, s.solver_kind) for s in stats}) or [("no timed rows", "")]
    ns = sorted({s.n for s in stats}, key=none_last)
    colours = dict(zip(ns, _colours(len(ns))))
    ncols = min(3, len(solvers))
    nrows = -(-len(solvers) // ncols)
    fig = Figure(figsize=(3.6 * ncols + 2.2, 3.3 * nrows + 0.9), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
    for index, ax in enumerate(axes.flat):
        if index >= len(solvers):
            ax.set_axis_off()
            continue
        solver, kind = solvers[index]
        mine = [s for s in stats if (s.solver, s.solver_kind) == (solver, kind) and s.density is not None and s.timed]
        for n in ns:
            line = sorted((s for s in mine if s.n == n), key=lambda s: s.density)
            if not line:
                continue
            xs = [s.density for s in line]
            ax.plot(xs, [_floor(s.median) for s in line], "-o", color=colours[n], markersize=4, linewidth=1.8)
            ax.plot(xs, [_floor(s.p90) for s in line], "--v", color=colours[n], markersize=4, linewidth=1.2,
                    markerfacecolor="white")
        limits = sorted({float(r["time_limit"]) for r in rows
                         if r.get("time_limit") is not None and (row_label(r), str(r.get("solver_kind"))) == (solver, kind)})
        for limit in limits:
            ax.axhline(limit, color="grey", linestyle=":", linewidth=1)
        at_limit = sum(s.at_limit for s in mine)
        ax.set_title(f"{solver} ({kind})" + (f"\n{at_limit} at the limit" if at_limit else ""), fontsize=10)
        ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)
        if index % ncols == 0:
            ax.set_ylabel("solve time (s)")
        if index // ncols == nrows - 1 or index + ncols >= len(solvers):
            ax.set_xlabel(xlabel)
    handles = [Line2D([], [], color=colours[n], linewidth=3) for n in ns]
    names = [_n_name(n) for n in ns]
    handles += [Line2D([], [], color="black", linestyle="-", marker="o"),
                Line2D([], [], color="black", linestyle="--", marker="v", markerfacecolor="white"),
                Line2D([], [], color="grey", linestyle=":")]
    names += ["median", "90th percentile", "time limit"]
    fig.legend(handles, names, loc="outside right center", fontsize=9)
    fig.suptitle(f"{family}: solve time per instance\n(tasks at their limit count at the limit; ERROR rows left out)",
                 fontsize=11)
    return fig


def _cactus_figure(family: str, data: dict[str, list[float]], instances: int, colours: Mapping[str, Any]) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9.5, 5.2), layout="constrained")
    ax = fig.add_subplot()
    for label, times in data.items():
        colour = colours[label]
        xs = list(range(1, len(times) + 1))
        ax.plot(xs, [_floor(t) for t in times], drawstyle="steps-post", marker="o" if len(times) <= 40 else None,
                markersize=3, color=colour, linewidth=1.8, label=f"{label}: {len(times)} solved")
    ax.set_yscale("log")
    ax.set_xlim(0, max([len(t) for t in data.values()] + [1]) + 0.5)
    ax.set_xlabel("instances solved (SAT or UNSAT; gradient descent: SAT)")
    ax.set_ylabel("time per instance (s)")
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title(f"{family}: cactus plot, {instances} instances (lower and further right is better)", fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return fig


def _success_figure(family: str, cells: list[SuccessCell], xlabel: str) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    solvers = sorted({(c.solver, c.solver_kind) for c in cells})
    ns = sorted({c.n for c in cells}, key=none_last)
    colours = dict(zip(ns, _colours(len(ns))))
    panels = solvers or [("no heuristic rows", "")]
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    fig = Figure(figsize=(3.6 * ncols + 2.2, 3.3 * nrows + 1.0), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
    densities = [c.density for c in cells if c.density is not None]
    span = (max(densities) - min(densities)) if len(set(densities)) > 1 else 1.0
    for index, ax in enumerate(axes.flat):
        if index >= len(panels):
            ax.set_axis_off()
            continue
        solver, kind = panels[index]
        mine = [c for c in cells if (c.solver, c.solver_kind) == (solver, kind)]
        for j, n in enumerate(ns):
            # a small horizontal offset per n, so error bars at one density do not hide each other
            shift = 0.008 * span * (j - (len(ns) - 1) / 2)
            line = sorted((c for c in mine if c.n == n and c.density is not None and c.satisfiable_runs),
                          key=lambda c: c.density)
            if not line:
                continue
            xs = [c.density + shift for c in line]
            ys = [c.satisfiable_solved / c.satisfiable_runs for c in line]
            bands = [c.satisfiable_interval for c in line]
            ax.errorbar(xs, ys, yerr=[[y - b[0] for y, b in zip(ys, bands)], [b[1] - y for y, b in zip(ys, bands)]],
                        color=colours[n], marker="o", markersize=4, capsize=3, elinewidth=0.8, linewidth=1.8)
        solved = sum(c.satisfiable_solved for c in mine)
        runs = sum(c.satisfiable_runs for c in mine)
        relaxed = sum(c.relaxed for c in mine)
        title = f"{solver} ({kind})" if kind else solver
        if kind:
            title += f"\nfitted {solved} of {runs} satisfiable"
            if relaxed:
                title += f"; {relaxed} relaxed fits"
        if not runs:
            ax.text(0.5, 0.5, "no run on an instance\nproved satisfiable", ha="center", va="center",
                    transform=ax.transAxes, fontsize=9, color="grey")
        ax.set_title(title, fontsize=10)
        ax.set_ylim(-0.03, 1.03)
        if densities:  # every panel spans the family's densities, so panels line up
            ax.set_xlim(min(densities) - 0.06 * span, max(densities) + 0.06 * span)
        ax.grid(True, alpha=0.3)
        if index % ncols == 0:
            ax.set_ylabel("fraction of satisfiable fitted")
        if index // ncols == nrows - 1 or index + ncols >= len(panels):
            ax.set_xlabel(xlabel)
    if ns:
        fig.legend([Line2D([], [], color=colours[n], linewidth=3) for n in ns], [_n_name(n) for n in ns],
                   title="size", loc="outside right center", fontsize=9, title_fontsize=9)
    fig.suptitle(f"{family}: success region of each heuristic\n(instances proved satisfiable by an exact solver; "
                 "bars: 95% Wilson intervals; relaxed fits not counted)", fontsize=11)
    return fig


def make_figures(db_or_rows: str | Path | Iterable[Mapping[str, Any]]) -> list[tuple[str, str, Figure]]:
    """Draw every figure: ``(family, figure name, matplotlib Figure)`` per family and :data:`FIGURES` entry."""
    from ..experiments.sweep import density_label  # the sweep decides what a density is; imported when drawing

    rows = load_rows(db_or_rows)
    matplotlib = _matplotlib()
    figures = []
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_family[row_family(row)].append(row)
    labels = sorted({row_label(row) for row in rows})
    solver_colours = dict(zip(labels, _colours(len(labels))))  # one colour per solver in every family's cactus plot
    with matplotlib.rc_context({"svg.fonttype": "path", "font.size": 10}):
        for family in sorted(by_family):
            mine = by_family[family]
            cells = phase_table(mine)
            xlabel = density_label(mine)
            figures.append((family, "phase_transition", _phase_figure(family, cells, xlabel)))
            figures.append((family, "solve_times", _times_figure(family, time_table(mine), mine, xlabel)))
            figures.append((family, "cactus", _cactus_figure(family, cactus_data(mine), sum(c.instances for c in cells), solver_colours)))
            figures.append((family, "success_region", _success_figure(family, success_table(mine), xlabel)))
    return figures


def figure_bytes(figure: Figure, fmt: str, *, salt: str) -> bytes:
    """``figure`` rendered as ``fmt`` (png, svg, pdf), deterministically (no date; SVG ids derived from ``salt``)."""
    if fmt not in FORMATS:
        raise InvalidInstanceError(f"unknown plot format {fmt!r}; choose from {', '.join(FORMATS)}")
    matplotlib = _matplotlib()
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        figure.savefig(buffer, format=fmt, dpi=110, metadata=metadata)
    return buffer.getvalue()


def write_plots(
    db_or_rows: str | Path | Iterable[Mapping[str, Any]],
    out_dir: str | Path,
    *,
    formats: Sequence[str] = ("png", "svg"),
) -> list[Path]:
    """Write the phase-transition, solve-time, cactus and success-region figures of every family; return the paths.

    Parameters
    ----------
    db_or_rows : path or iterable of row mappings
        A results database (read-only) or its rows.
    out_dir : path
        Created if missing.  Files are named ``FIGURE-FAMILY.EXT`` (see the
        module docstring), written under a temporary name and renamed, so a
        reader never sees half a file.
    formats : sequence of str
        Any of :data:`FORMATS`; each figure is written once per format.

    Returns
    -------
    list of Path
        ``len(FIGURES) * families * len(formats)`` paths, by family, figure, format.

    Raises
    ------
    StoreError
        ``db_or_rows`` is a file but not a results database.
    InvalidInstanceError
        No rows, an unknown format, an output folder that cannot be written,
        or no matplotlib.
    """
    formats = list(dict.fromkeys(formats))
    if not formats:
        raise InvalidInstanceError("no plot format given")
    for fmt in formats:
        if fmt not in FORMATS:
            raise InvalidInstanceError(f"unknown plot format {fmt!r}; choose from {', '.join(FORMATS)}")
    out = Path(out_dir)
    figures = make_figures(db_or_rows)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInstanceError(f"{out}: cannot create the plot folder ({error.strerror or error})") from None
    written = []
    for family, name, figure in figures:
        stem = figure_stem(name, family)
        for fmt in formats:
            path = out / f"{stem}.{fmt}"
            data = figure_bytes(figure, fmt, salt=stem)
            part = path.with_name(path.name + ".part")
            try:
                part.write_bytes(data)
                part.replace(path)
            except OSError as error:
                raise InvalidInstanceError(f"{path}: cannot write ({error.strerror or error})") from None
            written.append(path)
    return written
