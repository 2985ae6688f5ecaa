"""A real JupyterLab in a real browser: start it, open a notebook, run it, move its widgets.

Shared by tests/browser/test_notebooks_in_browser.py and benchmarks/bench_widget_latency.py.
JupyterLab runs from the Python in ``CNNLAB_LAB_PYTHON`` (CI: the environment built from
binder/requirements.txt alone), on 127.0.0.1 with a free port and a random token, serving a
temporary copy of the notebooks (so nothing in the repository is touched), with its own config,
data, runtime and workspace folders.  Chromium is Debian's, launched headless by path.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# Each control kind: how to find it inside a notebook's outputs, and how a user changes it.
SLIDER = ".jp-OutputArea-output .widget-slider:not(.widget-play *)"
DROPDOWN = ".jp-OutputArea-output .widget-dropdown select"
TOGGLES = ".jp-OutputArea-output .widget-toggle-buttons"
BUTTON = ".jp-OutputArea-output button.widget-button:not(.widget-play *)"
NUMBER = ".jp-OutputArea-output .widget-text input"
# What a learner sees when a widget cannot render: JupyterLab 4 with ipywidgets 7 shows "Click to
# show javascript error." (the model class is missing only after the click); a widget shown as
# its raw repr ("Output()", "VBox(...)") means no widget front end at all.
ERROR_TEXTS = ("Click to show javascript error", "Error displaying widget", "model not found",
               "Traceback", "Failed to load model class", "Output()", "VBox(children=",
               "HBox(children=")


class _StaticFiles(http.server.SimpleHTTPRequestHandler):
    """A static site's files with the types a JupyterLite site needs, and no log lines."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript",
                      ".mjs": "text/javascript", ".json": "application/json",
                      ".whl": "application/octet-stream", ".zip": "application/zip"}

    def log_message(self, *args):
        pass


@contextmanager
def serve_site(folder):
    """Serve ``folder`` on http://127.0.0.1:<free port>; yields that address."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_StaticFiles, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def chromium_path():
    """Debian's chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def lab_python():
    """The Python whose JupyterLab the tests start (and whether it was given explicitly)."""
    given = os.environ.get("CNNLAB_LAB_PYTHON")
    return (given, True) if given else (sys.executable, False)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FRONT_ENDS = ("lab", "notebook")     # `jupyter lab`, `jupyter notebook` (Notebook 7)


def front_end_versions(python=None):
    """{package: version} of the front-end packages installed in ``python`` (the lab Python by
    default): jupyterlab, notebook, ipywidgets, jupyterlab_widgets; absent ones are left out."""
    python = python or lab_python()[0]
    script = ("import json; from importlib import metadata as m\n"
              "found = {}\n"
              "for name in ('jupyterlab', 'notebook', 'ipywidgets', 'jupyterlab_widgets'):\n"
              "    try: found[name] = m.version(name)\n"
              "    except m.PackageNotFoundError: pass\n"
              "print(json.dumps(found))")
    return json.loads(subprocess.run([python, "-c", script], check=True, capture_output=True,
                                     text=True).stdout)


def notebook_url(base, token, name, app="lab"):
    """The address that opens notebooks/<name> in ``app`` (JupyterLab or Notebook 7)."""
    if app == "notebook":
        return f"{base}/notebooks/notebooks/{name}?token={token}"
    return f"{base}/lab/tree/notebooks/{name}?token={token}&reset"


@contextmanager
def jupyter_lab(app="lab"):
    """Start JupyterLab (or, with ``app="notebook"``, Notebook 7) on a copy of notebooks/;
    yield (base_url, token, folder); stop it."""
    if app not in FRONT_ENDS:
        raise ValueError(f"app must be one of {FRONT_ENDS}, not {app!r}")
    python, _ = lab_python()
    application = "LabApp" if app == "lab" else "JupyterNotebookApp"
    folder = Path(tempfile.mkdtemp(prefix="cnnlab-lab-"))
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    for name in ("config", "data", "runtime", "workspaces"):
        (folder / name).mkdir()
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(folder / "config"),
               JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
               JUPYTER_PLATFORM_DIRS="1", PYTHONWARNINGS="ignore::DeprecationWarning")
    env.pop("MPLBACKEND", None)   # the kernel shows figures inline, as a learner's does
    log = open(folder / "jupyter.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [python, "-m", "jupyter", app, "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         f"--{application}.workspaces_dir={folder / 'workspaces'}",
         f"--{application}.expose_app_in_browser=True",
         "--ServerApp.open_browser=False",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.time() > deadline:
                    log.flush()
                    raise RuntimeError(f"jupyter {app} did not start:\n"
                                       + (folder / "jupyter.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield base, token, folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def browser():
    """A headless Debian chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                            args=CHROMIUM_ARGS)
        try:
            yield chrome
        finally:
            chrome.close()


KERNEL_READY = """() => {
    const app = window.jupyterapp;
    if (!app || !app.shell || !app.shell.currentWidget) return false;
    const panel = app.shell.currentWidget;
    const context = panel.sessionContext;
    if (!context || !context.session || !context.session.kernel) return false;
    const kernel = context.session.kernel;
    return kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

RUN_ALL = """async () => {
    const app = window.jupyterapp;
    await app.shell.currentWidget.sessionContext.ready;
    await app.commands.execute('notebook:run-all-cells');
    return true;
}"""

ALL_EXECUTED = """() => {
    const cells = document.querySelectorAll('.jp-CodeCell .jp-InputPrompt');
    for (const prompt of cells) {
        const text = prompt.textContent;
        if (!/\\[\\d+\\]/.test(text)) return false;
    }
    return cells.length > 0;
}"""


def open_and_run(page, base, token, name, timeout_s=300, app="lab"):
    """Open notebooks/<name> in ``app``, wait for a connected idle kernel, run all cells, wait
    for them."""
    page.goto(notebook_url(base, token, name, app))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function(KERNEL_READY, timeout=120_000, polling=200)
    page.evaluate(RUN_ALL)
    page.wait_for_function(ALL_EXECUTED, timeout=timeout_s * 1000, polling=250)
    page.wait_for_function(KERNEL_READY, timeout=timeout_s * 1000, polling=250)
    page.wait_for_timeout(1500)      # let the widget views render


def page_errors(page):
    """Error outputs and widget errors visible in the notebook."""
    problems = []
    for element in page.query_selector_all(".jp-OutputArea-output"):
        mime = element.get_attribute("data-mime-type") or ""
        text = element.inner_text()
        if "stderr" in mime and text.strip():
            problems.append(f"stderr output: {text[:300]}")
        for words in ERROR_TEXTS:
            if words in text:
                problems.append(f"{words!r} in output: {text[:300]}")
    return problems


def cells_without_their_figure(page):
    """Code cells that call ``plt.show()`` but hold no picture after Run All (from the notebook
    model, so cells scrolled out of view count too)."""
    return page.evaluate("""() => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        const missing = [];
        for (let i = 0; i < notebook.model.cells.length; i++) {
            const cell = notebook.model.cells.get(i);
            if (cell.type !== 'code' || !cell.sharedModel.getSource().includes('plt.show()')) {
                continue;
            }
            const outputs = cell.outputs.toJSON();
            if (!outputs.some((o) => o.data && o.data['image/png'])) { missing.push(i + 1); }
        }
        return missing;
    }""")


# A figure drawn by the kernel's widget or by matplotlib (a panel's still picture, which shows a
# moment before its widget is drawn and is then hidden, does not count: cnnlab/ui/still.js).
FIRST_FIGURE = """() => document.querySelector(
    '.jp-OutputArea-output img:not([data-cnnlab-still])') !== null"""


def stills(page):
    """The still pictures of the panels in the page (cnnlab/ui/still.js), as
    ``{"id", "shown", "live"}``: ``shown`` when the still or its output takes room on the page,
    ``live`` when the widget view that stands for it is in the page (the same id)."""
    return page.evaluate("""() => {
        const live = new Set(Array.from(document.querySelectorAll('style[id^="cnnlab-still-"]'))
            .map((style) => style.id.slice('cnnlab-still-'.length)));
        return Array.from(document.querySelectorAll('img[data-cnnlab-still]')).map((img) => {
            const output = img.closest('.jp-OutputArea-child, .output_area') || img;
            return {id: img.dataset.cnnlabStill, live: live.has(img.dataset.cnnlabStill),
                    shown: img.getClientRects().length > 0
                        || output.getClientRects().length > 0};
        });
    }""")


def controls(page):
    """Every interactive control in the outputs, as (kind, element handle)."""
    found = []
    for kind, selector in (("slider", SLIDER), ("dropdown", DROPDOWN), ("toggles", TOGGLES),
                           ("button", BUTTON), ("number", NUMBER)):
        found.extend((kind, element) for element in page.query_selector_all(selector))
    return found


def panel_images(control):
    """The figure images of the output that holds ``control`` (their current src)."""
    return control.evaluate("""(el) => {
        const output = el.closest('.jp-OutputArea-output');
        return Array.from(output.querySelectorAll('img')).map((img) => img.src);
    }""")


def change(page, kind, control, step=1):
    """Change a control the way a user would (keys on a slider's handle, pick, click, type).

    ``step`` is the preferred direction; a slider at either end moves the other way.  Returns
    True when the slider moved left (so a caller walking back and forth can follow).
    """
    if kind == "slider" and control.query_selector(".ui-slider-handle"):
        # ipywidgets 7 (jQuery UI slider, no aria values): press right; at the right end the
        # readout stays put, so press left instead.
        readout = control.query_selector(".widget-readout")
        before = readout.inner_text() if readout else None
        control.query_selector(".ui-slider-handle").focus()
        page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
        page.wait_for_timeout(150)
        if readout is not None and readout.inner_text() == before:
            page.keyboard.press("ArrowLeft" if step > 0 else "ArrowRight")
            return step > 0
        return step < 0
    if kind == "slider":
        handle = control.query_selector(".noUi-handle")
        now, low, high = (float(handle.get_attribute(f"aria-value{which}") or 0)
                          for which in ("now", "min", "max"))
        if now >= high:
            step = -1                    # at the right end: move left instead
        elif now <= low:
            step = 1
        handle.focus()
        page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
        return step < 0
    if kind == "dropdown":
        count = control.evaluate("(el) => el.options.length")
        current = control.evaluate("(el) => el.selectedIndex")
        control.select_option(index=(current + step) % count)
    elif kind == "toggles":
        buttons = control.query_selector_all("button")
        active = [b.evaluate("(el) => el.classList.contains('mod-active')") for b in buttons]
        target = next(i for i, on in enumerate(active) if not on)
        buttons[target].click()
    elif kind == "button":
        control.click()
    elif kind == "number":
        value = float(Fraction(control.input_value() or 0))     # "1/9" in lesson 01's boxes
        control.fill(str(round(value + 0.5 * step, 6)))
        control.press("Tab")            # leaving the box commits the value, as a user does
    return False


def wait_for_new_image(page, control, before, timeout_ms=15_000):
    """Wait until the control's panel shows a different image; return seconds waited."""
    start = time.perf_counter()
    handle = control.evaluate_handle("(el) => el.closest('.jp-OutputArea-output')")
    page.wait_for_function(
        """([output, before]) => {
            const now = Array.from(output.querySelectorAll('img')).map((img) => img.src);
            return now.length > 0 && JSON.stringify(now) !== JSON.stringify(before);
        }""", arg=[handle, before], timeout=timeout_ms, polling="raf")
    return time.perf_counter() - start


# In the page: the time of the user's first input event after arming, and of the moment the
# panel's new picture has been decoded and painted (img.decode(), then the next animation frame).
_ARM = """(el) => {
    const output = el.closest('.jp-OutputArea-output');
    if (window.__cnnlabTiming) window.__cnnlabTiming.stop();
    const timing = {change: null, shown: null};
    const types = ['keydown', 'pointerdown', 'click', 'input', 'change'];
    const onInput = () => { if (timing.change === null) timing.change = performance.now(); };
    types.forEach((type) => document.addEventListener(type, onInput, true));
    const observer = new MutationObserver((records) => {
        const img = records.map((r) => r.target).find((t) => t.tagName === 'IMG');
        if (!img || timing.change === null) return;
        observer.disconnect();
        img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
            timing.shown = performance.now();
        }));
    });
    observer.observe(output, {attributes: true, attributeFilter: ['src'], subtree: true});
    timing.stop = () => {
        observer.disconnect();
        types.forEach((type) => document.removeEventListener(type, onInput, true));
    };
    window.__cnnlabTiming = timing;
}"""


def arm_timing(control):
    """Start timing in the page: the next input event, then the next new picture of the panel
    holding ``control`` decoded and painted (read it with :func:`shown_after_ms`)."""
    control.evaluate(_ARM)


def shown_after_ms(page, timeout_ms=5_000):
    """Milliseconds from the input event to the new picture painted, measured in the page."""
    page.wait_for_function("() => window.__cnnlabTiming && window.__cnnlabTiming.shown !== null",
                           timeout=timeout_ms, polling="raf")
    return page.evaluate("() => { const t = window.__cnnlabTiming; t.stop(); "
                         "return t.shown - t.change; }")


def settle(page, timeout_ms=30_000):
    """Wait until the kernel is idle again and late redraws have arrived."""
    page.wait_for_function(KERNEL_READY, timeout=timeout_ms, polling=100)
    page.wait_for_timeout(300)
