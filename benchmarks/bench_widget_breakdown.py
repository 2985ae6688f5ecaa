"""Where a widget's time goes in the kernel: update, Agg render, PNG encode, bytes sent.

For every panel of every lesson and every control, ``--changes`` changes as a user would make
them (the values bench_widget_latency.py visits), each redraw split into

- update:  the panel's ``update`` (the lesson's computation and the artists' new data),
- render:  matplotlib's Agg rasterising the figure,
- encode:  the RGBA pixels to PNG (Pillow, as ``savefig`` does), at the compression level the
           panel uses and at level 1 for comparison,
- kB:      the PNG's size (what travels to the browser over the widget's comm).

The browser adds transfer and decoding on top: ``bench_browser_latency.py`` measures the whole
path, from the change to the new picture on screen; the difference is the front end's share.

Run:  python benchmarks/bench_widget_breakdown.py [--changes 10]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_widget_latency import values_to_visit  # noqa: E402
from test_demos import PANELS  # noqa: E402  (one list of panels for tests and benchmarks)


def encode(rgba, **options):
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="png", **options)
    return buffer.getvalue()


def split_redraw(panel):
    """Time one redraw of ``panel`` in its parts; returns a dict of milliseconds and kB."""
    figure = panel.live.figure
    if not hasattr(figure.canvas, "get_renderer"):
        FigureCanvasAgg(figure)
    dpi = panel.live.dpi or figure.dpi
    saved_dpi = figure.dpi
    figure.set_dpi(dpi)
    t0 = time.perf_counter()
    panel.update(**panel.values())
    t1 = time.perf_counter()
    figure.canvas.draw()
    t2 = time.perf_counter()
    rgba = np.asarray(figure.canvas.buffer_rgba())
    png = encode(rgba)
    t3 = time.perf_counter()
    fast = encode(rgba, compress_level=1)
    t4 = time.perf_counter()
    figure.set_dpi(saved_dpi)
    return {"update": (t1 - t0) * 1e3, "render": (t2 - t1) * 1e3, "encode": (t3 - t2) * 1e3,
            "encode_l1": (t4 - t3) * 1e3, "kB": len(png) / 1e3, "kB_l1": len(fast) / 1e3,
            "px": f"{rgba.shape[1]}x{rgba.shape[0]}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    columns = ("update", "render", "encode", "encode_l1", "kB", "kB_l1")
    print(f"{'panel':34} {'control':16} {'pixels':>9} " + " ".join(f"{c:>9}" for c in columns))
    print(f"{'':34} {'':16} {'':>9} " + " ".join(f"{'p50':>9}" for _ in columns))
    for factory in PANELS:
        label = f"{factory.__module__.rsplit('.', 1)[1]}.{factory.__name__}"
        names = list(factory().controls)
        for name in names:
            panel = factory()
            control = panel.controls[name]
            rows = []
            with panel.hold(redraw=False):
                for value in values_to_visit(control, args.changes):
                    control.value = value
                    rows.append(split_redraw(panel))
            medians = [np.median([r[c] for r in rows]) for c in columns]
            print(f"{label:34} {name:16} {rows[0]['px']:>9} "
                  + " ".join(f"{m:9.1f}" for m in medians), flush=True)


if __name__ == "__main__":
    main()
