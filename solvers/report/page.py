"""One self-contained HTML report of a sweep's results database.

:func:`write_report` writes a single HTML file with no external resource
(no scripts, styles, fonts or images fetched): the figures of
:mod:`solvers.report.plots` are inlined as base64 SVG images, the styles and a
ten-line script are inline.  Sections, in order:

* provenance: the database, sweeps, when the rows finished, hosts, devices,
  and every version recorded in the rows;
* headline numbers: instances, exact verdicts, what each gradient-descent
  configuration fitted, inconsistencies and errors;
* the figures of every family (phase transition, solve times, cactus);
* per cell ``(family, n, density)``: instances, SAT, UNSAT, undecided,
  disagreements, and per gradient-descent configuration solved / run;
* per solver: rows, solved, SAT, UNSAT, unknown, errors, at the limit,
  median and 90th-percentile time (and, folded, the same per cell);
* **Consistency**: exact solvers that disagree, gradient-descent fits of
  instances proved UNSAT, gradient-descent UNSAT claims and unverified SAT
  witnesses (:func:`solvers.experiments.consistency.consistency_problems`); in red when there
  are any;
* the ``ERROR`` rows with their reasons.

All text from the database is escaped with :func:`html.escape`.  On load,
the script counts the figures that decoded (``naturalWidth > 0``) and writes
``rendered K of N figures`` into the element with id ``render-status``, so
a headless browser (``chromium --headless --dump-dom``) can check the page.
"""

from __future__ import annotations

import base64
import datetime
import html
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reductions.errors import InvalidInstanceError

from ..experiments.consistency import consistency_problems, row_label
from .plots import figure_bytes, figure_stem, make_figures
from .stats import Verdict, instance_verdicts, load_rows, phase_table, solver_table, time_table

__all__ = ["ERROR_ROWS_SHOWN", "report_html", "write_report"]

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
th { background: #f2f2f2; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
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


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.3g}"


def _percent(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{100 * part / whole:.0f}%"


def _table(header: Sequence[str], body: Iterable[Sequence[Any]], *, numeric_from: int | None = None,
           row_classes: Sequence[str] = ()) -> str:
    """An HTML table; columns from ``numeric_from`` on are right-aligned; ``row_classes`` marks rows (bad, warn)."""
    start = len(header) if numeric_from is None else numeric_from
    lines = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"]
    for index, row in enumerate(body):
        mark = row_classes[index] if index < len(row_classes) else ""
        cells = "".join(
            f'<td class="num">{_e(v)}</td>' if i >= start else f"<td>{_e(v)}</td>" for i, v in enumerate(row)
        )
        lines.append(f'<tr class="{mark}">{cells}</tr>' if mark else f"<tr>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _distinct(rows: Sequence[Mapping[str, Any]], column: str) -> str:
    values = sorted({str(r[column]) for r in rows if r.get(column) not in (None, "")})
    return ", ".join(values) if values else "(not recorded)"


def report_html(db_or_rows: str | Path | Iterable[Mapping[str, Any]], *, source: str | None = None) -> str:
    """The report as one HTML string (see the module docstring); ``source`` names the data in the text."""
    rows = load_rows(db_or_rows)
    if source is None:
        source = str(db_or_rows) if isinstance(db_or_rows, (str, Path)) else f"{len(rows)} rows given in memory"
    verdicts = instance_verdicts(rows)
    cells = phase_table(rows)
    solvers = solver_table(rows)
    problems = consistency_problems(rows)
    errors = [r for r in rows if r["status"] == "ERROR"]
    families = sorted({v.family for v in verdicts})
    gd_labels = sorted({g.solver for c in cells for g in c.gd})
    sweeps = sorted({str(r["sweep"]) for r in rows if r.get("sweep")})
    title = "trainhard results" + (f": {', '.join(sweeps)}" if sweeps else "")
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")

    out = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
        f"<h1>{_e(title)}</h1>",
        (f'<p class="meta">From <code>{_e(source)}</code>; report written {_e(now)} UTC. '
        f'Figures: <span id="render-status">not checked (scripts off?)</span>.</p>'),
    ]

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

    # figures
    out.append('<h2 id="figures">Figures</h2>')
    captions = {
        "phase_transition": "Fraction satisfiable among decided instances (solid, shaded 95% Wilson band) and fraction "
                            "fitted by each gradient-descent configuration (dashed, 95% Wilson bars), per n.",
        "solve_times": "Median (solid) and 90th-percentile (dashed) solve time per solver, n and density; tasks that "
                       "hit their limit count at the limit (dotted).",
        "cactus": "Per solver, the k-th fastest solved instance: further right solves more, lower is faster.",
    }
    current = None
    for family, name, figure in make_figures(rows):
        if family != current:
            out.append(f"<h3>{_e(family)}</h3>")
            current = family
        stem = figure_stem(name, family)
        data = base64.b64encode(figure_bytes(figure, "svg", salt=stem)).decode("ascii")
        out.append(
            f'<figure id="{_e(stem)}"><img class="figure" alt="{_e(stem)}" src="data:image/svg+xml;base64,{data}">'
            f"<figcaption>{_e(stem)}: {_e(captions[name])}</figcaption></figure>"
        )

    # per cell
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
    out += ['<h2 id="cells">Per cell</h2>',
            ("<p>An instance is decided when an exact solver (kind <code>sat</code> or <code>exact</code>) proved it "
            "SAT or UNSAT; gradient descent counts as run unless its row is ERROR.</p>"),
            _table(header, body, numeric_from=1, row_classes=["bad" if c.disagreements else "" for c in cells])]

    # per solver
    header = ["solver", "kind", "rows", "solved", "SAT", "UNSAT", "unknown", "errors", "at limit", "median s", "p90 s"]
    body = [[s.solver, s.solver_kind, s.rows, s.solved, s.sat, s.unsat, s.unknown, s.errors, s.at_limit,
             _seconds(s.median), _seconds(s.p90)] for s in solvers]
    times = time_table(rows)
    detail = [[t.solver, t.solver_kind, t.family, t.n, t.density, t.rows, t.at_limit, _seconds(t.median), _seconds(t.p90)]
              for t in times]
    out += ['<h2 id="solvers">Per solver</h2>',
            ("<p>Solved: SAT or UNSAT for exact kinds, SAT (a network checked exactly) for gradient descent. Times "
            "leave ERROR rows out; a task that hit its limit counts at its time limit (<i>at limit</i>). p90 is the "
            "nearest-rank 90th percentile.</p>"),
            _table(header, body, numeric_from=2, row_classes=["warn" if s.errors else "" for s in solvers]),
            "<details><summary>Solve times per solver and cell</summary>",
            _table(["solver", "kind", "family", "n", "density", "rows", "at limit", "median s", "p90 s"], detail,
                   numeric_from=3),
            "</details>"]

    # consistency
    out.append('<h2 id="consistency">Consistency</h2>')
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

    # errors
    out.append('<h2 id="errors">Errors</h2>')
    if errors:
        shown = errors[:ERROR_ROWS_SHOWN]
        out.append(_table(["solver", "kind", "family", "n", "density", "seed", "instance", "reason", "host", "finished"],
                          [[row_label(r), r.get("solver_kind"), r.get("family"), r.get("n"), r.get("density"), r.get("seed"),
                            r.get("instance_hash"), r.get("reason") or "(no reason recorded)", r.get("host"),
                            r.get("finished_at")] for r in shown], row_classes=["warn"] * len(shown)))
        if len(errors) > len(shown):
            out.append(f"<p>… and {len(errors) - len(shown)} more ERROR rows.</p>")
    else:
        out.append("<p>No ERROR rows.</p>")

    out += [f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(out)


def write_report(db: str | Path | Iterable[Mapping[str, Any]], out_html: str | Path) -> Path:
    """Write the HTML report of the results database ``db`` (or its rows) to ``out_html``; return the path.

    The file is self-contained (figures inlined) and written under a
    temporary name, then renamed.  Raises
    :class:`solvers.experiments.store.StoreError` for a file that is not a results
    database and :class:`~reductions.errors.InvalidInstanceError` for a
    database without rows or an output that cannot be written.
    """
    out = Path(out_html)
    text = report_html(db)
    part = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        part.write_text(text, encoding="utf-8")
        part.replace(out)
    except OSError as error:
        raise InvalidInstanceError(f"{out}: cannot write the report ({error.strerror or error})") from None
    return out
