"""Widget latency in a real browser: from a control's change to the new figure on screen.

Starts JupyterLab (tests/browser/harness.py: CNNLAB_LAB_PYTHON or this Python) and headless
Debian chromium, runs every notebook (or --notebook NAME), then changes every control
``--changes`` times as a user would and times until the figure's image is replaced (polled on
every animation frame).  Prints p50 and p95 per control.  Goal: p95 <= 250 ms for every one.

Run:  python benchmarks/bench_browser_latency.py [--changes 20] [--notebook 03_convolution.ipynb]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import harness  # noqa: E402  (one harness for tests and benchmark)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--notebook", action="append")
    args = parser.parse_args()
    names = args.notebook or sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    rows, worst = [], 0.0
    with harness.jupyter_lab() as (base, token, _), harness.browser() as chrome:
        for name in names:
            page = chrome.new_page(viewport={"width": 1400, "height": 1000})
            harness.open_and_run(page, base, token, name)
            for number, (kind, control) in enumerate(harness.controls(page)):
                control.scroll_into_view_if_needed()
                times, direction = [], 1
                for _ in range(args.changes if kind != "button" else 5):
                    before = harness.panel_images(control)
                    direction = -1 if harness.change(page, kind, control, step=direction) else 1
                    times.append(harness.wait_for_new_image(page, control, before) * 1e3)
                    harness.settle(page)
                label = control.evaluate("""(el) => {
                    const box = el.closest(
                        '.widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-text');
                    const d = box && box.querySelector('.widget-label');
                    return (d && d.textContent) || el.textContent || '';
                }""").strip()[:22] or kind
                p50, p95 = np.percentile(times, 50), np.percentile(times, 95)
                worst = max(worst, p95)
                rows.append((name[:2], f"{number}:{label}", kind, p50, p95))
                print(f"{name[:30]:30} {number:2} {label:22} {kind:8} p50 {p50:6.0f} ms  "
                      f"p95 {p95:6.0f} ms", flush=True)
            page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
            page.close()
    print(f"\nworst p95 over {len(rows)} controls: {worst:.0f} ms (goal <= 250 ms)")


if __name__ == "__main__":
    main()
