"""Render a results report in headless Chromium: write it, screenshot it, print what rendered.

Takes a results database (``--db``, as written by ``trainhard sweep``) or,
without one, builds a SYNTHETIC one (``--synthetic``, the default when no
``--db`` is given): random outcomes drawn from a made-up logistic phase
transition, written through :class:`solvers.experiments.store.ResultsStore` like a
sweep's rows.  Its numbers are invented and only exercise the layout (and
include one planted disagreement and two ERROR rows, so the consistency and
error sections show); never quote them as results.

Then it writes the HTML report (:func:`solvers.report.page.write_report`: the
main page and one page per family), loads every page in headless Chromium
(``--dump-dom`` to read the ``render-status`` element the page's script fills
in) and the main page once more (``--screenshot`` for a PNG), and prints the
render statuses and the paths.  Exit 0 when every figure of every page
rendered, 1 otherwise, 2 without Chromium.

Example
-------
python3 benchmarks/render_report.py                      # synthetic, into benchmarks/out/report/
python3 benchmarks/render_report.py --db results.sqlite --out benchmarks/out/real
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from solvers.report.page import write_report
from solvers.experiments.store import ResultsStore

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--virtual-time-budget=5000",
)


def synthetic_db(path: Path, *, seed: int = 0, replicates: int = 12) -> int:
    """Write a synthetic results database at ``path``; return the row count.  The outcomes are invented."""
    rng = random.Random(seed)
    grid = {
        "hypergraph": ([20, 40, 60], [1.0, 1.4, 1.8, 2.2, 2.6], 2.0),
        "cnf": ([10, 20], [3.0, 3.6, 4.2, 4.8, 5.4], 4.26),
    }
    solvers = [("cadical", "sat", {}), ("trainer", "exact", {}), ("gd-16x200", "gd", {"restarts": 16, "steps": 200}),
               ("gd-64x500", "gd", {"restarts": 64, "steps": 500})]
    env = {"trainhard_version": "0.1.0", "python_version": "3.11.2", "numpy_version": "1.26.4",
           "pysat_version": "1.9.dev24", "torch_version": "2.13.0", "host": "synthetic-host"}
    count = 0
    path.unlink(missing_ok=True)
    with ResultsStore(path) as store:
        for family, (ns, densities, threshold) in grid.items():
            for n in ns:
                for density in densities:
                    for replicate in range(replicates):
                        instance = f"{family}-{n}-{density}-{replicate}"
                        p_sat = 1 / (1 + math.exp((density - threshold) * n / 6))
                        satisfiable = rng.random() < p_sat
                        for label, kind, options in solvers:
                            limit = 30.0 if kind != "gd" else 60.0
                            base = 0.002 * n ** (1.5 if kind == "sat" else 2.2) * math.exp(-3 * abs(density - threshold))
                            time = base * rng.lognormvariate(0, 0.8)
                            status, reason = ("SAT" if satisfiable else "UNSAT"), None
                            if kind == "gd":
                                hardness = (n / 60) * (1 + options["steps"] / 500) ** -1 * (1 + density - threshold)
                                found = satisfiable and rng.random() < 1 / (1 + math.exp(6 * (hardness - 0.4)))
                                status = "SAT" if found else "UNKNOWN"
                                time = 0.01 * options["restarts"] * options["steps"] / 100 * rng.uniform(0.5, 1.5)
                                reason = None if found else "no restart fits"
                            if time >= limit:
                                status, reason, time = "UNKNOWN", f"time limit {limit:g} s", limit
                            row = {
                                "instance_hash": instance, "solver_key": label, "seed": replicate, "sweep": "synthetic",
                                "family": family, "n": n, "density": density, "replicate": replicate,
                                "solver": label, "solver_kind": kind, "status": status, "reason": reason,
                                "verified": 1 if status == "SAT" else None, "time_s": time, "wall_s": time + 0.05,
                                "time_limit": limit, "device": "cuda:0" if kind == "gd" else "cpu",
                                "finished_at": f"2025-01-0{1 + count % 3}T12:00:00Z", **env,
                            }
                            minimum = 0 if satisfiable else 1 + replicate % 3  # invented, like the rest
                            if kind == "exact" and status != "UNKNOWN":
                                row.update(min_errors=minimum)
                            if kind == "gd":
                                row.update(gd_restarts=options["restarts"], gd_steps=options["steps"],
                                           gd_best_errors=0 if status == "SAT" else minimum + rng.randrange(2))
                            store.write(row)
                            count += 1
        # one planted disagreement and two ERROR rows, so those sections have content
        store.write({"instance_hash": "cnf-10-4.2-0", "solver_key": "minisat", "seed": 0, "family": "cnf", "n": 10,
                     "density": 4.2, "solver": "minisat-buggy", "solver_kind": "sat", "status": "UNSAT", "time_s": 0.01,
                     "time_limit": 30.0, "sweep": "synthetic", **env})
        store.write({"instance_hash": "cnf-20-5.4-1", "solver_key": "minisat", "seed": 1, "family": "cnf", "n": 20,
                     "density": 5.4, "solver": "minisat-buggy", "solver_kind": "sat", "status": "SAT", "time_s": 0.01,
                     "time_limit": 30.0, "sweep": "synthetic", **env})
        for replicate in range(2):
            store.write({"instance_hash": f"hypergraph-60-2.2-{replicate}", "solver_key": "trainer", "seed": replicate,
                         "family": "hypergraph", "n": 60, "density": 2.2, "solver": "trainer", "solver_kind": "exact",
                         "status": "ERROR", "reason": "killed at the hard limit <60 s> (worker 3)", "time_limit": 30.0,
                         "sweep": "synthetic", **env})
        count += 4
    return count


def chromium() -> str | None:
    """The Chromium executable, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def render(html: Path, *, screenshot: Path | None = None, size: str = "1280,2400", timeout: float = 120) -> str:
    """Load ``html`` in headless Chromium; return the ``render-status`` text (and save a screenshot if asked)."""
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium")
    url = html.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        flags = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        dom = subprocess.run([*flags, "--dump-dom", url], capture_output=True, text=True, timeout=timeout, check=False).stdout
        if screenshot is not None:
            subprocess.run([*flags, f"--screenshot={screenshot.resolve()}", f"--window-size={size}", url],
                           capture_output=True, timeout=timeout, check=True)
    match = re.search(r'id="render-status"[^>]*>([^<]*)<', dom)
    return match.group(1) if match else "no render-status element (did the page load?)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None, help="a results database (default: build a synthetic one)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "report")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic database")
    parser.add_argument("--window-size", default="1280,2400", help="screenshot size W,H (default %(default)s)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.db
    if db is None:
        db = args.out / "synthetic.sqlite"
        rows = synthetic_db(db, seed=args.seed)
        print(f"synthetic database (invented outcomes, layout only): {db}, {rows} rows")
    pages = write_report(db, args.out / "report.html")
    for page in pages:
        print(f"report page: {page} ({page.stat().st_size / 1024:.0f} KiB)")
    if chromium() is None:
        print("no chromium on PATH: cannot render", file=sys.stderr)
        return 2
    shot = args.out / "report.png"
    ok = True
    for index, page in enumerate(pages):
        status = render(page, screenshot=shot if index == 0 else None, size=args.window_size)
        print(f"render status of {page.name}: {status}")
        match = re.fullmatch(r"rendered (\d+) of (\d+) figures", status)
        ok = ok and bool(match and match.group(1) == match.group(2) and int(match.group(2)) > 0)
    print(f"screenshot: {shot}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
