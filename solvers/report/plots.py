"""Summaries and figures of a sweep's results database.

The summaries are pure functions of the rows (:func:`solvers.experiments.store.read_rows`)
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
  (log), the usual way to compare solvers.

The family suffix is always there, even with one family, so a file's name
does not change when a later sweep adds a family.  Characters outside
``[A-Za-z0-9_.-]`` in a family name become ``_``; rows without a family go
under ``unknown``.
"""

from __future__ import annotations

import enum
import io
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reductions.errors import InvalidInstanceError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "EXACT_KINDS",
    "FIGURES",
    "FORMATS",
    "GD_KIND",
    "TIME_FLOOR",
    "GDCount",
    "Inconsistency",
    "InstanceVerdict",
    "PhaseCell",
    "Problem",
    "SolverSummary",
    "TimeStats",
    "Verdict",
    "cactus_data",
    "consistency_problems",
    "figure_bytes",
    "figure_stem",
    "instance_verdicts",
    "load_rows",
    "make_figures",
    "percentile",
    "phase_table",
    "solver_table",
    "time_table",
    "wilson_interval",
    "write_plots",
]

EXACT_KINDS = ("sat", "exact")
"""Solver kinds whose ``SAT``/``UNSAT`` are proofs."""

GD_KIND = "gd"
"""The gradient-descent solver kind (``SAT`` checked exactly, never ``UNSAT``)."""

FIGURES = ("phase_transition", "solve_times", "cactus")
"""The figures :func:`write_plots` draws per family, in order."""

FORMATS = ("png", "svg", "pdf")
"""File formats :func:`write_plots` writes."""

TIME_FLOOR = 1e-4
"""Times below this many seconds are drawn at it (a log axis has no zero)."""


# ---------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------


def wilson_interval(successes: int, trials: int, *, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion.

    Parameters
    ----------
    successes, trials : int
        ``0 <= successes <= trials``.
    z : float
        Standard-normal quantile; 1.96 gives a 95 % interval.

    Returns
    -------
    (low, high) : tuple of float
        ``0 <= low <= successes / trials <= high <= 1``; ``(0.0, 1.0)`` when
        ``trials == 0`` (nothing is known).  Unlike the normal (Wald)
        interval it is never empty at 0 or ``trials`` successes.  O(1).

    References
    ----------
    E. B. Wilson, "Probable inference, the law of succession, and statistical
    inference", J. Amer. Statist. Assoc. 22 (1927) 209–212.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    >>> [round(x, 4) for x in wilson_interval(0, 10)]
    [0.0, 0.2775]
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if isinstance(successes, bool) or isinstance(trials, bool) or int(successes) != successes or int(trials) != trials:
        raise InvalidInstanceError(f"wilson_interval needs integer counts, got {successes!r} of {trials!r}")
    if not 0 <= successes <= trials:
        raise InvalidInstanceError(f"wilson_interval needs 0 <= successes <= trials, got {successes} of {trials}")
    if not z > 0:
        raise InvalidInstanceError(f"wilson_interval needs z > 0, got {z}")
    if trials == 0:
        return (0.0, 1.0)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    low = 0.0 if successes == 0 else min(max(0.0, centre - half), p)
    high = 1.0 if successes == trials else max(min(1.0, centre + half), p)
    return (low, high)


def percentile(values: Iterable[float], percent: int) -> float:
    """Nearest-rank percentile: the smallest value with at least ``percent`` % of the values at or below it.

    Exact (integer rank ``ceil(percent * k / 100)``), always one of the values.

    Examples
    --------
    >>> percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 90)
    9
    >>> percentile([1.5], 90)
    1.5
    """
    ordered = sorted(values)
    if not ordered:
        raise InvalidInstanceError("percentile of no values")
    if not 0 < percent <= 100 or int(percent) != percent:
        raise InvalidInstanceError(f"percentile needs an integer percent in 1..100, got {percent}")
    rank = -(-int(percent) * len(ordered) // 100)
    return ordered[rank - 1]


# ---------------------------------------------------------------------------
# rows
# ---------------------------------------------------------------------------


def load_rows(db_or_rows: str | Path | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a results database (a path) or the given rows; one-line errors.

    Raises :class:`solvers.experiments.store.StoreError` for a file that is not a
    results database and :class:`~reductions.errors.InvalidInstanceError`
    (``"PATH: no rows"``) for one without rows.
    """
    if isinstance(db_or_rows, (str, Path)):
        from ..experiments.store import read_rows

        rows = read_rows(db_or_rows)
        where = f"{db_or_rows}: "
    else:
        rows = [dict(row) for row in db_or_rows]
        where = ""
    if not rows:
        raise InvalidInstanceError(f"{where}no rows (nothing to plot or report)")
    for row in rows:
        if row.get("status") not in ("SAT", "UNSAT", "UNKNOWN", "ERROR"):
            raise InvalidInstanceError(f"{where}a row has status {row.get('status')!r}, not SAT, UNSAT, UNKNOWN or ERROR")
    return rows


def _label(row: Mapping[str, Any]) -> str:
    for name in ("solver", "solver_kind", "solver_key"):
        if row.get(name):
            return str(row[name])
    return "unnamed"


def _family(row: Mapping[str, Any]) -> str:
    return str(row["family"]) if row.get("family") else "unknown"


def _solved(row: Mapping[str, Any]) -> bool:
    if row.get("solver_kind") == GD_KIND:
        return row["status"] == "SAT"
    return row["status"] in ("SAT", "UNSAT")


def _order(value: Any) -> tuple[bool, Any]:
    """Sort key putting ``None`` last."""
    return (value is None, value if value is not None else 0)


def _cell_order(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple(_order(part) for part in key)


# ---------------------------------------------------------------------------
# verdicts and tables
# ---------------------------------------------------------------------------


class Verdict(enum.StrEnum):
    """What the exact solvers say about one instance."""

    SAT = "SAT"
    UNSAT = "UNSAT"
    UNKNOWN = "UNKNOWN"
    DISAGREEMENT = "DISAGREEMENT"


@dataclass(frozen=True)
class InstanceVerdict:
    """One sampled instance, ``(instance_hash, seed)``, and who said what about it.

    ``sat_by``/``unsat_by`` are the exact solvers (labels) that proved it
    satisfiable/unsatisfiable; ``gd_run`` the gradient-descent labels with a
    row that is not ``ERROR``, ``gd_solved`` those among them that fit it.
    """

    instance_hash: str
    seed: int
    family: str
    n: int | None
    density: float | None
    verdict: Verdict
    sat_by: tuple[str, ...] = ()
    unsat_by: tuple[str, ...] = ()
    gd_run: tuple[str, ...] = ()
    gd_solved: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        expected = (
            Verdict.DISAGREEMENT if self.sat_by and self.unsat_by
            else Verdict.SAT if self.sat_by
            else Verdict.UNSAT if self.unsat_by
            else Verdict.UNKNOWN
        )
        if self.verdict is not expected:
            raise InvalidInstanceError(f"verdict {self.verdict} contradicts SAT by {self.sat_by}, UNSAT by {self.unsat_by}")
        if not set(self.gd_solved) <= set(self.gd_run):
            raise InvalidInstanceError("gd_solved must be among gd_run")


def instance_verdicts(rows: Iterable[Mapping[str, Any]]) -> list[InstanceVerdict]:
    """Per sampled instance: the exact verdict and the gradient-descent outcomes.

    Sorted by family, ``n``, density, seed and hash.  O(rows).

    Examples
    --------
    >>> rows = [
    ...     {"instance_hash": "a", "seed": 0, "family": "cnf", "n": 5, "density": 4.0,
    ...      "solver": "cadical", "solver_kind": "sat", "status": "SAT"},
    ...     {"instance_hash": "a", "seed": 0, "family": "cnf", "n": 5, "density": 4.0,
    ...      "solver": "trainer", "solver_kind": "exact", "status": "UNSAT"},
    ...     {"instance_hash": "a", "seed": 0, "family": "cnf", "n": 5, "density": 4.0,
    ...      "solver": "gd", "solver_kind": "gd", "status": "UNKNOWN"},
    ... ]
    >>> [v] = instance_verdicts(rows)
    >>> v.verdict, v.sat_by, v.unsat_by, v.gd_run, v.gd_solved
    (<Verdict.DISAGREEMENT: 'DISAGREEMENT'>, ('cadical',), ('trainer',), ('gd',), ())
    """
    groups: dict[tuple[str, int], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(str(row["instance_hash"]), int(row["seed"]))].append(row)
    verdicts = []
    for (instance_hash, seed), group in groups.items():
        first = group[0]
        exact = [r for r in group if r.get("solver_kind") in EXACT_KINDS]
        gd = [r for r in group if r.get("solver_kind") == GD_KIND and r["status"] != "ERROR"]
        sat_by = tuple(sorted({_label(r) for r in exact if r["status"] == "SAT"}))
        unsat_by = tuple(sorted({_label(r) for r in exact if r["status"] == "UNSAT"}))
        verdict = (
            Verdict.DISAGREEMENT if sat_by and unsat_by
            else Verdict.SAT if sat_by
            else Verdict.UNSAT if unsat_by
            else Verdict.UNKNOWN
        )
        verdicts.append(InstanceVerdict(
            instance_hash=instance_hash, seed=seed, family=_family(first), n=first.get("n"),
            density=first.get("density"), verdict=verdict, sat_by=sat_by, unsat_by=unsat_by,
            gd_run=tuple(sorted({_label(r) for r in gd})),
            gd_solved=tuple(sorted({_label(r) for r in gd if r["status"] == "SAT"})),
        ))
    verdicts.sort(key=lambda v: _cell_order((v.family, v.n, v.density, v.seed, v.instance_hash)))
    return verdicts


@dataclass(frozen=True)
class GDCount:
    """Instances of a cell that one gradient-descent configuration fitted, of those it ran on."""

    solver: str
    solved: int
    run: int

    def __post_init__(self) -> None:
        if not 0 <= self.solved <= self.run:
            raise InvalidInstanceError(f"{self.solver}: solved {self.solved} of {self.run}")

    @property
    def fraction(self) -> Fraction | None:
        """``solved / run`` exactly; ``None`` when it ran on nothing."""
        return Fraction(self.solved, self.run) if self.run else None


@dataclass(frozen=True)
class PhaseCell:
    """One ``(family, n, density)`` cell of the phase-transition table."""

    family: str
    n: int | None
    density: float | None
    instances: int
    satisfiable: int
    unsatisfiable: int
    disagreements: int
    gd: tuple[GDCount, ...] = ()

    def __post_init__(self) -> None:
        if min(self.instances, self.satisfiable, self.unsatisfiable, self.disagreements) < 0:
            raise InvalidInstanceError("phase cell counts must be non-negative")
        if self.satisfiable + self.unsatisfiable + self.disagreements > self.instances:
            raise InvalidInstanceError("phase cell: more verdicts than instances")
        if any(g.run > self.instances for g in self.gd):
            raise InvalidInstanceError("phase cell: gradient descent ran on more instances than the cell has")

    @property
    def decided(self) -> int:
        """Instances the exact solvers decided (without disagreement)."""
        return self.satisfiable + self.unsatisfiable

    @property
    def unknown(self) -> int:
        """Instances no exact solver decided."""
        return self.instances - self.decided - self.disagreements

    @property
    def sat_fraction(self) -> Fraction | None:
        """Satisfiable among decided, exactly; ``None`` with nothing decided."""
        return Fraction(self.satisfiable, self.decided) if self.decided else None

    def gd_count(self, solver: str) -> GDCount | None:
        """The counts of gradient-descent configuration ``solver`` (``None`` if it did not run here)."""
        return next((g for g in self.gd if g.solver == solver), None)


def phase_table(rows: Iterable[Mapping[str, Any]]) -> list[PhaseCell]:
    """Per ``(family, n, density)``: instances, verdict counts and gradient-descent successes.

    ``gd`` holds, per gradient-descent label that ran in the cell, the
    instances it fitted and the instances it ran on (``ERROR`` rows are not
    runs).  Sorted by family, ``n``, density.  O(rows).

    Examples
    --------
    >>> rows = [{"instance_hash": h, "seed": s, "family": "cnf", "n": 5, "density": 4.0,
    ...          "solver": "cadical", "solver_kind": "sat", "status": st}
    ...         for h, s, st in [("a", 0, "SAT"), ("b", 1, "UNSAT"), ("c", 2, "UNKNOWN")]]
    >>> rows.append({"instance_hash": "a", "seed": 0, "family": "cnf", "n": 5, "density": 4.0,
    ...              "solver": "gd", "solver_kind": "gd", "status": "SAT"})
    >>> [cell] = phase_table(rows)
    >>> cell.instances, cell.satisfiable, cell.decided, cell.sat_fraction, cell.gd
    (3, 1, 2, Fraction(1, 2), (GDCount(solver='gd', solved=1, run=1),))
    """
    cells: dict[tuple[str, Any, Any], list[InstanceVerdict]] = defaultdict(list)
    for v in instance_verdicts(rows):
        cells[(v.family, v.n, v.density)].append(v)
    table = []
    for (family, n, density), verdicts in cells.items():
        labels = sorted({label for v in verdicts for label in v.gd_run})
        gd = tuple(
            GDCount(label, sum(label in v.gd_solved for v in verdicts), sum(label in v.gd_run for v in verdicts))
            for label in labels
        )
        count = {verdict: sum(v.verdict is verdict for v in verdicts) for verdict in Verdict}
        table.append(PhaseCell(
            family=family, n=n, density=density, instances=len(verdicts), satisfiable=count[Verdict.SAT],
            unsatisfiable=count[Verdict.UNSAT], disagreements=count[Verdict.DISAGREEMENT], gd=gd,
        ))
    table.sort(key=lambda c: _cell_order((c.family, c.n, c.density)))
    return table


def _hit_limit(row: Mapping[str, Any]) -> bool:
    """An ``UNKNOWN`` row that stopped at its limit (see the module docstring)."""
    if row["status"] != "UNKNOWN":
        return False
    time_s, limit = row.get("time_s"), row.get("time_limit")
    return (
        row.get("solver_kind") in EXACT_KINDS
        or time_s is None
        or (limit is not None and time_s >= limit)
        or "limit" in str(row.get("reason") or "").lower()
    )


def _timed(rows: Sequence[Mapping[str, Any]]) -> tuple[list[float], int]:
    """The times counted (at-limit rows at their limit) and how many rows hit their limit."""
    times, at_limit = [], 0
    for row in rows:
        if row["status"] == "ERROR":
            continue
        if _hit_limit(row):
            at_limit += 1
            time = row.get("time_limit") if row.get("time_limit") is not None else row.get("time_s")
        else:
            time = row.get("time_s")
        if time is not None:
            times.append(float(time))
    return times, at_limit


@dataclass(frozen=True)
class TimeStats:
    """Solve times of one solver in one ``(family, n, density)`` cell.

    ``rows`` counts the rows that are not ``ERROR``; ``timed`` those with a
    time (an at-limit row without ``time_s`` counts at its ``time_limit``);
    ``at_limit`` those that hit their limit and are counted at it.
    """

    solver: str
    solver_kind: str
    family: str
    n: int | None
    density: float | None
    rows: int
    timed: int
    at_limit: int
    median: float | None
    p90: float | None

    def __post_init__(self) -> None:
        if not 0 <= self.timed <= self.rows or not 0 <= self.at_limit <= self.rows:
            raise InvalidInstanceError("time stats: inconsistent counts")
        if (self.median is None) != (self.timed == 0) or (self.p90 is None) != (self.timed == 0):
            raise InvalidInstanceError("time stats: a median and a p90 exactly when something was timed")


def _median_p90(times: list[float]) -> tuple[float | None, float | None]:
    if not times:
        return None, None
    return float(statistics.median(times)), float(percentile(times, 90))


def time_table(rows: Iterable[Mapping[str, Any]]) -> list[TimeStats]:
    """Per solver and ``(family, n, density)``: median and 90th-percentile solve time.

    ``ERROR`` rows are left out; a task that hit its limit counts at its
    time limit and is counted in ``at_limit``.  Sorted by solver, family,
    ``n``, density.

    Examples
    --------
    >>> rows = [{"solver": "cadical", "solver_kind": "sat", "family": "cnf", "n": 5, "density": 4.0,
    ...          "status": st, "time_s": t, "time_limit": 10.0}
    ...         for st, t in [("SAT", 1.0), ("UNSAT", 3.0), ("UNKNOWN", None), ("ERROR", 0.1)]]
    >>> [s] = time_table(rows)
    >>> s.rows, s.timed, s.at_limit, s.median, s.p90
    (3, 3, 1, 3.0, 10.0)
    """
    groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(_label(row), str(row.get("solver_kind")), _family(row), row.get("n"), row.get("density"))].append(row)
    table = []
    for (solver, kind, family, n, density), group in groups.items():
        kept = [r for r in group if r["status"] != "ERROR"]
        if not kept:
            continue
        times, at_limit = _timed(kept)
        median, p90 = _median_p90(times)
        table.append(TimeStats(solver, kind, family, n, density, len(kept), len(times), at_limit, median, p90))
    table.sort(key=lambda s: _cell_order((s.solver, s.solver_kind, s.family, s.n, s.density)))
    return table


@dataclass(frozen=True)
class SolverSummary:
    """All rows of one solver (label and kind): outcomes and solve times (as in :func:`time_table`)."""

    solver: str
    solver_kind: str
    rows: int
    sat: int
    unsat: int
    unknown: int
    errors: int
    at_limit: int
    median: float | None
    p90: float | None

    def __post_init__(self) -> None:
        if self.sat + self.unsat + self.unknown + self.errors != self.rows:
            raise InvalidInstanceError(f"{self.solver}: statuses do not add up to the rows")

    @property
    def solved(self) -> int:
        """``SAT`` + ``UNSAT`` for exact kinds, ``SAT`` for gradient descent."""
        return self.sat if self.solver_kind == GD_KIND else self.sat + self.unsat


def solver_table(rows: Iterable[Mapping[str, Any]]) -> list[SolverSummary]:
    """Per solver (label and kind): rows, statuses, at-limit count, median and p90 time.  Sorted by label."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(_label(row), str(row.get("solver_kind")))].append(row)
    table = []
    for (solver, kind), group in sorted(groups.items()):
        status = [r["status"] for r in group]
        times, at_limit = _timed(group)
        median, p90 = _median_p90(times)
        table.append(SolverSummary(
            solver, kind, len(group), status.count("SAT"), status.count("UNSAT"), status.count("UNKNOWN"),
            status.count("ERROR"), at_limit, median, p90,
        ))
    return table


def cactus_data(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[float]]:
    """Per solver label: the sorted times of its solved rows (the cactus plot's y values).

    Solved: ``SAT``/``UNSAT`` for exact kinds, ``SAT`` for gradient descent;
    rows without a time are left out.  Every solver with a row is a key.

    Examples
    --------
    >>> rows = [{"solver": "gd", "solver_kind": "gd", "status": "SAT", "time_s": 2.0},
    ...         {"solver": "gd", "solver_kind": "gd", "status": "UNKNOWN", "time_s": 9.0},
    ...         {"solver": "cadical", "solver_kind": "sat", "status": "UNSAT", "time_s": 0.5},
    ...         {"solver": "cadical", "solver_kind": "sat", "status": "SAT", "time_s": 0.25}]
    >>> cactus_data(rows)
    {'cadical': [0.25, 0.5], 'gd': [2.0]}
    """
    data: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        times = data[_label(row)]
        if _solved(row) and row.get("time_s") is not None:
            times.append(float(row["time_s"]))
    return {label: sorted(times) for label, times in sorted(data.items())}


class Problem(enum.StrEnum):
    """Kinds of inconsistency; each should never happen."""

    DISAGREEMENT = "exact solvers disagree"
    GD_FITS_UNSAT = "gradient descent fits an instance an exact solver proved UNSAT"
    GD_CLAIMS_UNSAT = "gradient descent reports UNSAT (it cannot prove that)"
    UNVERIFIED = "SAT whose witness failed its exact check"


@dataclass(frozen=True)
class Inconsistency:
    """One inconsistency about one instance (``instance_hash``, all its seeds)."""

    problem: Problem
    instance_hash: str
    family: str
    n: int | None
    density: float | None
    detail: str


def _who(rows: Iterable[Mapping[str, Any]]) -> str:
    return ", ".join(sorted({f"{_label(r)} (seed {r.get('seed')})" for r in rows}))


def consistency_problems(rows: Iterable[Mapping[str, Any]]) -> list[Inconsistency]:
    """Everything that contradicts itself; an empty list for sound results.

    Per ``instance_hash`` (over all its seeds): exact solvers saying both
    ``SAT`` and ``UNSAT``; a gradient-descent ``SAT`` (an exactly checked
    network) where an exact solver says ``UNSAT``; a gradient-descent
    ``UNSAT``; and any ``SAT`` row whose ``verified`` is 0.

    Examples
    --------
    >>> rows = [{"instance_hash": "a", "seed": 0, "solver": "cadical", "solver_kind": "sat", "status": "UNSAT"},
    ...         {"instance_hash": "a", "seed": 0, "solver": "gd", "solver_kind": "gd", "status": "SAT"}]
    >>> [p.problem.name for p in consistency_problems(rows)]
    ['GD_FITS_UNSAT']
    """
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row["instance_hash"])].append(row)
    found = []
    for instance_hash, group in groups.items():
        exact_sat = [r for r in group if r.get("solver_kind") in EXACT_KINDS and r["status"] == "SAT"]
        exact_unsat = [r for r in group if r.get("solver_kind") in EXACT_KINDS and r["status"] == "UNSAT"]
        gd_sat = [r for r in group if r.get("solver_kind") == GD_KIND and r["status"] == "SAT"]
        gd_unsat = [r for r in group if r.get("solver_kind") == GD_KIND and r["status"] == "UNSAT"]
        unverified = [r for r in group if r["status"] == "SAT" and r.get("verified") is not None and not r["verified"]]
        problems = []
        if exact_sat and exact_unsat:
            problems.append((Problem.DISAGREEMENT, f"SAT: {_who(exact_sat)}; UNSAT: {_who(exact_unsat)}"))
        if gd_sat and exact_unsat:
            problems.append((Problem.GD_FITS_UNSAT, f"fitted by {_who(gd_sat)}; UNSAT: {_who(exact_unsat)}"))
        if gd_unsat:
            problems.append((Problem.GD_CLAIMS_UNSAT, _who(gd_unsat)))
        if unverified:
            problems.append((Problem.UNVERIFIED, _who(unverified)))
        first = group[0]
        found += [Inconsistency(problem, instance_hash, _family(first), first.get("n"), first.get("density"), detail)
                  for problem, detail in problems]
    found.sort(key=lambda p: _cell_order((p.family, p.n, p.density, p.instance_hash, p.problem.name)))
    return found


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


def _density_label(family: str) -> str:
    if "cnf" in family:
        return "density: clauses per variable"
    return "density: edges per vertex"


def _n_name(n: Any) -> str:
    return f"n = {n}" if n is not None else "n unknown"


def _phase_figure(family: str, cells: list[PhaseCell]) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(9.5, 5.2), layout="constrained")
    ax = fig.add_subplot()
    ns = sorted({c.n for c in cells}, key=_order)
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
    ax.set_xlabel(_density_label(family))
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


def _times_figure(family: str, stats: list[TimeStats], rows: list[Mapping[str, Any]]) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    solvers = sorted({(s.solver, s.solver_kind) for s in stats}) or [("no timed rows", "")]
    ns = sorted({s.n for s in stats}, key=_order)
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
                         if r.get("time_limit") is not None and (_label(r), str(r.get("solver_kind"))) == (solver, kind)})
        for limit in limits:
            ax.axhline(limit, color="grey", linestyle=":", linewidth=1)
        at_limit = sum(s.at_limit for s in mine)
        ax.set_title(f"{solver} ({kind})" + (f"\n{at_limit} at the limit" if at_limit else ""), fontsize=10)
        ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)
        if index % ncols == 0:
            ax.set_ylabel("solve time (s)")
        if index // ncols == nrows - 1 or index + ncols >= len(solvers):
            ax.set_xlabel(_density_label(family))
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


def make_figures(db_or_rows: str | Path | Iterable[Mapping[str, Any]]) -> list[tuple[str, str, Figure]]:
    """Draw every figure: ``(family, figure name, matplotlib Figure)`` per family and :data:`FIGURES` entry."""
    rows = load_rows(db_or_rows)
    matplotlib = _matplotlib()
    figures = []
    by_family: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_family[_family(row)].append(row)
    labels = sorted({_label(row) for row in rows})
    solver_colours = dict(zip(labels, _colours(len(labels))))  # one colour per solver in every family's cactus plot
    with matplotlib.rc_context({"svg.fonttype": "path", "font.size": 10}):
        for family in sorted(by_family):
            mine = by_family[family]
            cells = phase_table(mine)
            figures.append((family, "phase_transition", _phase_figure(family, cells)))
            figures.append((family, "solve_times", _times_figure(family, time_table(mine), mine)))
            figures.append((family, "cactus", _cactus_figure(family, cactus_data(mine), sum(c.instances for c in cells), solver_colours)))
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
    """Write the phase-transition, solve-time and cactus figures of every family; return the paths.

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
        ``3 * families * len(formats)`` paths, by family, figure, format.

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
