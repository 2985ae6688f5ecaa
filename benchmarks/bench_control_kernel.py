"""A control's change in the kernel, before and after a change to cnnlab: wall and CPU time.

Builds the panel (matplotlib's Agg, no browser) and sets ``control.value`` as the widget does
when the page sends a new value: the panel's update, its redraw, the PNG and the alt text, all
that the kernel does before the picture leaves it (the messages themselves are not sent: no
kernel here).  Each control alternates between two values, or sweeps a menu's options; the first
change is left out.  With ``--before PATH`` (a checkout of the code before, e.g.
``git worktree add /tmp/before HEAD~3``) each round runs the checkout before, then this one, in
fresh processes, and the times are pooled per tree: p50 and p95 of wall and CPU time (CPU time
moves less when other work shares the machine).

Run:  python benchmarks/bench_control_kernel.py [--before PATH] [--rounds 3] [--changes 30]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

# (label, lesson module, panel factory, control, the values it takes in turn)
CASES = [
    ("lesson08 positive 5<->3", "lesson08", "training_panel", "positive", [5, 3]),
    ("lesson08 negative 1<->8", "lesson08", "training_panel", "negative", [1, 8]),
    ("lesson08 positive sweep", "lesson08", "training_panel", "positive",
     [4, 5, 6, 7, 9, 0, 1, 2, 3]),
    ("lesson08 lr 0.1<->0.05", "lesson08", "training_panel", "lr", [0.1, 0.05]),
    ("lesson01 preset sweep", "lesson01", "kernel_editor", "preset",
     ["box blur", "sharpen", "Sobel x (vertical edges)", "Sobel y (horizontal edges)",
      "Laplacian (outline)", "custom", "identity"]),
    ("lesson01 k11 box", "lesson01", "kernel_editor", "k11", ["-1.5", "0", "1.5"]),
]


def measure(changes):
    """{label: (wall ms, CPU ms) per change} for this process's cnnlab."""
    import importlib

    import matplotlib

    matplotlib.use("Agg")
    times = {}
    for label, module, factory, name, values in CASES:
        panel = getattr(importlib.import_module(f"cnnlab.lessons.{module}"), factory)()
        control = panel.controls[name]
        wall, cpu = [], []
        for i in range(changes + 1):
            start, start_cpu = time.perf_counter(), time.process_time()
            control.value = values[i % len(values)]
            wall.append((time.perf_counter() - start) * 1e3)
            cpu.append((time.process_time() - start_cpu) * 1e3)
        times[label] = (wall[1:], cpu[1:])
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a checkout of the code before the change")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--one-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_process:
        print(json.dumps(measure(args.changes)))
        return
    trees = {"before": Path(args.before).resolve()} if args.before else {}
    trees["now"] = ROOT
    pooled = {}
    for _ in range(args.rounds):
        for tree_name, tree in trees.items():
            run = subprocess.run([sys.executable, __file__, "--one-process", "--changes",
                                  str(args.changes)], env=dict(os.environ, PYTHONPATH=str(tree)),
                                 capture_output=True, text=True, check=True, cwd=tree)
            for label, (wall, cpu) in json.loads(run.stdout.splitlines()[-1]).items():
                walls, cpus = pooled.setdefault((label, tree_name), ([], []))
                walls += wall
                cpus += cpu
    print(f"{'control':26} {'tree':6} {'wall p50':>8} {'wall p95':>8} {'CPU p50':>8} "
          f"{'CPU p95':>8}   ({args.rounds * args.changes} changes each, ms)")
    for label, *_ in CASES:
        for tree_name in trees:
            wall, cpu = pooled[label, tree_name]
            print(f"{label:26} {tree_name:6} {np.median(wall):8.1f} "
                  f"{np.percentile(wall, 95):8.1f} {np.median(cpu):8.1f} "
                  f"{np.percentile(cpu, 95):8.1f}", flush=True)


if __name__ == "__main__":
    main()
