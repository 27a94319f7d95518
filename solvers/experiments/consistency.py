"""Whether a sweep's results contradict themselves: exact deciders disagreeing, a heuristic fitting an UNSAT instance.

Which solver kinds are exact and which are heuristics is read from
:data:`solvers.experiments.kinds.SOLVER_KINDS`.  Any inconsistency means a
bug in a solver, a reduction or a verifier.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .kinds import exact_kinds, heuristic_kinds

__all__ = ["Inconsistency", "Problem", "cell_order", "none_last", "consistency_problems", "inconsistencies", "row_family", "row_label"]


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
    return ", ".join(sorted({f"{row_label(r)} (seed {r.get('seed')})" for r in rows}))


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


