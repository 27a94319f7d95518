"""The per-family report pages: success regions, optimum reached, their pages and links (issue 15).

The tables (solvers.report.stats.success_table, optimum_table) are checked
against hand-built rows whose every count is worked out by hand in the
comments, their intervals exactly against ``wilson_interval``; random row
sets (Hypothesis) check the invariants and an independent recount; the
pages (solvers.report.page.write_report) by their files, links and the
numbers in their tables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st

from reductions.errors import InvalidInstanceError
from solvers.experiments.consistency import Problem, consistency_problems
from solvers.report import FIGURES
from solvers.report.page import FAMILY_FIGURES, family_page_name, family_slugs
from solvers.report.stats import (
    OptimumCell,
    SuccessCell,
    comparable_errors,
    fitted,
    is_relaxed,
    optimum_table,
    proved_minima,
    success_table,
    wilson_interval,
)

HG = "hypergraph via blum-rivest"  # a family label as the sweep writes it, with spaces
REAL = "real data: iris/setosa (50 pts)"  # slashes, a colon, brackets: must still give one safe file name


def _row(instance: str, seed: int, family: str, n: int | None, density: float | None, solver: str, kind: str,
         status: str, **extra: object) -> dict[str, object]:
    return {"instance_hash": instance, "solver_key": f"key-{solver}", "seed": seed, "family": family, "n": n,
            "density": density, "solver": solver, "solver_kind": kind, "status": status, "time_limit": 10.0,
            **extra}


def _h(best: int | None = None, *, hidden: int | None = 2, relaxed: bool = False) -> str:
    """A ``heuristic`` row's ``extra`` as the store keeps it (JSON text)."""
    import json

    return json.dumps({"best_errors": best, "hidden": hidden, "relaxed": relaxed})


def hand_rows() -> list[dict[str, object]]:
    """Two families; the counts the tests expect are worked out beside each line."""
    rows = [
        # HG, n 10, density 1.0: i0..i3 SAT, i4 UNSAT, i5 undecided
        _row("i0", 0, HG, 10, 1.0, "cadical", "sat", "SAT"),
        _row("i0", 0, HG, 10, 1.0, "walk", "heuristic", "SAT", verified=1, restart_steps=100, time_s=1.0, extra=_h(0)),
        _row("i0", 0, HG, 10, 1.0, "gd", "gd", "SAT", verified=1, restart_steps=500, time_s=3.0, gd_best_errors=0),
        _row("i1", 1, HG, 10, 1.0, "cadical", "sat", "SAT"),
        _row("i1", 1, HG, 10, 1.0, "walk", "heuristic", "SAT", verified=1, restart_steps=300, time_s=2.0, extra=_h(0)),
        _row("i1", 1, HG, 10, 1.0, "gd", "gd", "UNKNOWN", time_s=5.0, gd_best_errors=1),
        _row("i2", 2, HG, 10, 1.0, "cadical", "sat", "SAT"),
        # a fit with 3 units where 2 were asked: relaxed, never a success
        _row("i2", 2, HG, 10, 1.0, "walk", "heuristic", "UNKNOWN", restart_steps=50, time_s=0.5,
             extra=_h(0, hidden=3, relaxed=True)),
        _row("i2", 2, HG, 10, 1.0, "gd", "gd", "UNKNOWN", time_s=5.0),
        _row("i3", 3, HG, 10, 1.0, "cadical", "sat", "SAT"),
        _row("i3", 3, HG, 10, 1.0, "walk", "heuristic", "ERROR", reason="worker crashed"),
        # a SAT whose witness failed its check: listed as UNVERIFIED, not counted
        _row("i3", 3, HG, 10, 1.0, "gd", "gd", "SAT", verified=0, time_s=9.0),
        _row("i4", 4, HG, 10, 1.0, "cadical", "sat", "UNSAT"),
        _row("i4", 4, HG, 10, 1.0, "walk", "heuristic", "UNKNOWN", extra=_h(1)),
        _row("i4", 4, HG, 10, 1.0, "gd", "gd", "UNKNOWN"),
        _row("i5", 5, HG, 10, 1.0, "cadical", "sat", "UNKNOWN", reason="time limit"),
        _row("i5", 5, HG, 10, 1.0, "walk", "heuristic", "SAT", verified=1, restart_steps=200, time_s=4.0, extra=_h(0)),
        _row("i5", 5, HG, 10, 1.0, "gd", "gd", "UNKNOWN"),
        # HG, n 10, density 2.0: j0 UNSAT but "fitted" (a bug, flagged), j1 SAT with a relaxed SAT row
        _row("j0", 6, HG, 10, 2.0, "cadical", "sat", "UNSAT"),
        _row("j0", 6, HG, 10, 2.0, "walk", "heuristic", "SAT", verified=1, restart_steps=7, time_s=0.1, extra=_h(0)),
        _row("j1", 7, HG, 10, 2.0, "cadical", "sat", "SAT"),
        _row("j1", 7, HG, 10, 2.0, "walk", "heuristic", "SAT", verified=1, extra=_h(0, hidden=4, relaxed=True)),
        # REAL, 50 points, no density: minima proved by the exact trainer
        _row("k0", 10, REAL, 50, None, "trainer", "exact", "UNSAT", min_errors=2),
        _row("k0", 10, REAL, 50, None, "walk", "heuristic", "UNKNOWN", extra=_h(2)),  # reached
        _row("k0", 10, REAL, 50, None, "probsat", "heuristic", "UNKNOWN", extra=_h(1, hidden=None)),  # source: not compared
        _row("k0", 10, REAL, 50, None, "gd", "gd", "UNKNOWN", gd_best_errors=3),  # gap 1
        _row("k1", 11, REAL, 50, None, "trainer", "exact", "UNSAT", min_errors=1),
        _row("k1", 11, REAL, 50, None, "walk", "heuristic", "UNKNOWN", extra=_h(3)),  # gap 2
        _row("k1", 11, REAL, 50, None, "probsat", "heuristic", "UNKNOWN", extra=_h(5, hidden=None)),  # not compared
        _row("k2", 12, REAL, 50, None, "trainer", "exact", "SAT", min_errors=0),
        _row("k2", 12, REAL, 50, None, "walk", "heuristic", "SAT", verified=1, extra=_h(0)),  # reached
        _row("k2", 12, REAL, 50, None, "probsat", "heuristic", "SAT", verified=1, extra=_h(0, hidden=None)),  # reached
        _row("k3", 13, REAL, 50, None, "trainer", "exact", "UNSAT", min_errors=3),
        _row("k3", 13, REAL, 50, None, "walk", "heuristic", "UNKNOWN", extra=_h(0, hidden=4, relaxed=True)),  # not compared
        _row("k3", 13, REAL, 50, None, "probsat", "heuristic", "ERROR"),  # not a run
        _row("k4", 14, REAL, 50, None, "trainer", "exact", "UNSAT"),  # no minimum proved
        _row("k4", 14, REAL, 50, None, "walk", "heuristic", "UNKNOWN", extra=_h(1)),
    ]
    return rows


def _cells(table):
    return {(c.family, c.solver, c.n, c.density): c for c in table}


# ---------------------------------------------------------------------------
# the success table
# ---------------------------------------------------------------------------


def test_success_counts_by_hand():
    cells = _cells(success_table(hand_rows()))
    assert sorted(cells) == sorted([
        (HG, "gd", 10, 1.0), (HG, "walk", 10, 1.0), (HG, "walk", 10, 2.0),
        (REAL, "gd", 50, None), (REAL, "probsat", 50, None), (REAL, "walk", 50, None),
    ])
    walk = cells[(HG, "walk", 10, 1.0)]
    # ran on all but i3 (ERROR); fitted i0, i1, i5; of the satisfiable i0..i3 it ran on i0..i2 and fitted i0, i1
    assert (walk.instances, walk.runs, walk.errors, walk.solved) == (6, 5, 1, 3)
    assert (walk.satisfiable_runs, walk.satisfiable_solved, walk.relaxed, walk.fits_unsat) == (3, 2, 1, 0)
    assert (walk.median_restart_steps, walk.median_time_s) == (200.0, 2.0)  # of 100, 300, 200 and 1, 2, 4
    assert (walk.fraction, walk.satisfiable_fraction, walk.relaxed_fraction) == (Fraction(3, 5), Fraction(2, 3), Fraction(1, 5))
    gd = cells[(HG, "gd", 10, 1.0)]
    # the unverified SAT on i3 is no success
    assert (gd.runs, gd.errors, gd.solved, gd.satisfiable_runs, gd.satisfiable_solved, gd.relaxed) == (6, 0, 1, 4, 1, 0)
    assert (gd.median_restart_steps, gd.median_time_s) == (500.0, 3.0)
    dense = cells[(HG, "walk", 10, 2.0)]
    assert (dense.runs, dense.solved, dense.fits_unsat, dense.relaxed, dense.satisfiable_runs, dense.satisfiable_solved) == (
        2, 0, 1, 1, 1, 0)
    assert dense.median_restart_steps is None and dense.median_time_s is None  # no counted success
    assert (cells[(REAL, "probsat", 50, None)].runs, cells[(REAL, "probsat", 50, None)].errors) == (3, 1)  # k0..k2; k3 ERROR


def test_success_intervals_are_wilson_intervals():
    for cell in success_table(hand_rows()):
        assert cell.interval == wilson_interval(cell.solved, cell.runs)
        assert cell.satisfiable_interval == wilson_interval(cell.satisfiable_solved, cell.satisfiable_runs)
        assert cell.relaxed_interval == wilson_interval(cell.relaxed, cell.runs)
    walk = _cells(success_table(hand_rows()))[(HG, "walk", 10, 1.0)]
    assert walk.satisfiable_interval == wilson_interval(2, 3)
    assert walk.interval == wilson_interval(3, 5)


def test_relaxed_fits_are_never_successes():
    relaxed_sat = _row("x", 0, HG, 10, 1.0, "walk", "heuristic", "SAT", verified=1, extra={"relaxed": True, "hidden": 3})
    relaxed_unknown = {**relaxed_sat, "status": "UNKNOWN"}
    for row in (relaxed_sat, relaxed_unknown):
        assert is_relaxed(row) and not fitted(row) and comparable_errors(row) is None
        [cell] = success_table([_row("x", 0, HG, 10, 1.0, "cadical", "sat", "SAT"), row])
        assert (cell.solved, cell.satisfiable_solved, cell.relaxed) == (0, 0, 1)
    # a relaxed row beside a real fit of the same label on the same instance: the fit counts, once
    fit = {**relaxed_sat, "solver_key": "other", "extra": {"relaxed": False}}
    [cell] = success_table([_row("x", 0, HG, 10, 1.0, "cadical", "sat", "SAT"), relaxed_sat, fit])
    assert (cell.runs, cell.solved, cell.relaxed) == (1, 1, 0)


def test_fits_of_unsat_instances_are_flagged_not_counted():
    rows = hand_rows()
    [dense] = [c for c in success_table(rows) if c.density == 2.0]
    assert dense.fits_unsat == 1 and dense.solved == 0
    assert (Problem.GD_FITS_UNSAT, "j0") in {(p.problem, p.instance_hash) for p in consistency_problems(rows)}
    assert (Problem.UNVERIFIED, "i3") in {(p.problem, p.instance_hash) for p in consistency_problems(rows)}


def test_success_cell_refuses_impossible_counts():
    good = dict(solver="h", solver_kind="heuristic", family="f", n=1, density=1.0, instances=3, runs=3, errors=0,
                solved=1, satisfiable_runs=2, satisfiable_solved=1, relaxed=1, fits_unsat=1)
    SuccessCell(**good)
    for bad in ({"runs": 4}, {"errors": 1}, {"solved": 2}, {"satisfiable_solved": 3}, {"satisfiable_runs": 4},
                {"relaxed": -1}, {"solved": True}, {"solved": 0}):
        with pytest.raises(InvalidInstanceError):
            SuccessCell(**{**good, **bad})


# ---------------------------------------------------------------------------
# the optimum table
# ---------------------------------------------------------------------------


def test_optimum_counts_by_hand():
    cells = _cells(optimum_table(hand_rows()))
    assert sorted(cells) == [(REAL, "gd", 50, None), (REAL, "probsat", 50, None), (REAL, "walk", 50, None)]
    walk = cells[(REAL, "walk", 50, None)]
    # minima 2, 1, 0, 3 on k0..k3 (k4 has none); its counts 2, 3, 0 and a relaxed fit on k3
    assert (walk.with_minimum, walk.compared, walk.reached, walk.below, walk.total_gap, walk.total_minimum) == (
        4, 3, 2, 0, 2, 6)
    assert (walk.fraction, walk.mean_gap, walk.mean_minimum) == (Fraction(1, 2), Fraction(2, 3), Fraction(3, 2))
    assert walk.interval == wilson_interval(2, 4)
    probsat = cells[(REAL, "probsat", 50, None)]
    # it searched the source: its failures count violated constraints and are not compared; its fit of k2 is
    assert (probsat.with_minimum, probsat.compared, probsat.reached, probsat.total_gap, probsat.total_minimum) == (
        3, 1, 1, 0, 3)
    gd = cells[(REAL, "gd", 50, None)]
    assert (gd.with_minimum, gd.compared, gd.reached, gd.total_gap, gd.mean_gap) == (1, 1, 0, 1, Fraction(1))


def test_optimum_flags_counts_below_the_minimum_and_conflicting_minima():
    rows = [
        _row("a", 0, REAL, 8, None, "trainer", "exact", "UNSAT", min_errors=2),
        _row("a", 0, REAL, 8, None, "walk", "heuristic", "UNKNOWN", extra=_h(1)),  # below a proved minimum: a bug
        _row("b", 1, REAL, 8, None, "trainer", "exact", "UNSAT", min_errors=2),
        _row("b", 1, REAL, 8, None, "milp", "exact", "UNSAT", min_errors=3),  # two exact solvers, two minima
        _row("b", 1, REAL, 8, None, "walk", "heuristic", "UNKNOWN", extra=_h(3)),
        _row("c", 2, REAL, 8, None, "walk", "heuristic", "SAT", verified=1, min_errors=0, extra=_h(0)),  # no exact row
    ]
    [cell] = optimum_table(rows)
    assert (cell.with_minimum, cell.compared, cell.reached, cell.below, cell.conflicting, cell.total_gap) == (
        1, 1, 0, 1, 1, -1)
    assert proved_minima(rows[2:5]) == (2, 3) and proved_minima(rows[5:]) == ()  # a heuristic's min_errors proves nothing
    with pytest.raises(InvalidInstanceError):
        OptimumCell("h", "heuristic", "f", 1, None, with_minimum=1, compared=2, reached=0, below=0, total_gap=0,
                    total_minimum=0)


def test_comparable_errors_reads_the_store_and_memory_forms():
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "w", "heuristic", "UNKNOWN", extra=_h(4))) == 4
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "w", "heuristic", "UNKNOWN", extra={"best_errors": 4, "hidden": 2})) == 4
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "w", "heuristic", "UNKNOWN", extra=_h(None))) is None
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "w", "heuristic", "UNKNOWN", extra="{broken")) is None
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "w", "heuristic", "ERROR", extra=_h(0))) is None
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "g", "gd", "UNKNOWN", gd_best_errors=5)) == 5
    assert comparable_errors(_row("a", 0, HG, 1, 1.0, "g", "gd", "SAT", verified=1, gd_best_errors=5)) == 0


# ---------------------------------------------------------------------------
# random row sets
# ---------------------------------------------------------------------------


@st.composite
def row_sets(draw) -> list[dict[str, object]]:
    """Instances in a few cells (sometimes one hash under two seeds), exact and heuristic rows of every status."""
    rows = []
    for index in range(draw(st.integers(1, 10))):
        instance = f"h{draw(st.integers(0, 6))}"  # a small pool: the same content under two seeds happens
        cell = (draw(st.sampled_from(["f one", "f/two"])), draw(st.sampled_from([5, 10])), draw(st.sampled_from([1.0, 2.0])))
        for solver, kind in (("cadical", "sat"), ("trainer", "exact")):
            status = draw(st.sampled_from(["SAT", "UNSAT", "UNKNOWN", "ERROR", None]))
            if status is not None:
                minimum = draw(st.one_of(st.none(), st.integers(0, 3))) if kind == "exact" else None
                rows.append(_row(instance, index, *cell, solver, kind, status, min_errors=minimum))
        for solver, kind in (("walk", "heuristic"), ("probsat", "heuristic"), ("gd", "gd")):
            for copy in range(draw(st.integers(0, 2))):
                status = draw(st.sampled_from(["SAT", "UNKNOWN", "ERROR"]))
                extra = {"relaxed": draw(st.booleans()), "best_errors": draw(st.one_of(st.none(), st.integers(0, 4))),
                         "hidden": draw(st.sampled_from([None, 2]))}
                rows.append({**_row(instance, index, *cell, solver, kind, status,
                                    verified=draw(st.sampled_from([None, 0, 1])), restart_steps=draw(st.integers(1, 99)),
                                    time_s=draw(st.floats(0.0, 5.0)), extra=extra if kind == "heuristic" else None,
                                    gd_best_errors=extra["best_errors"] if kind == "gd" else None),
                             "solver_key": f"{solver}-{copy}"})
    return rows


@given(row_sets())
def test_success_table_against_a_recount(rows):
    """Bounds hold; an independent recount agrees; every uncounted fit of a proved-UNSAT instance is flagged."""
    table = success_table(rows)
    flagged = {p.instance_hash for p in consistency_problems(rows) if p.problem is Problem.GD_FITS_UNSAT}
    unsat = {r["instance_hash"] for r in rows if r["solver_kind"] in ("sat", "exact") and r["status"] == "UNSAT"}
    per = defaultdict(list)
    for r in rows:
        per[(r["instance_hash"], r["seed"])].append(r)
    expected = defaultdict(lambda: [0] * 8)
    for (instance, _), group in per.items():
        exact = {r["status"] for r in group if r["solver_kind"] in ("sat", "exact")}
        satisfiable = "SAT" in exact and "UNSAT" not in exact
        first = group[0]
        cell_size = sum(1 for (h, s), g in per.items() if (g[0]["family"], g[0]["n"], g[0]["density"]) ==
                        (first["family"], first["n"], first["density"]))
        for solver in {r["solver"] for r in group if r["solver_kind"] in ("heuristic", "gd")}:
            own = [r for r in group if r["solver"] == solver]
            count = expected[(first["family"], solver, first["n"], first["density"])]
            count[0] = cell_size
            ran = [r for r in own if r["status"] != "ERROR"]
            if not ran:
                count[2] += 1
                continue
            count[1] += 1
            count[4] += satisfiable
            good = [r for r in ran if r["status"] == "SAT" and r["verified"] != 0 and not (r["extra"] or {}).get("relaxed")]
            if not good:
                count[6] += any((r["extra"] or {}).get("relaxed") for r in ran)
            elif instance in unsat:
                count[7] += 1
                assert instance in flagged  # the consistency checks list it
            else:
                count[3] += 1
                count[5] += satisfiable
    got = {(c.family, c.solver, c.n, c.density): [c.instances, c.runs, c.errors, c.solved, c.satisfiable_runs,
                                                  c.satisfiable_solved, c.relaxed, c.fits_unsat] for c in table}
    assert got == dict(expected)
    for c in table:
        assert c.satisfiable_solved <= c.solved <= c.runs <= c.instances
        assert c.satisfiable_runs <= c.runs and c.solved + c.relaxed + c.fits_unsat <= c.runs
        assert c.satisfiable_interval == wilson_interval(c.satisfiable_solved, c.satisfiable_runs)
        assert (c.median_time_s is None) == (c.solved == 0)


@given(row_sets())
def test_optimum_table_invariants(rows):
    for c in optimum_table(rows):
        assert c.reached + c.below <= c.compared <= c.with_minimum
        assert c.interval == wilson_interval(c.reached, c.with_minimum)
        assert c.with_minimum + c.conflicting > 0
        if c.below == 0 and c.compared:
            assert c.mean_gap >= 0


# ---------------------------------------------------------------------------
# slugs
# ---------------------------------------------------------------------------


@given(st.lists(st.text(max_size=90), max_size=12))
def test_family_slugs_are_safe_and_distinct(labels):
    slugs = family_slugs(labels)
    assert set(slugs) == set(labels)
    assert len({s.lower() for s in slugs.values()}) == len(slugs)  # distinct even where case is ignored
    for slug in slugs.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 80
    assert family_slugs(reversed(labels)) == slugs  # deterministic, whatever the order


def test_family_page_names():
    slugs = family_slugs([HG, REAL, "A b", "a_B", "..", ""])
    assert slugs[HG] == "hypergraph-via-blum-rivest"
    assert slugs[REAL] == "real-data-iris-setosa-50-pts"
    assert slugs["A b"] != slugs["a_B"] and slugs[".."].startswith("family-")
    assert family_page_name("out/report.html", slugs[HG]) == "report-hypergraph-via-blum-rivest.html"
    assert family_page_name("r", "x") == "r-x.html"


# ---------------------------------------------------------------------------
# the pages
# ---------------------------------------------------------------------------


class _Page(HTMLParser):
    """Links, figures and the tables of a page, each table under the id of its section (h2)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.figures = 0
        self.tables: dict[str, list[list[str]]] = {}
        self.section = ""
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self.section = attrs.get("id", "")
        elif tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "img" and "figure" in (attrs.get("class") or ""):
            self.figures += 1
        elif tag == "table":
            self._table = self.tables.setdefault(self.section, [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self._table[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _ci(successes: int, trials: int) -> str:
    low, high = wilson_interval(successes, trials)
    return f"{100 * low:.1f}–{100 * high:.1f}%"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    pytest.importorskip("matplotlib")
    from solvers.report.page import write_report

    return write_report(hand_rows(), tmp_path_factory.mktemp("pages") / "report.html")


def test_family_pages_are_written_beside_and_linked(pages):
    main, *family = pages
    slugs = family_slugs([HG, REAL])
    assert [p.name for p in pages] == ["report.html", f"report-{slugs[HG]}.html", f"report-{slugs[REAL]}.html"]
    assert all(p.parent == main.parent and p.is_file() for p in pages)
    assert sorted(p.name for p in main.parent.iterdir()) == sorted(p.name for p in pages)  # no .part left
    page = _parse(main)
    assert {p.name for p in family} <= set(page.links)
    assert page.figures == 2 * len(FIGURES)
    assert [row[0] for row in page.tables["families"][1:]] == [HG, REAL]
    for path in family:
        parsed = _parse(path)
        assert "report.html" in parsed.links
        assert parsed.figures == len(FAMILY_FIGURES)


def test_family_page_tables_have_the_numbers(pages):
    _, hg, real = pages
    page = _parse(hg)
    success = {(row[0], row[3]): row for row in page.tables["success"][1:]}
    assert page.tables["success"][0][:10] == ["heuristic", "kind", "n", "density", "instances", "ran",
                                               "fitted of satisfiable", "95% CI", "fitted of run", "95% CI"]
    walk = success[("walk", "1.0")]
    assert walk[4:12] == ["6", "5", "2 / 3 (67%)", _ci(2, 3), "3 / 5 (60%)", _ci(3, 5), "1 / 5 (20%)", "0"]
    assert walk[13:] == ["200", "2"]
    assert success[("walk", "2.0")][11] == "1"  # the fit of the UNSAT j0, not counted
    assert "optimum" not in page.tables  # no proved minimum in this family
    assert [row[0] for row in page.tables["cells"][1:]] == [HG, HG]
    assert sorted(row[4] for row in page.tables["consistency"][1:]) == ["i3", "j0"]
    real_page = _parse(real)
    optimum = {row[0]: row for row in real_page.tables["optimum"][1:]}
    assert optimum["walk"][4:10] == ["4", "1.5", "2 / 4 (50%)", _ci(2, 4), "3", "0.667"]
    assert optimum["gd"][6:10] == ["0 / 1 (0%)", _ci(0, 1), "1", "1"]
    assert "consistency" not in real_page.tables and "No inconsistencies" in real.read_text(encoding="utf-8")


def test_report_is_deterministic_apart_from_the_timestamp(pages, tmp_path):
    from solvers.report.page import write_report

    again = write_report(hand_rows(), tmp_path / "report.html")

    def text(path: Path) -> str:
        return re.sub(r"report written [^ ]+ UTC", "report written (time) UTC", path.read_text(encoding="utf-8"))

    assert [p.name for p in again] == [p.name for p in pages]
    for first, second in zip(pages, again):
        assert text(first) == text(second)


def test_odd_family_labels_give_safe_files(tmp_path):
    pytest.importorskip("matplotlib")
    from solvers.report.page import write_report

    labels = ["../../escape", "a b", "A_B", "<b>bold</b> & co", "ü über", "x" * 150]
    rows = [_row(f"i{k}", k, label, 4, 1.0, "cadical", "sat", "SAT") for k, label in enumerate(labels)]
    out = tmp_path / "deep" / "r.html"
    paths = write_report(rows, out)
    assert len(paths) == len(labels) + 1 and len(set(paths)) == len(paths)
    for path in paths:
        assert path.parent == out.parent and re.fullmatch(r"r(-[a-z0-9-]+)?\.html", path.name)
    text = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in text and "<b>bold</b>" not in text


def test_a_family_without_heuristic_rows_still_renders(tmp_path):
    pytest.importorskip("matplotlib")
    from solvers.report.page import family_report_html, write_report

    rows = [_row(f"e{k}", k, "cnf", 5, 4.0, "cadical", "sat", status) for k, status in enumerate(["SAT", "UNSAT", "UNKNOWN"])]
    main, cnf = write_report(rows, tmp_path / "r.html")
    page = _parse(cnf)
    assert page.figures == len(FAMILY_FIGURES) and "success" not in page.tables and "optimum" not in page.tables
    assert "No heuristic rows in this family" in cnf.read_text(encoding="utf-8")
    assert success_table(rows) == [] and optimum_table(rows) == []
    with pytest.raises(InvalidInstanceError, match="no family"):
        family_report_html(rows, "graph")


def test_cli_report_prints_every_page(tmp_path):
    pytest.importorskip("matplotlib")
    from solvers.experiments.store import ResultsStore

    db = tmp_path / "r.sqlite"
    with ResultsStore(db) as store:
        for row in hand_rows():
            store.write(row)
    code, out, err = run_cli("report", db, "-o", tmp_path / "site" / "index.html")
    slugs = family_slugs([HG, REAL])
    assert (code, err) == (0, "")
    assert out.splitlines() == [str(tmp_path / "site" / name) for name in
                                ("index.html", f"index-{slugs[HG]}.html", f"index-{slugs[REAL]}.html")]
    # read back from SQLite (extra as JSON text), the numbers are those of the rows in memory
    hg = _parse(tmp_path / "site" / f"index-{slugs[HG]}.html")
    walk = next(row for row in hg.tables["success"][1:] if row[0] == "walk" and row[3] == "1.0")
    assert walk[6] == "2 / 3 (67%)"


def test_the_density_axis_is_named_by_what_the_family_varies() -> None:
    from solvers.experiments.sweep import density_label

    assert "edges per vertex" in density_label([{"source_kind": "hypergraph", "density": 1.8}])
    assert "clauses per variable" in density_label([{"source_kind": "cnf", "density": 4.2}])
    assert "margin" in density_label([{"source_kind": "training-set", "density": 0.5}])
    assert "data set" in density_label([{"source_kind": "training-set", "density": 0.0}])


def _min_rows(exact_minima, heuristic_errors):
    rows = [{"instance_hash": "m", "seed": 0, "family": "f", "n": 10, "density": 0.0, "solver": f"exact{i}",
             "solver_kind": "exact", "status": "UNSAT", "min_errors": m} for i, m in enumerate(exact_minima)]
    rows += [{"instance_hash": "m", "seed": 0, "family": "f", "n": 10, "density": 0.0, "solver": f"h{i}",
              "solver_kind": "heuristic", "status": "UNKNOWN", "extra": {"best_errors": e, "hidden": 2, "relaxed": False}}
             for i, e in enumerate(heuristic_errors)]
    return rows


@given(minima=st.lists(st.integers(0, 5), min_size=1, max_size=3), errors=st.lists(st.integers(0, 6), max_size=3))
def test_minimum_error_contradictions_are_consistency_problems(minima, errors) -> None:
    """Two exact minima that differ, or a heuristic network below the proved minimum, is a bug somewhere."""
    found = {p.problem for p in consistency_problems(_min_rows(minima, errors))}
    assert (Problem.MINIMA_DISAGREE in found) == (len(set(minima)) > 1)
    assert (Problem.BELOW_MINIMUM in found) == any(e < min(minima) for e in errors)


def test_a_relaxed_or_source_row_never_counts_below_the_minimum() -> None:
    rows = _min_rows([3], [])
    rows.append({**rows[0], "solver": "wide", "solver_kind": "heuristic", "status": "UNKNOWN",
                 "extra": {"best_errors": 0, "hidden": 3, "relaxed": True}})
    rows.append({**rows[0], "solver": "probsat", "solver_kind": "heuristic", "status": "UNKNOWN",
                 "extra": {"best_errors": 1, "hidden": None, "relaxed": False}})
    assert consistency_problems(rows) == []


def test_a_wider_network_compares_with_no_minimum() -> None:
    """gd-wide's best count with k + 1 units may lie below the k-unit minimum: not comparable, not a problem."""
    rows = _min_rows([3], [])
    rows.append({**rows[0], "solver": "wide", "solver_kind": "heuristic", "status": "UNKNOWN",
                 "extra": {"best_errors": 1, "hidden": 3, "asked_hidden": 2, "relaxed": False}})
    assert comparable_errors(rows[-1]) is None and consistency_problems(rows) == []
    rows[-1] = {**rows[-1], "extra": {"best_errors": 1, "hidden": 2, "asked_hidden": 2, "relaxed": False}}
    assert [p.problem for p in consistency_problems(rows)] == [Problem.BELOW_MINIMUM]


def test_a_learned_output_compares_with_no_minimum() -> None:
    """The MLP's best count uses the output table it learned, not the AND the minimum is proved for (seen on wine)."""
    rows = _min_rows([3], [])
    rows.append({**rows[0], "solver": "mlp", "solver_kind": "heuristic", "status": "UNKNOWN",
                 "extra": {"best_errors": 1, "hidden": 2, "asked_hidden": 2, "relaxed": False, "learned_output": True}})
    assert comparable_errors(rows[-1]) is None and consistency_problems(rows) == []
