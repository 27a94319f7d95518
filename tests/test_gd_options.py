"""GDConfig is the single source of the gradient-descent CLI flags; the gd layer's import rules; the shared optimiser step."""

from __future__ import annotations

import argparse
import ast
import dataclasses
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import run_cli

from reductions import formats
from reductions.problems import TrainingSet
from solvers.cli import build_parser
from solvers.gd.networks import GDConfig
from solvers.gd.optim import adam_bias_corrections, optimizer_step

ROOT = Path(__file__).resolve().parent.parent

# GDConfig fields without a generated flag, and why (mirrors the comments in solvers/cli/gd.py and GDConfig):
# --hidden and --output are hand-written (their CLI default is the training set's metadata, not GDConfig's);
# check_every and restart_offset are not on the command line.
NO_GENERATED_FLAG = {"hidden", "output", "check_every", "restart_offset"}
SEED_FLAG = {"gd": "--seed", "crosscheck": "--gd-seed"}


class Stop(Exception):
    """Raised in place of training, once the configuration has been seen."""


def subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


@pytest.mark.parametrize("command", ["gd", "crosscheck"])
def test_every_config_field_has_a_flag_whose_default_is_the_fields(command):
    actions = {a.dest: a for a in subparser(command)._actions}
    defaults = GDConfig()
    for f in dataclasses.fields(GDConfig):
        if f.name in NO_GENERATED_FLAG:
            assert "cli" not in f.metadata
            continue
        dest = f.metadata["cli"]["dest"] or f.name
        action = actions[dest]
        flag = SEED_FLAG[command] if f.name == "seed" else "--" + f.name.replace("_", "-")
        assert action.option_strings == [flag]
        assert action.default == getattr(defaults, f.name)
    assert actions["hidden"].default is None and actions["output"].default is None


@pytest.mark.parametrize("command", ["gd", "crosscheck"])
def test_parsing_no_options_gives_the_default_config(tmp_path, monkeypatch, command):
    npz = tmp_path / "t.npz"
    formats.save_training_set(TrainingSet.from_points([[0, 1], [1, 0]], [1, 0], metadata={"hidden_units": 2}), npz)
    seen = []

    def capture(data, config, *args, **kwargs):
        seen.append(config)
        raise Stop

    monkeypatch.setattr("solvers.gd.networks.train_gd", capture)
    monkeypatch.setattr("solvers.experiments.crosscheck.train_gd", capture)
    with pytest.raises(Stop):
        run_cli(command, npz)
    assert seen == [GDConfig()]


def test_flags_reach_the_config(tmp_path, monkeypatch):
    npz = tmp_path / "t.npz"
    formats.save_training_set(TrainingSet.from_points([[0, 1], [1, 0]], [1, 0]), npz)
    seen = []

    def capture(data, config, *args, **kwargs):
        seen.append(config)
        raise Stop

    monkeypatch.setattr("solvers.gd.networks.train_gd", capture)
    argv = ["gd", npz, "--hidden", "3", "--output", "or", "--surrogate", "hinge", "--optimizer", "sgd", "--lr", "0.5",
            "--steps", "7", "--restarts", "3", "--seed", "9", "--dtype", "float64", "--temperature", "2",
            "--final-temperature", "0.5", "--margin", "0.25", "--init-scale", "3", "--momentum", "0.5",
            "--batch-size", "5", "--compile", "--fast"]
    with pytest.raises(Stop):
        run_cli(*argv)
    assert seen == [GDConfig(hidden=3, output="or", surrogate="hinge", optimizer="sgd", lr=0.5, steps=7, restarts=3,
                             seed=9, dtype="float64", temperature=2.0, final_temperature=0.5, margin=0.25,
                             init_scale=3.0, momentum=0.5, batch_size=5, compile=True, fast=True)]


def _gd_layer_files() -> list[Path]:
    return sorted((ROOT / "solvers" / "gd").glob("*.py")) + [ROOT / "solvers" / "cli" / "gd.py"]


@pytest.mark.parametrize("path", _gd_layer_files(), ids=lambda p: p.name)
def test_no_private_names_are_imported_and_the_layering_holds(path):
    tree = ast.parse(path.read_text())
    gd_layer = path.parent.name == "gd"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            private = [a.name for a in node.names if a.name.startswith("_") and a.name != "__future__"]
            assert not private, f"{path.name} imports private {private} from {node.module}"
            module = "." * node.level + (node.module or "")
            if gd_layer:
                assert not any(part in module.split(".") for part in ("exact", "experiments", "report", "cli")), module


def _check(param, grad, optimizer, steps, momentum=0.0):
    """Our step against torch.optim on the same gradients (equal up to rounding: the formulas associate differently)."""
    ours = param.clone()
    m, v = torch.zeros_like(param), torch.zeros_like(param)
    ref = param.clone().requires_grad_(True)
    opt = (torch.optim.Adam([ref], lr=0.01, foreach=False) if optimizer == "adam"
           else torch.optim.SGD([ref], lr=0.01, momentum=momentum, foreach=False))
    for s in range(steps):
        b1, b2 = adam_bias_corrections(s)
        ours, m, v = optimizer_step(ours, grad * (s + 1), m, v, optimizer=optimizer, lr=0.01, momentum=momentum,
                                    bias1=b1, bias2=b2)
        ref.grad = grad * (s + 1)
        opt.step()
    assert torch.allclose(ours, ref.detach(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("optimizer,momentum", [("adam", 0.0), ("sgd", 0.0), ("sgd", 0.9)])
def test_optimizer_step_is_pytorchs_optimizer(optimizer, momentum):
    g = torch.Generator().manual_seed(0)
    param = torch.rand(4, 3, generator=g, dtype=torch.float64)
    grad = torch.rand(4, 3, generator=g, dtype=torch.float64) - 0.5
    _check(param, grad, optimizer, 5, momentum)


def test_optimizer_step_leaves_its_inputs_alone():
    p, g, m, v = (torch.full((2,), x) for x in (1.0, 2.0, 0.5, 0.25))
    before = [t.clone() for t in (p, g, m, v)]
    optimizer_step(p, g, m, v, optimizer="adam", lr=0.1, bias1=0.1, bias2=0.001)
    optimizer_step(p, g, m, v, optimizer="sgd", lr=0.1, momentum=0.5)
    assert all(torch.equal(a, b) for a, b in zip(before, (p, g, m, v)))
    assert np.isclose(adam_bias_corrections(1)[1], 1 - 0.999**2)
