"""Where the browser edition's start goes: page, Pyodide, packages, idle kernel, first figure.

    python scripts/build_lite.py --output build/lite
    python benchmarks/bench_lite_startup.py --site build/lite --lessons 00 03 09 --repeat 2
    python benchmarks/bench_lite_startup.py --site build/before build/after --lessons 05 08 \
        --repeat 3                                      # two sites side by side, alternating

Serves a site built by ``scripts/build_lite.py`` on 127.0.0.1 and opens each lesson in headless
Chromium, a fresh browser context each time (cold cache), requests off 127.0.0.1 refused.  With
several sites, each lesson is opened in each site in turn, the order reversed every other round
(the machine's load drifts: only sites measured side by side compare), then each site's means.
It prints, in seconds after the page was opened:

* ``kernel``: the kernel's Web Worker has its first file (``pyodide-lock.json``): what
  JupyterLab's own page took before the kernel started (its plugins, the notebook opened);
* ``wasm``: Pyodide's interpreter (``pyodide.asm.wasm``) downloaded;
* ``pkgs``: the last wheel of the kernel's start downloaded (Pyodide fetches them in parallel);
* ``pyodide``: ``loadPyodide`` done with its packages (Pyodide's "Loaded ..." console line);
* ``idle``: the kernel idle (JupyterLab shows it);
* ``figure``: the first figure of Run All on screen;

and, from inside the kernel (Python's own import timer, ``PYTHONPROFILEIMPORTTIME``, switched on
in a copy of the site's settings), the seconds each top-level import took in the kernel's start
(IPython, ipykernel ...) and in the lesson's first cell (numpy, matplotlib, ipywidgets, anywidget,
cnnlab), with the machine's load.  The copy's settings are the site's with that one variable
added: the timer itself adds a little to every import.  Without ``--import-times`` the site is
served as built (the timings the learner gets, and what tests/browser/test_lite.py measures).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import harness  # noqa: E402

START_RUN_ALL = ("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); "
                 "return true; }")
WATCHED = ("numpy", "matplotlib", "matplotlib.pyplot", "ipywidgets", "anywidget", "cnnlab",
           "IPython", "pyodide_kernel", "ipykernel", "micropip", "piplite", "PIL", "tqdm")


def with_import_timer(site, scratch):
    """A copy of the site (symlinked, the settings file copied) with Python's import timer on."""
    copy = Path(scratch) / "site"
    copy.mkdir()
    for child in site.iterdir():
        if child.name != "jupyter-lite.json":
            (copy / child.name).symlink_to(child.resolve())
    config = json.loads((site / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    kernel.setdefault("loadPyodideOptions", {}).setdefault("env", {})[
        "PYTHONPROFILEIMPORTTIME"] = "1"
    (copy / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
    return copy


IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def import_seconds(lines):
    """{top-level module: cumulative seconds} from Python's import-time lines."""
    found = {}
    for line in lines:
        match = IMPORT_LINE.search(line)
        if not match:
            continue
        cumulative, indent, name = int(match.group(2)), len(match.group(3)), match.group(4)
        if indent == 1 and name in WATCHED:
            found[name] = found.get(name, 0) + cumulative / 1e6
    return found


def open_lesson(browser, base, name):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        (base + "/", "data:", "blob:")) else route.abort())
    events = []          # (seconds, what)
    start = time.perf_counter()

    def at():
        return round(time.perf_counter() - start, 2)

    def finished(request):
        url = request.url
        if url.endswith((".wasm", ".whl", ".zip", ".tar", "pyodide-lock.json")):
            events.append((at(), "fetched " + url.rsplit("/", 1)[-1]))

    console = []
    context.on("requestfinished", finished)
    page = context.new_page()
    page.on("console", lambda message: console.append((at(), message.text)))
    page.goto(f"{base}/lab/index.html?path=notebooks/{name}")
    idle = figure = float("nan")
    try:
        page.wait_for_function(harness.KERNEL_READY, timeout=120_000, polling=50)
        idle = at()
        page.evaluate(START_RUN_ALL)
        page.wait_for_function(harness.FIRST_FIGURE, timeout=120_000, polling=50)
        figure = at()
    except Exception as error:  # noqa: BLE001 - reported, the other lessons still measured
        print(f"  {name}: no {'idle kernel' if idle != idle else 'first figure'} within 120 s "
              f"({type(error).__name__}); the page's last console lines:")
        for t, text in console[-8:]:
            print(f"      {t:6.2f} {text[:200]}")
    page.wait_for_timeout(500)
    context.close()
    return events, console, idle, figure


def measure(browser, base, name, import_times, verbose):
    """Open one lesson; print its line (and with ``import_times``/``verbose`` the details)."""
    load = "load {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    events, console, idle, figure = open_lesson(browser, base, name)
    kernel = min((t for t, what in events if what.endswith("pyodide-lock.json")),
                 default=float("nan"))
    wasm = next((t for t, what in events if what.endswith(".wasm")), float("nan"))
    wheels = [t for t, what in events if what.endswith(".whl") and t < idle]
    loaded = [t for t, text in console if text.startswith("Loaded ")]
    last_wheel = max(wheels, default=float("nan"))
    print(f"  {name:34} kernel {kernel:5.1f}  wasm {wasm:5.1f}  pkgs {last_wheel:5.1f}"
          f"  pyodide {min(loaded, default=float('nan')):5.1f}  idle {idle:5.1f}"
          f"  figure {figure:5.1f}   {load}", flush=True)
    if import_times:
        before = import_seconds(text for t, text in console if t <= idle)
        after = import_seconds(text for t, text in console if t > idle)
        print("    kernel start imports: " + ", ".join(
            f"{k} {v:.2f}" for k, v in sorted(before.items(), key=lambda kv: -kv[1])))
        print("    Run All imports:      " + ", ".join(
            f"{k} {v:.2f}" for k, v in sorted(after.items(), key=lambda kv: -kv[1])))
    if verbose and import_times:
        for t, text in console:
            match = IMPORT_LINE.search(text)
            if match and int(match.group(2)) >= 100_000:
                print(f"      {t:6.2f} import {int(match.group(2)) / 1e6:5.2f} s"
                      f" {match.group(3)}{match.group(4)}")
    if verbose:
        lines = [(t, "console " + x[:150]) for t, x in console if "import time" not in x]
        for t, what in sorted(events + lines):
            print(f"      {t:6.2f} {what}")
    return kernel, idle, figure


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, nargs="+", default=[ROOT / "build" / "lite"],
                        help="one site, or several to measure side by side (alternating)")
    parser.add_argument("--lessons", nargs="*", default=["00"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--import-times", action="store_true",
                        help="switch Python's import timer on in the kernel (a copy's settings)")
    parser.add_argument("--verbose", action="store_true", help="print every event")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    names = sorted(p.name for p in (args.site[0] / "files" / "notebooks").glob("*.ipynb"))
    chosen = [n for n in names if any(n.startswith(prefix) for prefix in args.lessons)]
    results = {}                                         # (lesson, site index) -> [rows]
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright, \
            contextlib.ExitStack() as stack:
        bases = []
        for number, site in enumerate(args.site):
            if args.import_times:
                folder = Path(scratch) / str(number)
                folder.mkdir()
                site = with_import_timer(site, folder)
            bases.append(stack.enter_context(harness.serve_site(site)))
        browser = playwright.chromium.launch(executable_path=harness.chromium_path(),
                                             headless=True, args=harness.CHROMIUM_ARGS)
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, site "
              f"{', '.join(str(s) for s in args.site)}; seconds after the page opened: the "
              f"kernel's first request, wasm, last kernel-start wheel, pyodide loaded, idle "
              f"kernel, first figure; load")
        for round_ in range(args.repeat):
            for name in chosen:
                order = list(range(len(args.site)))
                if round_ % 2:
                    order.reverse()
                for number in order:
                    if len(args.site) > 1:
                        print(f"  [{args.site[number]}]")
                    results.setdefault((name, number), []).append(
                        measure(browser, bases[number], name, args.import_times, args.verbose))
        browser.close()
    if len(args.site) > 1 or args.repeat > 1:
        print("means (n pages each):")
        for (name, number), rows in sorted(results.items()):
            means = [sum(row[k] for row in rows) / len(rows) for k in range(3)]
            print(f"  {name:34} {str(args.site[number]):24} kernel {means[0]:5.2f}  idle "
                  f"{means[1]:5.2f}  figure {means[2]:5.2f}  (n={len(rows)}; figures "
                  f"{', '.join(f'{row[2]:.1f}' for row in rows)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
