"""Widget latency in the kernel: the time from a control's change to the new PNG being ready.

For every panel of every lesson and every control, 20 changes (walking through the control's
values as a user would), timing the panel's redraw (``update`` + render to PNG).  This is the
part of a widget's latency that cnnlab controls; the browser adds transport and decoding.

Run:  python benchmarks/bench_widget_latency.py [--changes 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import ipywidgets as widgets
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from panels import PANELS  # noqa: E402  (one list of panels for tests and benchmark)


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
    return [grid[(i * 3 + 1) % len(grid)] for i in range(changes)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    print(f"{'panel':42} {'control':14} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for factory in PANELS:
        panel = factory()
        for name, control in panel.controls.items():
            fresh = factory()     # each control from the default state of the others
            control = fresh.controls[name]
            fresh.timings_ms.clear()
            for value in values_to_visit(control, args.changes):
                control.value = value
            times = np.array(fresh.timings_ms)
            p50, p95 = np.percentile(times, 50), np.percentile(times, 95)
            worst = max(worst, p95)
            label = f"{factory.__module__.rsplit('.', 1)[1]}.{factory.__name__}"
            print(f"{label:42} {name:14} {p50:8.1f} {p95:8.1f}", flush=True)
        for name, (button, _) in panel.buttons.items():
            panel.timings_ms.clear()
            for _ in range(5):
                button.click()
            times = np.array(panel.timings_ms)
            print(f"{'':42} {name + ' (button)':14} {np.percentile(times, 50):8.1f} "
                  f"{np.percentile(times, 95):8.1f}", flush=True)
    print(f"\nworst p95 of a control: {worst:.1f} ms (goal: well under 200 ms)")


if __name__ == "__main__":
    main()
