"""The CLI, used as a new user would, and compared with the library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from helpers import run_cli

from reductions import (
    REDUCTIONS,
    Graph,
    Hypergraph,
    formats,
    is_coloring,
    is_splitting,
    satisfies,
)
from reductions.generators import random_uniform_hypergraph
from solvers import solve
from solvers.cli import reductions_table

ROOT = Path(__file__).resolve().parent.parent


run = run_cli


def v_values(text: str) -> list[int]:
    return [int(x) for line in text.splitlines() if line.startswith("v ") for x in line.split()[1:]]


FANO = Hypergraph(7, [(0, 1, 2), (0, 3, 4), (0, 5, 6), (1, 3, 5), (1, 4, 6), (2, 3, 6), (2, 4, 5)])


def pigeonhole(holes: int) -> str:
    """PHP(holes+1 -> holes) in DIMACS: unsatisfiable (Haken 1985)."""
    pigeons = holes + 1
    var = lambda p, h: p * holes + h + 1  # noqa: E731
    clauses = [[var(p, h) for h in range(holes)] for p in range(pigeons)]
    clauses += [[-var(p, h), -var(q, h)] for h in range(holes) for p in range(pigeons) for q in range(p + 1, pigeons)]
    return f"p cnf {pigeons * holes} {len(clauses)}\n" + "".join(" ".join(map(str, c)) + " 0\n" for c in clauses)


@pytest.mark.parametrize(
    "name, write, args, expected",
    [
        # the Fano plane is not 2-colourable; minus one line it is
        ("fano.hgr", lambda p: formats.write_hgr(FANO, p), [], 20),
        ("fano6.hgr", lambda p: formats.write_hgr(Hypergraph(7, FANO.edges[:-1]), p), [], 10),
        # Petersen graph: chromatic number 3; Grötzsch graph: 4; K4: 4
        ("petersen.col", lambda p: formats.write_col(Graph.from_networkx(nx.petersen_graph()), p), ["--colors", "3"], 10),
        ("petersen2.col", lambda p: formats.write_col(Graph.from_networkx(nx.petersen_graph()), p), ["--colors", "2"], 20),
        ("groetzsch.col", lambda p: formats.write_col(Graph.from_networkx(nx.mycielski_graph(4)), p), ["--colors", "3"], 20),
        ("groetzsch4.col", lambda p: formats.write_col(Graph.from_networkx(nx.mycielski_graph(4)), p), ["--colors", "4"], 10),
        ("k4.col", lambda p: formats.write_col(Graph.from_networkx(nx.complete_graph(4)), p), ["--colors", "3"], 20),
        # pigeonhole 5 -> 4 is unsatisfiable
        ("php.cnf", lambda p: p.write_text(pigeonhole(4)), [], 20),
    ],
)
def test_classic_instances(tmp_path, name, write, args, expected):
    path = tmp_path / name
    write(path)
    code, out, err = run("solve", path, *args)
    assert code == expected, err
    assert ("s SATISFIABLE" if expected == 10 else "s UNSATISFIABLE") in out.splitlines()
    if expected == 10:
        instance = formats.read_instance(path)
        colours = v_values(out)
        k = int(args[1]) if args else 2
        assert is_coloring(instance, colours, k)


def test_solve_json_matches_library(tmp_path):
    h = random_uniform_hypergraph(40, ratio=1.5, seed=3)
    path = tmp_path / "h.hgr"
    formats.write_hgr(h, path)
    code, out, _ = run("solve", path, "--json")
    obj = json.loads(out)
    assert {"status", "witness", "solver", "time_s"} <= set(obj)
    assert obj["status"] == solve(h).status.value == "SAT" and code == 10
    assert is_splitting(h, obj["witness"])


def test_cnf_model_lines_end_with_zero(tmp_path):
    path = tmp_path / "f.cnf"
    path.write_text("p cnf 3 2\n1 -2 0\n2 3 0\n")
    code, out, _ = run("solve", path, "--solver", "glucose4")
    assert code == 10
    model = v_values(out)
    assert model[-1] == 0 and satisfies(formats.read_cnf(path), model[:-1])


def test_generate_reduce_solve_map_back_round_trip(tmp_path):
    h_path, ts_path, net_path = tmp_path / "h.hgr", tmp_path / "h.npz", tmp_path / "net.json"
    assert run("generate", "planted-hypergraph", "--n", 8, "--ratio", 1.5, "--seed", 2, "-o", h_path)[0] == 0
    # generation is reproducible, and the CLI writes what the library makes
    from reductions.generators import planted_hypergraph

    assert formats.read_hgr(h_path) == planted_hypergraph(8, ratio=1.5, seed=2)[0]
    assert run("reduce", "splitting-to-blum-rivest", h_path, "-o", ts_path)[0] == 0
    ts = formats.load_training_set(ts_path)
    h = formats.read_hgr(h_path)
    assert ts.num_points == 1 + 8 + 12 and ts.metadata["hidden_units"] == 2
    code, out, err = run("solve", ts_path, "--network-out", net_path)
    assert code == 10, err
    code, out, err = run("map-back", "splitting-to-blum-rivest", h_path, net_path)
    assert code == 10, err
    assert is_splitting(h, v_values(out))


def test_check_command(tmp_path):
    path = tmp_path / "f.cnf"
    path.write_text("p cnf 2 3\n1 2 0\n-1 0\n-2 1 0\n")
    code, out, err = run("check", "cnf-to-blum-rivest", path, "--json")
    assert code == 0, err
    assert json.loads(out) == {"reduction": "cnf-to-blum-rivest", "instances": 1, "sat": 0, "unsat": 1, "unknown": 0}


def test_reduce_list_comes_from_the_registry():
    code, out, _ = run("reduce", "--list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(REDUCTIONS)


def test_readme_table_is_generated_from_the_registry():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("<!-- reductions-table:start -->\n") + len("<!-- reductions-table:start -->\n")
    end = readme.index("<!-- reductions-table:end -->")
    assert readme[start:end] == reductions_table()


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("p cnf 2 1\n1 x 0\n", 2, "x"),
        ("p cnf 2 1\n1 3 0\n", 2, "out of range"),
        ("", None, "header"),
        ("p cnf 2 2\n1 0\n", None, "clause"),
    ],
)
def test_bad_input_is_one_line_with_file_and_line(tmp_path, content, line, message):
    path = tmp_path / "bad.cnf"
    path.write_text(content)
    code, out, err = run("solve", path)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    prefix = f"error: {path}:{line}: " if line else f"error: {path}"
    assert err.startswith(prefix) and message in err


def test_missing_file_and_unknown_extension(tmp_path):
    code, _, err = run("solve", tmp_path / "nope.cnf")
    assert code == 2 and err.startswith("error: ") and "nope.cnf" in err
    (tmp_path / "x.txt").write_text("hello")
    code, _, err = run("solve", tmp_path / "x.txt")
    assert code == 2 and "extension" in err


def test_time_limit_gives_unknown(tmp_path):
    path = tmp_path / "php.cnf"
    path.write_text(pigeonhole(10))
    code, out, _ = run("solve", path, "--time-limit", "0.3")
    assert code == 0 and "s UNKNOWN" in out.splitlines()
    code, _, err = run("solve", path, "--time-limit", "-1")
    assert code == 2 and "time limit" in err


def test_wrong_reduction_input_type(tmp_path):
    path = tmp_path / "f.cnf"
    path.write_text("p cnf 1 1\n1 0\n")
    code, _, err = run("reduce", "splitting-to-blum-rivest", path, "-o", tmp_path / "o.npz")
    assert code == 2 and "takes a Hypergraph" in err


def test_demo_runs_and_the_console_entry_point_works():
    code, out, err = run("demo", "--n", 30, "--ratio", 2.0, "--seed", 1)
    assert code == 0, err
    assert "Blum–Rivest training set: 91 points in 30 dimensions" in out
    assert "they are the 60 hyperedges: True" in out and ": False" not in out
    proc = subprocess.run([sys.executable, "-m", "solvers", "reduce", "--list"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0 and "cnf-to-blum-rivest" in proc.stdout


def test_a_parameter_the_reduction_does_not_take_is_refused(tmp_path):
    path = tmp_path / "h.hgr"
    formats.write_hgr(Hypergraph(3, [(0, 1, 2)]), path)
    code, _, err = run("reduce", "splitting-to-blum-rivest", path, "-o", tmp_path / "o.npz", "--k", 3)
    assert code == 2 and "takes no parameter 'k'" in err
    code, _, err = run("reduce", "coloring-to-halfspaces", path, "-o", tmp_path / "o.npz")
    assert code == 2 and "'k' is required" in err
    assert run("reduce", "coloring-to-halfspaces", path, "-o", tmp_path / "o.npz", "--k", 3)[0] == 0
    assert formats.load_training_set(tmp_path / "o.npz").metadata["hidden_units"] == 3
