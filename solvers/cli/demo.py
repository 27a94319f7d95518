"""The main job of the README: one hard instance, end to end, explained as it runs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, TextIO

from reductions import formats
from reductions.blum_rivest import blum_rivest, coloring_to_network, network_to_coloring
from reductions.generators import random_kcnf, random_uniform_hypergraph
from reductions.problems import fits, is_splitting
from reductions.registry import REDUCTIONS

from ..experiments.karp import check_reduction
from ..core.result import Status
from ..exact.backends import DEFAULT_SOLVER

__all__ = ["run_demo"]


def run_demo(
    *, n: int = 60, ratio: float = 2.1, seed: int = 0, solver: str = DEFAULT_SOLVER, save: str | None = None,
    out: TextIO | None = None,
) -> int:
    """Generate, reduce, solve exactly, map back and cross-check; print what happened.

    1. A random 3-uniform hypergraph with ``n`` vertices and ``ratio * n``
       edges (near the set-splitting threshold, about 2.1 for 3-uniform).
    2. The Blum–Rivest training set for the 3-node network (2 threshold units
       and an AND): ``n + m + 1`` points in ``n`` dimensions.
    3. The hypergraph decided exactly by a SAT solver; an UNSAT verdict is
       cross-checked by a second solver.
    4. For SAT: the splitting becomes integer weights, checked with the exact
       ``fits``, and the network maps back to a splitting, checked too.
    5. The full chain CNF -> 3-CNF -> NAE-SAT -> set splitting -> training set
       on a small random formula, with the training set decided independently
       by the exact trainer (which trusts no reduction) and both witness maps checked.
    6. The exact trainer on the Blum–Rivest set alone, without the hypergraph:
       it relearns the hyperedges from the geometry, agrees with step 3, and
       for an untrainable set finds the minimum number of misclassified points.

    Returns 0 when every check passed (any failure raises).
    """
    from ..exact.front import solve

    out = out if out is not None else sys.stdout
    say = lambda text="": out.write(text + "\n")  # noqa: E731
    say("trainhard demo: training a 3-node network is NP-complete (Blum & Rivest 1992)")
    say()
    h = random_uniform_hypergraph(n, ratio=ratio, seed=seed)
    say(f"1. random 3-uniform hypergraph, seed {seed}: {h.num_vertices} vertices, {h.num_edges} edges "
        f"({ratio} per vertex, near the splitting threshold)")
    ts = blum_rivest(h)
    pos = int(ts.labels.sum())
    say(f"2. Blum–Rivest training set: {ts.num_points} points in {ts.dim} dimensions "
        f"({pos} labelled +: the origin and one indicator per edge; {ts.num_points - pos} labelled -: the unit vectors)")
    result = solve(h, solver=solver)
    say(f"3. {solver} decides the set-splitting instance: {result.status.value} in {result.time_s * 1000:.1f} ms "
        f"({result.stats.get('conflicts', '?')} conflicts)")
    if result.status is Status.SAT:
        split = result.witness
        assert is_splitting(h, split)
        net = coloring_to_network(h, split, 2)
        say(f"4. the splitting S1 = {sum(1 for c in split if c == 0)} vertices, S2 = {sum(split)} vertices "
            f"gives integer weights (-2 on the own part, {2 * n} elsewhere, threshold -1)")
        ok = fits(net, ts)
        say(f"   exact check: the network classifies all {ts.num_points} points correctly: {ok}")
        back = network_to_coloring(h, ts, net)
        say(f"   mapped back (each vertex goes to the unit that rejects its unit vector): a splitting: {is_splitting(h, back)}")
        if not ok or not is_splitting(h, back):  # pragma: no cover - would be a bug
            raise RuntimeError("a witness failed to verify")
    elif result.status is Status.UNSAT:
        second = "glucose4" if solver != "glucose4" else "minisat22"
        check = solve(h, solver=second)
        say(f"4. no splitting exists, so no network of 2 threshold units and an AND fits the {ts.num_points} points.")
        say(f"   cross-check by {second}: {check.status.value} in {check.time_s * 1000:.1f} ms")
        if check.status is not Status.UNSAT:  # pragma: no cover - would be a bug
            raise RuntimeError(f"{second} disagrees: {check.status.value}")
    else:  # pragma: no cover - no time limit is set
        say("4. undecided")
    if save:
        folder = Path(save)
        folder.mkdir(parents=True, exist_ok=True)
        formats.write_instance(h, folder / "instance.hgr")
        formats.write_instance(ts, folder / "blum_rivest.npz")
        if result.status is Status.SAT:
            formats.save_network(coloring_to_network(h, result.witness, 2), folder / "network.json")
        say(f"   saved the instance, training set and network under {folder}/")
    say()
    f = random_kcnf(4, m=14, seed=seed)
    start = time.perf_counter()
    report = check_reduction(REDUCTIONS["cnf-to-blum-rivest"], [f])
    chk = report.checks[0]
    target = REDUCTIONS["cnf-to-blum-rivest"](f)
    say(f"5. the chain CNF -> 3-CNF -> NAE-SAT -> set splitting -> Blum–Rivest on a random 3-CNF "
        f"(4 variables, 14 clauses): {target.num_points} points in {target.dim} dimensions")
    say(f"   source by SAT solver: {chk.source_status.value}; training set by the exact trainer, "
        f"independently: {chk.target_status.value} ({chk.target_time_s:.2f} s)")
    if chk.forward_checked:
        say("   both witness maps checked: model -> network fits exactly, and network -> model satisfies the formula")
    say(f"   ({time.perf_counter() - start:.2f} s)")
    say()
    _exact_trainer_step(h, ts, result.status, say)
    say()
    say("every verdict above was checked exactly (integers, no float tolerance).")
    return 0


def _exact_trainer_step(h: Any, ts: Any, source_status: Status, say: Any) -> None:
    from ..exact.trainer import train_exact

    r = train_exact(ts, minimize_core=False)
    if r.status is not source_status:  # pragma: no cover - would be a bug
        raise RuntimeError(f"the exact trainer says {r.status.value}, the SAT solver {source_status.value}")
    n = h.num_vertices
    learned = {frozenset(q - 1 for q in c.silent) for c in r.conflicts if all(1 <= q <= n for q in c.silent)}
    edges = {frozenset(e) for e in h.edges}
    say(f"6. the exact trainer (SAT + LP) decides the training set alone, without the hypergraph: "
        f"{r.status.value} in {r.time_s:.2f} s")
    say(f"   it learned {len(r.conflicts)} hull conflicts from the geometry (exactly checked convex combinations); "
        f"they are the {len(edges)} hyperedges: {learned == edges}")
    if r.status is Status.SAT:
        say(f"   its network fits all {ts.num_points} points exactly: {fits(r.network, ts)}")
    else:
        best = train_exact(ts, min_error=True)
        say(f"   no network fits; the fewest points any 2-unit AND network gets wrong: {best.errors} "
            f"(RC2, re-proved by {best.stats.get('optimality_rechecked_by')}), e.g. point(s) {list(best.misclassified)}")
