"""Whether a sweep's results contradict themselves: exact deciders disagreeing, a heuristic fitting an UNSAT instance or beating a proved minimum.

Which solver kinds are exact and which are heuristics is read from
:data:`solvers.experiments.kinds.SOLVER_KINDS`.  Any inconsistency means a
bug in a solver, a reduction or a verifier.
"""

from __future__ import annotations

import enum
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .kinds import exact_kinds, heuristic_kinds

__all__ = ["Inconsistency", "Problem", "cell_order", "comparable_errors", "consistency_problems", "fitted", "inconsistencies",
           "is_relaxed", "none_last", "proved_minima", "row_extra", "row_family", "row_label"]


def row_label(row: Mapping[str, Any]) -> str:
    """The name a row's solver goes by in tables and figures (its label, else its kind, else its key)."""
    for name in ("solver", "solver_kind", "solver_key"):
        if row.get(name):
            return str(row[name])
    return "unnamed"


def row_family(row: Mapping[str, Any]) -> str:
    """The row's family label (``unknown`` when it has none)."""
    return str(row["family"]) if row.get("family") else "unknown"


def none_last(value: Any) -> tuple[bool, Any]:
    """Sort key putting ``None`` last."""
    return (value is None, value if value is not None else 0)


def cell_order(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Sort key of a cell (family, n, density, ...), ``None`` parts last."""
    return tuple(none_last(part) for part in key)


def row_extra(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row's ``extra`` column as a dict: parsed from its JSON text (as the store keeps it), ``{}`` when absent or unreadable.

    Examples
    --------
    >>> row_extra({"extra": '{"relaxed": true, "hidden": 3}'})
    {'relaxed': True, 'hidden': 3}
    >>> row_extra({"extra": {"best_errors": 2}}), row_extra({}), row_extra({"extra": "not json"})
    ({'best_errors': 2}, {}, {})
    """
    extra = row.get("extra")
    if isinstance(extra, Mapping):
        return dict(extra)
    if isinstance(extra, (str, bytes)):
        try:
            parsed = json.loads(extra)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


def is_relaxed(row: Mapping[str, Any]) -> bool:
    """Whether a heuristic row's fit has another architecture than asked (more units, another output).

    Such a fit answers another question: it is never a success (its status
    stays ``UNKNOWN``; a ``SAT`` row marked relaxed is not counted either).
    """
    return bool(row_extra(row).get("relaxed"))


def fitted(row: Mapping[str, Any]) -> bool:
    """Whether a heuristic row is a success: ``SAT``, not relaxed, and its witness did not fail its check.

    ``verified`` is ``1`` for every checked ``SAT`` the sweep writes; a
    ``SAT`` with ``verified = 0`` is listed by the consistency checks, not
    counted here.
    """
    return row["status"] == "SAT" and not is_relaxed(row) and row.get("verified") not in (0, False)


def comparable_errors(row: Mapping[str, Any]) -> int | None:
    """The fewest points a heuristic row's networks misclassified, where that is comparable with a proved minimum.

    ``0`` for a success (:func:`fitted`); ``None`` for ``ERROR`` and relaxed
    rows (a relaxed fit has 0 errors with another architecture), for a row
    that recorded no count, and for a failed heuristic that searched the
    source instance (kind ``heuristic`` whose ``extra`` records no
    ``hidden``: its ``best_errors`` counts violated source constraints,
    not misclassified points), and for a run whose networks had more units
    than asked (``extra["hidden"] != extra["asked_hidden"]``, as
    over-parameterised runs have) or a learned output table
    (``extra["learned_output"]``, the MLP's): the minimum is proved for the
    units and output asked.  Otherwise ``extra["best_errors"]``, or the
    ``gd_best_errors`` column of gradient-descent rows.

    Examples
    --------
    >>> comparable_errors({"solver_kind": "heuristic", "status": "UNKNOWN",
    ...                    "extra": '{"best_errors": 2, "hidden": 3, "relaxed": false}'})
    2
    >>> comparable_errors({"solver_kind": "heuristic", "status": "UNKNOWN",
    ...                    "extra": '{"best_errors": 2, "hidden": null, "relaxed": false}'}) is None
    True
    >>> comparable_errors({"solver_kind": "gd", "status": "UNKNOWN", "gd_best_errors": 4})
    4
    """
    if row["status"] == "ERROR" or is_relaxed(row):
        return None
    if fitted(row):
        return 0
    extra = row_extra(row)
    if row.get("solver_kind") == "heuristic" and extra.get("hidden") is None:
        return None
    if extra.get("asked_hidden") is not None and extra.get("hidden") != extra["asked_hidden"]:
        return None  # a wider network (gd-wide) answers another question than the proved minimum's
    if extra.get("learned_output"):
        return None  # so does a learned output table (the MLP's): the minimum is for the output asked
    best = extra.get("best_errors")
    if best is None:
        best = row.get("gd_best_errors")
    if best is None or isinstance(best, bool) or int(best) != best or best < 0:
        return None
    return int(best)


def proved_minima(rows: Iterable[Mapping[str, Any]]) -> tuple[int, ...]:
    """The distinct minimum error counts that the exact-kind rows among ``rows`` (one instance's) prove, sorted.

    One value is the instance's proved minimum; none means nobody proved
    one; several mean the exact solvers contradict each other.  Heuristic
    rows' ``min_errors`` (0 with a fit) prove no minimum and are ignored.

    Examples
    --------
    >>> proved_minima([{"solver_kind": "exact", "status": "UNSAT", "min_errors": 3},
    ...                {"solver_kind": "heuristic", "status": "SAT", "min_errors": 0}])
    (3,)
    """
    exact = exact_kinds()
    return tuple(sorted({int(r["min_errors"]) for r in rows if r.get("solver_kind") in exact
                         and r["status"] != "ERROR" and r.get("min_errors") is not None}))


class Problem(enum.StrEnum):
    """Kinds of inconsistency; each should never happen."""

    DISAGREEMENT = "exact solvers disagree"
    GD_FITS_UNSAT = "gradient descent fits an instance an exact solver proved UNSAT"
    GD_CLAIMS_UNSAT = "gradient descent reports UNSAT (it cannot prove that)"
    UNVERIFIED = "SAT whose witness failed its exact check"
    MINIMA_DISAGREE = "exact solvers prove different minimum errors"
    BELOW_MINIMUM = "a heuristic's network misclassifies fewer points than the proved minimum"


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
    return ", ".join(sorted({f"{row_label(r)} (seed {r.get('seed')})" for r in rows}))


def consistency_problems(rows: Iterable[Mapping[str, Any]]) -> list[Inconsistency]:
    """Everything that contradicts itself; an empty list for sound results.

    Per ``instance_hash`` (over all its seeds): exact solvers saying both
    ``SAT`` and ``UNSAT``; a gradient-descent ``SAT`` (an exactly checked
    network) where an exact solver says ``UNSAT``; a gradient-descent
    ``UNSAT``; any ``SAT`` row whose ``verified`` is 0; exact rows proving
    different minimum errors (:func:`proved_minima`); and a heuristic whose
    exactly counted errors (:func:`comparable_errors`) lie below a proved
    minimum.

    Examples
    --------
    >>> rows = [{"instance_hash": "a", "seed": 0, "solver": "cadical", "solver_kind": "sat", "status": "UNSAT"},
    ...         {"instance_hash": "a", "seed": 0, "solver": "gd", "solver_kind": "gd", "status": "SAT"}]
    >>> [p.problem.name for p in consistency_problems(rows)]
    ['GD_FITS_UNSAT']
    """
    exact, heuristic = exact_kinds(), heuristic_kinds()
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row["instance_hash"])].append(row)
    found = []
    for instance_hash, group in groups.items():
        exact_sat = [r for r in group if r.get("solver_kind") in exact and r["status"] == "SAT"]
        exact_unsat = [r for r in group if r.get("solver_kind") in exact and r["status"] == "UNSAT"]
        gd_sat = [r for r in group if r.get("solver_kind") in heuristic and r["status"] == "SAT"]
        gd_unsat = [r for r in group if r.get("solver_kind") in heuristic and r["status"] == "UNSAT"]
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
        minima = proved_minima(group)
        if len(minima) > 1:
            problems.append((Problem.MINIMA_DISAGREE, f"minima {', '.join(map(str, minima))}: "
                             f"{_who(r for r in group if r.get('solver_kind') in exact and r.get('min_errors') is not None)}"))
        below = [r for r in group if r.get("solver_kind") in heuristic and minima
                 and (e := comparable_errors(r)) is not None and e < minima[0]]
        if below:
            problems.append((Problem.BELOW_MINIMUM, f"{_who(below)} below the proved minimum {minima[0]}"))
        first = group[0]
        found += [Inconsistency(problem, instance_hash, row_family(first), first.get("n"), first.get("density"), detail)
                  for problem, detail in problems]
    found.sort(key=lambda p: cell_order((p.family, p.n, p.density, p.instance_hash, p.problem.name)))
    return found


def inconsistencies(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Instances on which the solvers contradict each other, one line each (should be none).

    The checks are :func:`consistency_problems`: exact solvers
    (kinds ``sat`` and ``exact``) saying both SAT and UNSAT, gradient
    descent's verified success on an instance an exact solver proves
    unsatisfiable, gradient descent claiming UNSAT, a SAT row whose witness
    failed its check.  Any of them means a bug in a solver, a reduction or
    a verifier.
    """
    return [f"{p.problem.value}: {p.family} n={p.n} density={p.density} instance {p.instance_hash[:12]}: {p.detail}"
            for p in consistency_problems(rows)]


