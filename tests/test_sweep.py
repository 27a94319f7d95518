"""Sweeps, the results store and the task isolation (``solvers.experiments.sweep``, ``solvers.experiments.store``, ``solvers.experiments.isolation``).

The sweep's answers are checked against brute force on the regenerated
source instances; resumption and durability against real processes killed
with SIGKILL; the Dask path against a real LocalCluster.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import run_cli
from hypothesis import given, settings
from reductions.strategies import sweep_configs

from reductions import formats
from reductions.errors import FormatError, InvalidInstanceError
from reductions.problems import CNF, Graph, Hypergraph, is_coloring, satisfies
from solvers.experiments.isolation import IsolatedRunner
from solvers.experiments.store import COLUMNS, ResultsStore, StoreError, export, read_rows
from solvers.experiments.sweep import (
    SOLVER_KINDS,
    execute_task,
    expand,
    inconsistencies,
    load_config,
    parse_config,
    run_sweep,
)

REPO = Path(__file__).resolve().parents[1]

SMALL = """
name = "small"
seed = 3
instances = 2
time_limit = 60

[[families]]
family = "hypergraph"
n = [6, 9]
density = [1.5, 5.0]

[[solvers]]
name = "cadical"
kind = "sat"

[[solvers]]
name = "trainer"
kind = "exact"
min_error = true

[[solvers]]
name = "gd"
kind = "gd"
restarts = 4
steps = 100
check_every = 10
"""


def brute_force(source: object, colors: int | None) -> bool:
    """Satisfiability by enumeration (independent of every solver)."""
    if isinstance(source, CNF):
        n = source.num_vars
        return any(satisfies(source, [v if bit else -v for v, bit in zip(range(1, n + 1), bits)])
                   for bits in itertools.product((0, 1), repeat=n))
    if isinstance(source, (Hypergraph, Graph)):
        k = colors or 2
        return any(is_coloring(source, list(c), k) for c in itertools.product(range(k), repeat=source.num_vertices))
    raise AssertionError(type(source))


def _source(task_payload: dict) -> object:
    parser = {"cnf": formats.parse_cnf, "hypergraph": formats.parse_hgr, "graph": formats.parse_col}
    return parser[task_payload["source_kind"]](task_payload["source"])


def _outcomes(rows: list[dict]) -> dict[tuple, tuple]:
    """What must not depend on how or where the sweep ran (no times, hosts, pids)."""
    return {
        (r["instance_hash"], r["solver_key"], r["seed"]): (
            r["status"], r["verified"], r["gd_restarts_solved"], r["gd_first_step"], r["gd_best_errors"],
            r["min_errors"], r["num_points"], r["family"], r["n"], r["density"], r["solver"],
        )
        for r in rows
    }


# ---------------------------------------------------------------------------
# configuration
# ---------------------------------------------------------------------------


def test_parse_config_fills_defaults_and_ranges() -> None:
    config = parse_config("""
instances = 3
[[families]]
family = "hypergraph"
n = {start = 10, stop = 30, step = 10}
density = {start = 1.6, stop = 2.2, step = 0.2}
[[solvers]]
kind = "sat"
[[solvers]]
kind = "gd"
restarts = 8
""")
    fam = config.families[0]
    assert fam.n == (10, 20, 30)
    assert fam.density == (1.6, 1.8, 2.0, 2.2)
    assert fam.instances == 3
    assert config.solvers[0].options == {"backend": "cadical195"}
    assert config.solvers[1].options["restarts"] == 8
    assert set(config.solvers[1].options) == set(SOLVER_KINDS["gd"].defaults)
    assert config.time_limit == 60.0


def test_solver_key_is_kind_and_options_not_label_or_limit() -> None:
    def key(body: str) -> str:
        cfg = parse_config('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n' + body)
        return cfg.solvers[0].key

    base = key('[[solvers]]\nkind = "sat"\n')
    assert key('[[solvers]]\nname = "other"\nkind = "sat"\ntime_limit = 5\n') == base
    assert key('[[solvers]]\nkind = "sat"\nbackend = "cadical195"\n') == base  # the default, spelled out
    assert key('[[solvers]]\nkind = "sat"\nbackend = "glucose4"\n') != base
    assert key('[[solvers]]\nkind = "gd"\nsteps = 10\n') != key('[[solvers]]\nkind = "gd"\nsteps = 11\n')


BAD_CONFIGS = [
    ('name = "a\n', 1, "invalid TOML"),
    ('bogus = 1\n[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "sat"\n', 1, "unknown key 'bogus'"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\nwidth = 3\n[[solvers]]\nkind = "sat"\n', 5, "unknown key 'width'"),
    ('[[families]]\nfamily = "trees"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "sat"\n', 2, "unknown family"),
    ('[[families]]\nfamily = "cnf"\nn = [0]\ndensity = [4]\n[[solvers]]\nkind = "sat"\n', 3, "n must be"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [nan]\n[[solvers]]\nkind = "sat"\n', 4, "density"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\n[[solvers]]\nkind = "sat"\n', 1, "needs density"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n', None, "at least one [[solvers]]"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "magic"\n', 6, "solver kind 'magic'"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "gd"\nrestart = 2\n', 7, "unknown option 'restart'"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "gd"\nrestarts = -2\n', 7, "restarts"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "sat"\nbackend = "z3"\n', 7, "backend"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "sat"\n[[solvers]]\nkind = "sat"\n', 7, "distinct"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nname = "a"\nkind = "sat"\n[[solvers]]\nname = "b"\nkind = "sat"\n', 5, "same kind and options"),
    ('time_limit = -1\n[[families]]\nfamily = "cnf"\nn = [5]\ndensity = [4]\n[[solvers]]\nkind = "sat"\n', 1, "time_limit"),
    ('[[families]]\nfamily = "cnf"\nn = [5]\ndensity = {start = 2, stop = 1, step = 0.5}\n[[solvers]]\nkind = "sat"\n', 4, "stop >= start"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_CONFIGS)
def test_bad_configs_name_file_and_line(tmp_path: Path, text: str, line: int | None, message: str) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(text)
    with pytest.raises(FormatError) as info:
        load_config(path)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert message in str(info.value)
    code, out, err = run_cli("sweep", path, "--db", tmp_path / "r.sqlite")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"error: {path}")
    assert not (tmp_path / "r.sqlite").exists()


def test_bad_arguments(tmp_path: Path) -> None:
    cfg = tmp_path / "g.toml"
    cfg.write_text(SMALL)
    assert run_cli("sweep", tmp_path / "missing.toml")[0] == 2
    code, _, err = run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite", "--workers", "0")
    assert code == 2 and "--workers" in err
    code, _, err = run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite", "--time-limit", "nan")
    assert code == 2 and "time limit" in err
    (tmp_path / "notdb.sqlite").write_text("hello")
    code, _, err = run_cli("sweep", cfg, "--db", tmp_path / "notdb.sqlite", "--no-progress")
    assert code == 2 and "not a trainhard results database" in err
    assert (tmp_path / "notdb.sqlite").read_text() == "hello"  # never overwritten


def test_expand_is_deterministic_with_distinct_cells() -> None:
    config = parse_config(SMALL)
    tasks = expand(config)
    assert len(tasks) == 2 * 2 * 2 * 3  # instances x n x density x solvers
    assert [t.key for t in tasks] == [t.key for t in expand(config)]
    assert len({t.key for t in tasks}) == len(tasks)
    instances = {t.key[0]: t.key[2] for t in tasks}
    assert len(instances) == 8 and len(set(instances.values())) == 8  # one seed per instance
    # replicate-major: the first replicate of every cell comes first
    assert [t.row["replicate"] for t in tasks[:12]] == [0] * 12
    other = expand(parse_config(SMALL.replace("seed = 3", "seed = 4")))
    assert not {t.key[0] for t in other} & set(instances)
    # the soft limit is the configured one; the kill comes after a grace
    assert all(t.payload["time_limit"] == 60 and t.hard_limit > 60 for t in tasks)
    assert {t.payload["time_limit"] for t in expand(config, time_limit=2)} == {2}


def test_dry_run_lists_the_grid(tmp_path: Path) -> None:
    cfg = tmp_path / "g.toml"
    cfg.write_text(SMALL)
    code, out, _ = run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite", "--dry-run")
    assert code == 0
    assert "8 instances, 24 tasks" in out
    assert not (tmp_path / "r.sqlite").exists()


# ---------------------------------------------------------------------------
# every solver kind against brute force (in-process, Karp style)
# ---------------------------------------------------------------------------


@settings(max_examples=15)
@given(sweep_configs())
def test_every_solver_kind_agrees_with_brute_force(text: str) -> None:
    config = parse_config(text)
    assert {s.kind for s in config.solvers} == set(SOLVER_KINDS)
    rows = []
    for task in expand(config):
        result = execute_task(task.payload)
        source = _source(dict(task.payload))
        truth = brute_force(source, task.payload["colors"])
        kind = task.payload["solver_kind"]
        assert result["status"] in ("SAT", "UNSAT", "UNKNOWN"), result
        if SOLVER_KINDS[kind].exact:
            assert result["status"] == ("SAT" if truth else "UNSAT"), (kind, result)
        else:  # a heuristic never claims more than the truth, and its successes are verified
            assert result["status"] in (("SAT", "UNKNOWN") if truth else ("UNKNOWN",))
            if result["status"] == "SAT":
                assert result["verified"] == 1
            if kind == "gd":
                assert result["gd_best_errors"] >= 0 and (result["status"] != "SAT" or result["gd_best_errors"] == 0)
            else:  # the heuristic kind: charged in restart-steps, within its budget
                assert 0 <= result["restart_steps"] <= task.payload["options"]["restart_steps"]
        rows.append({**task.row, **result, "instance_hash": task.key[0]})
    assert inconsistencies(rows) == []


def test_inconsistencies_are_found() -> None:
    def row(solver: str, kind: str, status: str, instance: str = "a" * 64) -> dict:
        return {"instance_hash": instance, "seed": 1, "solver": solver, "solver_kind": kind, "status": status,
                "family": "cnf", "n": 5, "density": 4.0}

    assert inconsistencies([row("x", "sat", "SAT"), row("y", "exact", "SAT"), row("g", "gd", "UNKNOWN")]) == []
    found = inconsistencies([row("x", "sat", "SAT"), row("y", "exact", "UNSAT")])
    assert len(found) == 1 and found[0].startswith("exact solvers disagree: cnf n=5") and "x (seed 1)" in found[0]
    found = inconsistencies([row("x", "sat", "UNSAT"), row("g", "gd", "SAT")])
    assert len(found) == 1 and found[0].startswith("gradient descent fits an instance")
    assert inconsistencies([row("x", "sat", "UNSAT"), row("g", "gd", "SAT", "b" * 64)]) == []


# ---------------------------------------------------------------------------
# whole sweeps: rows, resumption, errors, limits
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, list[dict]]:
    db = tmp_path_factory.mktemp("sweep") / "small.sqlite"
    summary = run_sweep(parse_config(SMALL), db, workers=2)
    return db, summary, read_rows(db)


def test_sweep_rows_are_complete_and_correct(small_sweep: tuple) -> None:
    db, summary, rows = small_sweep
    config = parse_config(SMALL)
    tasks = expand(config)
    assert summary.tasks == summary.ran == len(tasks) == len(rows)
    assert summary.errors == () and summary.inconsistencies == ()
    assert sum(summary.statuses.values()) == len(rows)
    by_key = {(r["instance_hash"], r["solver_key"], r["seed"]): r for r in rows}
    for task in tasks:
        row = by_key[task.key]
        truth = brute_force(_source(dict(task.payload)), None)
        if row["solver_kind"] == "gd":
            assert row["status"] in (("SAT", "UNKNOWN") if truth else ("UNKNOWN",))
            assert row["gd_restarts"] == 4 and row["gd_steps"] == 100 and row["restart_steps"] > 0
        else:
            assert row["status"] == ("SAT" if truth else "UNSAT")
        assert row["verified"] == (1 if row["status"] == "SAT" else None)
        for column in ("solver_version", "pysat_version", "torch_version", "numpy_version", "python_version",
                       "trainhard_version", "device", "host", "finished_at", "wall_s", "time_limit"):
            assert row[column] is not None, column
        assert row["sweep"] == "small" and row["family"] == "hypergraph"
        assert json.loads(row["solver_options"]) == dict(next(s for s in config.solvers if s.name == row["solver"]).options)
    trainer = [r for r in rows if r["solver"] == "trainer"]
    assert all(r["min_errors"] == (0 if r["status"] == "SAT" else 1) for r in trainer)  # Blum–Rivest: 1 (the origin)
    assert any(r["status"] == "UNSAT" for r in trainer) and any(r["status"] == "SAT" for r in trainer)


def test_rerun_skips_finished_keys_and_retries_errors(small_sweep: tuple, tmp_path: Path) -> None:
    db, _, rows = small_sweep
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    again = run_sweep(parse_config(SMALL), copy, workers=2)
    assert again.ran == 0 and again.skipped == again.tasks
    assert read_rows(copy) == rows  # nothing rewritten
    # an ERROR row and a missing row are redone; the rest is untouched
    gone, failed = rows[0], rows[5]
    with ResultsStore(copy) as store:
        store._db.execute("DELETE FROM results WHERE instance_hash = ? AND solver_key = ? AND seed = ?",
                          (gone["instance_hash"], gone["solver_key"], gone["seed"]))
        store._db.commit()
        store.write({**failed, "status": "ERROR", "reason": "worker process died (signal 9)"})
    third = run_sweep(parse_config(SMALL), copy, workers=1)
    assert third.ran == 2 and third.skipped == third.tasks - 2
    assert _outcomes(read_rows(copy)) == _outcomes(rows)
    unchanged = [r for r in read_rows(copy) if r["finished_at"] in {x["finished_at"] for x in rows}]
    assert len(unchanged) == len(rows) - 2
    # --retry-unknown redoes exactly the UNKNOWN rows
    unknown = sum(r["status"] == "UNKNOWN" for r in rows)
    fourth = run_sweep(parse_config(SMALL), copy, workers=2, retry_unknown=True)
    assert fourth.ran == unknown
    assert _outcomes(read_rows(copy)) == _outcomes(rows)


def test_hard_time_limit_kills_and_the_sweep_goes_on(tmp_path: Path) -> None:
    """CaDiCaL cannot be interrupted: a task past its limit plus the grace is killed, and the sweep goes on."""
    config = parse_config("""
time_limit = 0.2
[[families]]
family = "cnf"
n = [600]
density = [4.26]
instances = 1
[[families]]
family = "hypergraph"
n = [12]
density = [3.0]
instances = 1
[[solvers]]
name = "cadical"
kind = "sat"
""")
    summary = run_sweep(config, tmp_path / "r.sqlite", workers=2)
    rows = read_rows(tmp_path / "r.sqlite")
    assert summary.ran == len(rows) == 2 and summary.errors == ()
    hard = [r for r in rows if r["family"].startswith("cnf")]
    assert all(r["status"] == "UNKNOWN" and r["reason"].startswith("killed at the hard limit") for r in hard)
    assert all(r["time_limit"] == 0.2 and r["wall_s"] >= 0.2 for r in hard)
    easy = [r for r in rows if r["family"].startswith("hypergraph")]
    assert [r["status"] for r in easy] == ["UNSAT"]


def test_gradient_descent_stops_itself_at_the_soft_limit(tmp_path: Path) -> None:
    """A billion steps: gradient descent honours the task's limit (UNKNOWN, the reason says so), no kill needed."""
    config = parse_config("""
time_limit = 0.5
[[families]]
family = "hypergraph"
n = [12]
density = [3.0]
instances = 2
[[solvers]]
name = "endless-gd"
kind = "gd"
restarts = 1
steps = 1000000000
""")
    summary = run_sweep(config, tmp_path / "r.sqlite", workers=2)
    rows = read_rows(tmp_path / "r.sqlite")
    assert summary.ran == len(rows) == 2 and summary.errors == ()
    for r in rows:
        assert r["status"] == "UNKNOWN" and "before the time limit stopped it" in r["reason"], r["reason"]
        assert r["time_limit"] == 0.5 and r["wall_s"] >= 0.5
        assert "batch-invariant arithmetic" in r["solver_version"]


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc")
def test_isolated_runner_kills_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    with IsolatedRunner("os:system") as runner:
        result = runner.run(f"sleep 60 & echo $! > {pidfile}; wait", hard_limit=1.0)
        assert result["status"] == "UNKNOWN" and "killed" in result["reason"]
        grandchild = int(pidfile.read_text())
        for _ in range(50):
            if not Path(f"/proc/{grandchild}").exists() or "Z" in Path(f"/proc/{grandchild}/stat").read_text().split()[2]:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the solver's own child outlived the kill")
        assert runner.run("exit 3", hard_limit=10) == 3 << 8  # a fresh child takes the next task
        assert runner.started == 2


def test_isolated_runner_reports_crashes_and_exceptions() -> None:
    with IsolatedRunner("math:sqrt") as runner:
        result = runner.run(-1, hard_limit=10)
        assert result == {"status": "ERROR", "reason": "ValueError: math domain error"}
        assert runner.run(4, hard_limit=10) == 2.0  # the child lives on after an exception
    with IsolatedRunner("faulthandler:_sigsegv") as runner:  # a real segmentation fault
        result = runner.run(0, hard_limit=10)
        assert result["status"] == "ERROR" and "worker process died (signal 11)" in result["reason"]
        assert runner.run(0, hard_limit=10)["status"] == "ERROR" and runner.started == 2
    with IsolatedRunner("os:_exit") as runner:
        result = runner.run(7, hard_limit=10)
        assert result["status"] == "ERROR" and "exit code 7" in result["reason"]
    with IsolatedRunner("json:loads", preload=("no_such_module_xyz",)) as runner:
        result = runner.run("1", hard_limit=10)
        assert result["status"] == "ERROR" and "did not start" in result["reason"] and "no_such_module_xyz" in result["reason"]


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and /proc")
def test_sigkill_at_any_moment_loses_no_committed_row(tmp_path: Path) -> None:
    """Kill a real ``trainhard sweep`` process with SIGKILL, repeatedly; resume until done."""
    cfg = tmp_path / "grid.toml"
    cfg.write_text(SMALL.replace("instances = 2", "instances = 3"))
    db = tmp_path / "killed.sqlite"
    command = [sys.executable, "-m", "solvers", "sweep", str(cfg), "--db", str(db), "--workers", "2", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    total = len(expand(load_config(cfg)))
    kills = 0
    for wait_rows in (0, 3, 10, 20):
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_for_rows(proc, db, wait_rows)
        children = _children(proc.pid)
        committed = read_rows(db) if db.exists() else []
        if proc.poll() is not None:
            break
        assert len(committed) >= wait_rows, "rows must be committed as tasks finish, not at the end"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        _wait_gone(children)  # the worker processes die with the sweep
        with ResultsStore(db, readonly=True) as store:
            assert store.integrity_check() == "ok"
            after = {(r["instance_hash"], r["solver_key"], r["seed"]): r for r in store.rows()}
        for row in committed:  # every row seen committed before the kill is still there, unchanged
            assert after[(row["instance_hash"], row["solver_key"], row["seed"])] == row
    assert kills >= 2
    code = subprocess.run(command, env=env, capture_output=True, timeout=300).returncode
    assert code == 0
    rows = read_rows(db)
    assert len(rows) == total
    reference = tmp_path / "reference.sqlite"
    run_sweep(load_config(cfg), reference, workers=2)
    assert _outcomes(rows) == _outcomes(read_rows(reference))


def _wait_for_rows(proc: subprocess.Popen, db: Path, count: int, timeout: float = 60) -> None:
    """Poll ``db`` until it holds ``count`` rows, ``proc`` has ended, or ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                if len(read_rows(db)) >= count:
                    return
            except StoreError:  # the database is being created
                pass
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == pid]


def _ppid(proc_dir: Path) -> int | None:
    try:
        return int((proc_dir / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _wait_gone(pids: list[int]) -> None:
    for _ in range(100):
        alive = [p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0]]
        if not alive:
            return
        time.sleep(0.1)
    pytest.fail(f"worker processes {alive} outlived the killed sweep")


# ---------------------------------------------------------------------------
# Dask
# ---------------------------------------------------------------------------


def test_dask_local_cluster_gives_the_same_rows(small_sweep: tuple, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    _, _, local_rows = small_sweep
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code, out, err = run_cli("sweep", _write(tmp_path, SMALL), "--db", tmp_path / "dask.sqlite",
                                 "--scheduler", cluster.scheduler_address, "--no-progress", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["scheduler"] == cluster.scheduler_address and summary["workers"] == 2
    rows = read_rows(tmp_path / "dask.sqlite")
    assert _outcomes(rows) == _outcomes(local_rows)
    assert len({r["pid"] for r in rows}) >= 1


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    code, _, err = run_cli("sweep", _write(tmp_path, SMALL), "--db", tmp_path / "r.sqlite",
                           "--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1", "--no-progress")
    assert code == 2 and err.count("\n") == 1 and "cannot reach the Dask scheduler" in err


def _write(folder: Path, text: str) -> Path:
    path = folder / "grid.toml"
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------
# store and export
# ---------------------------------------------------------------------------


def test_export_csv_and_parquet_round_trip(small_sweep: tuple, tmp_path: Path) -> None:
    db, _, rows = small_sweep
    code, out, _ = run_cli("export", db, "-o", tmp_path / "r.csv")
    assert code == 0 and f"exported {len(rows)} rows" in out
    with (tmp_path / "r.csv").open() as f:
        read = list(csv.DictReader(f))
    assert [list(r) for r in read[:1]] == [list(COLUMNS)]
    assert [r["status"] for r in read] == [r["status"] for r in rows]
    assert [int(r["n"]) for r in read] == [r["n"] for r in rows]
    pq = pytest.importorskip("pyarrow.parquet")
    assert export(db, tmp_path / "r.parquet") == len(rows)
    table = pq.read_table(tmp_path / "r.parquet")
    assert table.column_names == list(COLUMNS)
    assert table.column("n").to_pylist() == [r["n"] for r in rows]
    assert table.column("gd_best_errors").to_pylist() == [r["gd_best_errors"] for r in rows]
    assert str(table.schema.field("seed").type) == "int64"


def test_export_bad_input(tmp_path: Path, small_sweep: tuple) -> None:
    db = small_sweep[0]
    code, _, err = run_cli("export", db, "-o", tmp_path / "r.xlsx")
    assert code == 2 and ".csv or .parquet" in err
    code, _, err = run_cli("export", tmp_path / "missing.sqlite", "-o", tmp_path / "r.csv")
    assert code == 2 and "no such results database" in err
    (tmp_path / "x.sqlite").write_bytes(b"\x00" * 100)
    code, _, err = run_cli("export", tmp_path / "x.sqlite", "-o", tmp_path / "r.csv")
    assert code == 2 and "not a trainhard results database" in err and err.count("\n") == 1
    assert not (tmp_path / "r.csv").exists()


def test_store_refuses_bad_rows_and_other_schemas(tmp_path: Path) -> None:
    with ResultsStore(tmp_path / "r.sqlite") as store:
        with pytest.raises(InvalidInstanceError, match="unknown result columns: colour"):
            store.write({"instance_hash": "a", "solver_key": "b", "seed": 1, "status": "SAT", "colour": 1})
        with pytest.raises(InvalidInstanceError, match="needs status"):
            store.write({"instance_hash": "a", "solver_key": "b", "seed": 1})
        store.write({"instance_hash": "a", "solver_key": "b", "seed": 1, "status": "UNKNOWN", "extra": {"x": [1]}})
        assert store.finished_keys() == {("a", "b", 1)}
        assert store.finished_keys(retry_unknown=True) == set()
        assert json.loads(next(store.rows())["extra"]) == {"x": [1]}
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99"):
        ResultsStore(tmp_path / "r.sqlite")
    with sqlite3.connect(tmp_path / "other.sqlite") as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="no results table"):
        ResultsStore(tmp_path / "other.sqlite", readonly=True)


# ---------------------------------------------------------------------------
# failures and interruptions through the command line
# ---------------------------------------------------------------------------


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


@pytest.mark.skipif(_cuda(), reason="needs a machine without CUDA (the task must fail)")
def test_failed_tasks_exit_1_and_are_retried(tmp_path: Path) -> None:
    text = """
[[families]]
family = "hypergraph"
n = [6]
density = [1.0]
instances = 2
[[solvers]]
name = "cadical"
kind = "sat"
[[solvers]]
name = "gd-on-cuda"
kind = "gd"
device = "cuda"
restarts = 1
steps = 5
"""
    cfg = _write(tmp_path, text)
    db = tmp_path / "r.sqlite"
    code, out, err = run_cli("sweep", cfg, "--db", db, "--no-progress")
    assert code == 1
    assert "2 tasks failed; they are retried" in err and err.count("\n") == 1
    assert out.count("c error: gd-on-cuda on hypergraph n=6") == 2
    rows = read_rows(db)
    assert sorted(r["status"] for r in rows) == ["ERROR", "ERROR", "SAT", "SAT"]
    assert all("cuda" in r["reason"].lower() for r in rows if r["status"] == "ERROR")
    code, out, _ = run_cli("sweep", cfg, "--db", db, "--no-progress", "--json")
    summary = json.loads(out)
    assert code == 1 and summary["ran"] == 2 and summary["skipped"] == 2  # only the failed ones again


@pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc")
def test_ctrl_c_keeps_finished_rows_and_exits_130(tmp_path: Path) -> None:
    cfg = _write(tmp_path, SMALL.replace("instances = 2", "instances = 3"))
    db = tmp_path / "r.sqlite"
    command = [sys.executable, "-m", "solvers", "sweep", str(cfg), "--db", str(db), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _wait_for_rows(proc, db, 3)
    children = _children(proc.pid)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command to resume" in err and "Traceback" not in err
    _wait_gone(children)
    kept = read_rows(db)
    assert 3 <= len(kept) < len(expand(load_config(cfg)))


def test_progress_bar_shows_counts_and_eta(tmp_path: Path) -> None:
    cfg = _write(tmp_path, SMALL.replace("instances = 2", "instances = 1").replace('density = [1.5, 5.0]', 'density = [1.5]'))
    code, out, err = run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite", "--workers", "1")
    assert code == 0
    assert "sweep small [" in err and "6/6" in err and "eta" in err and "SAT" in err
    assert "6 run" in out and "c next: trainhard report" in out


def test_a_grid_the_generator_refuses_is_one_line(tmp_path: Path) -> None:
    cfg = _write(tmp_path, '[[families]]\nfamily = "graph"\ncolors = 3\nn = [3]\ndensity = [5]\n[[solvers]]\nkind = "sat"\n')
    code, out, err = run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {cfg}: family graph at n=3, density=5.0:") and "at most 3 edges" in err
    assert not (tmp_path / "r.sqlite").exists()


def test_a_solver_the_target_does_not_support_is_refused_up_front(tmp_path: Path) -> None:
    cfg = _write(tmp_path, '[[families]]\nfamily = "cnf"\nreduction = "cnf-to-loading"\nn = [4]\ndensity = [3]\n'
                           '[[solvers]]\nname = "h"\nkind = "gd"\nsurrogate = "hinge"\n')
    code, _, err = run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite")
    assert code == 2 and err.count("\n") == 1 and "surrogate 'hinge' is not defined for the loading networks" in err
    assert not (tmp_path / "r.sqlite").exists()


def test_two_reductions_of_one_family_are_labelled_apart_and_paired() -> None:
    text = """
[[families]]
family = "cnf"
n = [5]
density = [4.0]
instances = 3
[[families]]
family = "cnf"
reduction = "cnf-to-loading"
n = [5]
density = [4.0]
instances = 3
[[solvers]]
kind = "sat"
"""
    tasks = expand(parse_config(text))
    by_family: dict[str, list] = {}
    for task in tasks:
        by_family.setdefault(task.row["family"], []).append(task)
    assert sorted(by_family) == ["cnf", "cnf via cnf-to-loading"]
    chain, loading = by_family["cnf"], by_family["cnf via cnf-to-loading"]
    assert [t.payload["source"] for t in chain] == [t.payload["source"] for t in loading]  # the same CNFs
    assert not {t.key[0] for t in chain} & {t.key[0] for t in loading}  # distinct instances (reduction in the hash)
    with pytest.raises(FormatError, match="both called 'cnf'") as info:
        parse_config(text.replace('reduction = "cnf-to-loading"\n', ""))
    assert info.value.line == 7
    labelled = parse_config(text.replace('reduction = "cnf-to-loading"\n', 'reduction = "cnf-to-loading"\nlabel = "judd"\n'))
    assert [f.name for f in labelled.families] == ["cnf", "judd"]


def test_a_read_only_database_is_one_line_and_keeps_its_rows(small_sweep: tuple, tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite"
    with sqlite3.connect(small_sweep[0]) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    before = read_rows(db)
    gone = before[0]
    with ResultsStore(db) as store:
        store._db.execute("DELETE FROM results WHERE instance_hash = ? AND solver_key = ? AND seed = ?",
                          (gone["instance_hash"], gone["solver_key"], gone["seed"]))
        store._db.commit()
    with ResultsStore(db) as store:
        store._db.execute("PRAGMA query_only = ON")  # as if the disk refused writes
        with pytest.raises(StoreError, match="cannot write a result row"):
            store.write(gone)
    assert len(read_rows(db)) == len(before) - 1
