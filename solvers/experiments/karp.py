"""Checking reductions the way Karp (PLDI 2022) does, from research scripts or tests.

:func:`check_reduction` decides the source and the target of each instance
*independently* and fails on any disagreement; on every yes-instance it also
runs both witness maps and checks their outputs with the public verifiers.
Training-set targets are decided by the exact trainer
(:func:`solvers.exact.trainer.train_exact`, SAT + LP, with the same ``solver`` as
the source), which does not trust the reduction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from reductions.errors import InvalidInstanceError, TrainhardError
from reductions.problems import Kind, verify
from reductions.registry import Reduction, get_reduction

from ..exact.front import solve
from ..core.progress import Progress
from ..core.result import Result, Status
from ..exact.backends import DEFAULT_SOLVER

__all__ = [
    "ReductionCheckError", "InstanceCheck", "KarpReport", "check_reduction", "check_target_size", "decide_kind",
]


class ReductionCheckError(TrainhardError, AssertionError):
    """A reduction disagreed with itself: a status mismatch or a witness that failed to map.

    Attributes
    ----------
    reduction : str
    source : object
        The offending source instance (to reproduce the failure).
    detail : str
    """

    def __init__(self, reduction: str, source: Any, detail: str) -> None:
        self.reduction, self.source, self.detail = reduction, source, detail
        super().__init__(f"{reduction}: {detail}; source instance: {source!r}"[:2000])


@dataclass(frozen=True)
class InstanceCheck:
    """What :func:`check_reduction` found for one instance."""

    source_status: Status
    target_status: Status
    forward_checked: bool
    backward_checked: bool
    source_time_s: float
    target_time_s: float


@dataclass(frozen=True)
class KarpReport:
    """Summary of :func:`check_reduction` over many instances."""

    reduction: str
    checks: tuple[InstanceCheck, ...] = field(default_factory=tuple)

    @property
    def counts(self) -> dict[str, int]:
        """How many instances were yes, no, or undecided on either side."""
        out = {"sat": 0, "unsat": 0, "unknown": 0}
        for c in self.checks:
            if Status.UNKNOWN in (c.source_status, c.target_status):
                out["unknown"] += 1
            else:
                out["sat" if c.source_status is Status.SAT else "unsat"] += 1
        return out

    def __str__(self) -> str:
        c = self.counts
        return (
            f"{self.reduction}: {len(self.checks)} instances checked, {c['sat']} yes with both witness maps "
            f"verified, {c['unsat']} no on both sides, {c['unknown']} undecided"
        )


# Bytes per entry of a training-set target (int64 numerators, the float64 view
# written to .npz, the build lists), and per stimulus or response character of a
# loading target (its strings and JSON text): measured with tracemalloc.
_TRAINING_ENTRY_BYTES = 24
_LOADING_CELL_BYTES = 6


def check_target_size(red: Reduction, source: Any, **params: Any) -> None:
    """Refuse, before mapping ``source``, a target that would not fit in memory.

    The estimate comes from the reduction's documented size: ``num_points``
    × ``dim`` entries for a training set (dense, so every declared vertex
    adds a point and a dimension), ``num_pairs`` × (``num_inputs`` +
    ``num_outputs``) characters for a loading instance.  Other targets are
    linear in the source and are not checked.

    Raises
    ------
    InvalidInstanceError
        A source of the wrong type, bad parameters, or a target whose
        estimate exceeds :func:`reductions.formats.available_memory` (the
        message gives both).
    """
    from reductions.formats import check_memory

    red.check_source(source)
    size = red.size(source, **red.params(**params))
    if "num_points" in size and "dim" in size:
        needed = size["num_points"] * size["dim"] * _TRAINING_ENTRY_BYTES
        what = f"the {red.name} training set ({size['num_points']} points in {size['dim']} dimensions)"
    elif {"num_pairs", "num_inputs", "num_outputs"} <= set(size):
        needed = size["num_pairs"] * (size["num_inputs"] + size["num_outputs"]) * _LOADING_CELL_BYTES
        what = f"the {red.name} loading instance ({size['num_pairs']} pairs over {size['num_inputs']} inputs)"
    else:
        return
    check_memory(needed, what)


def decide_kind(
    kind: Kind, instance: Any, *, solver: str = DEFAULT_SOLVER, time_limit: float | None = None, **params: Any
) -> Result:
    """Decide ``instance`` read as a ``kind`` problem; ``params`` are the problem's parameters.

    ``solver`` decides formulas and colourings, and is the exact trainer's
    SAT solver for training sets and the loading decider's for loading instances.
    """
    if kind is Kind.TRAINING:
        return solve(instance, solver=solver, time_limit=time_limit, hidden_units=params.get("hidden_units"))
    if kind is Kind.LOADING:
        return solve(instance, solver=solver, time_limit=time_limit)
    return solve(instance, solver=solver, time_limit=time_limit, colors=params.get("colors"))


def check_reduction(
    reduction: str | Reduction,
    instances: Iterable[Any],
    *,
    solver: str = DEFAULT_SOLVER,
    time_limit: float | None = None,
    check_size: bool = True,
    progress: bool = False,
    **params: Any,
) -> KarpReport:
    """Check a reduction on ``instances``, Karp-style.

    For each source instance: map it; check the documented output size;
    decide source and target independently (the source by a SAT solver, a
    training-set target by the exact trainer); fail if one is SAT and the other
    UNSAT; on a yes-instance, map the source witness forward and the target
    witness backward and check both with the public verifiers.

    Parameters
    ----------
    reduction : str or Reduction
        A name from :data:`reductions.REDUCTIONS` or a reduction object.
    instances : iterable
        Source instances.
    solver, time_limit
        Passed to the deciders (``solver`` to every one: the PySAT backend,
        the exact trainer's incremental SAT solver); an instance undecided
        in time counts as unknown and is not a failure.
    check_size : bool
        Compare the target with the reduction's documented size.
    progress : bool
        Show a progress bar on standard error.
    **params
        The reduction's parameters (``k`` for ``coloring-to-halfspaces``).

    Returns
    -------
    KarpReport

    Raises
    ------
    ReductionCheckError
        On the first disagreement, with the offending instance attached.
    InvalidInstanceError
        Before anything is decided: an unknown solver, one the exact trainer
        cannot use for a training-set side, a bad time limit or parameter.

    References
    ----------
    C. Zhang, J. D. Hartline, C. Dimoulas, "Karp: a language for NP
    reductions", PLDI 2022.
    """
    red = get_reduction(reduction)
    values = red.params(**params)
    _check_solver(solver, time_limit, red)
    checks = []
    items = list(instances)
    with Progress(len(items), f"check {red.name}", enabled=progress) as bar:
        for source in items:
            checks.append(_check_one(red, source, values, solver, time_limit, check_size))
            bar.advance()
    return KarpReport(red.name, tuple(checks))


def _check_solver(solver: str, time_limit: float | None, red: Reduction) -> None:
    """Refuse, before any instance is decided, a solver or time limit some side of ``red`` cannot use."""
    from ..core.limits import check_time_limit
    from ..exact.sat import get_backend

    check_time_limit(time_limit)
    backend = get_backend(solver)
    if Kind.TRAINING in (red.source, red.target):
        # The exact trainer's rule (solvers.exact.trainer): incremental, and stoppable when there is a deadline.
        if not backend.incremental:
            raise InvalidInstanceError(
                f"{solver} is not incremental; the exact trainer deciding the training sets needs another solver"
            )
        if time_limit is not None and not backend.limited:
            raise InvalidInstanceError(f"{solver} cannot be stopped at a time limit by the exact trainer; choose another solver")


def _check_one(
    red: Reduction, source: Any, params: dict[str, Any], solver: str, time_limit: float | None, check_size: bool
) -> InstanceCheck:
    def fail(detail: str) -> ReductionCheckError:
        return ReductionCheckError(red.name, source, detail)

    check_target_size(red, source, **params)
    target = red.instance_map(source, **params)
    if check_size:
        for attr, expected in red.size(source, **params).items():
            got = getattr(target, attr)
            if got != expected:
                raise fail(f"target {attr} is {got}, the documented size is {expected}")
    source_params = dict(red.source_params(**params))
    target_params = dict(red.target_params(source, target, **params))
    t0 = time.perf_counter()
    src = decide_kind(red.source, source, solver=solver, time_limit=time_limit, **source_params)
    t1 = time.perf_counter()
    tgt = decide_kind(red.target, target, solver=solver, time_limit=time_limit, **target_params)
    t2 = time.perf_counter()
    forward_ok = backward_ok = False
    if Status.UNKNOWN not in (src.status, tgt.status):
        if src.status is not tgt.status:
            raise fail(f"source is {src.status.value} but target is {tgt.status.value}")
        if src.status is Status.SAT:
            image = red.forward(source, target, src.witness)
            if not verify(red.target, target, image, colors=target_params.get("colors")):
                raise fail(f"forward map gave a {red.target.value} witness that does not verify: {image!r}")
            preimage = red.backward(source, target, tgt.witness)
            if not verify(red.source, source, preimage, colors=source_params.get("colors")):
                raise fail(f"backward map gave a {red.source.value} witness that does not verify: {preimage!r}")
            forward_ok = backward_ok = True
    return InstanceCheck(src.status, tgt.status, forward_ok, backward_ok, t1 - t0, t2 - t1)
