"""The README's examples run: every Python block, and the shell commands that take seconds.

Each Python block is executed on its own (a fresh namespace: a reader copies
one block at a time) in a scratch folder where ``benchmarks/`` is visible, so
files the examples write go there and files they read are the repository's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import one_torch_thread

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

one_thread = pytest.fixture(autouse=True, scope="module")(one_torch_thread)


def blocks(language: str) -> list[tuple[int, str]]:
    """``(line number, code)`` of every fenced block of ``language`` in the README."""
    found = []
    for match in re.finditer(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M):
        found.append((README.count("\n", 0, match.start()) + 1, match.group(1)))
    return found


PYTHON_BLOCKS = blocks("python")


def test_the_readme_has_python_blocks():
    assert len(PYTHON_BLOCKS) >= 3


@pytest.mark.parametrize("line, code", PYTHON_BLOCKS, ids=[f"README.md:{line}" for line, _ in PYTHON_BLOCKS])
def test_python_block_runs(line, code, tmp_path, monkeypatch):
    (tmp_path / "benchmarks").symlink_to(ROOT / "benchmarks")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md:{line}", "exec"), {"__name__": f"readme_block_{line}"})


def test_printed_results_in_comments_match():
    """A block that shows what it prints (``# output`` after a print) shows what it really prints."""
    line, code = next((ln, c) for ln, c in PYTHON_BLOCKS if "check_reduction(" in c)
    shown = [ln.strip()[2:] for ln in code.splitlines() if ln.strip().startswith("# cnf-to-blum-rivest:")]
    assert shown, "the check_reduction example shows its output"
    import contextlib
    import io

    buf = io.StringIO()
    cwd = os.getcwd()
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "readme_output"})
    finally:
        os.chdir(cwd)
    assert shown[0] in buf.getvalue().splitlines()


# ---------------------------------------------------------------------------
# shell commands
# ---------------------------------------------------------------------------

SLOW = {
    "trainhard train-exact h.npz --method milp": "the big-M MILP on 311 points takes tens of seconds",
    "trainhard gd h.npz --restarts 256 --steps 2000 --source h.hgr": "512,000 restart-steps on 311 points",
    "trainhard crosscheck --family hypergraph --n 50 --ratio 1.8 --instances 32 --restarts 256": "minutes",
    "trainhard sweep benchmarks/sweeps/atlas.toml --db atlas.sqlite": "the 2,000-instance atlas: minutes",
    "trainhard sweep grid.toml --db r.sqlite --workers 8 --time-limit 300 --retry-unknown": "a user's grid",
    "trainhard sweep grid.toml --db r.sqlite --scheduler tcp://HOST:8786": "needs a Dask cluster",
    "trainhard crosscheck --family cnf --n 10 --ratio 4.3 --instances 8 --reduction cnf-to-loading": "8 x 16 x 2,000 steps",
}
"""Commands shown in the README that take more than seconds: their arguments are parsed, not run."""


def commands() -> list[tuple[int, str]]:
    """Every ``trainhard ...`` line of the README's shell blocks, without comments and ``[optional]`` parts."""
    out = []
    for line, code in blocks("bash"):
        for i, text in enumerate(code.splitlines()):
            if text.startswith("trainhard "):
                text = re.sub(r"\[[^\]]*\]", "", text.split("  #")[0]).strip()
                out.append((line + 1 + i, " ".join(text.split())))
    return out


def _fixture(name: str, where: Path) -> None:
    """Inputs a README command reads but no earlier command writes (a user's own files)."""
    import shutil

    import numpy as np

    from reductions import formats
    from reductions.generators import random_uniform_hypergraph
    from reductions.problems import ThresholdNetwork, TrainingSet

    path = where / name
    if path.exists():
        return
    if name == "data.npz":  # float data, as a user would bring
        rng = np.random.default_rng(0)
        x = rng.normal(size=(14, 2)).round(3)
        formats.save_training_set(TrainingSet.from_points(x.tolist(), (x[:, 0] * x[:, 1] > 0).astype(int).tolist()), path)
    elif name in ("h1.hgr", "h2.hgr"):
        formats.write_hgr(random_uniform_hypergraph(8, ratio=1.5, seed=int(name[1])), path)
    elif name == "data.csv":
        rng = np.random.default_rng(1)
        x = rng.normal(size=(16, 2)).round(2)
        path.write_text("u,v,y\n" + "".join(f"{a},{b},{int(a + b > 0)}\n" for a, b in x))
    elif name == "mine.json":  # a user's own 2-unit network for data.npz
        formats.save_network(ThresholdNetwork.from_numbers([[1, 0], [0, 1]], [0, 0], "and"), path)
    elif name == "atlas.sqlite":
        shutil.copy(where / "r.sqlite", path)


def test_every_shell_command_runs_or_is_listed_slow(tmp_path, monkeypatch):
    """Each command runs in order in one folder, as a reader would type them; exit 0, 10 or 20, no error."""
    import shlex

    from helpers import run_cli

    from solvers.cli import build_parser

    (tmp_path / "benchmarks").symlink_to(ROOT / "benchmarks")
    monkeypatch.chdir(tmp_path)
    seen_slow = set()
    for line, text in commands():
        argv = shlex.split(text)[1:]
        if text in SLOW:
            seen_slow.add(text)
            build_parser().parse_args(argv)  # the flags exist and parse
            continue
        for arg in argv:
            _fixture(arg, tmp_path)
        code, out, err = run_cli(*argv)
        assert code in (0, 10, 20), f"README.md:{line}: {text}\n{err}"
        assert "Traceback" not in err and not err.startswith("error:"), f"README.md:{line}: {text}\n{err}"
    assert seen_slow == set(SLOW), f"listed as slow but not in the README: {set(SLOW) - seen_slow}"
