"""Statistics of a sweep's results: verdicts per instance, phase tables, solve times, success regions, exact counts.

Pure functions of the rows (:func:`solvers.experiments.store.read_rows`),
exact where the truth is exact (counts are integers, fractions are
:class:`fractions.Fraction`); the figures of :mod:`solvers.report.plots`
and the page of :mod:`solvers.report.page` draw them.  What counts as what
(instances, exact and heuristic rows, solved, hitting a limit) is
described in :mod:`solvers.report.plots`.
"""

from __future__ import annotations

import enum
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from reductions.errors import InvalidInstanceError

from ..experiments.consistency import (
    cell_order,
    comparable_errors,
    fitted,
    is_relaxed,
    proved_minima,
    row_extra,
    row_family,
    row_label,
)
from ..experiments.kinds import exact_kinds, heuristic_kinds

__all__ = [
    "EXACT_KINDS",
    "HEURISTIC_KINDS",
    "wilson_interval",
    "percentile",
    "load_rows",
    "Verdict",
    "InstanceVerdict",
    "instance_verdicts",
    "GDCount",
    "PhaseCell",
    "phase_table",
    "TimeStats",
    "time_table",
    "SolverSummary",
    "solver_table",
    "cactus_data",
    "row_extra",
    "fitted",
    "is_relaxed",
    "comparable_errors",
    "SuccessCell",
    "success_table",
    "OptimumCell",
    "proved_minima",
    "optimum_table",
]

EXACT_KINDS = exact_kinds()
"""Solver kinds whose ``SAT``/``UNSAT`` are proofs (declared by :data:`~solvers.experiments.kinds.SOLVER_KINDS`)."""

HEURISTIC_KINDS = heuristic_kinds()
"""Solver kinds that can only find (``SAT`` checked exactly, never ``UNSAT``)."""


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


def _solved(row: Mapping[str, Any]) -> bool:
    if row.get("solver_kind") in HEURISTIC_KINDS:
        return row["status"] == "SAT"
    return row["status"] in ("SAT", "UNSAT")


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
        gd = [r for r in group if r.get("solver_kind") in HEURISTIC_KINDS and r["status"] != "ERROR"]
        sat_by = tuple(sorted({row_label(r) for r in exact if r["status"] == "SAT"}))
        unsat_by = tuple(sorted({row_label(r) for r in exact if r["status"] == "UNSAT"}))
        verdict = (
            Verdict.DISAGREEMENT if sat_by and unsat_by
            else Verdict.SAT if sat_by
            else Verdict.UNSAT if unsat_by
            else Verdict.UNKNOWN
        )
        verdicts.append(InstanceVerdict(
            instance_hash=instance_hash, seed=seed, family=row_family(first), n=first.get("n"),
            density=first.get("density"), verdict=verdict, sat_by=sat_by, unsat_by=unsat_by,
            gd_run=tuple(sorted({row_label(r) for r in gd})),
            gd_solved=tuple(sorted({row_label(r) for r in gd if r["status"] == "SAT"})),
        ))
    verdicts.sort(key=lambda v: cell_order((v.family, v.n, v.density, v.seed, v.instance_hash)))
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
    table.sort(key=lambda c: cell_order((c.family, c.n, c.density)))
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
        groups[(row_label(row), str(row.get("solver_kind")), row_family(row), row.get("n"), row.get("density"))].append(row)
    table = []
    for (solver, kind, family, n, density), group in groups.items():
        kept = [r for r in group if r["status"] != "ERROR"]
        if not kept:
            continue
        times, at_limit = _timed(kept)
        median, p90 = _median_p90(times)
        table.append(TimeStats(solver, kind, family, n, density, len(kept), len(times), at_limit, median, p90))
    table.sort(key=lambda s: cell_order((s.solver, s.solver_kind, s.family, s.n, s.density)))
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
        return self.sat if self.solver_kind in HEURISTIC_KINDS else self.sat + self.unsat


def solver_table(rows: Iterable[Mapping[str, Any]]) -> list[SolverSummary]:
    """Per solver (label and kind): rows, statuses, at-limit count, median and p90 time.  Sorted by label."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row_label(row), str(row.get("solver_kind")))].append(row)
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
        times = data[row_label(row)]
        if _solved(row) and row.get("time_s") is not None:
            times.append(float(row["time_s"]))
    return {label: sorted(times) for label, times in sorted(data.items())}




# ---------------------------------------------------------------------------
# success regions of the heuristics
# ---------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True)
class SuccessCell:
    """Where one heuristic succeeds: its outcomes in one ``(family, n, density)`` cell.

    Counts are of instances (``(instance_hash, seed)``), exact integers.

    Attributes
    ----------
    solver, solver_kind : str
        The heuristic's label and kind (any kind that is not exact).
    family, n, density
        The cell.
    instances : int
        Instances in the cell (whoever ran on them).
    runs : int
        Instances it ran on (a row that is not ``ERROR``).
    errors : int
        Instances where its only rows are ``ERROR`` (not runs).
    solved : int
        Runs it fitted (:func:`fitted`), on instances no exact solver proved
        unsatisfiable.
    satisfiable_runs, satisfiable_solved : int
        The same, among the instances an exact solver proved satisfiable
        (verdict ``SAT``: no exact solver disagrees).
    relaxed : int
        Runs whose only fit has another architecture (more units, another
        output): reported, never counted as solved.
    fits_unsat : int
        Runs it "fitted" on an instance (``instance_hash``, any seed) an
        exact solver proved UNSAT: a bug somewhere, listed by
        :func:`solvers.experiments.consistency.consistency_problems`, not
        counted as solved.
    median_restart_steps, median_time_s : float or None
        Medians over the counted successes (``solved``) that recorded them;
        ``None`` when none did.
    """

    solver: str
    solver_kind: str
    family: str
    n: int | None
    density: float | None
    instances: int
    runs: int
    errors: int
    solved: int
    satisfiable_runs: int
    satisfiable_solved: int
    relaxed: int
    fits_unsat: int
    median_restart_steps: float | None = None
    median_time_s: float | None = None

    def __post_init__(self) -> None:
        counts = (self.instances, self.runs, self.errors, self.solved, self.satisfiable_runs, self.satisfiable_solved,
                  self.relaxed, self.fits_unsat)
        if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts):
            raise InvalidInstanceError(f"{self.solver}: success counts must be non-negative integers, got {counts}")
        if self.runs + self.errors > self.instances:
            raise InvalidInstanceError(f"{self.solver}: {self.runs} runs and {self.errors} errors in {self.instances} instances")
        if self.solved + self.relaxed + self.fits_unsat > self.runs:
            raise InvalidInstanceError(f"{self.solver}: solved, relaxed and UNSAT fits exceed the {self.runs} runs")
        if not self.satisfiable_solved <= self.satisfiable_runs <= self.runs or self.satisfiable_solved > self.solved:
            raise InvalidInstanceError(f"{self.solver}: inconsistent counts on the satisfiable instances")

    @property
    def fraction(self) -> Fraction | None:
        """``solved / runs`` exactly; ``None`` when it ran on nothing."""
        return Fraction(self.solved, self.runs) if self.runs else None

    @property
    def satisfiable_fraction(self) -> Fraction | None:
        """``satisfiable_solved / satisfiable_runs`` exactly; ``None`` with no satisfiable run."""
        return Fraction(self.satisfiable_solved, self.satisfiable_runs) if self.satisfiable_runs else None

    @property
    def relaxed_fraction(self) -> Fraction | None:
        """``relaxed / runs`` exactly; ``None`` when it ran on nothing."""
        return Fraction(self.relaxed, self.runs) if self.runs else None

    @property
    def interval(self) -> tuple[float, float]:
        """95 % Wilson interval of :attr:`fraction` (``(0, 1)`` with no run)."""
        return wilson_interval(self.solved, self.runs)

    @property
    def satisfiable_interval(self) -> tuple[float, float]:
        """95 % Wilson interval of :attr:`satisfiable_fraction` (``(0, 1)`` with no satisfiable run)."""
        return wilson_interval(self.satisfiable_solved, self.satisfiable_runs)

    @property
    def relaxed_interval(self) -> tuple[float, float]:
        """95 % Wilson interval of :attr:`relaxed_fraction`."""
        return wilson_interval(self.relaxed, self.runs)


def _instances(rows: Iterable[Mapping[str, Any]]) -> tuple[dict[tuple[str, int], list[Mapping[str, Any]]], list[InstanceVerdict]]:
    """Rows grouped by instance ``(instance_hash, seed)``, and the instances' verdicts."""
    rows = list(rows)
    groups: dict[tuple[str, int], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(str(row["instance_hash"]), int(row["seed"]))].append(row)
    return groups, instance_verdicts(rows)


def success_table(rows: Iterable[Mapping[str, Any]]) -> list[SuccessCell]:
    """Per heuristic (label and kind) and ``(family, n, density)``: the counts of :class:`SuccessCell`.

    A heuristic is any solver whose kind is not exact
    (:data:`HEURISTIC_KINDS`); it gets a cell wherever it has a row.  Per
    instance, several rows of one label count once: it ran if one row is
    not ``ERROR``, fitted if one row is :func:`fitted`, relaxed if one row
    is relaxed and none fitted.  A fit of an instance that an exact solver
    proved unsatisfiable (an exact ``UNSAT`` row for its ``instance_hash``,
    under any seed, as
    :func:`~solvers.experiments.consistency.consistency_problems` reads it)
    is counted in ``fits_unsat``, never in ``solved``.  Sorted by family, label, kind,
    ``n``, density.  O(rows).

    Examples
    --------
    >>> def row(h, solver, kind, status, **more):
    ...     return {"instance_hash": h, "seed": 0, "family": "cnf", "n": 5, "density": 4.0,
    ...             "solver": solver, "solver_kind": kind, "status": status, **more}
    >>> rows = [row("a", "cadical", "sat", "SAT"), row("a", "walk", "heuristic", "SAT", restart_steps=40, time_s=0.5),
    ...         row("b", "cadical", "sat", "SAT"), row("b", "walk", "heuristic", "UNKNOWN", extra='{"relaxed": true}'),
    ...         row("c", "cadical", "sat", "UNSAT"), row("c", "walk", "heuristic", "SAT")]
    >>> [c] = success_table(rows)
    >>> c.runs, c.solved, c.satisfiable_runs, c.satisfiable_solved, c.relaxed, c.fits_unsat
    (3, 1, 2, 1, 1, 1)
    >>> c.satisfiable_fraction, c.median_restart_steps, c.median_time_s
    (Fraction(1, 2), 40.0, 0.5)
    """
    groups, verdicts = _instances(rows)
    # an UNSAT proof holds for the instance's content, whatever seed sampled it (as the consistency checks read it)
    proved_unsat = {h for (h, _), group in groups.items()
                    if any(r.get("solver_kind") in EXACT_KINDS and r["status"] == "UNSAT" for r in group)}
    cells: dict[tuple[Any, ...], list[InstanceVerdict]] = defaultdict(list)
    for v in verdicts:
        cells[(v.family, v.n, v.density)].append(v)
    table = []
    for (family, n, density), cell in cells.items():
        per_solver: dict[tuple[str, str], list[tuple[InstanceVerdict, list[Mapping[str, Any]]]]] = defaultdict(list)
        for v in cell:
            mine: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
            for row in groups[(v.instance_hash, v.seed)]:
                if row.get("solver_kind") in HEURISTIC_KINDS:
                    mine[(row_label(row), str(row["solver_kind"]))].append(row)
            for key, own in mine.items():
                per_solver[key].append((v, own))
        for (solver, kind), outcomes in per_solver.items():
            runs = errors = solved = sat_runs = sat_solved = relaxed = fits_unsat = 0
            steps: list[float] = []
            times: list[float] = []
            for v, own in outcomes:
                ran = [r for r in own if r["status"] != "ERROR"]
                if not ran:
                    errors += 1
                    continue
                runs += 1
                satisfiable = v.verdict is Verdict.SAT
                sat_runs += satisfiable
                fits = [r for r in ran if fitted(r)]
                if not fits:
                    relaxed += any(is_relaxed(r) for r in ran)
                elif v.instance_hash in proved_unsat:
                    fits_unsat += 1
                else:
                    solved += 1
                    sat_solved += satisfiable
                    first = min(fits, key=lambda r: (r.get("time_s") is None, r.get("time_s") or 0.0))
                    if first.get("restart_steps") is not None:
                        steps.append(float(first["restart_steps"]))
                    if first.get("time_s") is not None:
                        times.append(float(first["time_s"]))
            table.append(SuccessCell(
                solver=solver, solver_kind=kind, family=family, n=n, density=density, instances=len(cell), runs=runs,
                errors=errors, solved=solved, satisfiable_runs=sat_runs, satisfiable_solved=sat_solved, relaxed=relaxed,
                fits_unsat=fits_unsat, median_restart_steps=_median(steps), median_time_s=_median(times),
            ))
    table.sort(key=lambda c: cell_order((c.family, c.solver, c.solver_kind, c.n, c.density)))
    return table


@dataclass(frozen=True)
class OptimumCell:
    """Whether one heuristic reached the proved minimum number of errors, in one ``(family, n, density)`` cell.

    Where a fit with 0 errors rarely exists (real data), success is reaching
    the optimum: ``best_errors`` equal to the minimum an exact solver proved
    (its row's ``min_errors``).  Counts are of instances, exact integers.

    Attributes
    ----------
    solver, solver_kind, family, n, density
        The heuristic and the cell.
    with_minimum : int
        Instances it ran on whose minimum an exact solver proved.
    compared : int
        Those where its row has a comparable error count
        (:func:`comparable_errors`).
    reached : int
        Those where that count equals the proved minimum.
    below : int
        Those where it is *below* the proved minimum: impossible unless a
        solver or a verifier is wrong.
    total_gap : int
        The sum of ``count - minimum`` over the ``compared`` instances.
    total_minimum : int
        The sum of the proved minima over the ``with_minimum`` instances.
    conflicting : int
        Instances it ran on whose exact rows prove different minima (a bug;
        not in ``with_minimum``).
    """

    solver: str
    solver_kind: str
    family: str
    n: int | None
    density: float | None
    with_minimum: int
    compared: int
    reached: int
    below: int
    total_gap: int
    total_minimum: int
    conflicting: int = 0

    def __post_init__(self) -> None:
        counts = (self.with_minimum, self.compared, self.reached, self.below, self.total_minimum, self.conflicting)
        if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in counts) or isinstance(self.total_gap, bool):
            raise InvalidInstanceError(f"{self.solver}: optimum counts must be non-negative integers, got {counts}")
        if not self.reached + self.below <= self.compared <= self.with_minimum:
            raise InvalidInstanceError(f"{self.solver}: reached {self.reached} and below {self.below} of "
                                       f"{self.compared} compared, {self.with_minimum} with a minimum")

    @property
    def fraction(self) -> Fraction | None:
        """``reached / with_minimum`` exactly (a run without a comparable count did not show it reached it)."""
        return Fraction(self.reached, self.with_minimum) if self.with_minimum else None

    @property
    def interval(self) -> tuple[float, float]:
        """95 % Wilson interval of :attr:`fraction`."""
        return wilson_interval(self.reached, self.with_minimum)

    @property
    def mean_gap(self) -> Fraction | None:
        """Mean of ``best_errors - minimum`` over the compared instances, exactly; ``None`` with none."""
        return Fraction(self.total_gap, self.compared) if self.compared else None

    @property
    def mean_minimum(self) -> Fraction | None:
        """Mean proved minimum over the instances with one, exactly."""
        return Fraction(self.total_minimum, self.with_minimum) if self.with_minimum else None


def optimum_table(rows: Iterable[Mapping[str, Any]]) -> list[OptimumCell]:
    """Per heuristic and ``(family, n, density)`` with a proved minimum: how often it reached it, and the mean gap.

    A minimum is *proved* by an exact-kind row's ``min_errors`` (the exact
    trainer writes 0 with a fit and, asked for ``min_error``, the minimum of
    an unsatisfiable set).  A heuristic's count is :func:`comparable_errors`.
    Only cells where the heuristic ran on an instance with a proved (or
    conflicting) minimum appear.  Sorted by family, label, kind, ``n``,
    density.  O(rows).

    Examples
    --------
    >>> def row(h, solver, kind, status, **more):
    ...     return {"instance_hash": h, "seed": 0, "family": "iris", "n": 50, "density": None,
    ...             "solver": solver, "solver_kind": kind, "status": status, **more}
    >>> rows = [row("a", "trainer", "exact", "UNSAT", min_errors=2),
    ...         row("a", "anneal", "heuristic", "UNKNOWN", extra={"best_errors": 2, "hidden": 2}),
    ...         row("b", "trainer", "exact", "UNSAT", min_errors=1),
    ...         row("b", "anneal", "heuristic", "UNKNOWN", extra={"best_errors": 4, "hidden": 2})]
    >>> [c] = optimum_table(rows)
    >>> c.with_minimum, c.compared, c.reached, c.mean_gap, c.mean_minimum
    (2, 2, 1, Fraction(3, 2), Fraction(3, 2))
    """
    groups, verdicts = _instances(rows)
    counts: dict[tuple[Any, ...], list[int]] = {}
    for v in verdicts:
        group = groups[(v.instance_hash, v.seed)]
        minima = proved_minima(group)
        if not minima:
            continue
        mine: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
        for row in group:
            if row.get("solver_kind") in HEURISTIC_KINDS and row["status"] != "ERROR":
                mine[(row_label(row), str(row["solver_kind"]))].append(row)
        for (solver, kind), own in mine.items():
            # with_minimum, compared, reached, below, total_gap, total_minimum, conflicting
            count = counts.setdefault((v.family, solver, kind, v.n, v.density), [0] * 7)
            if len(minima) > 1:
                count[6] += 1
                continue
            minimum = minima[0]
            count[0] += 1
            count[5] += minimum
            found = [e for e in (comparable_errors(r) for r in own) if e is not None]
            if not found:
                continue
            best = min(found)
            count[1] += 1
            count[2] += best == minimum
            count[3] += best < minimum
            count[4] += best - minimum
    table = [OptimumCell(solver, kind, family, n, density, *count)
             for (family, solver, kind, n, density), count in counts.items()]
    table.sort(key=lambda c: cell_order((c.family, c.solver, c.solver_kind, c.n, c.density)))
    return table
