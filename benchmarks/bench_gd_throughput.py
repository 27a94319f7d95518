"""Throughput of batched gradient descent: restart-steps per second, batched vs a naive loop.

The training set is the Blum–Rivest set of a random 3-uniform hypergraph
(default n = 50 vertices, m = 50 edges: 101 points in 50 dimensions), two
hidden units and an AND.  For each batch size B the batched engine
(:func:`solvers.gd.networks.train_gd`, one call, end to end: initialisation, steps,
exact judging) trains B restarts as one tensor program (``batch_size=B``); the naive loop
(:func:`solvers.gd.networks.train_one_naive`) trains restarts one at a time with
autograd and ``torch.optim``, the same mathematics.  Both are measured in
the same run, interleaved, ``--repeats`` times; the ratio is median over
median.  With ``--fast`` the GEMM contraction (``GDConfig(fast=True)``,
equal only up to rounding across batch sizes) is measured beside the
default batch-invariant one, and the table gives the invariant path's cost
as a ratio of the two medians of the same run.

Examples
--------
python3 benchmarks/bench_gd_throughput.py --batches 1 16 256 1024 4096 --threads 1
python3 benchmarks/bench_gd_throughput.py --batches 1024 65536 --fast --threads 1 --no-naive
python3 benchmarks/bench_gd_throughput.py --device cuda --batches 1024 65536 --compile --fast --no-naive
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from reductions.blum_rivest import blum_rivest  # noqa: E402
from reductions.generators import random_uniform_hypergraph  # noqa: E402
from solvers.gd.networks import GDConfig, resolve_device, train_gd, train_one_naive  # noqa: E402


def measure_batched(ts, config: GDConfig) -> float:
    start = time.perf_counter()
    run = train_gd(ts, config)
    elapsed = time.perf_counter() - start
    return run.restart_steps / elapsed


def measure_naive(ts, config: GDConfig, restarts: int) -> float:
    start = time.perf_counter()
    for r in range(restarts):
        train_one_naive(ts, config, r)
    return restarts * config.steps / (time.perf_counter() - start)


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.3g} [{min(values):.3g}–{max(values):.3g}]"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=50)
    p.add_argument("--m", type=int, default=50)
    p.add_argument("--batches", type=int, nargs="+", default=[1, 16, 256, 1024, 4096])
    p.add_argument("--work", type=float, default=2e6, help="restart-steps per measurement (steps = work / batch)")
    p.add_argument("--min-steps", type=int, default=20)
    p.add_argument("--max-steps", type=int, default=500)
    p.add_argument("--naive-restarts", type=int, default=2)
    p.add_argument("--naive-steps", type=int, default=300)
    p.add_argument("--no-naive", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="float32")
    p.add_argument("--surrogate", default="sigmoid")
    p.add_argument("--compile", action="store_true", help="also measure the torch.compile path")
    p.add_argument("--fast", action="store_true", help="also measure the GEMM contraction (GDConfig.fast)")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's choice)")
    p.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    ts = blum_rivest(random_uniform_hypergraph(args.n, m=args.m, seed=0))
    card = torch.cuda.get_device_name(device) if device.startswith("cuda") else platform.processor() or "cpu"
    print(f"# {ts.num_points} points in {ts.dim} dimensions; device {device} ({card}); torch {torch.__version__}; "
          f"threads {torch.get_num_threads()}; {args.dtype}; surrogate {args.surrogate}; Python {platform.python_version()}")
    base = GDConfig(surrogate=args.surrogate, dtype=args.dtype, device=device, check_every=10**9)
    variants = [("eager", False, False)] + ([("eager, fast", False, True)] if args.fast else [])
    if args.compile:
        variants += [("compiled", True, False)] + ([("compiled, fast", True, True)] if args.fast else [])
    results: dict[str, dict[int, list[float]]] = {name: {b: [] for b in args.batches} for name, _, _ in variants}
    naive: list[float] = []
    # warm-up (compilation, allocator, CUDA context)
    for name, compiled, fast in variants:
        for b in args.batches:
            train_gd(ts, base, restarts=b, batch_size=b, steps=2, compile=compiled, fast=fast)
    for rep in range(args.repeats):
        if not args.no_naive:
            naive.append(measure_naive(ts, GDConfig(surrogate=args.surrogate, dtype=args.dtype, steps=args.naive_steps),
                                       args.naive_restarts))
        for name, compiled, fast in variants:
            for b in args.batches:
                steps = max(args.min_steps, min(args.max_steps, int(args.work / b)))
                results[name][b].append(measure_batched(ts, replace_cfg(base, restarts=b, batch_size=b, steps=steps,
                                                                        compile=compiled, fast=fast)))
        print(f"# repeat {rep + 1}/{args.repeats} done", file=sys.stderr)

    loop = statistics.median(naive) if naive else None
    print()
    print("| path | batch | restart-steps/s, median [min–max] | ratio vs naive loop | fast / invariant |")
    print("|---|---|---|---|---|")
    if naive:
        print(f"| naive loop (autograd, one restart at a time) | 1 | {summary(naive)} | 1 | - |")
    for name, _, fast in variants:
        for b in args.batches:
            med = statistics.median(results[name][b])
            ratio = f"{med / loop:.1f}" if loop else "-"
            cost = f"{med / statistics.median(results[name.replace(', fast', '')][b]):.2f}" if fast else "-"
            print(f"| batched, {name} | {b} | {summary(results[name][b])} | {ratio} | {cost} |")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "device": device, "card": card, "torch": torch.__version__, "threads": torch.get_num_threads(),
            "points": ts.num_points, "dim": ts.dim, "naive": naive,
            "batched": {name: {str(b): v for b, v in r.items()} for name, r in results.items()},
        }, indent=1))
    return 0


def replace_cfg(config: GDConfig, **kw) -> GDConfig:
    from dataclasses import replace

    return replace(config, **kw)


if __name__ == "__main__":
    raise SystemExit(main())
