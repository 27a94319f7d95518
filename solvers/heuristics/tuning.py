"""Fair tuning: each heuristic's small grid searched on tuning instances that no evaluation cell uses.

Before anyone says "the heuristic fails here", it must have had its chance:
:func:`tune` tries every combination of a heuristic's ``tuning`` grid on a
set of *tuning* instances and keeps the one that solves the most (ties:
fewer restart-steps, then the grid's order, defaults first).  Tuning
instances are generated with seeds from :func:`tuning_seeds`, a range no
evaluation seed may enter (:data:`TUNING_SEED_BASE` and above; evaluation
seeds stay below it), and :func:`tune` refuses evaluation seeds that meet
the tuning ones.  The chosen settings are recorded with the results
(:class:`Tuned`, ``to_json``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reductions.errors import InvalidInstanceError

from .registry import Budget, Heuristic, get_heuristic, run_heuristic

__all__ = ["TUNING_SEED_BASE", "Tuned", "check_disjoint", "evaluation_seeds", "grid", "tune", "tuning_seeds"]

TUNING_SEED_BASE = 2**40
"""Tuning instances use seeds from here up; evaluation instances use seeds below it."""


def tuning_seeds(count: int, *, offset: int = 0) -> range:
    """``count`` seeds for tuning instances (all at least :data:`TUNING_SEED_BASE`)."""
    if count < 1 or offset < 0:
        raise InvalidInstanceError(f"need a positive count and a non-negative offset, got {count}, {offset}")
    return range(TUNING_SEED_BASE + offset, TUNING_SEED_BASE + offset + count)


def evaluation_seeds(count: int, *, offset: int = 0) -> range:
    """``count`` seeds for evaluation instances (all below :data:`TUNING_SEED_BASE`)."""
    if count < 1 or offset < 0 or offset + count > TUNING_SEED_BASE:
        raise InvalidInstanceError(f"evaluation seeds must stay below {TUNING_SEED_BASE}")
    return range(offset, offset + count)


def check_disjoint(tuning: Iterable[int], evaluation: Iterable[int]) -> None:
    """Refuse tuning and evaluation seeds that meet (nothing is tuned on what it is scored on)."""
    tuning, evaluation = set(tuning), set(evaluation)
    shared = tuning & evaluation
    if shared:
        raise InvalidInstanceError(f"tuning and evaluation share seeds {sorted(shared)[:5]}: tune on other instances")
    stray = [s for s in evaluation if s >= TUNING_SEED_BASE]
    if stray:
        raise InvalidInstanceError(f"evaluation seeds {sorted(stray)[:5]} lie in the tuning range (>= {TUNING_SEED_BASE})")


def grid(heuristic: Heuristic) -> list[dict[str, Any]]:
    """Every combination of ``heuristic.tuning``, the defaults' combination first."""
    names = sorted(heuristic.tuning)
    combos = [dict(zip(names, values)) for values in itertools.product(*(heuristic.tuning[n] for n in names))]
    defaults = {n: heuristic.defaults[n] for n in names}
    combos.sort(key=lambda c: c != defaults)
    return combos


@dataclass(frozen=True)
class Tuned:
    """The outcome of :func:`tune`.

    Attributes
    ----------
    heuristic : str
    settings : mapping
        The chosen settings (defaults overridden by the best grid point).
    seeds : tuple of int
        The tuning instances' seeds.
    budget : Budget
    table : tuple of (settings, solved, restart_steps)
        Every grid point tried, in order.
    """

    heuristic: str
    settings: Mapping[str, Any]
    seeds: tuple[int, ...]
    budget: Budget
    table: tuple[tuple[Mapping[str, Any], int, int], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, for recording beside the results it was used for."""
        return {
            "heuristic": self.heuristic, "settings": dict(self.settings), "seeds": list(self.seeds),
            "budget": {"restart_steps": self.budget.restart_steps, "time_s": self.budget.time_s},
            "table": [{"settings": dict(s), "solved": n, "restart_steps": r} for s, n, r in self.table],
        }


def tune(
    heuristic: str | Heuristic,
    make: Callable[[int], Mapping[str, Any]],
    *,
    seeds: Sequence[int],
    budget: Budget,
    evaluation: Iterable[int] = (),
    seed: int = 0,
) -> Tuned:
    """Search ``heuristic``'s grid on the instances ``make(s)`` for ``s`` in ``seeds``.

    Parameters
    ----------
    heuristic : str or Heuristic
    make : callable
        ``make(seed)`` returns the keyword arguments of :func:`run_heuristic`
        for one tuning instance (``problem``, and optionally ``source``,
        ``reduction``, ``params``, ``hidden``, ``output``).
    seeds : sequence of int
        Tuning seeds (from :func:`tuning_seeds`).
    budget : Budget
        Per instance and grid point.
    evaluation : iterable of int
        The seeds the results will be scored on; they must not meet ``seeds``.
    seed : int
        The heuristic's own seed.
    """
    h = get_heuristic(heuristic)
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise InvalidInstanceError("tuning needs at least one instance")
    check_disjoint(seeds, evaluation)
    instances = [dict(make(s)) for s in seeds]
    table = []
    for point in grid(h):  # one empty point when there is no grid
        solved = spent = 0
        for kwargs in instances:
            result = run_heuristic(h, kwargs["problem"], **{k: v for k, v in kwargs.items() if k != "problem"},
                                   budget=budget, seed=seed, **point)
            solved += result.status.value == "SAT"
            spent += result.restart_steps
        table.append((point, solved, spent))
    best = max(range(len(table)), key=lambda i: (table[i][1], -table[i][2], -i))
    return Tuned(h.name, {**h.defaults, **table[best][0]}, seeds, budget, tuple(table))

