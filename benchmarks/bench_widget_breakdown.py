"""Where a widget's time goes in the kernel: update, drawing, PNG encode, and what a full render
would cost instead.

For every panel of every lesson and every control (and every button), ``--changes`` changes as
a user would make them (the values bench_widget_latency.py visits), each redraw split into

- update:  the panel's ``update`` (the lesson's computation and the artists' new data),
- draw:    what ``LiveFigure.refresh`` draws (animated artists and changed axes over the saved
           picture of the rest; now and then the saved picture itself is rendered again),
- encode:  the pixels to PNG (``cnnlab.ui.blit.png_of_canvas``),
- describe: the picture's alt text (the panel's ``describe``, sent with the picture),
- total:   the four together, p50 and p95: the kernel's share of the latency,
- full:    a full render of the same figure (``canvas.draw``), for comparison,
- kB:      the PNG's size (what travels to the browser over the widget's comm), and
- redrawn: how many of the figure's axes the last refresh drew again.

A button whose action shows pictures on the way (lesson 08's Run 50 steps: one every 10 steps)
is timed to its last picture.  The browser adds transfer and decoding on top:
``bench_browser_latency.py`` measures the whole path, from the change to the new picture on
screen; the difference is the front end's share.

Run:  python benchmarks/bench_widget_breakdown.py [--changes 10] [--lesson lesson08]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_widget_latency import values_to_visit  # noqa: E402
from panels import PANELS  # noqa: E402  (one list of panels for tests and benchmarks)

from cnnlab.ui import widgets  # noqa: E402


def split_redraw(panel, action=None):
    """One redraw of ``panel`` (after ``action(panel)``, a button's), timed in its parts."""
    live = panel.live
    t0 = time.perf_counter()
    if action is not None:
        action(panel)
    panel.update(**panel.values())
    t1 = time.perf_counter()
    live._blitter.draw()
    t2 = time.perf_counter()
    png = widgets.png_of_canvas(live.figure.canvas)
    t3 = time.perf_counter()
    alt = live.describe() if live.describe is not None else widgets.describe_figure(live.figure)
    t3a = time.perf_counter()
    live.widget.value, live.widget.alt = png, alt
    redrawn = len(live._blitter.dynamic)
    t4 = time.perf_counter()
    widgets.full_render(live.figure)
    t5 = time.perf_counter()
    return {"update": (t1 - t0) * 1e3, "draw": (t2 - t1) * 1e3, "encode": (t3 - t2) * 1e3,
            "describe": (t3a - t3) * 1e3, "total": (t3a - t0) * 1e3, "full": (t5 - t4) * 1e3,
            "kB": len(png) / 1e3,
            "redrawn": f"{redrawn}/{len(live.figure.axes)}"}


def report(label, name, rows):
    medians = {c: np.median([r[c] for r in rows]) for c in ("update", "draw", "encode",
                                                             "describe", "total", "full", "kB")}
    p95 = np.percentile([r["total"] for r in rows], 95)
    print(f"{label:34} {name:16} {medians['update']:7.1f} {medians['draw']:7.1f} "
          f"{medians['encode']:7.1f} {medians['describe']:8.1f} {medians['total']:7.1f} {p95:7.1f} "
          f"{medians['full']:7.1f} "
          f"{medians['kB']:6.0f} {rows[-1]['redrawn']:>8}", flush=True)
    return p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--lesson", help="only the panels of this module, e.g. lesson08")
    args = parser.parse_args()
    print(f"{'panel':34} {'control':16} {'update':>7} {'draw':>7} {'encode':>7} {'describe':>8} "
          f"{'total':>7} {'total':>7} {'full':>7} {'kB':>6} {'redrawn':>8}")
    print(f"{'':34} {'':16} {'p50 ms':>7} {'p50 ms':>7} {'p50 ms':>7} {'p50 ms':>8} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'p50 ms':>7}")
    worst = 0.0
    for factory in PANELS:
        module = factory.__module__.rsplit(".", 1)[1]
        if args.lesson and module != args.lesson:
            continue
        label = f"{module}.{factory.__name__}"
        for name in list(factory().controls):
            panel = factory()            # each control from the default state of the others
            control = panel.controls[name]
            rows = []
            for value in values_to_visit(control, args.changes):
                with panel.hold(redraw=False):
                    control.value = value
                rows.append(split_redraw(panel))
            worst = max(worst, report(label, name, rows))
        panel = factory()
        for name, (_, action) in panel.buttons.items():
            rows = [split_redraw(panel, action) for _ in range(args.changes)]
            worst = max(worst, report(label, f"{name} (button)", rows))
    print(f"\nworst p95 of the kernel's share: {worst:.1f} ms")


if __name__ == "__main__":
    main()
