"""Widget latency in the kernel: the time from a control's change to the new PNG being ready.

For every panel of every lesson and every control, ``--changes`` changes (walking through the
control's values as a user would), each timed three ways: the panel's own redraw (``update`` +
render to PNG, what ``panel.timings_ms`` records), and the whole ``control.value = ...`` as the
widget runs it when the page sends a value (the same plus the alt text and the traitlets' own
work), in wall-clock and CPU time (CPU time moves less when other programs share the cores).
This is the part of a widget's latency that cnnlab controls; the browser adds transport and
decoding (``bench_browser_latency.py`` measures the whole path).

With ``--before PATH`` (a checkout of the code before a change, e.g. ``git worktree add
/tmp/before HEAD~3``) each of ``--rounds`` rounds runs the checkout before, then this one, each in
a fresh process, and the times are pooled per tree, so that both share whatever else the machine
is doing.  ``--only REGEX`` keeps the controls whose label (``lessonNN.panel control``) matches.

Run:  python benchmarks/bench_widget_latency.py [--changes 20] [--only REGEX]
                                                 [--before PATH] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import ipywidgets as widgets
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def values_to_visit(control, changes):
    """``changes`` successive values a user could give the control."""
    if isinstance(control, (widgets.Dropdown, widgets.ToggleButtons, widgets.SelectionSlider)):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [options[(options.index(control.value) + 1 + i) % len(options)]
                for i in range(changes)]
    if isinstance(control, widgets.FloatLogSlider):
        grid = control.base ** np.arange(control.min, control.max + 1e-9, control.step)
    elif isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
        grid = np.arange(control.min, control.max + 1e-9, control.step)
    elif isinstance(control, (widgets.FloatText, widgets.Text)):   # Text: lesson 01's weights
        grid = np.linspace(-2, 2, 9)
    else:
        raise TypeError(type(control).__name__)
    grid = [type(control.value)(v) for v in grid]
    # from the value shown, in steps of 3 grid points (1 when 3 divides the grid's length, so
    # that the walk visits every point and never sets the value the control already holds)
    if isinstance(control.value, str):
        start = grid.index(control.value) if control.value in grid else -1
    else:
        start = min(range(len(grid)), key=lambda k: abs(grid[k] - control.value))
    stride = 1 if len(grid) % 3 == 0 else 3
    return [grid[(start + (i + 1) * stride) % len(grid)] for i in range(changes)]


def timed(action):
    """(wall ms, CPU ms) of ``action()``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - start) * 1e3, (time.process_time() - start_cpu) * 1e3


def measure(changes, only=None):
    """{label: {"panel": [...], "wall": [...], "cpu": [...]}} (ms per change) in this process,
    for every control (and button) of every panel whose label matches ``only``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from panels import PANELS  # one list of panels for tests and benchmarks

    pattern = re.compile(only) if only else None
    found = {}
    for factory in PANELS:
        prefix = f"{factory.__module__.rsplit('.', 1)[1]}.{factory.__name__}"
        probe = factory()                          # one panel to list its controls
        names = list(probe.controls) + [f"{b} (button)" for b in probe.buttons]
        plt.close(probe.live.figure)
        for name in names:
            label = f"{prefix} {name}"
            if pattern is not None and not pattern.search(label):
                continue
            panel = factory()      # each control from the default state of the others
            if name.endswith(" (button)"):
                button = panel.buttons[name[:-len(" (button)")]][0]
                actions = [button.click] * max(5, changes // 4)
            else:
                control = panel.controls[name]
                actions = [lambda c=control, v=value: setattr(c, "value", v)
                           for value in values_to_visit(control, changes)]
            panel.timings_ms.clear()
            wall_cpu = [timed(action) for action in actions]
            found[label] = {"panel": list(panel.timings_ms),
                            "wall": [w for w, _ in wall_cpu], "cpu": [c for _, c in wall_cpu]}
            plt.close(panel.live.figure)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--only", help="a regular expression: the controls whose label matches")
    parser.add_argument("--before", type=Path, help="a checkout of the code before a change")
    parser.add_argument("--rounds", type=int, default=1, help="alternating fresh processes")
    parser.add_argument("--one-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_process:
        print(json.dumps(measure(args.changes, args.only)))
        return
    trees = {"before": args.before.resolve()} if args.before else {}
    trees["now"] = ROOT
    pooled = {}
    for _ in range(args.rounds):
        for tree_name, tree in trees.items():
            if tree_name == "now" and args.before is None and args.rounds == 1:
                found = measure(args.changes, args.only)        # no other tree: this process
            else:
                command = [sys.executable, __file__, "--one-process", "--changes",
                           str(args.changes)] + (["--only", args.only] if args.only else [])
                run = subprocess.run(command, env=dict(os.environ, PYTHONPATH=str(tree)),
                                     capture_output=True, text=True, check=True, cwd=tree)
                found = json.loads(run.stdout.splitlines()[-1])
            for label, times in found.items():
                mine = pooled.setdefault(label, {}).setdefault(tree_name, {})
                for kind, values in times.items():
                    mine.setdefault(kind, []).extend(values)
    print(f"{'panel and control':56} {'tree':6} {'panel p50':>9} {'p95':>6} {'wall p50':>8} "
          f"{'p95':>6} {'CPU p50':>8} {'p95':>6}   (ms)")
    worst = 0.0
    for label, per_tree in pooled.items():
        for tree_name, times in per_tree.items():
            row = [np.percentile(times[kind], q) if times[kind] else np.nan
                   for kind in ("panel", "wall", "cpu") for q in (50, 95)]
            if tree_name == "now" and not label.endswith("(button)"):
                worst = max(worst, row[3])
            print(f"{label:56} {tree_name:6} {row[0]:9.1f} {row[1]:6.1f} {row[2]:8.1f} "
                  f"{row[3]:6.1f} {row[4]:8.1f} {row[5]:6.1f}", flush=True)
    print(f"\nworst wall p95 of a control, this checkout: {worst:.1f} ms (the browser adds its "
          f"round trip; goal for the whole path: p95 <= 100 ms)")


if __name__ == "__main__":
    main()
