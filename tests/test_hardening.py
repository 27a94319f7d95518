"""Bad input and absurd sizes: one line ``error: ...`` and exit 2, never a traceback, a hang or a huge allocation.

Each test names the item of the hardening pass it checks:

* declared sizes (a header's count allocates nothing; counts that cannot be
  real are refused with the file and line; what cannot fit is refused up front);
* generator sizes (refused up front, with the estimate);
* a file of one kind given where another belongs (said so);
* progress reports (a bar on a terminal only);
* ``--solver`` for training sets (used, or refused);
* ``sweep --dry-run --json`` (one JSON object);
* every argument validated before any work starts.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from helpers import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from reductions import formats
from reductions.errors import FormatError, InvalidInstanceError
from reductions.formats import MAX_DECLARED_SIZE
from reductions.generators import GENERATORS, random_uniform_hypergraph
from reductions.problems import CNF, Graph, Hypergraph, Kind, TrainingSet

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for the subprocess tests


def run_limited(*argv: object, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``trainhard ARGV`` in a child process with 1 GiB of address space and a timeout."""

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "solvers", *map(str, argv)], cwd=cwd, env=env, preexec_fn=limit,
        capture_output=True, text=True, timeout=timeout,
    )


@contextlib.contextmanager
def memory_guard(extra: int = MEMORY_LIMIT):
    """Let this process grow by at most ``extra`` bytes of address space (MemoryError, not the OOM killer)."""
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * resource.getpagesize()
    before = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (used + extra, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, before)


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: raise TimeoutError in this (the main) thread after ``seconds``."""

    def expire(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    before = signal.signal(signal.SIGALRM, expire)
    outer = signal.alarm(seconds)  # an enclosing deadline's seconds left, restored after
    start = time.monotonic()
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
        if outer:
            signal.alarm(max(1, outer - int(time.monotonic() - start)))


@pytest.fixture()
def guarded():
    """A test that must stay small, and would take all memory or hang if it regressed: 60 s and 1 GiB more at most."""
    with memory_guard(), deadline(60):
        yield


def one_error_line(code: int, err: str) -> str:
    """Check the CLI's contract for bad input and return the message."""
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


# ---------------------------------------------------------------------------
# declared sizes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, fragment",
    [
        ("huge.cnf", "p cnf 99999999999999999999 1\n1 0\n", "99999999999999999999 variables"),
        ("big.cnf", f"p cnf {MAX_DECLARED_SIZE + 1} 1\n1 0\n", f"{MAX_DECLARED_SIZE + 1} variables"),
        ("huge.nae", "p cnf 99999999999999999999 1\n1 -2 0\n", "variables"),
        ("huge.hgr", "1 99999999999999999999\n1 2\n", "99999999999999999999 vertices"),
        ("huge.col", "c a comment\np edge 99999999999999999999 1\ne 1 2\n", "vertices"),
    ],
)
def test_a_declared_size_that_cannot_be_real_is_refused_at_its_line(tmp_path, name, text, fragment):
    path = tmp_path / name
    path.write_text(text)
    proc = run_limited("solve", path, cwd=tmp_path, timeout=60)  # before: a hang, or a MemoryError traceback
    line = 2 if name == "huge.col" else 1
    err = one_error_line(proc.returncode, proc.stderr)
    assert err.startswith(f"error: {path}:{line}: ") and fragment in err and "MAX_DECLARED_SIZE" in err


def test_a_declared_clause_count_is_checked_at_the_header_line(tmp_path):
    path = tmp_path / "f.cnf"
    path.write_text("c comment\np cnf 2 99999999999999999999\n1 0\n")
    err = one_error_line(*run_cli("solve", path)[::2])
    assert err.startswith(f"error: {path}:2: the header declares 99999999999999999999 clauses but the file has 1")


@pytest.mark.parametrize(
    "name, text, args, expected",
    [
        # ten million declared variables, two used: before, the encoding named every one (MemoryError)
        ("many.cnf", f"p cnf {MAX_DECLARED_SIZE} 2\n1 0\n-1 0\n", [], 20),
        ("many.nae", f"p cnf {MAX_DECLARED_SIZE} 1\n1 0\n", [], 20),
        ("many.hgr", f"1 {MAX_DECLARED_SIZE}\n{MAX_DECLARED_SIZE}\n", [], 20),
        ("many.col", f"p edge {MAX_DECLARED_SIZE} 3\ne 1 2\ne 2 3\ne 1 3\n", ["--colors", 2], 20),
        ("many3.hgr", f"1 {MAX_DECLARED_SIZE}\n1\n", ["--colors", 3], 20),
    ],
)
def test_declared_but_unused_variables_and_vertices_cost_no_memory(tmp_path, name, text, args, expected):
    path = tmp_path / name
    path.write_text(text)
    proc = run_limited("solve", path, *args, cwd=tmp_path, timeout=120)
    assert proc.returncode == expected, proc.stderr[-2000:]


@pytest.mark.usefixtures("guarded")
def test_encodings_name_only_what_the_clauses_use():
    from solvers.exact.encodings import encode

    n = MAX_DECLARED_SIZE
    enc = encode(CNF(n, [(1, -n)]))
    assert enc.num_vars == n and enc.primary == (1, n) and enc.free == n - 2
    assert len(enc.pool.obj2id) == 2 and enc.pool.id(("x", 5)) == 5 and enc.pool.obj(7) == ("x", 7)
    enc = encode(Graph(n, [(0, n - 1)]), colors=3)
    assert max(abs(lit) for clause in enc.clauses for lit in clause) <= 2 * 2  # two used vertices, two colours
    assert enc.num_vars == 3 * n and enc.pool.obj(enc.pool.id(("c", 17, 2))) == ("c", 17, 2)
    enc = encode(Hypergraph(n, [(5, 9)]))
    assert enc.primary == (1, 2) and enc.pool.obj(enc.pool.id(("x", 6))) == ("x", 6)
    # every declared vertex is still in the witness
    assert enc.decode([1]) == (0,) * 5 + (1,) + (0,) * (n - 6)


@pytest.mark.usefixtures("guarded")
def test_the_library_refuses_instances_no_witness_could_hold():
    from solvers.exact.sat import solve, solve_cnf_clauses

    with pytest.raises(InvalidInstanceError, match="MAX_DECLARED_SIZE"):
        solve(CNF(10**15, [(1,)]))
    with pytest.raises(InvalidInstanceError, match="MAX_DECLARED_SIZE"):
        solve_cnf_clauses(10**15, [(1,)])
    with pytest.raises(InvalidInstanceError, match="colours"):
        solve(Graph(2, [(0, 1)]), colors=10**15)


@pytest.mark.usefixtures("guarded")
def test_more_colours_than_vertices_are_not_encoded():
    from solvers.exact.sat import count_models, solve

    with deadline(20):  # before: k(k-1)/2 at-most-one clauses per vertex
        result = solve(Graph(3, [(0, 1), (1, 2), (0, 2)]), colors=MAX_DECLARED_SIZE)
    assert result.status.value == "SAT" and sorted(result.witness) == [0, 1, 2]
    # counting still sees every colour and every vertex in no edge
    assert count_models(Graph(3, [(0, 1)]), colors=3) == 3 * 2 * 3
    assert count_models(CNF(5, [(1, -2)])) == 3 * 2**3
    assert count_models(CNF(5, [(1, -2)]), limit=7) == 7


def npz_with_header(path: Path, name: str, shape: tuple[int, ...], payload: bytes = b"", dtype: str = "<f8") -> None:
    """An .npz whose member ``name`` declares ``shape`` but holds only ``payload``."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": shape})
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}.npy", header.getvalue() + payload)
        y = io.BytesIO()
        np.save(y, np.zeros(2, dtype=np.uint8))
        archive.writestr("y.npy", y.getvalue())


def test_an_npz_header_allocates_nothing(tmp_path):
    path = tmp_path / "liar.npz"
    npz_with_header(path, "X", (40_000, 40_000), b"\0" * 64)  # 12.8 GB declared, 64 bytes held
    proc = run_limited("solve", path, cwd=tmp_path)
    err = one_error_line(proc.returncode, proc.stderr)
    assert "array 'X': its header declares shape (40000, 40000)" in err and "holds 64 bytes" in err
    npz_with_header(path, "X", (2, MAX_DECLARED_SIZE + 1))
    with pytest.raises(FormatError, match="dimensions: more than"):
        formats.load_training_set(path)
    npz_with_header(path, "X", (10**12, 10**12), dtype="|V0")  # an empty dtype: nothing to read, 10**24 entries
    with pytest.raises(FormatError, match="points: more than"):
        formats.load_training_set(path)


def test_an_npz_round_trip_is_unchanged(tmp_path):
    ts = TrainingSet.from_points([[0, "1/3"], [2, 5]], [1, 0])
    formats.save_training_set(ts, tmp_path / "t.npz")
    np.savez(tmp_path / "plain.npz", X=np.asfortranarray(np.arange(6.0).reshape(2, 3)), y=np.array([1, 0]))
    assert formats.load_training_set(tmp_path / "t.npz") == ts
    assert formats.load_training_set(tmp_path / "plain.npz").numerators.tolist() == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.usefixtures("guarded")
def test_a_network_with_too_many_hidden_units_is_refused_at_once(tmp_path):
    net = {"format": "trainhard-network", "version": 1, "hidden": [{"weights": [], "threshold": 0}] * 40,
           "output": {"name": "and"}}
    with deadline(20):  # before: a 2**40-entry truth table
        with pytest.raises(FormatError, match="40 hidden units"):
            formats.network_from_json(json.dumps(net))


@pytest.mark.usefixtures("guarded")
def test_a_reduction_whose_target_cannot_fit_is_refused_up_front(tmp_path):
    path = tmp_path / "sparse.hgr"
    path.write_text("1 2000000\n1 2 3\n")  # two million declared vertices: a 2e6 x 2e6 training set
    with deadline(20):
        err = one_error_line(*run_cli("reduce", "splitting-to-blum-rivest", path, "-o", tmp_path / "t.npz")[::2])
    assert "2000002 points in 2000000 dimensions" in err and "needs about" in err and "TB" in err
    assert not (tmp_path / "t.npz").exists()


# ---------------------------------------------------------------------------
# generator sizes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["hypergraph", "--n", 10**12, "--ratio", 2],
        ["planted-hypergraph", "--n", 1000, "--m", 10**12],
        ["cnf", "--n", 10**6, "--ratio", 10**7],
        ["planted-cnf", "--n", 10**7, "--m", 10**10],
        ["graph", "--n", 10**7, "--p", 0.5],
        ["graph", "--n", 10**6, "--m", 10**11],
        ["hypergraph", "--n", 10**5, "--k", 10**5, "--m", 10**6],
    ],
)
@pytest.mark.usefixtures("guarded")
def test_generating_what_cannot_fit_is_refused_with_the_estimate(tmp_path, argv):
    ext = {"graph": ".col", "cnf": ".cnf", "planted-cnf": ".cnf"}.get(argv[0], ".hgr")
    with deadline(20):  # before: it runs and runs
        code, out, err = run_cli("generate", *argv, "-o", tmp_path / f"g{ext}")
    message = one_error_line(code, err)
    assert "needs about" in message and "of memory, more than the" in message and out == ""
    assert not list(tmp_path.iterdir())


def test_the_memory_estimate_follows_the_process_limit(tmp_path):
    # 5 million vertices, 10 million edges: a few GB, more than the child's 1 GiB
    proc = run_limited("generate", "hypergraph", "--n", 5_000_000, "--ratio", 2, "-o", "g.hgr", cwd=tmp_path, timeout=60)
    err = one_error_line(proc.returncode, proc.stderr)
    assert "needs about 2.6 GB of memory, more than the 1.07 GB this process may use" in err


@pytest.mark.usefixtures("guarded")
def test_generators_check_sizes_in_the_library():
    with deadline(10):
        with pytest.raises(InvalidInstanceError, match="needs about"):
            random_uniform_hypergraph(10**12, ratio=2)
        with pytest.raises(InvalidInstanceError, match="finite"):
            random_uniform_hypergraph(10, ratio=float("inf"))
        with pytest.raises(InvalidInstanceError, match="MAX_DECLARED_SIZE"):
            random_uniform_hypergraph(MAX_DECLARED_SIZE + 1, m=0)
        with pytest.raises(InvalidInstanceError, match="integer"):
            random_uniform_hypergraph(10.5, m=1)


def test_edges_as_large_as_the_vertex_set_do_not_spin():
    with deadline(20):  # before: rejection sampling accepts 1 draw in 10**12
        h = random_uniform_hypergraph(30, k=30, m=3, seed=1)
    assert h.edges == ((tuple(range(30)),) * 3)
    # the usual parameters keep their stream (pinned in test_generators.py)
    assert random_uniform_hypergraph(6, k=4, m=3, seed=0) == random_uniform_hypergraph(6, k=4, m=3, seed=0)


@pytest.mark.usefixtures("guarded")
def test_a_sweep_grid_the_generator_cannot_fit_is_one_line(tmp_path):
    cfg = tmp_path / "big.toml"
    cfg.write_text('[[families]]\nfamily = "hypergraph"\nn = [1000000]\ndensity = [100000.0]\n'
                   '[[solvers]]\nkind = "sat"\n')
    with deadline(20):
        err = one_error_line(*run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite", "--dry-run")[::2])
    assert "family hypergraph at n=1000000" in err and "needs about" in err
    assert not (tmp_path / "r.sqlite").exists()


# ---------------------------------------------------------------------------
# a file of one kind where another belongs
# ---------------------------------------------------------------------------


@pytest.fixture()
def files(tmp_path):
    h = Hypergraph(4, [(0, 1, 2), (1, 2, 3)])
    formats.write_hgr(h, tmp_path / "h.hgr")
    assert run_cli("reduce", "splitting-to-blum-rivest", tmp_path / "h.hgr", "-o", tmp_path / "h.npz")[0] == 0
    (tmp_path / "npz.json").write_bytes((tmp_path / "h.npz").read_bytes())
    (tmp_path / "npz.cnf").write_bytes((tmp_path / "h.npz").read_bytes())
    return tmp_path


@pytest.mark.parametrize(
    "argv, message",
    [
        (["map-back", "splitting-to-blum-rivest", "h.hgr", "h.npz"],
         "h.npz: expected a trainhard network JSON file (.json), got a .npz file (training set (numpy archive))"),
        (["map-back", "splitting-to-blum-rivest", "h.hgr", "h.hgr"], "expected a trainhard network JSON file (.json), got a .hgr"),
        (["map-back", "splitting-to-blum-rivest", "h.hgr", "npz.json"],
         "npz.json: expected a trainhard network JSON file, got a zip archive (an .npz training set?)"),
        (["map-back", "splitting-to-blum-rivest", "h.npz", "h.hgr"], "maps back to a Hypergraph, got a TrainingSet"),
        (["solve", "npz.cnf"], "npz.cnf: expected a DIMACS CNF file, got a zip archive (an .npz training set?)"),
        (["solve", "npz.json"], "npz.json: expected a JSON file (a trainhard network or loading instance), got a zip"),
        (["load", "npz.json"], "npz.json: expected a trainhard-loading JSON file, got a zip archive"),
        (["sweep", "h.npz", "--dry-run"], "h.npz: expected a sweep configuration (TOML), got a zip archive"),
    ],
)
def test_a_file_of_another_kind_is_named(files, argv, message):
    argv = [files / a if (files / a).exists() else a for a in argv]
    err = one_error_line(*run_cli(*argv)[::2])
    assert message in err


def test_an_npz_reader_names_a_text_file(tmp_path):
    (tmp_path / "t.npz").write_text("p cnf 1 1\n1 0\n")
    with pytest.raises(FormatError, match="expected an .npz training set \\(a zip archive\\), got a text file"):
        formats.read_instance(tmp_path / "t.npz")


# ---------------------------------------------------------------------------
# progress reports
# ---------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def fake_clock(monkeypatch, step: float) -> None:
    """Each reading of the progress module's clock is ``step`` seconds after the last."""
    from solvers.core import progress

    now = [0.0]

    def tick() -> float:
        now[0] += step
        return now[0]

    monkeypatch.setattr(progress.time, "perf_counter", tick)


def test_progress_draws_a_bar_only_on_a_terminal(monkeypatch):
    from solvers.core.progress import PLAIN_INTERVAL_S, Progress

    fake_clock(monkeypatch, 1.0)
    log, tty = io.StringIO(), Terminal()
    for stream in (log, tty):
        with Progress(200, "work", stream=stream) as bar:
            for _ in range(200):
                bar.advance()
    assert "\r" not in log.getvalue()
    lines = log.getvalue().splitlines()
    # about 2 clock readings per item: 400 s, one line per interval and a final one
    assert 2 <= len(lines) <= 400 / PLAIN_INTERVAL_S + 2 and lines[-1].startswith("work [") and "200/200" in lines[-1]
    assert tty.getvalue().count("\r") > 100 and tty.getvalue().endswith("\n")


def test_a_short_loop_off_a_terminal_prints_one_line():
    from solvers.core.progress import Progress

    log = io.StringIO()
    with Progress(3, "short", stream=log) as bar:
        for _ in range(3):
            bar.advance()
    assert log.getvalue().count("\n") == 1 and "3/3" in log.getvalue() and "\r" not in log.getvalue()


def test_cli_progress_in_a_redirected_log_has_no_frames(tmp_path):
    for i, text in enumerate(["p cnf 1 1\n1 0\n", "p cnf 1 2\n1 0\n-1 0\n"]):
        (tmp_path / f"f{i}.cnf").write_text(text)
    code, out, err = run_cli("check", "sat-to-nae-sat", tmp_path / "f0.cnf", tmp_path / "f1.cnf")
    assert code == 0, err
    assert "\r" not in err and err.count("\n") == 1 and "2/2" in err


# ---------------------------------------------------------------------------
# --solver for training sets
# ---------------------------------------------------------------------------


XOR = TrainingSet.from_points([[0, 0], [1, 1], [1, 0], [0, 1]], [0, 0, 1, 1], metadata={"hidden_units": 2})


def test_the_exact_trainer_uses_the_solver_given():
    from solvers.exact.front import decide_training_set, solve

    result = solve(XOR, solver="glucose4")
    assert result.status.value == "SAT" and result.stats["sat_solver"] == "glucose4"
    with pytest.raises(InvalidInstanceError, match="kissat404"):
        solve(XOR, solver="kissat404")  # not incremental: refused, not ignored
    with pytest.raises(InvalidInstanceError, match="uses no SAT solver"):
        decide_training_set(XOR, method="lp-backtracking", solver="glucose4")
    with pytest.raises(InvalidInstanceError, match="colors applies"):
        solve(XOR, colors=3)
    with pytest.raises(InvalidInstanceError, match="hidden_units applies"):
        solve(Hypergraph(3, [(0, 1, 2)]), hidden_units=2)


def test_cli_solve_of_a_training_set_uses_solver(tmp_path):
    formats.save_training_set(XOR, tmp_path / "xor.npz")
    code, out, err = run_cli("solve", tmp_path / "xor.npz", "--solver", "minisat22", "--json")
    assert code == 10, err
    assert json.loads(out)["stats"]["sat_solver"] == "minisat22"


def test_check_reduction_uses_solver_for_training_targets():
    from solvers.experiments.karp import check_reduction, decide_kind

    assert decide_kind(Kind.TRAINING, XOR, solver="glucose4", hidden_units=2).stats["sat_solver"] == "glucose4"
    with pytest.raises(InvalidInstanceError, match="kissat404 is not incremental"):
        check_reduction("cnf-to-blum-rivest", [CNF(1, [(1,)])], solver="kissat404")
    report = check_reduction("cnf-to-blum-rivest", [CNF(1, [(1,)])], solver="glucose4")
    assert report.counts["sat"] == 1


# ---------------------------------------------------------------------------
# sweep --dry-run --json
# ---------------------------------------------------------------------------

TINY = '''name = "tiny"
seed = 1
time_limit = 20
[[families]]
family = "hypergraph"
n = [6]
density = [1.0]
instances = 1
[[solvers]]
kind = "sat"
'''


def test_sweep_dry_run_json_is_one_object(tmp_path):
    cfg, db = tmp_path / "tiny.toml", tmp_path / "r.sqlite"
    cfg.write_text(TINY)
    code, out, err = run_cli("sweep", cfg, "--db", db, "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["sweep"] == "tiny" and plan["tasks"] == 1 and plan["instances"] == 1
    assert plan["done"] == 0 and plan["to_run"] == 1 and plan["db"] == str(db)
    assert [f["family"] for f in plan["families"]] == ["hypergraph"] and plan["solvers"][0]["kind"] == "sat"
    assert not db.exists()  # a dry run creates nothing
    assert run_cli("sweep", cfg, "--db", db, "--workers", 1, "--no-progress")[0] == 0
    plan = json.loads(run_cli("sweep", cfg, "--db", db, "--dry-run", "--json")[1])
    assert plan["done"] == 1 and plan["to_run"] == 0


# ---------------------------------------------------------------------------
# every argument validated before any work starts
# ---------------------------------------------------------------------------


@pytest.fixture()
def spy_generators(monkeypatch):
    """Record calls to the generators (their signatures and annotations kept)."""
    calls = []
    for name, gen in list(GENERATORS.items()):
        @functools.wraps(gen)
        def spy(*args, _gen=gen, **kwargs):
            calls.append(args)
            return _gen(*args, **kwargs)

        monkeypatch.setitem(GENERATORS, name, spy)
    return calls


@pytest.mark.parametrize(
    "argv, message",
    [
        (["hypergraph", "--n", 10, "--ratio", 1, "--p", 0.5], "generate hypergraph takes no --p"),
        (["graph", "--n", 10, "--ratio", 1, "--k", 3], "generate graph takes no --k"),
        (["hypergraph", "--n", 10, "--ratio", 1, "-o", "g.npz"], "g.npz: .npz holds a training set"),
        (["cnf", "--n", 10, "--ratio", 1, "-o", "g.hgr"], "not a CNF; use .cnf"),
        (["hypergraph", "--n", 10, "--ratio", 1, "-o", "g.txt"], "unknown file extension"),
        (["hypergraph", "--n", 10, "--ratio", 1, "-o", "missing/g.hgr"], "no such folder"),
    ],
)
def test_generate_checks_its_options_and_output_before_generating(tmp_path, spy_generators, argv, message):
    argv = [tmp_path / a if str(a).startswith(("g.", "missing")) else a for a in argv]
    err = one_error_line(*run_cli("generate", *argv)[::2])
    assert message in err and spy_generators == []


def test_generate_keeps_the_header_comments_in_gzipped_files(tmp_path):
    import gzip

    assert run_cli("generate", "planted-cnf", "--n", 5, "--m", 3, "-o", tmp_path / "f.cnf.gz")[0] == 0
    text = gzip.decompress((tmp_path / "f.cnf.gz").read_bytes()).decode()
    assert text.startswith("c trainhard generate planted-cnf") and "c planted model:" in text


def test_reduce_checks_its_output_before_reading_the_input(tmp_path):
    missing = tmp_path / "not-read.hgr"
    err = one_error_line(*run_cli("reduce", "splitting-to-blum-rivest", missing, "-o", tmp_path / "t.hgr")[::2])
    assert "t.hgr: .hgr holds a hMETIS hypergraph, not a training instance; use .npz" in err
    err = one_error_line(*run_cli("reduce", "coloring-to-halfspaces", missing, "-o", tmp_path / "t.npz", "--k", 10**30)[::2])
    assert "(--k): more than" in err
    err = one_error_line(*run_cli("reduce", "--list", "splitting-to-blum-rivest")[::2])
    assert "--list takes no other arguments" in err


def test_solve_checks_network_out_before_solving(tmp_path, monkeypatch):
    import solvers.exact.front

    formats.save_training_set(XOR, tmp_path / "xor.npz")
    formats.write_hgr(Hypergraph(3, [(0, 1, 2)]), tmp_path / "h.hgr")
    monkeypatch.setattr(solvers.exact.front, "solve", lambda *a, **k: pytest.fail("solved before the checks"))
    err = one_error_line(*run_cli("solve", tmp_path / "xor.npz", "--network-out", tmp_path / "no" / "n.json")[::2])
    assert "no such folder" in err
    err = one_error_line(*run_cli("solve", tmp_path / "xor.npz", "--network-out", tmp_path / "n.npz")[::2])
    assert "not a network; use .json" in err
    err = one_error_line(*run_cli("solve", tmp_path / "h.hgr", "--network-out", tmp_path / "n.json")[::2])
    assert "--network-out applies to training sets" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--connect-timeout", 5], "--connect-timeout applies with --scheduler only"),
        (["--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "nan"], "--connect-timeout must be a positive"),
        (["--scheduler", "tcp://127.0.0.1:9", "--workers", 2], "with --scheduler the cluster's workers"),
        (["--dry-run", "--time-limit", "nan"], "time limit must be a positive number"),
        (["--dry-run", "--workers", 0], "--workers must be >= 1"),
    ],
)
def test_sweep_refuses_bad_or_ignored_options(tmp_path, argv, message):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY)
    err = one_error_line(*run_cli("sweep", cfg, "--db", tmp_path / "r.sqlite", *argv)[::2])
    assert message in err and not (tmp_path / "r.sqlite").exists()


def test_report_plot_and_load_check_their_outputs_first(tmp_path):
    (tmp_path / "file").write_text("")
    err = one_error_line(*run_cli("report", tmp_path / "none.sqlite", "-o", tmp_path / "report.pdf")[::2])
    assert "name it FILE.html" in err
    err = one_error_line(*run_cli("plot", tmp_path / "none.sqlite", "-o", tmp_path / "file")[::2])
    assert "names a folder" in err
    err = one_error_line(*run_cli("load", tmp_path / "none.json", "--config-out", tmp_path / "no" / "c.json")[::2])
    assert "no such folder" in err
    err = one_error_line(*run_cli("load", tmp_path / "none.json", "--at-least", -1)[::2])
    assert "--at-least must be >= 0" in err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["generate", "cnf", "--n", 10, "--ratio", "inf"], "ratio * n must be finite"),
        (["generate", "cnf", "--n", 10, "--ratio", "1e308"], "ratio * n must be finite"),
        (["generate", "cnf", "--n", 10**400, "--ratio", 1], "ratio * n must be finite"),
        (["generate", "graph", "--n", 10**400, "--p", 0.5], "needs about"),
        (["generate", "cnf", "--n", 10, "--ratio", "nan"], "ratio must be a number >= 0"),
        (["generate", "graph", "--n", 10, "--p", "nan"], "edge probability p must be in [0, 1]"),
        (["generate", "cnf", "--n", 10, "--m", -1], "must be >= 0"),
        (["generate", "cnf", "--n", 10, "--m", 1, "--seed", -1], "seed must be >= 0"),
        (["solve", "t.col", "--colors", 10**30], "colours: more than"),
        (["solve", "t.col", "--colors", 0], "colours must be an integer >= 1"),
        (["solve", "t.col", "--colors", 2, "--time-limit", "nan"], "time limit"),
        (["check", "sat-to-nae-sat", "t.col", "--time-limit", "inf"], "time limit"),
    ],
)
@pytest.mark.usefixtures("guarded")
def test_absurd_numbers_are_one_line(tmp_path, argv, message):
    (tmp_path / "t.col").write_text("p edge 2 1\ne 1 2\n")
    argv = [tmp_path / a if a == "t.col" else a for a in argv]
    with deadline(20):
        err = one_error_line(*run_cli(*argv)[::2])
    assert message in err


def test_a_usage_error_is_one_line(capsys):
    code, out, _ = run_cli("generate", "hypergraph", "--n", "x")
    err = capsys.readouterr().err  # argparse's messages go to sys.stderr, as argparse writes them
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: trainhard generate: argument --n: invalid int value: 'x'")


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_grid_pools_name_every_declared_key_and_back(data):
    from solvers.exact.encodings import encode

    n = data.draw(st.integers(3, 12))
    edges = data.draw(st.lists(st.lists(st.integers(0, n - 1), min_size=2, max_size=3, unique=True), max_size=4))
    k = data.draw(st.integers(1, 4))
    symmetry = data.draw(st.booleans())
    for enc, keys in (
        (encode(Hypergraph(n, edges), symmetry_breaking=symmetry), [("x", v) for v in range(n)]),
        (encode(Graph(n, [e[:2] for e in edges]), colors=k, symmetry_breaking=symmetry),
         [("c", v, j) for v in range(n) for j in range(k)]),
    ):
        ids = [enc.pool.id(key) for key in keys]
        assert sorted(ids) == list(range(1, enc.num_vars + 1))  # a bijection onto 1..num_vars
        assert [enc.pool.obj(i) for i in ids] == keys
        used = {abs(lit) for clause in enc.clauses for lit in clause}
        assert used <= set(range(1, len(used) + 1))  # the solver's variables are numbered compactly
