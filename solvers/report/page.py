"""The HTML report of a sweep's results database: one main page and one page per family.

:func:`write_report` writes self-contained HTML files with no external
resource (no scripts, styles, fonts or images fetched): the figures of
:mod:`solvers.report.plots` are inlined as base64 SVG images, the styles and a
ten-line script are inline.  The main page (``OUT.html``) has, in order:

* a table of contents, linking its sections and the family pages;
* provenance: the database, sweeps, when the rows finished, hosts, devices,
  and every version recorded in the rows;
* headline numbers: instances, exact verdicts, what each gradient-descent
  configuration fitted, inconsistencies and errors;
* the families: per family a link to its page and its verdict counts;
* the figures of every family (:data:`~solvers.report.FIGURES`);
* per cell ``(family, n, density)``: instances, SAT, UNSAT, undecided,
  disagreements, and per gradient-descent configuration solved / run;
* per solver: rows, solved, SAT, UNSAT, unknown, errors, at the limit,
  median and 90th-percentile time (and, folded, the same per cell);
* **Consistency**: exact solvers that disagree, gradient-descent fits of
  instances proved UNSAT, gradient-descent UNSAT claims and unverified SAT
  witnesses (:func:`solvers.experiments.consistency.consistency_problems`); in red when there
  are any;
* the ``ERROR`` rows with their reasons.

Beside it, one page per family, ``OUT-SLUG.html`` (the slug from
:func:`family_slugs`), linked from the main page and linking back:

* the family's phase-transition and success-region figures;
* **Success region**: per heuristic (every solver whose kind is not
  exact) and cell, the fits among the instances an exact solver proved
  satisfiable and among all it ran on, each with its 95 % Wilson interval,
  the relaxed fits (more units or another output: never counted), fits of
  instances proved UNSAT (never counted; listed under Consistency) and the
  median restart-steps and seconds of the successes
  (:func:`~solvers.report.stats.success_table`);
* **Optimum reached**, where exact rows prove a minimum number of errors:
  per heuristic and cell, how often its best count equalled the proved
  minimum, with a 95 % Wilson interval, and the mean gap
  (:func:`~solvers.report.stats.optimum_table`);
* the family's per-cell table and its consistency problems.

All text from the database is escaped with :func:`html.escape`.  Apart
from the line that says when the report was written, the output is a
function of the rows and the output name.  On load, each page's script
counts the figures that decoded (``naturalWidth > 0``) and writes
``rendered K of N figures`` into the element with id ``render-status``, so
a headless browser (``chromium --headless --dump-dom``) can check the page.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from reductions.errors import InvalidInstanceError

from ..experiments.consistency import Inconsistency, consistency_problems, row_family, row_label
from .plots import figure_bytes, figure_stem, make_figures
from .stats import (
    OptimumCell,
    PhaseCell,
    SuccessCell,
    Verdict,
    instance_verdicts,
    load_rows,
    optimum_table,
    phase_table,
    solver_table,
    success_table,
    time_table,
)

__all__ = ["ERROR_ROWS_SHOWN", "FAMILY_FIGURES", "family_slugs", "family_page_name", "report_html",
           "family_report_html", "write_report"]

FAMILY_FIGURES = ("phase_transition", "success_region")
"""The figures a family's page shows, in order (the main page shows every one of :data:`~solvers.report.FIGURES`)."""

SLUG_LENGTH = 60
"""Family slugs longer than this are cut and made distinct by a hash."""

ERROR_ROWS_SHOWN = 500
"""At most this many ``ERROR`` rows are listed (the count of the rest is given)."""

_PROVENANCE = (
    ("sweep", "sweeps"),
    ("host", "hosts"),
    ("device", "devices"),
    ("trainhard_version", "trainhard"),
    ("python_version", "Python"),
    ("numpy_version", "NumPy"),
    ("pysat_version", "python-sat"),
    ("torch_version", "torch"),
)

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em auto; max-width: 1240px;
       padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.55em; vertical-align: top; }
th { background: #f2f2f2; text-align: left; } td:first-child { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: #c00; font-weight: 700; }
section.bad-box { border: 2px solid #c00; background: #fff0f0; padding: 0.2em 1em 0.6em; }
tr.bad td { background: #fff0f0; color: #900; font-weight: 600; } tr.warn td { background: #fff8e1; }
code { font-size: 0.9em; } .meta { color: #555; }
"""

_SCRIPT = """
window.addEventListener("load", function () {
  var figures = document.querySelectorAll("img.figure");
  var ok = 0;
  figures.forEach(function (img) {
    if (img.complete && img.naturalWidth > 0) { ok += 1; } else { img.classList.add("broken"); }
  });
  var status = document.getElementById("render-status");
  status.textContent = "rendered " + ok + " of " + figures.length + " figures";
  status.className = ok === figures.length ? "ok" : "bad";
});
"""


class _Raw(str):
    """Table cell text that is already HTML (a link built here, from escaped parts)."""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _cell(value: Any) -> str:
    return str(value) if isinstance(value, _Raw) else _e(value)


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.3g}"


def _percent(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{100 * part / whole:.0f}%"


def _share(part: int, whole: int) -> str:
    """``part / whole (P%)``; ``–`` when ``whole`` is 0."""
    return "–" if whole == 0 else f"{part} / {whole} ({_percent(part, whole)})"


def _interval(bounds: tuple[float, float], whole: int) -> str:
    """A 95 % interval as percentages with one decimal; ``–`` with no trials."""
    return "–" if whole == 0 else f"{100 * bounds[0]:.1f}–{100 * bounds[1]:.1f}%"


def _number(value: Fraction | float | None) -> str:
    """A mean or median to 3 decimals, no exponent (restart-steps stay whole); ``–`` for none."""
    return "–" if value is None else f"{round(float(value), 3):.12g}"


def _link(href: str, text: str) -> _Raw:
    return _Raw(f'<a href="{_e(urllib.parse.quote(href))}">{_e(text)}</a>')


def _table(header: Sequence[str], body: Iterable[Sequence[Any]], *, numeric_from: int | None = None,
           row_classes: Sequence[str] = ()) -> str:
    """An HTML table; columns from ``numeric_from`` on are right-aligned; ``row_classes`` marks rows (bad, warn)."""
    start = len(header) if numeric_from is None else numeric_from
    lines = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"]
    for index, row in enumerate(body):
        mark = row_classes[index] if index < len(row_classes) else ""
        cells = "".join(
            f'<td class="num">{_cell(v)}</td>' if i >= start else f"<td>{_cell(v)}</td>" for i, v in enumerate(row)
        )
        lines.append(f'<tr class="{mark}">{cells}</tr>' if mark else f"<tr>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _distinct(rows: Sequence[Mapping[str, Any]], column: str) -> str:
    values = sorted({str(r[column]) for r in rows if r.get(column) not in (None, "")})
    return ", ".join(values) if values else "(not recorded)"


def _slug(family: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")


def _hash(family: str, length: int) -> str:
    return hashlib.sha256(family.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def family_slugs(families: Iterable[str]) -> dict[str, str]:
    """A distinct, file-name-safe slug per family label: lower-case ``[a-z0-9-]``, at most about 70 characters.

    Runs of other characters become one ``-``.  A slug that would be empty,
    cut at :data:`SLUG_LENGTH`, or shared by two labels (``"a b"`` and
    ``"A_b"``: file systems may ignore case) gets ``-`` and 8 hex digits of
    the label's SHA-256, so every label has its own file.  Deterministic.

    Examples
    --------
    >>> family_slugs(["hypergraph via blum-rivest", "graph", "Graph", "../x"])["hypergraph via blum-rivest"]
    'hypergraph-via-blum-rivest'
    >>> slugs = family_slugs(["graph", "Graph", "../x", "?"])
    >>> slugs["../x"], slugs["graph"] != slugs["Graph"], slugs["?"].startswith("family-")
    ('x', True, True)
    """
    labels = sorted(set(families))
    base = {label: _slug(label) for label in labels}
    shared = Counter(base.values())
    slugs = {}
    for label in labels:
        slug = base[label]
        if not slug or len(slug) > SLUG_LENGTH or shared[slug] > 1:
            slug = f"{slug[:SLUG_LENGTH].rstrip('-') or 'family'}-{_hash(label, 8)}"
        slugs[label] = slug
    taken = Counter(slugs.values())
    for label, slug in slugs.items():  # a label spelled like another's hashed slug: longer hashes, still deterministic
        if taken[slug] > 1:
            slugs[label] = f"family-{_hash(label, 24)}"
    return slugs


def family_page_name(out_name: str, slug: str) -> str:
    """The file name of a family's page beside the main page ``out_name``: ``STEM-SLUG.EXT`` (``.html`` by default).

    Examples
    --------
    >>> family_page_name("report.html", "graph")
    'report-graph.html'
    """
    path = Path(out_name)
    return f"{path.stem}-{slug}{path.suffix or '.html'}"


def _page_start(title: str, source: str, now: str) -> list[str]:
    return [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>{_e(title)}</h1>",
        # the one line that changes between two reports of the same rows
        (f'<p class="meta">From <code>{_e(source)}</code>; report written {_e(now)} UTC. '
         f'Figures: <span id="render-status">not checked (scripts off?)</span>.</p>'),
    ]


def _page_end() -> list[str]:
    return [f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]


_CAPTIONS = {
    "phase_transition": "Fraction satisfiable among decided instances (solid, shaded 95% Wilson band) and fraction "
                        "fitted by each gradient-descent configuration (dashed, 95% Wilson bars), per n.",
    "solve_times": "Median (solid) and 90th-percentile (dashed) solve time per solver, n and density; tasks that "
                   "hit their limit count at the limit (dotted).",
    "cactus": "Per solver, the k-th fastest solved instance: further right solves more, lower is faster.",
    "success_region": "Per heuristic, the fraction of the instances an exact solver proved satisfiable that it "
                      "fitted (checked exactly), per n, with 95% Wilson bars; relaxed fits are not counted.",
}


def _figure(stem: str, name: str, data: str) -> str:
    return (f'<figure id="{_e(stem)}"><img class="figure" alt="{_e(stem)}" src="data:image/svg+xml;base64,{data}">'
            f"<figcaption>{_e(stem)}: {_e(_CAPTIONS[name])}</figcaption></figure>")


def _cells_section(cells: Sequence[PhaseCell]) -> list[str]:
    gd_labels = sorted({g.solver for c in cells for g in c.gd})
    header = ["family", "n", "density", "instances", "SAT", "UNSAT", "undecided", "disagree", "SAT of decided"]
    header += [f"{label} solved / run" for label in gd_labels]
    body = []
    for c in cells:
        line: list[Any] = [c.family, c.n, c.density, c.instances, c.satisfiable, c.unsatisfiable, c.unknown,
                           c.disagreements, _percent(c.satisfiable, c.decided)]
        for label in gd_labels:
            g = c.gd_count(label)
            line.append("–" if g is None else f"{g.solved} / {g.run}")
        body.append(line)
    return ['<h2 id="cells">Per cell</h2>',
            ("<p>An instance is decided when an exact solver (kind <code>sat</code> or <code>exact</code>) proved it "
             "SAT or UNSAT; gradient descent counts as run unless its row is ERROR.</p>"),
            _table(header, body, numeric_from=1, row_classes=["bad" if c.disagreements else "" for c in cells])]


def _consistency_section(problems: Sequence[Inconsistency]) -> list[str]:
    out = ['<h2 id="consistency">Consistency</h2>']
    if problems:
        out += ['<section class="bad-box">',
                (f'<p class="bad">{len(problems)} inconsistenc{"ies" if len(problems) != 1 else "y"}: at least one '
                 "solver, reduction or verifier is wrong. These instances need a look before any number above is "
                 "trusted.</p>"),
                _table(["problem", "family", "n", "density", "instance", "who"],
                       [[p.problem.value, p.family, p.n, p.density, p.instance_hash, p.detail] for p in problems],
                       row_classes=["bad"] * len(problems)),
                "</section>"]
    else:
        out.append('<p class="ok">No inconsistencies: no two exact solvers disagree, no gradient-descent fit of an '
                   "instance proved UNSAT, no gradient-descent UNSAT, no SAT witness that failed its check.</p>")
    return out


def _success_section(cells: Sequence[SuccessCell]) -> list[str]:
    out = ['<h2 id="success">Success region</h2>']
    if not cells:
        return out + ["<p>No heuristic rows in this family (no solver of a kind that is not exact ran here).</p>"]
    out.append(
        "<p>Per heuristic and cell, counted per instance: <i>fitted of satisfiable</i> among the instances an exact "
        "solver proved satisfiable, <i>fitted of run</i> among all it ran on (rows that are not ERROR), each with its "
        "95% Wilson interval. A fit counts when its row is SAT, checked exactly and not relaxed. <i>Relaxed</i> fits "
        "(more units or another output than asked) answer another question and are never counted; fits of "
        "instances proved UNSAT are never counted either (they are listed under Consistency). Medians are over the "
        "counted fits.</p>")
    header = ["heuristic", "kind", "n", "density", "instances", "ran", "fitted of satisfiable", "95% CI",
              "fitted of run", "95% CI", "relaxed of run", "fits of UNSAT", "errors", "median restart-steps",
              "median s"]
    body = [[c.solver, c.solver_kind, c.n, c.density, c.instances, c.runs,
             _share(c.satisfiable_solved, c.satisfiable_runs), _interval(c.satisfiable_interval, c.satisfiable_runs),
             _share(c.solved, c.runs), _interval(c.interval, c.runs), _share(c.relaxed, c.runs), c.fits_unsat,
             c.errors, _number(c.median_restart_steps), _seconds(c.median_time_s)] for c in cells]
    marks = ["bad" if c.fits_unsat else "warn" if c.relaxed else "" for c in cells]
    return out + [_table(header, body, numeric_from=2, row_classes=marks)]


def _optimum_section(cells: Sequence[OptimumCell]) -> list[str]:
    if not cells:
        return []
    header = ["heuristic", "kind", "n", "density", "with proved minimum", "mean minimum", "reached the minimum",
              "95% CI", "compared", "mean gap", "below the minimum", "conflicting minima"]
    body = [[c.solver, c.solver_kind, c.n, c.density, c.with_minimum, _number(c.mean_minimum),
             _share(c.reached, c.with_minimum), _interval(c.interval, c.with_minimum), c.compared, _number(c.mean_gap),
             c.below, c.conflicting] for c in cells]
    return ['<h2 id="optimum">Optimum reached</h2>',
            ("<p>Where an exact solver proved the minimum number of misclassified points (<code>min_errors</code>), "
             "success is reaching it: per heuristic and cell, the instances where its fewest errors equal the proved "
             "minimum, of those with a proved minimum it ran on (95% Wilson interval), and the mean gap (its fewest "
             "errors minus the minimum) over the <i>compared</i> instances, where its row records a comparable count "
             "(a heuristic that searched the source instance counts violated constraints instead; a relaxed fit has "
             "another architecture). <i>Below the minimum</i> and <i>conflicting minima</i> should be 0: either means "
             "a solver or a verifier is wrong.</p>"),
            _table(header, body, numeric_from=2, row_classes=["bad" if c.below or c.conflicting else "" for c in cells])]


class _Report:
    """The rows, the tables and the figures (drawn once) that the pages are built from."""

    def __init__(self, db_or_rows: str | Path | Iterable[Mapping[str, Any]], *, source: str | None,
                 out_name: str) -> None:
        self.rows = load_rows(db_or_rows)
        self.source = source if source is not None else (
            str(db_or_rows) if isinstance(db_or_rows, (str, Path)) else f"{len(self.rows)} rows given in memory")
        self.out_name = out_name
        self.verdicts = instance_verdicts(self.rows)
        self.families = sorted({v.family for v in self.verdicts})
        self.slugs = family_slugs(self.families)
        self.cells = phase_table(self.rows)
        self.problems = consistency_problems(self.rows)
        sweeps = sorted({str(r["sweep"]) for r in self.rows if r.get("sweep")})
        self.title = "trainhard results" + (f": {', '.join(sweeps)}" if sweeps else "")
        self.now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        self._figures: list[tuple[str, str, str, str]] | None = None

    def page(self, family: str) -> str:
        """The file name of ``family``'s page (beside the main page)."""
        return family_page_name(self.out_name, self.slugs[family])

    def figures(self) -> list[tuple[str, str, str, str]]:
        """``(family, figure name, stem, base64 SVG)`` of every figure, drawn once."""
        if self._figures is None:
            self._figures = []
            for family, name, figure in make_figures(self.rows):
                stem = figure_stem(name, family)
                data = base64.b64encode(figure_bytes(figure, "svg", salt=stem)).decode("ascii")
                self._figures.append((family, name, stem, data))
        return self._figures

    def main_page(self) -> str:
        rows, verdicts, cells, problems, families = self.rows, self.verdicts, self.cells, self.problems, self.families
        solvers = solver_table(rows)
        errors = [r for r in rows if r["status"] == "ERROR"]
        gd_labels = sorted({g.solver for c in cells for g in c.gd})
        out = _page_start(self.title, self.source, self.now)

        # contents
        sections = [("provenance", "When and where"), ("headline", "Headline numbers"), ("families", "Families"),
                    ("figures", "Figures"), ("cells", "Per cell"), ("solvers", "Per solver"),
                    ("consistency", "Consistency"), ("errors", "Errors")]
        out += ['<nav id="contents"><b>Contents</b><ul>']
        out += [f'<li><a href="#{anchor}">{name}</a></li>' for anchor, name in sections]
        out.append("<li>Family pages: " + ", ".join(str(_link(self.page(f), f)) for f in families) + "</li>")
        out.append("</ul></nav>")

        # provenance
        finished = sorted(str(r["finished_at"]) for r in rows if r.get("finished_at"))
        provenance = [("rows finished", f"{finished[0]} – {finished[-1]}" if finished else "(not recorded)")]
        provenance += [(name, _distinct(rows, column)) for column, name in _PROVENANCE]
        for s in solvers:
            versions = _distinct([r for r in rows if row_label(r) == s.solver and str(r.get("solver_kind")) == s.solver_kind],
                                 "solver_version")
            provenance.append((f"solver {s.solver} ({s.solver_kind})", versions))
        out += ['<h2 id="provenance">When and where</h2>', _table(["", "recorded in the rows"], provenance)]

        # headline numbers
        count = {verdict: sum(v.verdict is verdict for v in verdicts) for verdict in Verdict}
        satisfiable = [v for v in verdicts if v.verdict is Verdict.SAT]
        headline = [
            (f"{len(verdicts)} instance{'' if len(verdicts) == 1 else 's'} in {len(families)} "
             f"famil{'y' if len(families) == 1 else 'ies'} ({_e(', '.join(families))}); {len(rows)} rows; "
             f"{len(solvers)} solver configurations."),
            (f"Exact verdicts: {count[Verdict.SAT]} SAT, {count[Verdict.UNSAT]} UNSAT, "
             f"{count[Verdict.UNKNOWN]} undecided, {count[Verdict.DISAGREEMENT]} with disagreeing exact solvers."),
        ]
        for label in gd_labels:
            ran = [v for v in verdicts if label in v.gd_run]
            ran_sat = [v for v in satisfiable if label in v.gd_run]
            fitted_sat = sum(label in v.gd_solved for v in ran_sat)
            fitted = sum(label in v.gd_solved for v in ran)
            headline.append(
                f"Gradient descent <b>{_e(label)}</b>: fitted {fitted_sat} of the {len(ran_sat)} satisfiable instances it "
                f"ran on ({_percent(fitted_sat, len(ran_sat))}); {fitted} of all {len(ran)} it ran on."
            )
        headline.append(
            '<span class="ok">Consistency: no problems.</span>' if not problems
            else f'<span class="bad">Consistency: {len(problems)} PROBLEM{"S" if len(problems) != 1 else ""} '
                 '(see <a href="#consistency">Consistency</a>).</span>'
        )
        headline.append(f'{len(errors)} ERROR row{"s" if len(errors) != 1 else ""}'
                        + (' (see <a href="#errors">Errors</a>).' if errors else "."))
        out += ['<h2 id="headline">Headline numbers</h2>', "<ul>"] + [f"<li>{item}</li>" for item in headline] + ["</ul>"]

        # families
        body = []
        for family in families:
            mine = [v for v in verdicts if v.family == family]
            body.append([_link(self.page(family), family), len(mine),
                         *(sum(v.verdict is verdict for v in mine) for verdict in Verdict),
                         sum(p.family == family for p in problems)])
        out += ['<h2 id="families">Families</h2>',
                ("<p>Each family has its own page: its phase-transition and success-region figures, where each "
                 "heuristic succeeds (with 95% Wilson intervals), how often it reached a proved minimum number of "
                 "errors, its cells and its consistency problems.</p>"),
                _table(["family page", "instances", "SAT", "UNSAT", "undecided", "disagree", "problems"], body,
                       numeric_from=1, row_classes=["bad" if row[-1] else "" for row in body])]

        # figures
        out.append('<h2 id="figures">Figures</h2>')
        current = None
        for family, name, stem, data in self.figures():
            if family != current:
                out.append(f"<h3>{_e(family)} ({_link(self.page(family), 'family page')})</h3>")
                current = family
            out.append(_figure(stem, name, data))

        out += _cells_section(cells)

        # per solver
        header = ["solver", "kind", "rows", "solved", "SAT", "UNSAT", "unknown", "errors", "at limit", "median s", "p90 s"]
        body = [[s.solver, s.solver_kind, s.rows, s.solved, s.sat, s.unsat, s.unknown, s.errors, s.at_limit,
                 _seconds(s.median), _seconds(s.p90)] for s in solvers]
        detail = [[t.solver, t.solver_kind, t.family, t.n, t.density, t.rows, t.at_limit, _seconds(t.median),
                   _seconds(t.p90)] for t in time_table(rows)]
        out += ['<h2 id="solvers">Per solver</h2>',
                ("<p>Solved: SAT or UNSAT for exact kinds, SAT (a network checked exactly) for gradient descent. Times "
                 "leave ERROR rows out; a task that hit its limit counts at its time limit (<i>at limit</i>). p90 is the "
                 "nearest-rank 90th percentile.</p>"),
                _table(header, body, numeric_from=2, row_classes=["warn" if s.errors else "" for s in solvers]),
                "<details><summary>Solve times per solver and cell</summary>",
                _table(["solver", "kind", "family", "n", "density", "rows", "at limit", "median s", "p90 s"], detail,
                       numeric_from=3),
                "</details>"]

        out += _consistency_section(problems)

        # errors
        out.append('<h2 id="errors">Errors</h2>')
        if errors:
            shown = errors[:ERROR_ROWS_SHOWN]
            out.append(_table(["solver", "kind", "family", "n", "density", "seed", "instance", "reason", "host", "finished"],
                              [[row_label(r), r.get("solver_kind"), r.get("family"), r.get("n"), r.get("density"),
                                r.get("seed"), r.get("instance_hash"), r.get("reason") or "(no reason recorded)",
                                r.get("host"), r.get("finished_at")] for r in shown], row_classes=["warn"] * len(shown)))
            if len(errors) > len(shown):
                out.append(f"<p>… and {len(errors) - len(shown)} more ERROR rows.</p>")
        else:
            out.append("<p>No ERROR rows.</p>")
        return "\n".join(out + _page_end())

    def family_page(self, family: str) -> str:
        if family not in self.slugs:
            raise InvalidInstanceError(f"no family {family!r} in the rows; the families are {', '.join(self.families)}")
        rows = [r for r in self.rows if row_family(r) == family]
        verdicts = [v for v in self.verdicts if v.family == family]
        problems = [p for p in self.problems if p.family == family]
        success = success_table(rows)
        optimum = optimum_table(rows)
        out = _page_start(f"{self.title} — {family}", self.source, self.now)
        sections = [("figures", "Figures"), ("success", "Success region")]
        sections += [("optimum", "Optimum reached")] if optimum else []
        sections += [("cells", "Per cell"), ("consistency", "Consistency")]
        out += ['<nav id="contents"><b>Contents</b><ul>',
                f"<li>{_link(self.out_name, 'the main page')} (every family, solver, provenance, errors)</li>"]
        out += [f'<li><a href="#{anchor}">{name}</a></li>' for anchor, name in sections] + ["</ul></nav>"]

        count = {verdict: sum(v.verdict is verdict for v in verdicts) for verdict in Verdict}
        heuristics = sorted({(c.solver, c.solver_kind) for c in success})
        headline = [
            (f"{len(verdicts)} instance{'' if len(verdicts) == 1 else 's'}, {len(rows)} rows. Exact verdicts: "
             f"{count[Verdict.SAT]} SAT, {count[Verdict.UNSAT]} UNSAT, {count[Verdict.UNKNOWN]} undecided, "
             f"{count[Verdict.DISAGREEMENT]} with disagreeing exact solvers."),
        ]
        for solver, kind in heuristics:
            mine = [c for c in success if (c.solver, c.solver_kind) == (solver, kind)]
            sat_solved, sat_runs = sum(c.satisfiable_solved for c in mine), sum(c.satisfiable_runs for c in mine)
            relaxed, runs = sum(c.relaxed for c in mine), sum(c.runs for c in mine)
            headline.append(f"<b>{_e(solver)}</b> ({_e(kind)}): fitted {sat_solved} of the {sat_runs} satisfiable "
                            f"instances it ran on ({_percent(sat_solved, sat_runs)}); {relaxed} relaxed fits of {runs} runs.")
        headline.append(
            '<span class="ok">Consistency: no problems.</span>' if not problems
            else f'<span class="bad">Consistency: {len(problems)} PROBLEM{"S" if len(problems) != 1 else ""} '
                 '(see <a href="#consistency">Consistency</a>).</span>'
        )
        out += ["<ul>"] + [f"<li>{item}</li>" for item in headline] + ["</ul>"]

        out.append('<h2 id="figures">Figures</h2>')
        out += [_figure(stem, name, data) for name in FAMILY_FIGURES
                for fam, drawn, stem, data in self.figures() if (fam, drawn) == (family, name)]
        out += _success_section(success)
        out += _optimum_section(optimum)
        out += _cells_section([c for c in self.cells if c.family == family])
        out += _consistency_section(problems)
        return "\n".join(out + _page_end())


def report_html(db_or_rows: str | Path | Iterable[Mapping[str, Any]], *, source: str | None = None,
                out_name: str = "report.html") -> str:
    """The main page as one HTML string (see the module docstring).

    ``source`` names the data in the text; ``out_name`` is the page's file
    name, from which the links to the family pages are derived
    (:func:`family_page_name`).
    """
    return _Report(db_or_rows, source=source, out_name=out_name).main_page()


def family_report_html(db_or_rows: str | Path | Iterable[Mapping[str, Any]], family: str, *,
                       source: str | None = None, out_name: str = "report.html") -> str:
    """The page of one family (see the module docstring); it links back to the main page ``out_name``."""
    return _Report(db_or_rows, source=source, out_name=out_name).family_page(family)


def _write(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(text, encoding="utf-8")
        part.replace(path)
    except OSError as error:
        raise InvalidInstanceError(f"{path}: cannot write the report ({error.strerror or error})") from None


def write_report(db: str | Path | Iterable[Mapping[str, Any]], out_html: str | Path) -> list[Path]:
    """Write the HTML report of the results database ``db`` (or its rows); return the paths written.

    The main page goes to ``out_html``; each family's page beside it,
    named by :func:`family_page_name` (``report.html`` and family
    ``hypergraph via blum-rivest``: ``report-hypergraph-via-blum-rivest.html``).
    Every file is self-contained (figures inlined, each drawn once) and
    written under a temporary name, then renamed; the family pages first,
    so the main page's links work as soon as it appears.

    Returns
    -------
    list of Path
        The main page first, then the family pages in family order.

    Raises
    ------
    StoreError
        ``db`` is a file but not a results database.
    InvalidInstanceError
        A database without rows, or an output that cannot be written.
    """
    out = Path(out_html)
    report = _Report(db, source=None, out_name=out.name)
    pages = [(out.with_name(report.page(family)), report.family_page(family)) for family in report.families]
    main = report.main_page()
    for path, text in pages:
        _write(path, text)
    _write(out, main)
    return [out] + [path for path, _ in pages]
