"""Plots and the HTML report of a results database (solvers.report.plots, solvers.report.page, solvers.cli.report).

The summaries are checked exactly against hand-built rows; the figures by
their file formats (PNG signature, SVG that parses); the report by the
numbers in its tables and, where Chromium is installed, by rendering it
headless and reading the page's own count of decoded figures.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import run_cli
from hypothesis import given
from hypothesis import strategies as st

from reductions.errors import InvalidInstanceError, TrainhardError
from solvers import cli
from solvers.experiments.consistency import Problem, consistency_problems
from solvers.report.plots import FIGURES, write_plots
from solvers.report.stats import (
    GDCount,
    Verdict,
    cactus_data,
    instance_verdicts,
    percentile,
    phase_table,
    solver_table,
    time_table,
    wilson_interval,
)
from solvers.experiments.store import ResultsStore, StoreError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# ---------------------------------------------------------------------------
# hand-built rows
# ---------------------------------------------------------------------------


def _row(instance: str, seed: int, family: str, n: int, density: float, solver: str, kind: str, status: str,
         time_s: float | None = 0.1, **extra: object) -> dict[str, object]:
    return {"instance_hash": instance, "solver_key": f"key-{solver}", "seed": seed, "family": family, "n": n,
            "density": density, "solver": solver, "solver_kind": kind, "status": status, "time_s": time_s,
            "time_limit": 10.0, **extra}


def hand_rows() -> list[dict[str, object]]:
    """Six instances in two families; every count below is worked out by hand from these lines."""
    hg = "hypergraph"
    return [
        # hypergraph, n 10, density 1.0: a SAT (both), b UNSAT (both), c undecided
        _row("a", 0, hg, 10, 1.0, "cadical", "sat", "SAT", 0.1),
        _row("a", 0, hg, 10, 1.0, "trainer", "exact", "SAT", 1.0),
        _row("a", 0, hg, 10, 1.0, "gd-small", "gd", "SAT", 2.0),
        _row("a", 0, hg, 10, 1.0, "gd-big", "gd", "UNKNOWN", 3.0, reason="no restart fitted"),
        _row("b", 1, hg, 10, 1.0, "cadical", "sat", "UNSAT", 0.3),
        _row("b", 1, hg, 10, 1.0, "trainer", "exact", "UNSAT", 2.0),
        _row("b", 1, hg, 10, 1.0, "gd-small", "gd", "UNKNOWN", 4.0, reason="no restart fitted"),
        _row("b", 1, hg, 10, 1.0, "gd-big", "gd", "UNKNOWN", 5.0, reason="no restart fitted"),
        _row("c", 2, hg, 10, 1.0, "cadical", "sat", "UNKNOWN", None, reason="killed at the hard limit"),
        _row("c", 2, hg, 10, 1.0, "trainer", "exact", "ERROR", None, reason="MemoryError: <boom> & more"),
        _row("c", 2, hg, 10, 1.0, "gd-small", "gd", "SAT", 6.0),
        _row("c", 2, hg, 10, 1.0, "gd-big", "gd", "ERROR", None, reason="worker crashed"),
        # hypergraph, n 10, density 2.0: d disagreement, e UNSAT but fitted by gradient descent
        _row("d", 3, hg, 10, 2.0, "cadical", "sat", "SAT", 0.5),
        _row("d", 3, hg, 10, 2.0, "trainer", "exact", "UNSAT", 0.7),
        _row("d", 3, hg, 10, 2.0, "gd-small", "gd", "UNKNOWN", 12.0, reason="time limit"),
        _row("e", 4, hg, 10, 2.0, "cadical", "sat", "UNSAT", 0.2),
        _row("e", 4, hg, 10, 2.0, "gd-small", "gd", "SAT", 1.5),
        # cnf, n 5, density 4.0: f SAT, exact rows only
        _row("f", 5, "cnf", 5, 4.0, "cadical", "sat", "SAT", 0.05),
    ]


def sound_rows() -> list[dict[str, object]]:
    """Like :func:`hand_rows` without the disagreement and the gradient-descent fit of an UNSAT instance."""
    return [r for r in hand_rows() if r["instance_hash"] not in ("d", "e")]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "results.sqlite"
    with ResultsStore(path) as store:
        for row in hand_rows():
            store.write(row)
    return path


# ---------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------


def test_wilson_known_values():
    """Textbook values (Wilson 1927; e.g. Brown, Cai & DasGupta 2001) and the edge cases."""
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=5e-5)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=5e-5)
    assert wilson_interval(10, 10) == pytest.approx((0.7225, 1.0), abs=5e-5)
    assert wilson_interval(1, 1) == pytest.approx((0.2065, 1.0), abs=5e-5)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_properties(case):
    """0 <= low <= p <= high <= 1; symmetric under k -> n - k; the bounds solve (p - q)^2 = z^2 q (1 - q) / n;
    twice the trials at the same proportion give a strictly narrower interval."""
    k, n = case
    low, high = wilson_interval(k, n)
    p = k / n
    assert 0.0 <= low <= p <= high <= 1.0
    mirror = wilson_interval(n - k, n)
    assert (low, high) == pytest.approx((1 - mirror[1], 1 - mirror[0]), abs=1e-12)
    z2 = 1.96**2
    for q in (low, high):
        if 0 < q < 1:  # 0 and 1 are clamped ends at k = 0 or k = n
            assert (p - q) ** 2 == pytest.approx(z2 * q * (1 - q) / n, rel=1e-6, abs=1e-15)
    low2, high2 = wilson_interval(2 * k, 2 * n)
    assert high2 - low2 < high - low


@pytest.mark.parametrize("bad", [(-1, 3), (4, 3), (1, -1), (1.5, 3), (True, 3)])
def test_wilson_refuses_bad_counts(bad):
    with pytest.raises(InvalidInstanceError):
        wilson_interval(*bad)


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=60), st.integers(1, 100))
def test_percentile_is_the_nearest_rank(values, percent):
    """At least percent % of the values are <= the result, and fewer than that are < it."""
    result = percentile(values, percent)
    assert result in values
    need = Fraction(percent, 100) * len(values)
    assert sum(v <= result for v in values) >= need
    assert sum(v < result for v in values) < need


# ---------------------------------------------------------------------------
# summaries against hand-built rows
# ---------------------------------------------------------------------------


def test_instance_verdicts():
    verdicts = {v.instance_hash: v for v in instance_verdicts(hand_rows())}
    assert {h: v.verdict for h, v in verdicts.items()} == {
        "a": Verdict.SAT, "b": Verdict.UNSAT, "c": Verdict.UNKNOWN, "d": Verdict.DISAGREEMENT,
        "e": Verdict.UNSAT, "f": Verdict.SAT,
    }
    assert verdicts["d"].sat_by == ("cadical",) and verdicts["d"].unsat_by == ("trainer",)
    assert verdicts["c"].gd_run == ("gd-small",)  # the ERROR row of gd-big is not a run
    assert verdicts["c"].gd_solved == ("gd-small",)
    assert verdicts["e"].gd_solved == ("gd-small",)  # a gd fit never decides an instance
    assert verdicts["f"].gd_run == ()


def test_phase_table_counts_exactly():
    cells = {(c.family, c.n, c.density): c for c in phase_table(hand_rows())}
    assert list(cells) == [("cnf", 5, 4.0), ("hypergraph", 10, 1.0), ("hypergraph", 10, 2.0)]
    first = cells[("hypergraph", 10, 1.0)]
    assert (first.instances, first.satisfiable, first.unsatisfiable, first.disagreements) == (3, 1, 1, 0)
    assert (first.decided, first.unknown, first.sat_fraction) == (2, 1, Fraction(1, 2))
    assert first.gd == (GDCount("gd-big", 0, 2), GDCount("gd-small", 2, 3))
    second = cells[("hypergraph", 10, 2.0)]
    assert (second.instances, second.satisfiable, second.unsatisfiable, second.disagreements) == (2, 0, 1, 1)
    assert second.decided == 1 and second.unknown == 0 and second.sat_fraction == 0
    assert second.gd == (GDCount("gd-small", 1, 2),)
    cnf = cells[("cnf", 5, 4.0)]
    assert (cnf.instances, cnf.satisfiable, cnf.gd, cnf.gd_count("gd-small")) == (1, 1, (), None)


def test_zero_decided_cell():
    cells = phase_table([_row("x", 0, "graph", 4, 1.0, "cadical", "sat", "UNKNOWN", None)])
    assert cells[0].decided == 0 and cells[0].sat_fraction is None and cells[0].unknown == 1


def test_time_table_counts_limits_at_the_limit():
    stats = {(s.solver, s.family, s.n, s.density): s for s in time_table(hand_rows())}
    cadical = stats[("cadical", "hypergraph", 10, 1.0)]
    # 0.1, 0.3 and the killed task at its 10 s limit: median 0.3, nearest-rank p90 = the 3rd of 3
    assert (cadical.rows, cadical.timed, cadical.at_limit, cadical.median, cadical.p90) == (3, 3, 1, 0.3, 10.0)
    trainer = stats[("trainer", "hypergraph", 10, 1.0)]
    assert (trainer.rows, trainer.at_limit, trainer.median, trainer.p90) == (2, 0, 1.5, 2.0)  # the ERROR row is out
    small = stats[("gd-small", "hypergraph", 10, 2.0)]
    assert (small.rows, small.at_limit, small.median, small.p90) == (2, 1, 5.75, 10.0)  # 12 s past the limit: at 10
    big = stats[("gd-big", "hypergraph", 10, 1.0)]
    assert (big.rows, big.at_limit, big.median) == (2, 0, 4.0)  # ran out of restarts: its own time, not the limit


def test_solver_table():
    table = {s.solver: s for s in solver_table(hand_rows())}
    assert list(table) == ["cadical", "gd-big", "gd-small", "trainer"]
    cadical = table["cadical"]
    assert (cadical.rows, cadical.sat, cadical.unsat, cadical.unknown, cadical.errors, cadical.solved) == (6, 3, 2, 1, 0, 5)
    small = table["gd-small"]
    assert (small.rows, small.sat, small.unknown, small.errors, small.solved, small.at_limit) == (5, 3, 2, 0, 3, 1)
    assert (table["trainer"].errors, table["trainer"].solved, table["gd-big"].errors) == (1, 3, 1)


def test_cactus_data():
    data = cactus_data(hand_rows())
    assert data == {
        "cadical": [0.05, 0.1, 0.2, 0.3, 0.5],
        "gd-big": [],
        "gd-small": [1.5, 2.0, 6.0],
        "trainer": [0.7, 1.0, 2.0],
    }


def test_consistency_finds_both_kinds_and_nothing_else():
    problems = consistency_problems(hand_rows())
    assert [(p.problem, p.instance_hash) for p in problems] == [
        (Problem.DISAGREEMENT, "d"), (Problem.GD_FITS_UNSAT, "e"),
    ]
    assert "cadical" in problems[0].detail and "trainer" in problems[0].detail
    assert consistency_problems(sound_rows()) == []


def test_consistency_gd_unsat_and_failed_witness():
    rows = [_row("g", 0, "cnf", 5, 4.0, "gd", "gd", "UNSAT"), _row("h", 1, "cnf", 5, 4.0, "cadical", "sat", "SAT", verified=0)]
    assert [p.problem for p in consistency_problems(rows)] == [Problem.GD_CLAIMS_UNSAT, Problem.UNVERIFIED]


def test_disagreement_across_seeds_of_one_instance_is_found():
    rows = [_row("same", 0, "cnf", 5, 4.0, "cadical", "sat", "SAT"), _row("same", 1, "cnf", 5, 4.0, "cadical", "sat", "UNSAT")]
    assert [p.problem for p in consistency_problems(rows)] == [Problem.DISAGREEMENT]


# ---------------------------------------------------------------------------
# figures
# ---------------------------------------------------------------------------


def _check_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 1000


def _check_svg(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(list(root.iter())) > 50  # axes, lines, text: not an empty canvas


def test_write_plots_files(db, tmp_path):
    pytest.importorskip("matplotlib")
    paths = write_plots(db, tmp_path / "plots")
    expected = [f"{figure}-{family}.{fmt}" for family in ("cnf", "hypergraph") for figure in FIGURES for fmt in ("png", "svg")]
    assert [p.name for p in paths] == expected
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == sorted(expected)  # no .part left behind
    for path in paths:
        (_check_png if path.suffix == ".png" else _check_svg)(path)


@pytest.mark.parametrize("keep", ["exact", "gd", "errors"], ids=["only-exact", "only-gd", "only-errors"])
def test_write_plots_partial_data(tmp_path, keep):
    """A database with only exact rows, only gd rows (0 decided everywhere) or only ERROR rows still plots."""
    pytest.importorskip("matplotlib")
    rows = [r for r in hand_rows() if r["family"] == "hypergraph"]
    if keep == "exact":
        rows = [r for r in rows if r["solver_kind"] != "gd"]
    elif keep == "gd":
        rows = [r for r in rows if r["solver_kind"] == "gd"]
    else:
        rows = [{**r, "status": "ERROR", "time_s": None} for r in rows]
    paths = write_plots(rows, tmp_path, formats=["svg"])
    assert [p.name for p in paths] == [f"{figure}-hypergraph.svg" for figure in FIGURES]
    for path in paths:
        _check_svg(path)


def test_rows_with_only_the_required_columns(tmp_path):
    """The store accepts rows with only the key and the status; they plot (family "unknown") and report."""
    pytest.importorskip("matplotlib")
    from solvers.report.page import report_html

    rows = [{"instance_hash": "ab", "solver_key": "cd", "seed": 1, "status": "SAT"},
            {"instance_hash": "ab", "solver_key": "ce", "seed": 1, "status": "UNKNOWN"}]
    assert [p.name for p in write_plots(rows, tmp_path, formats=["svg"])] == [f"{f}-unknown.svg" for f in FIGURES]
    assert "1 instance in 1 family (unknown)" in report_html(rows)


def _one_line(error: BaseException) -> str:
    message = str(error)
    assert "\n" not in message and message
    return message


def test_bad_inputs_give_one_line_errors(db, tmp_path):
    pytest.importorskip("matplotlib")
    empty = tmp_path / "empty.sqlite"
    ResultsStore(empty).close()
    with pytest.raises(InvalidInstanceError) as info:
        write_plots(empty, tmp_path / "out")
    assert "no rows" in _one_line(info.value)
    with pytest.raises(InvalidInstanceError, match="no rows"):
        write_plots([], tmp_path / "out")
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database, just text\n" * 50)
    with pytest.raises(StoreError) as info:
        write_plots(junk, tmp_path / "out")
    assert "not a trainhard results database" in _one_line(info.value)
    with pytest.raises(StoreError):
        write_plots(tmp_path / "missing.sqlite", tmp_path / "out")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        with pytest.raises(InvalidInstanceError) as info:
            write_plots(hand_rows()[-1:], out)
        assert str(out) in _one_line(info.value)
    with pytest.raises(InvalidInstanceError, match="jpeg"):
        write_plots(db, tmp_path / "out", formats=["jpeg"])


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page as lists of cell texts, with the id of the section (h2) it is under."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.section = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.section = dict(attrs).get("id", "")
        elif tag == "table":
            self.tables.append((self.section, []))
        elif tag == "tr":
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(text: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(text)
    found: dict[str, list[list[str]]] = {}
    for section, rows in parser.tables:
        found.setdefault(section, rows)  # the first table of each section
    return found


@pytest.fixture(scope="module")
def report(db, tmp_path_factory) -> Path:
    pytest.importorskip("matplotlib")
    from solvers.report.page import write_report

    main, *_ = write_report(db, tmp_path_factory.mktemp("report") / "report.html")
    return main


def test_report_tables_have_the_numbers(report):
    text = report.read_text(encoding="utf-8")
    tables = _tables(text)
    cells = tables["cells"]
    assert cells[0] == ["family", "n", "density", "instances", "SAT", "UNSAT", "undecided", "disagree", "SAT of decided",
                        "gd-big solved / run", "gd-small solved / run"]
    assert cells[1:] == [
        ["cnf", "5", "4.0", "1", "1", "0", "0", "0", "100%", "–", "–"],
        ["hypergraph", "10", "1.0", "3", "1", "1", "1", "0", "50%", "0 / 2", "2 / 3"],
        ["hypergraph", "10", "2.0", "2", "0", "1", "0", "1", "0%", "–", "1 / 2"],
    ]
    solvers = {row[0]: row for row in tables["solvers"][1:]}
    assert solvers["cadical"] == ["cadical", "sat", "6", "5", "3", "2", "1", "0", "1", "0.25", "10"]
    assert solvers["trainer"] == ["trainer", "exact", "4", "3", "1", "2", "0", "1", "0", "1", "2"]
    assert solvers["gd-small"][:8] == ["gd-small", "gd", "5", "3", "3", "0", "2", "0"]
    consistency = tables["consistency"]
    assert [row[0] for row in consistency[1:]] == [Problem.DISAGREEMENT.value, Problem.GD_FITS_UNSAT.value]
    assert [row[4] for row in consistency[1:]] == ["d", "e"]
    assert re.search(r'<section class="bad-box">\s*<p class="bad">2 inconsistencies', text)
    errors = tables["errors"]
    assert sorted(row[7] for row in errors[1:]) == ["MemoryError: <boom> & more", "worker crashed"]
    assert "MemoryError: &lt;boom&gt; &amp; more" in text  # escaped in the file


def test_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert text.count('<img class="figure"') == 2 * len(FIGURES)
    assert re.findall(r'\ssrc="([^"]{0,26})', text) == ["data:image/svg+xml;base64,"] * (2 * len(FIGURES))
    assert "<link" not in text and "http://" not in text.replace("http://www.w3.org", "")
    assert 'id="render-status"' in text
    for needle in ("When and where", "Headline numbers", "Consistency", "Errors", "Per cell", "Per solver"):
        assert needle in text


def test_sound_report_says_so_and_escapes_labels(tmp_path):
    pytest.importorskip("matplotlib")
    from solvers.report.page import report_html

    rows = [{**r, "solver": "<b>x</b>" if r["solver"] == "trainer" else r["solver"]} for r in sound_rows()]
    text = report_html(rows)
    assert "No inconsistencies" in text and 'class="bad-box"' not in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x</b>" not in text


# ---------------------------------------------------------------------------
# the CLI
# ---------------------------------------------------------------------------


@pytest.fixture
def wired():
    """The report commands are in the CLI."""
    assert "solvers.cli.report" in cli.COMMAND_MODULES


def test_cli_plot_and_report(wired, db, tmp_path):
    pytest.importorskip("matplotlib")
    code, out, err = run_cli("plot", db, "-o", tmp_path / "plots", "--format", "svg")
    assert (code, err) == (0, "")
    assert [Path(line).name for line in out.splitlines()] == [
        f"{figure}-{family}.svg" for family in ("cnf", "hypergraph") for figure in FIGURES
    ]
    assert all(Path(line).is_file() for line in out.splitlines())
    code, out, err = run_cli("report", db, "-o", tmp_path / "r.html")
    assert (code, err) == (0, "")
    assert out.splitlines() == [str(tmp_path / name) for name in ("r.html", "r-cnf.html", "r-hypergraph.html")]
    assert all(Path(line).is_file() for line in out.splitlines())


def test_cli_errors(wired, tmp_path, capsys):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello\n")
    empty = tmp_path / "empty.sqlite"
    ResultsStore(empty).close()
    for argv in (("plot", junk, "-o", tmp_path), ("report", empty, "-o", tmp_path / "r.html"),
                 ("report", tmp_path / "nothing.sqlite", "-o", tmp_path / "r.html")):
        code, out, err = run_cli(*argv)
        assert code == 2 and out == ""
        assert err.startswith("error: ") and err.count("\n") == 1
    code, _, _ = run_cli("plot", junk, "-o", tmp_path, "--format", "gif")
    assert code == 2 and "invalid choice" in capsys.readouterr().err  # argparse's own message, on sys.stderr


def test_cli_help_is_the_docstring(wired, capsys):
    from solvers.cli.report import _cmd_plot, _cmd_report

    code, _, _ = run_cli("--help")
    out = capsys.readouterr().out  # argparse prints help on sys.stdout
    assert code == 0
    for handler in (_cmd_plot, _cmd_report):
        first = handler.__doc__.splitlines()[0]
        assert " ".join(first.split()[:6]) in " ".join(out.split())


def test_library_errors_are_trainhard_errors():
    """The CLI turns TrainhardError into one line and exit 2; both error types must be ones."""
    assert issubclass(StoreError, TrainhardError) and issubclass(InvalidInstanceError, TrainhardError)


# ---------------------------------------------------------------------------
# rendering in a real browser (skipped where there is no Chromium, as on CI)
# ---------------------------------------------------------------------------


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _dump_dom(exe: str, page: Path, profile: Path) -> subprocess.CompletedProcess:
    """The DOM of ``page`` after its scripts ran, from headless Chromium."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()]
    return subprocess.run([exe, *flags], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """A Chromium that renders a plain scripted page here; the tests skip where there is none."""
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium installed")
    folder = tmp_path_factory.mktemp("probe")
    page = folder / "probe.html"
    page.write_text('<p id="x">no</p><script>document.getElementById("x").textContent = "yes";</script>')
    try:
        proc = _dump_dom(exe, page, folder / "profile")
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"chromium does not run here: {error}")
    if '<p id="x">yes</p>' not in proc.stdout:
        pytest.skip(f"chromium cannot render a plain page here (rc {proc.returncode}): {proc.stderr[-300:]}")
    return exe


def test_report_renders_in_headless_chromium(chromium, report, tmp_path):
    proc = _dump_dom(chromium, report, tmp_path / "profile")
    match = re.search(r'id="render-status"[^>]*>([^<]*)<', proc.stdout)
    assert match, f"no render-status in chromium's DOM (rc {proc.returncode}): {proc.stderr[-500:]}"
    total = 2 * len(FIGURES)
    assert match.group(1) == f"rendered {total} of {total} figures"


def test_render_status_detects_a_broken_figure(chromium, report, tmp_path):
    """The page's check can fail: corrupt one figure and it counts one fewer."""
    text = report.read_text(encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text(text.replace("data:image/svg+xml;base64,", "data:image/svg+xml;base64,AAAA", 1), encoding="utf-8")
    proc = _dump_dom(chromium, broken, tmp_path / "profile")
    total = 2 * len(FIGURES)
    assert f"rendered {total - 1} of {total} figures" in proc.stdout


def test_wilson_interval_is_not_the_wald_interval():
    """At 0 successes the Wald interval is the empty point [0, 0]; Wilson's is not (the reason to use it)."""
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(1.96**2 / (20 + 1.96**2))
    assert not math.isclose(high, 0.0)


def test_importing_plots_and_report_does_not_import_matplotlib():
    code = ("import sys, solvers.report.plots, solvers.report.page, solvers.cli.report\n"
            "print(sorted(m for m in ('matplotlib', 'torch', 'pysat') if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.stdout.strip() == "[]"
